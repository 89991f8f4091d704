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
    # session report PDF for the patient file (ui/records/pdf.py) and its log in words
    # (ui/records/log_texts.py); export dialog
    "Alarm: %1": "Alarm: %1",
    "Phase skipped by the therapist": "Fase overgeslagen door de therapeut",
    "Phase skipped by the therapist: %1 → %2": "Fase overgeslagen door de therapeut: %1 → %2",
    "Target changed by the therapist": "Streefwaarde aangepast door de therapeut",
    "Target changed by the therapist: %1 bpm":
        "Streefwaarde aangepast door de therapeut: %1 slagen/min",
    "(now %1 bpm from the prescription)": "(nu %1 slagen/min ten opzichte van het voorschrift)",
    "Speed set by the therapist": "Snelheid ingesteld door de therapeut",
    "Speed set by the therapist to %1 km/h": "Snelheid ingesteld door de therapeut op %1 km/u",
    "Incline set by the therapist": "Hellingshoek ingesteld door de therapeut",
    "Incline set by the therapist to %1 %": "Hellingshoek ingesteld door de therapeut op %1 %",
    "Session paused by the therapist": "Sessie gepauzeerd door de therapeut",
    "Session resumed by the therapist": "Sessie hervat door de therapeut",
    "Session stopped by the therapist": "Sessie gestopt door de therapeut",
    "EMERGENCY STOP by the therapist": "NOODSTOP door de therapeut",
    "Automatic control held by the therapist":
        "Automatische besturing vastgehouden door de therapeut",
    "Automatic control released by the therapist":
        "Automatische besturing vrijgegeven door de therapeut",
    "Automatic control resumed by the therapist":
        "Automatische besturing hervat door de therapeut",
    "Treadmill heart rate accepted": "Hartslag van de loopband geaccepteerd",
    "Treadmill heart rate declined": "Hartslag van de loopband geweigerd",
    "Therapist continues without heart rate (safety limit kept)":
        "Therapeut gaat verder zonder hartslag (veiligheidsgrens blijft gelden)",
    "Therapist ended continue-without-heart-rate":
        "Therapeut is gestopt met doorgaan zonder hartslag",
    "Therapist confirmed the heart rate": "Therapeut heeft de hartslag bevestigd",
    "Heart rate above the safety limit: speed lowered to %1 km/h":
        "Hartslag boven de veiligheidsgrens: snelheid verlaagd naar %1 km/u",
    "Heart rate above the safety limit for too long: cool-down started":
        "Hartslag te lang boven de veiligheidsgrens: cooling-down gestart",
    "No trusted heart rate: speed lowered to %1 km/h":
        "Geen betrouwbare hartslag: snelheid verlaagd naar %1 km/u",
    "Speed set on the treadmill outside the patient's limits: set to %1 km/h":
        "Snelheid op de loopband buiten de grenzen van de patiënt: ingesteld op %1 km/u",
    "Safety check: an invalid command was not sent":
        "Veiligheidscontrole: een ongeldige opdracht is niet verstuurd",
    "Safety check: a command was limited to the patient's range":
        "Veiligheidscontrole: een opdracht is beperkt tot de grenzen van de patiënt",
    "Safety check: no belt command outside the exercise phases":
        "Veiligheidscontrole: geen bandopdracht buiten de trainingsfasen",
    "Safety check: a belt start was not sent":
        "Veiligheidscontrole: een start van de band is niet verstuurd",
    "Safety check: no increase without a trusted heart rate":
        "Veiligheidscontrole: geen verhoging zonder betrouwbare hartslag",
    "Safety check: no increase above the safety limit":
        "Veiligheidscontrole: geen verhoging boven de veiligheidsgrens",
    "Safety check: speed lowered, no trusted heart rate":
        "Veiligheidscontrole: snelheid verlaagd, geen betrouwbare hartslag",
    "Safety check: increase limited to one step":
        "Veiligheidscontrole: verhoging beperkt tot één stap",
    "no samples recorded": "geen metingen vastgelegd",
    "time since the start (min)": "tijd sinds de start (min)",
    "heart rate (bpm, left)": "hartslag (slagen/min, links)",
    "belt speed (km/h, right)": "bandsnelheid (km/u, rechts)",
    "incline (%, right)": "hellingshoek (%, rechts)",
    "target zone": "doelzone",
    "alarm": "alarm",
    "β-blocker: not recorded": "Bètablokker: niet vastgelegd",
    "β-blocker: yes. The heart rate responds less to effort; RPE is used alongside it.":
        "Bètablokker: ja. De hartslag reageert minder op inspanning; de RPE wordt ernaast "
        "gebruikt.",
    "β-blocker: no": "Bètablokker: nee",
    "still recording": "registratie loopt nog",
    "Session report": "Sessieverslag",
    "Patient %1": "Patiënt %1",
    "Age %1": "Leeftijd %1",
    "resting HR %1 bpm": "rusthartslag %1 slagen/min",
    "medication: %1": "medicatie: %1",
    "none recorded": "niets vastgelegd",
    "supervised": "onder begeleiding",
    "unsupervised": "zonder begeleiding",
    "%Y-%m-%d %H:%M": "%d-%m-%Y %H:%M",
    "session %1": "sessie %1",
    "template %1": "sjabloon %1",
    "station %1": "station %1",
    "Therapist: %1": "Therapeut: %1",
    "Prescription: HRmax %1 bpm (%2) · zone %3–%4 bpm, target %5 bpm · safety limit %6 bpm":
        "Voorschrift: HRmax %1 slagen/min (%2) · zone %3–%4 slagen/min, streefwaarde %5 "
        "slagen/min · veiligheidsgrens %6 slagen/min",
    "Zone source: %1": "Herkomst van de zone: %1",
    "Times in this report are elapsed since the start of the session (+min:s).":
        "Tijden in dit verslag zijn verstreken tijd sinds de start van de sessie (+min:s).",
    "Duration %1 min · in zone %2 min · moderate %3 min · avg HR %4 bpm · max HR %5 bpm · "
    "distance %6 m · zone reached %7 after the main phase began · RMS error %8 bpm":
        "Duur %1 min · in de zone %2 min · matige intensiteit %3 min · gem. hartslag %4 "
        "slagen/min · max. hartslag %5 slagen/min · afstand %6 m · zone bereikt %7 na het "
        "begin van de kern · RMS-afwijking %8 slagen/min",
    "Duration (min)": "Duur (min)",
    "In zone (min)": "In de zone (min)",
    "Alarms and overrides (%1 alarms, %2 overrides)":
        "Alarmen en aanpassingen door therapeut (%1 alarmen, %2 aanpassingen)",
    "none": "geen",
    "RPE %1": "RPE %1",
    "Feeling %1": "Gevoel %1",
    "RPE (Borg 6-20) and Feeling (-5 to +5)":
        "RPE (Borg-schaal 6-20) en gevoel (gevoelsschaal -5 tot +5)",
    "none entered": "niets ingevoerd",
    "Therapist annotations": "Aantekeningen van de therapeut",
    "Conclusion and plan": "Conclusie en plan",
    "RPE of the whole session (after the session): %1":
        "RPE van de hele sessie (na afloop): %1",
    "page %1 of %2": "pagina %1 van %2",
    "CSV for Excel, Dutch settings (; decimal comma, local time)":
        "CSV voor Excel, Nederlandse instellingen (; decimale komma, lokale tijd)",
    "CSV (standard: comma, decimal point, UTC)": "CSV (standaard: komma, decimale punt, UTC)",
    "printed at the top of every PDF report": "bovenaan elk PDF-verslag afgedrukt",
    "Clinic name": "Naam van de praktijk",
    "PDF report (patient file)": "PDF-verslag (patiëntendossier)",
    "JSON (full record)": "JSON (volledige registratie)",
    "FIT (Garmin Connect, Strava, intervals.icu)": "FIT (Garmin Connect, Strava, intervals.icu)",
    "TCX (GoldenCheetah, Strava)": "TCX (GoldenCheetah, Strava)",
    "FHIR R4 Bundle (health records)": "FHIR R4-bundel (elektronisch dossier)",
    # patient screen, phase target band and summary phases (ui/patient_screen.py,
    # ui/texts.py grading, ui/summary.py)
    "below target": "onder streefwaarde",
    "on target": "op streefwaarde",
    "above target": "boven streefwaarde",
    "warm-up %1": "warming-up %1",
    "cool-down %1": "cooling-down %1",
    "zone %1": "zone %1",
    "Target %1 bpm (%2, ceiling %4)  |  %5 km/h  %6 %  |  %7 km":
        "Doel %1 slagen/min (%2, veiligheidsgrens %4)  |  %5 km/u  %6 %  |  %7 km",
    "below your target": "onder je streefwaarde",
    "above your target": "boven je streefwaarde",
    "Session finished": "Sessie afgerond",
    "Session ended": "Sessie beëindigd",
    "%1 left in this phase": "nog %1 in deze fase",
    "%1 left in total": "nog %1 in totaal",
    "The belt has stopped": "De band staat stil",
    "The belt is stopping": "De band stopt",
    "The belt speeds up a little": "De band gaat iets sneller",
    "The belt slows down a little": "De band gaat iets langzamer",
    "The belt keeps this pace": "De band houdt dit tempo aan",
    "Your therapist sets the belt": "Je therapeut stelt de band in",
    "Hide numbers": "Getallen verbergen",
    "The patient screen shows only the zone colour and words, no heart rate or times (for "
    "patients whom numbers worry)":
        "Het patiëntscherm toont alleen de zonekleur en woorden, geen hartslag of tijden "
        "(voor patiënten die onrustig worden van getallen)",
    "Phases": "Fasen",
    "Result": "Resultaat",
    "%1 % in zone": "%1 % in de zone",
    "HR %1 \u2192 %2 bpm": "HF %1 \u2192 %2 slagen/min",
    "Patient texts with 'u'": "Patiëntteksten met 'u'",
    "Address the patient formally on the patient screen":
        "Spreek de patiënt op het patiëntscherm aan met 'u'",
    # records: history, session detail and programme view (ui/records/history.py,
    # session_detail.py, programme.py)
    "all sessions done": "alle sessies gedaan",
    "some sessions done": "een deel van de sessies gedaan",
    "no session": "geen sessie",
    "this week, not complete yet": "deze week, nog niet compleet",
    "still to come": "nog te gaan",
    "Week {week}: {done}/{planned}, {mark}": "Week {week}: {done}/{planned}, {mark}",
    "Week": "Week",
    "Supervised": "Begeleid",
    "Moderate (min)": "Matig intensief (min)",
    "Goal (min)": "Doel (min)",
    "HR at check speed (bpm)": "Hartslag bij checksnelheid (slagen/min)",
    "Main phase speed (km/h)": "Snelheid kern (km/u)",
    "RPE": "RPE",
    "Sessions per week (goal)": "Sessies per week (doel)",
    "Minutes per week at moderate intensity (goal)":
        "Minuten per week matig intensief (doel)",
    "Speed for the fitness check": "Snelheid voor de conditiecheck",
    "Each week the heart rate at this belt speed is compared: it falls as fitness "
    "improves. \"automatic\" uses the speed held most often.":
        "Elke week wordt de hartslag bij deze bandsnelheid vergeleken: die daalt als de "
        "conditie verbetert. \"automatisch\" neemt de snelheid die het vaakst is "
        "aangehouden.",
    "km/h": "km/u",
    "No sessions and no programme for this patient yet: the default programme starts "
    "with the first session, or enter a start date and save.":
        "Nog geen sessies en geen programma voor deze patiënt: het standaardprogramma "
        "begint bij de eerste sessie, of vul een startdatum in en sla op.",
    "Default programme: {n} sessions a week for {weeks} weeks from the first session "
    "({start}). Change it and save to set this patient's own.":
        "Standaardprogramma: {n} sessies per week gedurende {weeks} weken vanaf de eerste "
        "sessie ({start}). Pas het aan en sla op voor een eigen programma van deze "
        "patiënt.",
    "Sessions done {done} of {planned} planned so far ({pct} %); minutes goal met in "
    "{met} weeks; fitness check at {ref} km/h.":
        "Sessies gedaan: {done} van {planned} tot nu toe gepland ({pct} %); "
        "minutendoel gehaald in {met} weken; conditiecheck bij {ref} km/u.",
    "* estimated from the main phase (the check speed was not held steadily)":
        "* geschat uit de kern (de checksnelheid werd niet constant aangehouden)",
    "{done}/{planned} this week (week {week} of {weeks})":
        "{done}/{planned} deze week (week {week} van {weeks})",
    "Programme not started yet": "Programma nog niet begonnen",
    "Programme completed": "Programma afgerond",
    "Date": "Datum",
    "Avg HR (bpm)": "Gem. hartslag (slagen/min)",
    "Patient file": "Dossier",
    "Actions on the selected patient's file": "Acties voor het dossier van de gekozen patiënt",
    "Delete patient and all their data…": "Patiënt en al zijn gegevens verwijderen…",
    "Demo data (simulated sessions, not the clinic's)":
        "Demogegevens (gesimuleerde sessies, niet van de praktijk)",
    "Open session": "Sessie openen",
    "or double-click a session": "of dubbelklik op een sessie",
    "Demo database:": "Demodatabase:",
    "Session database:": "Sessiedatabase:",
    "No sessions recorded yet for {code}.": "Nog geen sessies vastgelegd voor {code}.",
    "Session started (waiting for a trusted heart rate)":
        "Sessie gestart (wachten op een betrouwbare hartslag)",
    "%1 begins": "%1 begint",
    "Resumed: %1": "Hervat: %1",
    "Session ended: %1": "Sessie beëindigd: %1",
    "Therapist changed the target: now %1 bpm from the prescription":
        "Therapeut paste het doel aan: nu %1 slagen/min t.o.v. het voorschrift",
    "Therapist set the speed by hand: %1 km/h":
        "Therapeut stelde de snelheid met de hand in: %1 km/u",
    "Therapist set the incline by hand: %1 %":
        "Therapeut stelde de helling met de hand in: %1 %",
    "Therapist held the automatic control": "Therapeut zette de automatische besturing vast",
    "Therapist released the automatic control":
        "Therapeut gaf de automatische besturing weer vrij",
    "Therapist handed the belt back to the automatic control":
        "Therapeut gaf de band terug aan de automatische besturing",
    "Therapist moved on to the next phase": "Therapeut ging door naar de volgende fase",
    "Therapist paused the session": "Therapeut pauzeerde de sessie",
    "Therapist resumed the session": "Therapeut hervatte de sessie",
    "Therapist stopped the session": "Therapeut stopte de sessie",
    "Therapist continued without heart rate": "Therapeut ging verder zonder hartslag",
    "Heart-rate safety rules apply again": "Veiligheidsregels voor de hartslag gelden weer",
    "Safety: belt slowed, heart rate near the safety limit":
        "Veiligheid: band langzamer, hartslag dicht bij de veiligheidsgrens",
    "Safety: on to the cool-down, heart rate above the safety limit":
        "Veiligheid: door naar de cooling-down, hartslag boven de veiligheidsgrens",
    "Safety: belt slowed to a walking speed, no heart rate":
        "Veiligheid: band vertraagd tot wandelsnelheid, geen hartslag",
    "Safety: speed kept within the treadmill's limits":
        "Veiligheid: snelheid binnen de grenzen van de loopband gehouden",
    "Advisory mode: the treadmill takes no commands, speed set by hand":
        "Adviesmodus: de loopband neemt geen opdrachten aan, snelheid met de hand",
    "Automatic control paused until the heart rate is trusted again":
        "Automatische besturing gepauzeerd tot de hartslag weer betrouwbaar is",
    "Note: %1": "Notitie: %1",
    "Effort (Borg 6-20): %1": "Inspanning (Borg-schaal 6-20): %1",
    "Feeling (-5 to +5): %1": "Gevoelsschaal (-5 tot +5): %1",
    "Heart-rate signal: %1": "Hartslagsignaal: %1",
    "Treadmill command failed: %1": "Opdracht aan de loopband mislukt: %1",
    "Not carried out: %1": "Niet uitgevoerd: %1",
    "← Back to the sessions": "← Terug naar de sessies",
    "Report (PDF)…": "Rapport (PDF)…",
    "Export this session…": "Deze sessie exporteren…",
    "What happened": "Verloop",
    "Show heart-rate signal changes": "Wisselingen van het hartslagsignaal tonen",
    "Time (elapsed)": "Tijd (verstreken)",
    "Event": "Gebeurtenis",
    "elapsed time (min)": "verstreken tijd (min)",
    "heart rate": "hartslag",
    "target": "doel",
    "Cannot open the session: {error}": "Kan de sessie niet openen: {error}",
    "{code} · {date} · {template} · {status}": "{code} · {date} · {template} · {status}",
    "In zone, main phase": "In de zone, kern",
    "Max HR (bpm)": "Max. hartslag (slagen/min)",
    "Distance (km)": "Afstand (km)",
    "Feeling": "Gevoel",
    "Notes: %1": "Notities: %1",
    "Report not written: {error}": "Rapport niet geschreven: {error}",
    "Week starts": "Begin week",
    "belt speed (km/h)": "bandsnelheid (km/u)",
    "simulated": "gesimuleerd",
    "Recorded on the simulated treadmill (demo or practice run): no patient was on a belt":
        "Vastgelegd op de gesimuleerde loopband (demo of oefening): er stond geen patiënt "
        "op een band",
    # pre-session check (ui/pre_session.py), session forms (ui/session_forms.py), profile
    # editor labels and preview (ui/profile_editor.py), beta-blocker flag on the console
    "Before the session": "Voor de sessie",
    "Ready to start?": "Klaar om te starten?",
    "Check-in": "Intake vandaag",
    "Heart rate": "Hartslag",
    "HR strap": "Hartslagband",
    "OK": "OK",
    "Note": "Let op",
    "No": "Nee",
    "%1 bpm, trusted": "%1 slagen/min, betrouwbaar",
    "%1 bpm, not trusted (%2)": "%1 slagen/min, niet betrouwbaar (%2)",
    "no trusted heart rate (%1)": "geen betrouwbare hartslag (%1)",
    "no skin contact: moisten the electrodes":
        "geen huidcontact: maak de elektroden vochtig",
    "signal %1": "signaal %1",
    "%1 dBm": "%1 dBm",
    "battery %1": "batterij %1",
    "not reported": "niet gemeld",
    "advisory mode (monitor only): set the advised speed by hand":
        "adviesmodus (alleen meten): stel de geadviseerde snelheid met de hand in",
    "automatic control: the system sets speed and incline":
        "automatische besturing: het systeem stelt snelheid en helling in",
    "no patient selected": "geen patiënt gekozen",
    "no template selected": "geen sjabloon gekozen",
    "beta-blocker: the heart rate responds less, use RPE alongside":
        "bètablokker: de hartslag reageert minder, gebruik daarnaast de RPE",
    "%1: %2 min (warm-up / main / cool-down)": "%1: %2 min (warming-up / kern / cooling-down)",
    "Start without heart rate (my decision; recorded)":
        "Starten zonder hartslag (mijn beslissing; wordt vastgelegd)",
    "Without heart rate the belt does NOT slow down by itself when the heart rate is missing, "
    "and speed and incline may rise. Only the safety ceiling stays. Watch the patient yourself "
    "and use RPE.":
        "Zonder hartslag vertraagt de band NIET vanzelf als de hartslag wegvalt, en snelheid "
        "en helling kunnen stijgen. Alleen de veiligheidsgrens blijft gelden. Houd de patiënt "
        "zelf in de gaten en gebruik de RPE.",
    "Start session": "Sessie starten",
    "Start WITHOUT heart rate": "Starten ZONDER hartslag",
    "Choose a patient and a template first.": "Kies eerst een patiënt en een sjabloon.",
    "Go: the heart rate is trusted.": "Starten kan: de hartslag is betrouwbaar.",
    "Go without heart rate: your choice is recorded.":
        "Starten zonder hartslag: uw keuze wordt vastgelegd.",
    "Wait: no trusted heart rate yet. Check the strap, or choose to start without heart rate.":
        "Wacht: nog geen betrouwbare hartslag. Controleer de hartslagband, of kies ervoor "
        "zonder hartslag te starten.",
    "very good": "zeer goed",
    "fairly good": "redelijk goed",
    "neutral": "neutraal",
    "fairly bad": "redelijk slecht",
    "bad": "slecht",
    "very bad": "zeer slecht",
    "no exertion at all": "helemaal geen inspanning",
    "extremely light": "extreem licht",
    "very light": "zeer licht",
    "light": "licht",
    "somewhat hard": "redelijk zwaar",
    "hard": "zwaar",
    "very hard": "zeer zwaar",
    "extremely hard": "extreem zwaar",
    "maximal exertion": "maximale inspanning",
    "not asked": "niet gevraagd",
    "Feeling today, Feeling Scale (-5 to +5)": "Gevoel vandaag, Gevoelsschaal (-5 tot +5)",
    "Complaints today": "Klachten vandaag",
    "Blood pressure (optional)": "Bloeddruk (optioneel)",
    "Enter both blood pressure values (systolic above diastolic), or neither.":
        "Vul beide bloeddrukwaarden in (systolisch boven diastolisch), of geen van beide.",
    "After the session": "Na de sessie",
    "Session RPE, Borg scale (6-20)": "Sessie-RPE, Borg-schaal (6-20)",
    "Note for the patient file": "Notitie voor het patiëntendossier",
    "Therapist": "Therapeut",
    "name": "naam",
    "Save": "Opslaan",
    "Not saved: %1": "Niet opgeslagen: %1",
    "Feeling today: %1": "Gevoel vandaag: %1",
    "complaints: %1": "klachten: %1",
    "blood pressure %1": "bloeddruk %1",
    "started without heart rate": "gestart zonder hartslag",
    "Session RPE: %1": "Sessie-RPE: %1",
    "therapist: %1": "therapeut: %1",
    "Check-in and assessment": "Intake en evaluatie",
    "After-session form...": "Formulier na de sessie...",
    "Before: %1": "Voor: %1",
    "no check-in": "geen intake",
    "After: %1": "Na: %1",
    "not filled in yet": "nog niet ingevuld",
    "female": "vrouw",
    "male": "man",
    "other": "anders",
    "not specified": "niet opgegeven",
    "Tanaka 208 - 0.7 x age": "Tanaka 208 - 0,7 x leeftijd",
    "Fox 220 - age": "Fox 220 - leeftijd",
    "Gellish 207 - 0.7 x age": "Gellish 207 - 0,7 x leeftijd",
    "Nes 211 - 0.64 x age": "Nes 211 - 0,64 x leeftijd",
    "% of HRmax": "% van de HFmax",
    "Karvonen (% HR reserve)": "Karvonen (% hartslagreserve)",
    "absolute (bpm)": "absoluut (slagen/min)",
    "speed and incline": "snelheid en helling",
    "% HR reserve": "% hartslagreserve",
    "% HRmax": "% HFmax",
    "Zone low (%1)": "Zone ondergrens (%1)",
    "Zone high (%1)": "Zone bovengrens (%1)",
    "Beta-blocker: the heart rate responds less to effort and stays lower. Use RPE (Borg) "
    "alongside the heart rate; HRmax is estimated with 164 - 0.7 x age unless measured.":
        "Bètablokker: de hartslag reageert minder op inspanning en blijft lager. Gebruik de "
        "RPE (Borg) naast de hartslag; de HFmax wordt geschat met 164 - 0,7 x leeftijd, "
        "tenzij gemeten.",
    "Preview: not yet a valid profile (%1)": "Voorbeeld: nog geen geldig profiel (%1)",
    "zone %1-%2 bpm, ceiling %3 bpm (HRmax %4, %5)":
        "zone %1-%2 slagen/min, veiligheidsgrens %3 slagen/min (HFmax %4, %5)",
    "Safety ceiling (% of HRmax)": "Veiligheidsgrens (% van de HFmax)",
    "or safety ceiling (bpm)": "of veiligheidsgrens (slagen/min)",
    "Automatic control adjusts": "Automatische besturing past aan",
    "BETA-BLOCKER: HR responds less, use RPE alongside":
        "BÈTABLOKKER: hartslag reageert minder, gebruik daarnaast de RPE",
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
    # ---- quick entry: the list of recorded entries; the summary's notes and adjustments
    "Not recorded: %1": "Niet vastgelegd: %1",
    "Recorded this session (newest first):": "Vastgelegd in deze sessie (nieuwste eerst):",
    "Each line appears once the session has recorded it":
        "Een regel verschijnt zodra de sessie hem heeft vastgelegd",
    "Notes and therapist adjustments": "Notities en aanpassingen door therapeut",
}

#: The patient screen's Dutch texts that address the patient, in the formal register
#: ("u" instead of "je"): informal Dutch -> formal Dutch (ui/patient_screen.py).
DUTCH_FORMAL_PATIENT: dict[str, str] = {
    "Maak je klaar": "Maakt u zich klaar",
    "onder je zone": "onder uw zone",
    "in je zone": "in uw zone",
    "boven je zone": "boven uw zone",
    "onder je streefwaarde": "onder uw streefwaarde",
    "boven je streefwaarde": "boven uw streefwaarde",
    "Je therapeut stelt de band in": "Uw therapeut stelt de band in",
}
