"""Dutch translations of the desktop app (source text -> Dutch).

Used by :mod:`ui.i18n.build` to write ``runningroom_nl.ts``; keep placeholders
(``%1``, ``{n}``) intact.
"""

from __future__ import annotations

DUTCH: dict[str, str] = {
    # alarms
    "System action: %1": "Actie van het systeem: %1",
    "Condition cleared": "Situatie opgelost",
    "Acknowledged": "Bevestigd",
    "Acknowledge": "Bevestigen",
    "Reported by the device: %1": "Melding van het apparaat: %1",
    "%1 (acknowledged)": "%1 (bevestigd)",
    "%1 (cleared)": "%1 (opgelost)",
    "measured": "gemeten",
    "Tanaka formula": "formule van Tanaka",
    "Fox formula": "formule van Fox",
    "Gellish formula": "formule van Gellish",
    "Nes formula": "formule van Nes",
    "beta-blocker formula": "formule bij bètablokkers",
    "the treadmill accepts no speed commands (monitor only): advisory mode, set the advised "
    "speed by hand":
        "de loopband accepteert geen snelheidsopdrachten (alleen meten): adviesmodus, stel "
        "de geadviseerde snelheid met de hand in",
    "heart-rate sensor not connected: %1": "hartslagmeter niet verbonden: %1",
    # alarm texts (ui/texts.py: alarm_message / alarm_action, from the engine's alarms)
    "Heart rate lost (%1)": "Hartslag weggevallen (%1)",
    "Heart rate not trusted (%1)": "Hartslag onbetrouwbaar (%1)",
    "No trusted heart rate before the warm-up":
        "Geen betrouwbare hartslag voor de warming-up",
    "HR %1 bpm above the safety ceiling of %2 bpm":
        "Hartslag %1 slagen/min boven het veiligheidsplafond van %2 slagen/min",
    "No data from the treadmill for %1 s": "Al %1 s geen gegevens van de loopband",
    "The belt stopped without a command": "De band is gestopt zonder opdracht",
    "The treadmill does not respond to commands (%1)":
        "De loopband reageert niet op opdrachten (%1)",
    "Recording the session failed: %1": "Registratie van de sessie mislukt: %1",
    "The treadmill stopped: safety key pulled":
        "De loopband is gestopt: veiligheidssleutel uitgetrokken",
    "The belt was stopped or paused on the treadmill":
        "De band is op de loopband zelf gestopt of gepauzeerd",
    "The treadmill no longer lets the system control it":
        "De loopband laat zich niet meer door het systeem besturen",
    "The connection to the treadmill was lost": "De verbinding met de loopband is verbroken",
    "The treadmill does not respond": "De loopband reageert niet",
    "Recording the session failed": "Registratie van de sessie mislukt",
    # implausible heart rate (ui/texts.py, ui/alarms.py) and continuing without it
    # (ui/without_hr.py)
    "Heart rate does not match the load": "Hartslag past niet bij de belasting",
    "HR far below what the load predicts": "Hartslag ver onder wat de belasting voorspelt",
    "HR far above what the load predicts": "Hartslag ver boven wat de belasting voorspelt",
    "HR barely moves while the load changes":
        "Hartslag verandert nauwelijks terwijl de belasting verandert",
    "HR moves against the load": "Hartslag beweegt tegen de belasting in",
    "HR does not match what the load predicts":
        "Hartslag klopt niet met wat de belasting voorspelt",
    "The heart rate does not match what the load predicts":
        "De hartslag klopt niet met wat de belasting voorspelt",
    "no increase of speed or incline; check the patient, then confirm the HR if it is real":
        "snelheid en helling gaan niet omhoog; controleer de patiënt en bevestig de "
        "hartslag als die klopt",
    "%1 (HR %2 bpm, the load predicts about %3 bpm)":
        "%1 (hartslag %2 slagen/min, bij deze belasting verwacht: ongeveer %3 slagen/min)",
    "No data from the treadmill for %1 s: the belt may still be running":
        "Al %1 s geen gegevens van de loopband: de band kan nog lopen",
    "The treadmill ignores speed commands (%1 corrections to %2 km/h not followed)":
        "De loopband negeert snelheidsopdrachten (%1 correcties naar %2 km/u niet opgevolgd)",
    "The belt was stopped after a %1 s connection outage":
        "De band is gestopt na %1 s zonder verbinding",
    "session paused; stop the belt at the treadmill":
        "sessie gepauzeerd; stop de band op de loopband zelf",
    "speed corrections stopped; set the speed at the treadmill":
        "snelheidscorrecties gestopt; stel de snelheid op de loopband zelf in",
    "no speed or incline increases; confirm the HR if it is right":
        "snelheid en helling gaan niet omhoog; bevestig de hartslag als die klopt",
    "Confirm HR": "Hartslag klopt",
    "HR confirmed": "Hartslag bevestigd",
    "You checked the patient and the heart rate shown is real: speed and incline may rise "
    "again":
        "De patiënt is gecontroleerd en de getoonde hartslag klopt: snelheid en helling "
        "mogen weer omhoog",
    "%1, does not match the load": "%1, past niet bij de belasting",
    "continuing WITHOUT heart rate": "doorgaan ZONDER hartslag",
    "RUNNING WITHOUT HEART RATE: the belt does not slow down by itself when the heart rate "
    "is lost; only the ceiling rule stays":
        "ZONDER HARTSLAG: de band vertraagt niet vanzelf als de hartslag wegvalt; alleen "
        "de plafondregel blijft gelden",
    "Use heart rate again": "Hartslag weer gebruiken",
    "No trusted heart rate. You can choose to continue without heart rate.":
        "Geen betrouwbare hartslag. Doorgaan zonder hartslag is mogelijk.",
    "Continue without HR...": "Doorgaan zonder hartslag...",
    "Continue without heart rate?": "Doorgaan zonder hartslag?",
    "Continue the session without a trusted heart rate?":
        "De sessie voortzetten zonder betrouwbare hartslag?",
    "The belt will NOT slow down automatically when the heart rate is lost, and speed and "
    "incline may rise without a trusted heart rate. Only the ceiling rule stays. Watch the "
    "patient yourself. The choice is recorded.":
        "De band vertraagt NIET automatisch als de hartslag wegvalt, en snelheid en helling "
        "kunnen stijgen zonder betrouwbare hartslag. Alleen de plafondregel blijft gelden. "
        "Houd de patiënt zelf goed in de gaten. De keuze wordt vastgelegd.",
    "Continue without HR": "Doorgaan zonder hartslag",
    "Cancel": "Annuleren",
    "speed held (no acceleration); ramp down to a safe walking speed after %1 s":
        "snelheid vastgehouden (niet sneller); na %1 s afbouwen naar een veilige "
        "wandelsnelheid",
    "speed held, then ramped down to %1 km/h; controller suspended until the therapist "
    "resumes it":
        "snelheid vastgehouden, daarna afgebouwd naar %1 km/u; regelaar uitgeschakeld tot "
        "de therapeut hem hervat",
    "waiting for a heart rate; skip the phase to start without heart rate":
        "wacht op een hartslag; sla de fase over om zonder hartslag te beginnen",
    "speed stepped down by %1 km/h and incline to %2 %; cool-down after %3 s above the "
    "ceiling":
        "snelheid %1 km/u verlaagd en helling naar %2 %; cooling-down na %3 s boven het "
        "plafond",
    "session paused, belt stop commanded; resume when the key is back":
        "sessie gepauzeerd, band gestopt; hervat zodra de sleutel terug is",
    "session paused; resume or stop the session":
        "sessie gepauzeerd; hervat of stop de sessie",
    "controller suspended, speed held; check the treadmill, then resume the controller":
        "regelaar uitgeschakeld, snelheid vastgehouden; controleer de loopband en hervat "
        "daarna de regelaar",
    "controller suspended; the treadmill no longer accepts commands":
        "regelaar uitgeschakeld; de loopband accepteert geen opdrachten meer",
    "controller suspended; waiting for reconnection, the session pauses after %1 s":
        "regelaar uitgeschakeld; wacht op herverbinding, de sessie pauzeert na %1 s",
    "session continues; data kept in memory and written again every second":
        "sessie loopt door; gegevens blijven in het geheugen en worden elke seconde "
        "opnieuw weggeschreven",
    "Alarms": "Alarmen",
    "No alarms": "Geen alarmen",
    # controls
    "EMERGENCY STOP": "NOODSTOP",
    "Stops the belt now (Esc or Space)": "Stopt de band direct (Esc of spatie)",
    "Start": "Starten",
    "Resume": "Hervatten",
    "Pause": "Pauzeren",
    "Next phase": "Volgende fase",
    "Stop": "Stoppen",
    "Overrides": "Handmatig bijsturen",
    "Target -%1": "Doel -%1",
    "Target +%1": "Doel +%1",
    "offset %1 bpm": "verschuiving %1",
    "Hold controller": "Regelaar vasthouden",
    "Resume control": "Regeling hervatten",
    "Speed (km/h)": "Snelheid (km/u)",
    "Incline (%)": "Helling (%)",
    "Set speed": "Snelheid instellen",
    "Set incline": "Helling instellen",
    "Esc or Space: emergency stop": "Esc of spatie: noodstop",
    # devices
    "not connected": "niet verbonden",
    "connecting...": "verbinden...",
    "connected": "verbonden",
    "reconnecting...": "opnieuw verbinden...",
    "failed": "mislukt",
    "Devices": "Apparaten",
    "Status": "Status",
    "Treadmill address": "Adres loopband",
    "Heart-rate address": "Adres hartslagmeter",
    "Scan": "Zoeken",
    "Connect": "Verbinden",
    "Treadmill": "Loopband",
    "Heart-rate sensor": "Hartslagmeter",
    "Control": "Besturing",
    "Battery": "Batterij",
    "Signal": "Signaal",
    "Preflight": "Voorcontrole",
    "control permitted": "besturing toegestaan",
    "monitor only (advisory mode)": "alleen meten (adviesmodus)",
    "with warnings: %1": "met waarschuwingen: %1",
    "passed": "geslaagd",
    "Nothing found": "Niets gevonden",
    # quick entry
    "Patient report and notes": "Beleving van de patiënt en notities",
    "Borg RPE (6-20)": "Borg RPE (6-20)",
    "Record RPE": "RPE vastleggen",
    "Feeling (-5..+5)": "Gevoel (-5..+5)",
    "Record feeling": "Gevoel vastleggen",
    "Annotation, e.g. 'patient asks for water'": "Notitie, bijv. 'patiënt wil water'",
    "Add note": "Notitie toevoegen",
    "note": "notitie",
    # main window
    "RunningRoom - therapist console": "RunningRoom - therapeutenscherm",
    "(demo)": "(demo)",
    "Patient": "Patiënt",
    "Edit...": "Bewerken...",
    "New...": "Nieuw...",
    "Template": "Sjabloon",
    "Patient screen": "Patiëntscherm",
    "Language": "Taal",
    "Session": "Sessie",
    "Summary": "Samenvatting",
    "History": "Geschiedenis",
    "bpm": "slagen/min",
    "No patient selected": "Geen patiënt gekozen",
    "Zone %1-%2 bpm (target %3), ceiling %4 bpm, HRmax %5 (%6)":
        "Zone %1-%2 slagen/min (doel %3), plafond %4 slagen/min, HFmax %5 (%6)",
    "Connecting...": "Verbinden...",
    "Choose the patient and the template, then connect the devices (Devices tab).":
        "Kies de patiënt en het sjabloon en verbind daarna de apparaten (tabblad Apparaten).",
    "Bluetooth scanning is not available": "Zoeken via Bluetooth is niet beschikbaar",
    "Scanning...": "Zoeken...",
    "Devices connected; ready to start": "Apparaten verbonden; klaar om te starten",
    "Connected with warnings: see Devices": "Verbonden met waarschuwingen: zie Apparaten",
    "Connection failed: %1": "Verbinden mislukt: %1",
    "Error: %1": "Fout: %1",
    "Session started": "Sessie gestart",
    "EMERGENCY STOP sent: belt stopping": "NOODSTOP gegeven: band stopt",
    "no HR": "geen hartslag",
    "below zone": "onder de zone",
    "ABOVE CEILING": "BOVEN PLAFOND",
    "above zone": "boven de zone",
    "in zone": "in de zone",
    "%1 elapsed, %2 left in phase": "%1 verstreken, nog %2 in deze fase",
    "Target %1 bpm (zone %2-%3, ceiling %4)  |  %5 km/h  %6 %  |  %7 km":
        "Doel %1 slagen/min (zone %2-%3, plafond %4)  |  %5 km/u  %6 %  |  %7 km",
    "controller active": "regelaar actief",
    "advisory mode (monitor only)": "adviesmodus (alleen meten)",
    "controller SUSPENDED by the supervisor": "regelaar GESCHORST door de bewaking",
    "controller held": "regelaar vastgehouden",
    "HR signal: %1  |  %2": "Hartslagsignaal: %1  |  %2",
    "No update from the station for %1 s": "Al %1 s geen gegevens van het station",
    "EMERGENCY STOP: belt stopped, session ended.": "NOODSTOP: band gestopt, sessie beëindigd.",
    "Session ended (%1). Connect again for a new session.":
        "Sessie beëindigd (%1). Verbind opnieuw voor een nieuwe sessie.",
    "End the session?": "Sessie beëindigen?",
    "A session is running. Closing stops the belt and ends the recording. Close anyway?":
        "Er loopt een sessie. Afsluiten stopt de band en beëindigt de registratie. "
        "Toch afsluiten?",
    "Stopping the belt and saving the recording...":
        "Band wordt gestopt en registratie opgeslagen...",
    # patient screen
    "RunningRoom - patient screen": "RunningRoom - patiëntscherm",
    "Get ready": "Maak je klaar",
    "The session will start soon": "De sessie begint zo",
    "below your zone": "onder je zone",
    "in your zone": "in je zone",
    "above your zone": "boven je zone",
    "Paused": "Gepauzeerd",
    "Session over": "Sessie voorbij",
    "%1 left": "nog %1",
    "Well done! Thank you.": "Goed gedaan! Dank je wel.",
    "Take a breather": "Even op adem komen",
    "Cooling down, nice and easy": "Rustig uitlopen",
    "A bit faster": "Iets sneller",
    "Ease off a little": "Iets rustiger aan",
    "Well done, keep this pace": "Goed zo, houd dit tempo vast",
    "Keep going": "Ga zo door",
    # plots
    "min": "min",
    "Whole session": "Hele sessie",
    "HR": "HF",
    "Last %1 minutes": "Laatste %1 minuten",
    "HR (bpm)": "HF (slagen/min)",
    "km/h, %": "km/u, %",
    "speed": "snelheid",
    "speed command": "ingestelde snelheid",
    "incline": "helling",
    # profile editor
    "Patient code (pseudonym)": "Patiëntcode (pseudoniem)",
    "Display name (optional)": "Weergavenaam (optioneel)",
    "Birth year": "Geboortejaar",
    "or age (years)": "of leeftijd (jaren)",
    "Sex": "Geslacht",
    "Resting HR (bpm)": "Rusthartslag (slagen/min)",
    "Measured HRmax (bpm, optional)": "Gemeten HFmax (slagen/min, optioneel)",
    "HRmax formula": "Formule HFmax",
    "Beta-blocker": "Bètablokker",
    "HR-affecting medication": "Medicatie die de hartslag beïnvloedt",
    "Zone method": "Zonemethode",
    "Zone low": "Zone ondergrens",
    "Zone high": "Zone bovengrens",
    "Safety ceiling (% HRmax)": "Veiligheidsplafond (% HFmax)",
    "or ceiling (bpm)": "of plafond (slagen/min)",
    "Controller uses": "Regelaar gebruikt",
    "Start speed (km/h, optional)": "Startsnelheid (km/u, optioneel)",
    "Minimum speed (km/h)": "Minimale snelheid (km/u)",
    "Maximum speed (km/h)": "Maximale snelheid (km/u)",
    "Maximum incline (%)": "Maximale helling (%)",
    "Walking only": "Alleen wandelen",
    "profile editor": "profieleditor",
    "Expected %1": "Verwacht: %1",
    ", got %1": ", gekregen: %1",
    "Patient profile": "Patiëntprofiel",
    # summary
    "Session summary": "Samenvatting van de sessie",
    "Totals": "Totalen",
    "Time in zone per phase": "Tijd in de zone per fase",
    "RPE and feeling": "RPE en gevoel",
    "RPE: %1": "RPE: %1",
    "Feeling: %1": "Gevoel: %1",
    "Duration": "Duur",
    "Minutes at moderate intensity": "Minuten matige intensiteit",
    "Time in zone after entry": "Tijd in de zone na binnenkomst",
    "Zone entry after": "Zone bereikt na",
    "RMS error (main)": "RMS-fout (hoofdfase)",
    "Average HR": "Gemiddelde HF",
    "Maximum HR": "Maximale HF",
    "Distance": "Afstand",
    "Therapist overrides": "Ingrepen door therapeut",
    "Phase": "Fase",
    "In zone": "In de zone",
    # shared texts
    "Ready": "Gereed",
    "Warm-up": "Warming-up",
    "Main phase": "Hoofdfase",
    "Cool-down": "Cooling-down",
    "Finished": "Voltooid",
    "Stopped": "Gestopt",
    "Aborted": "Afgebroken",
    "Emergency stopped": "Noodstop",
    "Heart rate lost": "Hartslag weggevallen",
    "Heart rate not trusted": "Hartslag onbetrouwbaar",
    "Heart rate above the safety ceiling": "Hartslag boven het veiligheidsplafond",
    "Device disconnected": "Apparaat losgekoppeld",
    "Safety key pulled": "Veiligheidssleutel uitgetrokken",
    "Treadmill stopped on its console": "Loopband gestopt via het eigen bedieningspaneel",
    "Control of the treadmill lost": "Besturing van de loopband verloren",
    "Treadmill not responding": "Loopband reageert niet",
    "Recording failed": "Registratie mislukt",
    "good": "goed",
    "no signal": "geen signaal",
    "stale": "verouderd",
    "zero": "nul",
    "frozen": "bevroren",
    "implausible jump": "onwaarschijnlijke sprong",
    "out of range": "buiten bereik",
    "no skin contact": "geen huidcontact",
    "treadmill HR": "hartslag van de loopband",
    "No template": "Geen sjabloon",
    # records widgets
    "Export sessions": "Sessies exporteren",
    "{n} session(s) selected": "{n} sessie(s) geselecteerd",
    "Format": "Formaat",
    "Browse…": "Bladeren…",
    "Folder": "Map",
    "Include the patient's name (default: code only)":
        "Naam van de patiënt opnemen (standaard: alleen de code)",
    "Export": "Exporteren",
    "Close": "Sluiten",
    "Export folder": "Exportmap",
    "Export failed: {error}": "Exporteren mislukt: {error}",
    "{n} file(s) written to {dir}": "{n} bestand(en) geschreven naar {dir}",
    "Refresh": "Vernieuwen",
    "Export…": "Exporteren…",
    "Export the selected sessions (all when none selected)":
        "De geselecteerde sessies exporteren (alle als er geen geselecteerd zijn)",
    "Backup…": "Back-up…",
    "Restore…": "Terugzetten…",
    "Delete patient…": "Patiënt verwijderen…",
    "Sessions": "Sessies",
    "Programme": "Programma",
    "Cannot read the session database: {error}": "Kan de sessiedatabase niet lezen: {error}",
    "No sessions recorded yet.": "Nog geen sessies geregistreerd.",
    "{n} sessions ({s} supervised), {m} min at moderate intensity in total":
        "{n} sessies ({s} onder begeleiding), in totaal {m} min matige intensiteit",
    "yes": "ja",
    "no": "nee",
    "Delete patient": "Patiënt verwijderen",
    "Not deleted: {error}": "Niet verwijderd: {error}",
    "Patient deleted ({n} sessions).": "Patiënt verwijderd ({n} sessies).",
    "Back up the session database": "Back-up maken van de sessiedatabase",
    "Backup failed: {error}": "Back-up mislukt: {error}",
    "Backup written to {path}": "Back-up geschreven naar {path}",
    "Restore from a backup": "Terugzetten vanuit een back-up",
    "Restore over newer data?": "Terugzetten over nieuwere gegevens?",
    "Restore cancelled; nothing changed.": "Terugzetten geannuleerd; niets gewijzigd.",
    "Restore failed: {error}": "Terugzetten mislukt: {error}",
    "Database restored from {path}": "Database teruggezet vanuit {path}",
    "No programme set": "Geen programma ingesteld",
    "automatic": "automatisch",
    "Start date": "Startdatum",
    "Planned weeks": "Geplande weken",
    "Sessions per week": "Sessies per week",
    "Weekly dose target": "Weekdoel",
    "Reference speed (fitness signal)": "Referentiesnelheid (conditiesignaal)",
    "Save programme": "Programma opslaan",
    "Programme report (PDF)…": "Programmarapport (PDF)…",
    "Questionnaire score": "Vragenlijstscore",
    "week ": "week ",
    "name, e.g. PHQ-9": "naam, bijv. PHQ-9",
    "Enter score": "Score invoeren",
    "Not saved: {error}": "Niet opgeslagen: {error}",
    "Saved.": "Opgeslagen.",
    "Programme report": "Programmarapport",
    "Report written to {path}": "Rapport geschreven naar {path}",
    "No programme set for this patient: enter a start date and save.":
        "Geen programma voor deze patiënt: vul een startdatum in en sla op.",
    "Select a patient.": "Kies een patiënt.",
    "Sessions done {done} of {planned} planned so far ({pct} %); weekly dose met in {met} "
    "weeks; reference speed {ref} km/h.":
        "Sessies gedaan: {done} van {planned} tot nu toe gepland ({pct} %); weekdoel gehaald "
        "in {met} weken; referentiesnelheid {ref} km/u.",
    "baseline": "beginwaarde",
    "This deletes ALL sessions, the programme, scores and the profile of patient {code}. "
    "It cannot be undone.\nType the patient code to confirm:":
        "Dit verwijdert ALLE sessies, het programma, de scores en het profiel van patiënt "
        "{code}. Dit kan niet ongedaan worden gemaakt.\nTyp de patiëntcode ter bevestiging:",
    "The current database has data the backup does not:\n{reasons}\n\nRestore anyway? "
    "(A copy of the current database is kept.)":
        "De huidige database bevat gegevens die niet in de back-up staan:\n{reasons}\n\n"
        "Toch terugzetten? (Er wordt een kopie van de huidige database bewaard.)",
    "No supervised session this week": "Deze week geen begeleide sessie",
    # console: emergency stop key, confirmations, manual/automatic axes, status
    # (ui/controls.py, ui/main_window.py)
    "Zone %1-%2 bpm (target %3, therapist %4 bpm), ceiling %5 bpm, HRmax %6 (%7)":
        "Zone %1-%2 slagen/min (doel %3, therapeut %4 slagen/min), veiligheidsgrens "
        "%5 slagen/min, HFmax %6 (%7)",
    "%1 is on the belt: this profile can be changed after the session.":
        "%1 staat op de band: dit profiel kan na de sessie worden gewijzigd.",
    "Starting the session...": "Sessie wordt gestart...",
    "Waiting for a trusted heart rate before the warm-up":
        "Wachten op een betrouwbare hartslag voor de warming-up",
    "Session running: %1": "Sessie loopt: %1",
    "Session paused in the %1: the belt is stopped; Resume continues":
        "Sessie gepauzeerd in de %1: de band staat stil; Hervatten gaat verder",
    "automatic control ready": "automatische besturing gereed",
    "automatic control off (session ended)": "automatische besturing uit (sessie beëindigd)",
    "automatic control SUSPENDED by the safety supervisor":
        "automatische besturing GESCHORST door de veiligheidsbewaking",
    "automatic control held by the therapist":
        "automatische besturing vastgehouden door de therapeut",
    "automatic control active": "automatische besturing actief",
    "manual: %1": "handmatig: %1",
    "Stops the belt now. Key: %1, from any window of the app":
        "Stopt de band direct. Toets: %1, vanuit elk venster van het programma",
    "Next phase...": "Volgende fase...",
    "Stop session...": "Sessie stoppen...",
    "Back to automatic": "Terug naar automatisch",
    "Hands manual speed and incline back to the automatic control, or resumes it after "
    "the safety supervisor suspended it":
        "Geeft handmatig ingestelde snelheid en helling terug aan de automatische "
        "besturing, of hervat die nadat de veiligheidsbewaking haar schorste",
    "%1: emergency stop (from any window)": "%1: noodstop (vanuit elk venster)",
    "Speed": "Snelheid",
    "Incline": "Helling",
    "advice only (set it at the treadmill)": "alleen advies (stel in op de loopband)",
    "manual (set by therapist)": "handmatig (ingesteld door therapeut)",
    "held (automatic control suspended)": "vastgehouden (automatische besturing geschorst)",
    "held by therapist": "vastgehouden door therapeut",
    "%1: %2": "%1: %2",
    "Stop the session?": "Sessie stoppen?",
    "The belt slows to a stop and the session ends now. It cannot be resumed: a new "
    "session needs a new start.":
        "De band loopt uit tot stilstand en de sessie eindigt nu. Hervatten is niet "
        "mogelijk: voor een nieuwe sessie is een nieuwe start nodig.",
    "Stop the session": "Sessie stoppen",
    "End the warm-up now?": "Warming-up nu beëindigen?",
    "The main phase starts now. The warm-up cannot be resumed.":
        "Het hoofddeel begint nu. De warming-up kan niet worden hervat.",
    "End the warm-up": "Warming-up beëindigen",
    "End the main phase now?": "Hoofddeel nu beëindigen?",
    "The cool-down starts now. The main phase cannot be resumed.":
        "De cooling-down begint nu. Het hoofddeel kan niet worden hervat.",
    "End the main phase": "Hoofddeel beëindigen",
    "End the cool-down now?": "Cooling-down nu beëindigen?",
    "The belt slows to a stop and the session is finished.":
        "De band loopt uit tot stilstand en de sessie is klaar.",
    "End the cool-down": "Cooling-down beëindigen",
}
