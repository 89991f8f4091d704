<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL">
<context>
    <name>AlarmCard</name>
    <message>
        <source>System action: %1</source>
        <translation>Actie van het systeem: %1</translation>
    </message>
    <message>
        <source>Condition cleared</source>
        <translation>Situatie opgelost</translation>
    </message>
    <message>
        <source>Reported by the device: %1</source>
        <translation>Melding van het apparaat: %1</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bevestigd</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bevestigen</translation>
    </message>
    <message>
        <source>HR confirmed</source>
        <translation>Hartslag bevestigd</translation>
    </message>
    <message>
        <source>Confirm HR</source>
        <translation>Hartslag klopt</translation>
    </message>
    <message>
        <source>You checked the patient and the heart rate shown is real: speed and incline may rise again</source>
        <translation>De patiënt is gecontroleerd en de getoonde hartslag klopt: snelheid en helling mogen weer omhoog</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Alarms</source>
        <translation>Alarmen</translation>
    </message>
    <message>
        <source>No alarms</source>
        <translation>Geen alarmen</translation>
    </message>
</context>
<context>
    <name>AlarmTexts</name>
    <message>
        <source>HR far below what the load predicts</source>
        <translation>Hartslag ver onder wat de belasting voorspelt</translation>
    </message>
    <message>
        <source>HR far above what the load predicts</source>
        <translation>Hartslag ver boven wat de belasting voorspelt</translation>
    </message>
    <message>
        <source>HR barely moves while the load changes</source>
        <translation>Hartslag verandert nauwelijks terwijl de belasting verandert</translation>
    </message>
    <message>
        <source>HR moves against the load</source>
        <translation>Hartslag beweegt tegen de belasting in</translation>
    </message>
    <message>
        <source>HR does not match what the load predicts</source>
        <translation>Hartslag klopt niet met wat de belasting voorspelt</translation>
    </message>
    <message>
        <source>Heart rate lost (%1)</source>
        <translation>Hartslag weggevallen (%1)</translation>
    </message>
    <message>
        <source>Heart rate not trusted (%1)</source>
        <translation>Hartslag onbetrouwbaar (%1)</translation>
    </message>
    <message>
        <source>No trusted heart rate before the warm-up</source>
        <translation>Geen betrouwbare hartslag voor de warming-up</translation>
    </message>
    <message>
        <source>HR %1 bpm above the safety ceiling of %2 bpm</source>
        <translation>Hartslag %1 slagen/min boven het veiligheidsplafond van %2 slagen/min</translation>
    </message>
    <message>
        <source>No data from the treadmill for %1 s</source>
        <translation>Al %1 s geen gegevens van de loopband</translation>
    </message>
    <message>
        <source>No data from the treadmill for %1 s: the belt may still be running</source>
        <translation>Al %1 s geen gegevens van de loopband: de band kan nog lopen</translation>
    </message>
    <message>
        <source>The treadmill ignores speed commands (%1 corrections to %2 km/h not followed)</source>
        <translation>De loopband negeert snelheidsopdrachten (%1 correcties naar %2 km/u niet opgevolgd)</translation>
    </message>
    <message>
        <source>The belt was stopped after a %1 s connection outage</source>
        <translation>De band is gestopt na %1 s zonder verbinding</translation>
    </message>
    <message>
        <source>The belt stopped without a command</source>
        <translation>De band is gestopt zonder opdracht</translation>
    </message>
    <message>
        <source>The treadmill does not respond to commands (%1)</source>
        <translation>De loopband reageert niet op opdrachten (%1)</translation>
    </message>
    <message>
        <source>Recording the session failed: %1</source>
        <translation>Registratie van de sessie mislukt: %1</translation>
    </message>
    <message>
        <source>speed held (no acceleration); ramp down to a safe walking speed after %1 s</source>
        <translation>snelheid vastgehouden (niet sneller); na %1 s afbouwen naar een veilige wandelsnelheid</translation>
    </message>
    <message>
        <source>speed held, then ramped down to %1 km/h; controller suspended until the therapist resumes it</source>
        <translation>snelheid vastgehouden, daarna afgebouwd naar %1 km/u; regelaar uitgeschakeld tot de therapeut hem hervat</translation>
    </message>
    <message>
        <source>waiting for a heart rate; skip the phase to start without heart rate</source>
        <translation>wacht op een hartslag; sla de fase over om zonder hartslag te beginnen</translation>
    </message>
    <message>
        <source>speed stepped down by %1 km/h and incline to %2 %; cool-down after %3 s above the ceiling</source>
        <translation>snelheid %1 km/u verlaagd en helling naar %2 %; cooling-down na %3 s boven het plafond</translation>
    </message>
    <message>
        <source>session paused, belt stop commanded; resume when the key is back</source>
        <translation>sessie gepauzeerd, band gestopt; hervat zodra de sleutel terug is</translation>
    </message>
    <message>
        <source>session paused; resume or stop the session</source>
        <translation>sessie gepauzeerd; hervat of stop de sessie</translation>
    </message>
    <message>
        <source>controller suspended, speed held; check the treadmill, then resume the controller</source>
        <translation>regelaar uitgeschakeld, snelheid vastgehouden; controleer de loopband en hervat daarna de regelaar</translation>
    </message>
    <message>
        <source>controller suspended; the treadmill no longer accepts commands</source>
        <translation>regelaar uitgeschakeld; de loopband accepteert geen opdrachten meer</translation>
    </message>
    <message>
        <source>controller suspended; waiting for reconnection, the session pauses after %1 s</source>
        <translation>regelaar uitgeschakeld; wacht op herverbinding, de sessie pauzeert na %1 s</translation>
    </message>
    <message>
        <source>session paused; stop the belt at the treadmill</source>
        <translation>sessie gepauzeerd; stop de band op de loopband zelf</translation>
    </message>
    <message>
        <source>speed corrections stopped; set the speed at the treadmill</source>
        <translation>snelheidscorrecties gestopt; stel de snelheid op de loopband zelf in</translation>
    </message>
    <message>
        <source>no speed or incline increases; confirm the HR if it is right</source>
        <translation>snelheid en helling gaan niet omhoog; bevestig de hartslag als die klopt</translation>
    </message>
    <message>
        <source>session continues; data kept in memory and written again every second</source>
        <translation>sessie loopt door; gegevens blijven in het geheugen en worden elke seconde opnieuw weggeschreven</translation>
    </message>
    <message>
        <source>The treadmill stopped: safety key pulled</source>
        <translation>De loopband is gestopt: veiligheidssleutel uitgetrokken</translation>
    </message>
    <message>
        <source>The belt was stopped or paused on the treadmill</source>
        <translation>De band is op de loopband zelf gestopt of gepauzeerd</translation>
    </message>
    <message>
        <source>The treadmill no longer lets the system control it</source>
        <translation>De loopband laat zich niet meer door het systeem besturen</translation>
    </message>
    <message>
        <source>The connection to the treadmill was lost</source>
        <translation>De verbinding met de loopband is verbroken</translation>
    </message>
    <message>
        <source>The treadmill does not respond</source>
        <translation>De loopband reageert niet</translation>
    </message>
    <message>
        <source>Heart rate lost</source>
        <translation>Hartslag weggevallen</translation>
    </message>
    <message>
        <source>Heart rate not trusted</source>
        <translation>Hartslag onbetrouwbaar</translation>
    </message>
    <message>
        <source>Heart rate above the safety ceiling</source>
        <translation>Hartslag boven het veiligheidsplafond</translation>
    </message>
    <message>
        <source>Recording the session failed</source>
        <translation>Registratie van de sessie mislukt</translation>
    </message>
    <message>
        <source>The heart rate does not match what the load predicts</source>
        <translation>De hartslag klopt niet met wat de belasting voorspelt</translation>
    </message>
    <message>
        <source>%1 (HR %2 bpm, the load predicts about %3 bpm)</source>
        <translation>%1 (hartslag %2 slagen/min, bij deze belasting verwacht: ongeveer %3 slagen/min)</translation>
    </message>
    <message>
        <source>no increase of speed or incline; check the patient, then confirm the HR if it is real</source>
        <translation>snelheid en helling gaan niet omhoog; controleer de patiënt en bevestig de hartslag als die klopt</translation>
    </message>
    <message>
        <source>%1 (acknowledged)</source>
        <translation>%1 (bevestigd)</translation>
    </message>
    <message>
        <source>%1 (cleared)</source>
        <translation>%1 (opgelost)</translation>
    </message>
    <message>
        <source>the treadmill accepts no speed commands (monitor only): advisory mode, set the advised speed by hand</source>
        <translation>de loopband accepteert geen snelheidsopdrachten (alleen meten): adviesmodus, stel de geadviseerde snelheid met de hand in</translation>
    </message>
    <message>
        <source>heart-rate sensor not connected: %1</source>
        <translation>hartslagmeter niet verbonden: %1</translation>
    </message>
</context>
<context>
    <name>CheckInForm</name>
    <message>
        <source>not asked</source>
        <translation>niet gevraagd</translation>
    </message>
    <message>
        <source>Feeling today, Feeling Scale (-5 to +5)</source>
        <translation>Gevoel vandaag, Gevoelsschaal (-5 tot +5)</translation>
    </message>
    <message>
        <source>Complaints today</source>
        <translation>Klachten vandaag</translation>
    </message>
    <message>
        <source>none</source>
        <translation>geen</translation>
    </message>
    <message>
        <source>Blood pressure (optional)</source>
        <translation>Bloeddruk (optioneel)</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <source>not connected</source>
        <translation>niet verbonden</translation>
    </message>
    <message>
        <source>connecting...</source>
        <translation>verbinden...</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbonden</translation>
    </message>
    <message>
        <source>reconnecting...</source>
        <translation>opnieuw verbinden...</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>mislukt</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Apparaten</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Treadmill address</source>
        <translation>Adres loopband</translation>
    </message>
    <message>
        <source>Heart-rate address</source>
        <translation>Adres hartslagmeter</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Zoeken</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Treadmill</source>
        <translation>Loopband</translation>
    </message>
    <message>
        <source>Heart-rate sensor</source>
        <translation>Hartslagmeter</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>Besturing</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>Batterij</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>Signaal</translation>
    </message>
    <message>
        <source>Preflight</source>
        <translation>Voorcontrole</translation>
    </message>
    <message>
        <source>control permitted</source>
        <translation>besturing toegestaan</translation>
    </message>
    <message>
        <source>monitor only (advisory mode)</source>
        <translation>alleen meten (adviesmodus)</translation>
    </message>
    <message>
        <source>with warnings: %1</source>
        <translation>met waarschuwingen: %1</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>geslaagd</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Niets gevonden</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>PDF report (patient file)</source>
        <translation>PDF-verslag (patiëntendossier)</translation>
    </message>
    <message>
        <source>CSV for Excel, Dutch settings (; decimal comma, local time)</source>
        <translation>CSV voor Excel, Nederlandse instellingen (; decimale komma, lokale tijd)</translation>
    </message>
    <message>
        <source>CSV (standard: comma, decimal point, UTC)</source>
        <translation>CSV (standaard: komma, decimale punt, UTC)</translation>
    </message>
    <message>
        <source>JSON (full record)</source>
        <translation>JSON (volledige registratie)</translation>
    </message>
    <message>
        <source>FIT (Garmin Connect, Strava, intervals.icu)</source>
        <translation>FIT (Garmin Connect, Strava, intervals.icu)</translation>
    </message>
    <message>
        <source>TCX (GoldenCheetah, Strava)</source>
        <translation>TCX (GoldenCheetah, Strava)</translation>
    </message>
    <message>
        <source>FHIR R4 Bundle (health records)</source>
        <translation>FHIR R4-bundel (elektronisch dossier)</translation>
    </message>
    <message>
        <source>Export sessions</source>
        <translation>Sessies exporteren</translation>
    </message>
    <message>
        <source>{n} session(s) selected</source>
        <translation>{n} sessie(s) geselecteerd</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formaat</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bladeren…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Map</translation>
    </message>
    <message>
        <source>Include the patient's name (default: code only)</source>
        <translation>Naam van de patiënt opnemen (standaard: alleen de code)</translation>
    </message>
    <message>
        <source>printed at the top of every PDF report</source>
        <translation>bovenaan elk PDF-verslag afgedrukt</translation>
    </message>
    <message>
        <source>Clinic name</source>
        <translation>Naam van de praktijk</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporteren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>Exportmap</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>Exporteren mislukt: {error}</translation>
    </message>
    <message>
        <source>{n} file(s) written to {dir}</source>
        <translation>{n} bestand(en) geschreven naar {dir}</translation>
    </message>
</context>
<context>
    <name>HistoryWidget</name>
    <message>
        <source>Export…</source>
        <translation>Exporteren…</translation>
    </message>
    <message>
        <source>Export the selected sessions (all when none selected)</source>
        <translation>De geselecteerde sessies exporteren (alle als er geen geselecteerd zijn)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Sjabloon</translation>
    </message>
    <message>
        <source>Duration (min)</source>
        <translation>Duur (min)</translation>
    </message>
    <message>
        <source>In zone (min)</source>
        <translation>In de zone (min)</translation>
    </message>
    <message>
        <source>Moderate (min)</source>
        <translation>Matig intensief (min)</translation>
    </message>
    <message>
        <source>Avg HR (bpm)</source>
        <translation>Gem. hartslag (slagen/min)</translation>
    </message>
    <message>
        <source>RPE</source>
        <translation>RPE</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmen</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>Begeleid</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <source>Patient file</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Actions on the selected patient's file</source>
        <translation>Acties voor het dossier van de gekozen patiënt</translation>
    </message>
    <message>
        <source>Delete patient and all their data…</source>
        <translation>Patiënt en al zijn gegevens verwijderen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>Demo data (simulated sessions, not the clinic's)</source>
        <translation>Demogegevens (gesimuleerde sessies, niet van de praktijk)</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Sessie openen</translation>
    </message>
    <message>
        <source>or double-click a session</source>
        <translation>of dubbelklik op een sessie</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessies</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Programma</translation>
    </message>
    <message>
        <source>Demo database:</source>
        <translation>Demodatabase:</translation>
    </message>
    <message>
        <source>Session database:</source>
        <translation>Sessiedatabase:</translation>
    </message>
    <message>
        <source>Backup…</source>
        <translation>Back-up…</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Terugzetten…</translation>
    </message>
    <message>
        <source>Cannot read the session database: {error}</source>
        <translation>Kan de sessiedatabase niet lezen: {error}</translation>
    </message>
    <message>
        <source>No sessions recorded yet.</source>
        <translation>Nog geen sessies geregistreerd.</translation>
    </message>
    <message>
        <source>No sessions recorded yet for {code}.</source>
        <translation>Nog geen sessies vastgelegd voor {code}.</translation>
    </message>
    <message>
        <source>{n} sessions ({s} supervised), {m} min at moderate intensity in total</source>
        <translation>{n} sessies ({s} onder begeleiding), in totaal {m} min matige intensiteit</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nee</translation>
    </message>
    <message>
        <source>simulated</source>
        <translation>gesimuleerd</translation>
    </message>
    <message>
        <source>Recorded on the simulated treadmill (demo or practice run): no patient was on a belt</source>
        <translation>Vastgelegd op de gesimuleerde loopband (demo of oefening): er stond geen patiënt op een band</translation>
    </message>
    <message>
        <source>Delete patient</source>
        <translation>Patiënt verwijderen</translation>
    </message>
    <message>
        <source>This deletes ALL sessions, the programme, scores and the profile of patient {code}. It cannot be undone.
Type the patient code to confirm:</source>
        <translation>Dit verwijdert ALLE sessies, het programma, de scores en het profiel van patiënt {code}. Dit kan niet ongedaan worden gemaakt.
Typ de patiëntcode ter bevestiging:</translation>
    </message>
    <message>
        <source>Not deleted: {error}</source>
        <translation>Niet verwijderd: {error}</translation>
    </message>
    <message>
        <source>Patient deleted ({n} sessions).</source>
        <translation>Patiënt verwijderd ({n} sessies).</translation>
    </message>
    <message>
        <source>Back up the session database</source>
        <translation>Back-up maken van de sessiedatabase</translation>
    </message>
    <message>
        <source>Backup failed: {error}</source>
        <translation>Back-up mislukt: {error}</translation>
    </message>
    <message>
        <source>Backup written to {path}</source>
        <translation>Back-up geschreven naar {path}</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>Terugzetten vanuit een back-up</translation>
    </message>
    <message>
        <source>Restore over newer data?</source>
        <translation>Terugzetten over nieuwere gegevens?</translation>
    </message>
    <message>
        <source>The current database has data the backup does not:
{reasons}

Restore anyway? (A copy of the current database is kept.)</source>
        <translation>De huidige database bevat gegevens die niet in de back-up staan:
{reasons}

Toch terugzetten? (Er wordt een kopie van de huidige database bewaard.)</translation>
    </message>
    <message>
        <source>Restore cancelled; nothing changed.</source>
        <translation>Terugzetten geannuleerd; niets gewijzigd.</translation>
    </message>
    <message>
        <source>Restore failed: {error}</source>
        <translation>Terugzetten mislukt: {error}</translation>
    </message>
    <message>
        <source>Database restored from {path}</source>
        <translation>Database teruggezet vanuit {path}</translation>
    </message>
</context>
<context>
    <name>LivePlots</name>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>Whole session</source>
        <translation>Hele sessie</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>HF</translation>
    </message>
    <message>
        <source>Last %1 minutes</source>
        <translation>Laatste %1 minuten</translation>
    </message>
    <message>
        <source>HR (bpm)</source>
        <translation>HF (slagen/min)</translation>
    </message>
    <message>
        <source>km/h, %</source>
        <translation>km/u, %</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>snelheid</translation>
    </message>
    <message>
        <source>speed command</source>
        <translation>ingestelde snelheid</translation>
    </message>
    <message>
        <source>incline</source>
        <translation>helling</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Choose the patient and the template, then connect the devices (Devices tab).</source>
        <translation>Kies de patiënt en het sjabloon en verbind daarna de apparaten (tabblad Apparaten).</translation>
    </message>
    <message>
        <source>RunningRoom - therapist console</source>
        <translation>RunningRoom - therapeutenscherm</translation>
    </message>
    <message>
        <source>(demo)</source>
        <translation>(demo)</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <source>Edit...</source>
        <translation>Bewerken...</translation>
    </message>
    <message>
        <source>New...</source>
        <translation>Nieuw...</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Sjabloon</translation>
    </message>
    <message>
        <source>Patient screen</source>
        <translation>Patiëntscherm</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sessie</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Apparaten</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Samenvatting</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Geschiedenis</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>slagen/min</translation>
    </message>
    <message>
        <source>No patient selected</source>
        <translation>Geen patiënt gekozen</translation>
    </message>
    <message>
        <source>Zone %1-%2 bpm (target %3, therapist %4 bpm), ceiling %5 bpm, HRmax %6 (%7)</source>
        <translation>Zone %1-%2 slagen/min (doel %3, therapeut %4 slagen/min), veiligheidsgrens %5 slagen/min, HFmax %6 (%7)</translation>
    </message>
    <message>
        <source>Zone %1-%2 bpm (target %3), ceiling %4 bpm, HRmax %5 (%6)</source>
        <translation>Zone %1-%2 slagen/min (doel %3), plafond %4 slagen/min, HFmax %5 (%6)</translation>
    </message>
    <message>
        <source>BETA-BLOCKER: HR responds less, use RPE alongside</source>
        <translation>BÈTABLOKKER: hartslag reageert minder, gebruik daarnaast de RPE</translation>
    </message>
    <message>
        <source>%1 is on the belt: this profile can be changed after the session.</source>
        <translation>%1 staat op de band: dit profiel kan na de sessie worden gewijzigd.</translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation>Verbinden...</translation>
    </message>
    <message>
        <source>Bluetooth scanning is not available</source>
        <translation>Zoeken via Bluetooth is niet beschikbaar</translation>
    </message>
    <message>
        <source>Scanning...</source>
        <translation>Zoeken...</translation>
    </message>
    <message>
        <source>Devices connected; ready to start</source>
        <translation>Apparaten verbonden; klaar om te starten</translation>
    </message>
    <message>
        <source>Connected with warnings: see Devices</source>
        <translation>Verbonden met waarschuwingen: zie Apparaten</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>Verbinden mislukt: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fout: %1</translation>
    </message>
    <message>
        <source>Starting the session...</source>
        <translation>Sessie wordt gestart...</translation>
    </message>
    <message>
        <source>EMERGENCY STOP sent: belt stopping</source>
        <translation>NOODSTOP gegeven: band stopt</translation>
    </message>
    <message>
        <source>Waiting for a trusted heart rate before the warm-up</source>
        <translation>Wachten op een betrouwbare hartslag voor de warming-up</translation>
    </message>
    <message>
        <source>Session running: %1</source>
        <translation>Sessie loopt: %1</translation>
    </message>
    <message>
        <source>Session paused in the %1: the belt is stopped; Resume continues</source>
        <translation>Sessie gepauzeerd in de %1: de band staat stil; Hervatten gaat verder</translation>
    </message>
    <message>
        <source>%1 elapsed, %2 left in phase</source>
        <translation>%1 verstreken, nog %2 in deze fase</translation>
    </message>
    <message>
        <source>Target %1 bpm (%2, ceiling %4)  |  %5 km/h  %6 %  |  %7 km</source>
        <translation>Doel %1 slagen/min (%2, veiligheidsgrens %4)  |  %5 km/u  %6 %  |  %7 km</translation>
    </message>
    <message>
        <source>advisory mode (monitor only)</source>
        <translation>adviesmodus (alleen meten)</translation>
    </message>
    <message>
        <source>automatic control ready</source>
        <translation>automatische besturing gereed</translation>
    </message>
    <message>
        <source>automatic control off (session ended)</source>
        <translation>automatische besturing uit (sessie beëindigd)</translation>
    </message>
    <message>
        <source>automatic control SUSPENDED by the safety supervisor</source>
        <translation>automatische besturing GESCHORST door de veiligheidsbewaking</translation>
    </message>
    <message>
        <source>automatic control held by the therapist</source>
        <translation>automatische besturing vastgehouden door de therapeut</translation>
    </message>
    <message>
        <source>automatic control active</source>
        <translation>automatische besturing actief</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>snelheid</translation>
    </message>
    <message>
        <source>incline</source>
        <translation>helling</translation>
    </message>
    <message>
        <source>manual: %1</source>
        <translation>handmatig: %1</translation>
    </message>
    <message>
        <source>continuing WITHOUT heart rate</source>
        <translation>doorgaan ZONDER hartslag</translation>
    </message>
    <message>
        <source>%1, does not match the load</source>
        <translation>%1, past niet bij de belasting</translation>
    </message>
    <message>
        <source>HR signal: %1  |  %2</source>
        <translation>Hartslagsignaal: %1  |  %2</translation>
    </message>
    <message>
        <source>No update from the station for %1 s</source>
        <translation>Al %1 s geen gegevens van het station</translation>
    </message>
    <message>
        <source>EMERGENCY STOP: belt stopped, session ended.</source>
        <translation>NOODSTOP: band gestopt, sessie beëindigd.</translation>
    </message>
    <message>
        <source>Session ended (%1). Connect again for a new session.</source>
        <translation>Sessie beëindigd (%1). Verbind opnieuw voor een nieuwe sessie.</translation>
    </message>
    <message>
        <source>End the session?</source>
        <translation>Sessie beëindigen?</translation>
    </message>
    <message>
        <source>A session is running. Closing stops the belt and ends the recording. Close anyway?</source>
        <translation>Er loopt een sessie. Afsluiten stopt de band en beëindigt de registratie. Toch afsluiten?</translation>
    </message>
    <message>
        <source>Stopping the belt and saving the recording...</source>
        <translation>Band wordt gestopt en registratie opgeslagen...</translation>
    </message>
</context>
<context>
    <name>PatientScreen</name>
    <message>
        <source>RunningRoom - patient screen</source>
        <translation>RunningRoom - patiëntscherm</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>slagen/min</translation>
    </message>
    <message>
        <source>below your target</source>
        <translation>onder je streefwaarde</translation>
    </message>
    <message>
        <source>on target</source>
        <translation>op streefwaarde</translation>
    </message>
    <message>
        <source>above your target</source>
        <translation>boven je streefwaarde</translation>
    </message>
    <message>
        <source>below your zone</source>
        <translation>onder je zone</translation>
    </message>
    <message>
        <source>in your zone</source>
        <translation>in je zone</translation>
    </message>
    <message>
        <source>above your zone</source>
        <translation>boven je zone</translation>
    </message>
    <message>
        <source>Get ready</source>
        <translation>Maak je klaar</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Session finished</source>
        <translation>Sessie afgerond</translation>
    </message>
    <message>
        <source>Session ended</source>
        <translation>Sessie beëindigd</translation>
    </message>
    <message>
        <source>%1 left in this phase</source>
        <translation>nog %1 in deze fase</translation>
    </message>
    <message>
        <source>%1 left in total</source>
        <translation>nog %1 in totaal</translation>
    </message>
    <message>
        <source>The session will start soon</source>
        <translation>De sessie begint zo</translation>
    </message>
    <message>
        <source>The belt has stopped</source>
        <translation>De band staat stil</translation>
    </message>
    <message>
        <source>The belt is stopping</source>
        <translation>De band stopt</translation>
    </message>
    <message>
        <source>The belt speeds up a little</source>
        <translation>De band gaat iets sneller</translation>
    </message>
    <message>
        <source>The belt slows down a little</source>
        <translation>De band gaat iets langzamer</translation>
    </message>
    <message>
        <source>The belt keeps this pace</source>
        <translation>De band houdt dit tempo aan</translation>
    </message>
    <message>
        <source>Your therapist sets the belt</source>
        <translation>Je therapeut stelt de band in</translation>
    </message>
</context>
<context>
    <name>PatientScreenOptions</name>
    <message>
        <source>Hide numbers</source>
        <translation>Getallen verbergen</translation>
    </message>
    <message>
        <source>The patient screen shows only the zone colour and words, no heart rate or times (for patients whom numbers worry)</source>
        <translation>Het patiëntscherm toont alleen de zonekleur en woorden, geen hartslag of tijden (voor patiënten die onrustig worden van getallen)</translation>
    </message>
    <message>
        <source>Patient texts with 'u'</source>
        <translation>Patiëntteksten met 'u'</translation>
    </message>
    <message>
        <source>Address the patient formally on the patient screen</source>
        <translation>Spreek de patiënt op het patiëntscherm aan met 'u'</translation>
    </message>
</context>
<context>
    <name>PostSessionDialog</name>
    <message>
        <source>After the session</source>
        <translation>Na de sessie</translation>
    </message>
    <message>
        <source>not asked</source>
        <translation>niet gevraagd</translation>
    </message>
    <message>
        <source>Session RPE, Borg scale (6-20)</source>
        <translation>Sessie-RPE, Borg-schaal (6-20)</translation>
    </message>
    <message>
        <source>Blood pressure (optional)</source>
        <translation>Bloeddruk (optioneel)</translation>
    </message>
    <message>
        <source>Note for the patient file</source>
        <translation>Notitie voor het patiëntendossier</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>Therapeut</translation>
    </message>
    <message>
        <source>name</source>
        <translation>naam</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Niet opgeslagen: %1</translation>
    </message>
</context>
<context>
    <name>PreSession</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Let op</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nee</translation>
    </message>
</context>
<context>
    <name>PreSessionDialog</name>
    <message>
        <source>Before the session</source>
        <translation>Voor de sessie</translation>
    </message>
    <message>
        <source>Ready to start?</source>
        <translation>Klaar om te starten?</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>Intake vandaag</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Hartslag</translation>
    </message>
    <message>
        <source>HR strap</source>
        <translation>Hartslagband</translation>
    </message>
    <message>
        <source>Treadmill</source>
        <translation>Loopband</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Sjabloon</translation>
    </message>
    <message>
        <source>Start without heart rate (my decision; recorded)</source>
        <translation>Starten zonder hartslag (mijn beslissing; wordt vastgelegd)</translation>
    </message>
    <message>
        <source>Without heart rate the belt does NOT slow down by itself when the heart rate is missing, and speed and incline may rise. Only the safety ceiling stays. Watch the patient yourself and use RPE.</source>
        <translation>Zonder hartslag vertraagt de band NIET vanzelf als de hartslag wegvalt, en snelheid en helling kunnen stijgen. Alleen de veiligheidsgrens blijft gelden. Houd de patiënt zelf in de gaten en gebruik de RPE.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>%1 bpm, trusted</source>
        <translation>%1 slagen/min, betrouwbaar</translation>
    </message>
    <message>
        <source>no signal</source>
        <translation>geen signaal</translation>
    </message>
    <message>
        <source>%1 bpm, not trusted (%2)</source>
        <translation>%1 slagen/min, niet betrouwbaar (%2)</translation>
    </message>
    <message>
        <source>no trusted heart rate (%1)</source>
        <translation>geen betrouwbare hartslag (%1)</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>niet verbonden</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbonden</translation>
    </message>
    <message>
        <source>no skin contact: moisten the electrodes</source>
        <translation>geen huidcontact: maak de elektroden vochtig</translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation>signaal %1</translation>
    </message>
    <message>
        <source>%1 dBm</source>
        <translation>%1 dBm</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>niet gemeld</translation>
    </message>
    <message>
        <source>battery %1</source>
        <translation>batterij %1</translation>
    </message>
    <message>
        <source>advisory mode (monitor only): set the advised speed by hand</source>
        <translation>adviesmodus (alleen meten): stel de geadviseerde snelheid met de hand in</translation>
    </message>
    <message>
        <source>automatic control: the system sets speed and incline</source>
        <translation>automatische besturing: het systeem stelt snelheid en helling in</translation>
    </message>
    <message>
        <source>no patient selected</source>
        <translation>geen patiënt gekozen</translation>
    </message>
    <message>
        <source>beta-blocker: the heart rate responds less, use RPE alongside</source>
        <translation>bètablokker: de hartslag reageert minder, gebruik daarnaast de RPE</translation>
    </message>
    <message>
        <source>no template selected</source>
        <translation>geen sjabloon gekozen</translation>
    </message>
    <message>
        <source>%1: %2 min (warm-up / main / cool-down)</source>
        <translation>%1: %2 min (warming-up / kern / cooling-down)</translation>
    </message>
    <message>
        <source>Start session</source>
        <translation>Sessie starten</translation>
    </message>
    <message>
        <source>Start WITHOUT heart rate</source>
        <translation>Starten ZONDER hartslag</translation>
    </message>
    <message>
        <source>Choose a patient and a template first.</source>
        <translation>Kies eerst een patiënt en een sjabloon.</translation>
    </message>
    <message>
        <source>Go: the heart rate is trusted.</source>
        <translation>Starten kan: de hartslag is betrouwbaar.</translation>
    </message>
    <message>
        <source>Go without heart rate: your choice is recorded.</source>
        <translation>Starten zonder hartslag: uw keuze wordt vastgelegd.</translation>
    </message>
    <message>
        <source>Wait: no trusted heart rate yet. Check the strap, or choose to start without heart rate.</source>
        <translation>Wacht: nog geen betrouwbare hartslag. Controleer de hartslagband, of kies ervoor zonder hartslag te starten.</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Patient profile</source>
        <translation>Patiëntprofiel</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>female</source>
        <translation>vrouw</translation>
    </message>
    <message>
        <source>male</source>
        <translation>man</translation>
    </message>
    <message>
        <source>other</source>
        <translation>anders</translation>
    </message>
    <message>
        <source>not specified</source>
        <translation>niet opgegeven</translation>
    </message>
    <message>
        <source>Tanaka 208 - 0.7 x age</source>
        <translation>Tanaka 208 - 0,7 x leeftijd</translation>
    </message>
    <message>
        <source>Fox 220 - age</source>
        <translation>Fox 220 - leeftijd</translation>
    </message>
    <message>
        <source>Gellish 207 - 0.7 x age</source>
        <translation>Gellish 207 - 0,7 x leeftijd</translation>
    </message>
    <message>
        <source>Nes 211 - 0.64 x age</source>
        <translation>Nes 211 - 0,64 x leeftijd</translation>
    </message>
    <message>
        <source>% of HRmax</source>
        <translation>% van de HFmax</translation>
    </message>
    <message>
        <source>Karvonen (% HR reserve)</source>
        <translation>Karvonen (% hartslagreserve)</translation>
    </message>
    <message>
        <source>absolute (bpm)</source>
        <translation>absoluut (slagen/min)</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>snelheid</translation>
    </message>
    <message>
        <source>incline</source>
        <translation>helling</translation>
    </message>
    <message>
        <source>speed and incline</source>
        <translation>snelheid en helling</translation>
    </message>
    <message>
        <source>% HR reserve</source>
        <translation>% hartslagreserve</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>slagen/min</translation>
    </message>
    <message>
        <source>% HRmax</source>
        <translation>% HFmax</translation>
    </message>
    <message>
        <source>Patient code (pseudonym)</source>
        <translation>Patiëntcode (pseudoniem)</translation>
    </message>
    <message>
        <source>Display name (optional)</source>
        <translation>Weergavenaam (optioneel)</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Geboortejaar</translation>
    </message>
    <message>
        <source>or age (years)</source>
        <translation>of leeftijd (jaren)</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Geslacht</translation>
    </message>
    <message>
        <source>Resting HR (bpm)</source>
        <translation>Rusthartslag (slagen/min)</translation>
    </message>
    <message>
        <source>Measured HRmax (bpm, optional)</source>
        <translation>Gemeten HFmax (slagen/min, optioneel)</translation>
    </message>
    <message>
        <source>HRmax formula</source>
        <translation>Formule HFmax</translation>
    </message>
    <message>
        <source>Beta-blocker</source>
        <translation>Bètablokker</translation>
    </message>
    <message>
        <source>HR-affecting medication</source>
        <translation>Medicatie die de hartslag beïnvloedt</translation>
    </message>
    <message>
        <source>Zone method</source>
        <translation>Zonemethode</translation>
    </message>
    <message>
        <source>Zone low (%1)</source>
        <translation>Zone ondergrens (%1)</translation>
    </message>
    <message>
        <source>Zone high (%1)</source>
        <translation>Zone bovengrens (%1)</translation>
    </message>
    <message>
        <source>Safety ceiling (% of HRmax)</source>
        <translation>Veiligheidsgrens (% van de HFmax)</translation>
    </message>
    <message>
        <source>or safety ceiling (bpm)</source>
        <translation>of veiligheidsgrens (slagen/min)</translation>
    </message>
    <message>
        <source>Automatic control adjusts</source>
        <translation>Automatische besturing past aan</translation>
    </message>
    <message>
        <source>Start speed (km/h, optional)</source>
        <translation>Startsnelheid (km/u, optioneel)</translation>
    </message>
    <message>
        <source>Minimum speed (km/h)</source>
        <translation>Minimale snelheid (km/u)</translation>
    </message>
    <message>
        <source>Maximum speed (km/h)</source>
        <translation>Maximale snelheid (km/u)</translation>
    </message>
    <message>
        <source>Maximum incline (%)</source>
        <translation>Maximale helling (%)</translation>
    </message>
    <message>
        <source>Walking only</source>
        <translation>Alleen wandelen</translation>
    </message>
    <message>
        <source>Beta-blocker: the heart rate responds less to effort and stays lower. Use RPE (Borg) alongside the heart rate; HRmax is estimated with 164 - 0.7 x age unless measured.</source>
        <translation>Bètablokker: de hartslag reageert minder op inspanning en blijft lager. Gebruik de RPE (Borg) naast de hartslag; de HFmax wordt geschat met 164 - 0,7 x leeftijd, tenzij gemeten.</translation>
    </message>
    <message>
        <source>Preview: not yet a valid profile (%1)</source>
        <translation>Voorbeeld: nog geen geldig profiel (%1)</translation>
    </message>
    <message>
        <source>zone %1-%2 bpm, ceiling %3 bpm (HRmax %4, %5)</source>
        <translation>zone %1-%2 slagen/min, veiligheidsgrens %3 slagen/min (HFmax %4, %5)</translation>
    </message>
    <message>
        <source>profile editor</source>
        <translation>profieleditor</translation>
    </message>
    <message>
        <source>Expected %1</source>
        <translation>Verwacht: %1</translation>
    </message>
    <message>
        <source>, got %1</source>
        <translation>, gekregen: %1</translation>
    </message>
</context>
<context>
    <name>ProgrammeWidget</name>
    <message>
        <source>all sessions done</source>
        <translation>alle sessies gedaan</translation>
    </message>
    <message>
        <source>some sessions done</source>
        <translation>een deel van de sessies gedaan</translation>
    </message>
    <message>
        <source>no session</source>
        <translation>geen sessie</translation>
    </message>
    <message>
        <source>this week, not complete yet</source>
        <translation>deze week, nog niet compleet</translation>
    </message>
    <message>
        <source>still to come</source>
        <translation>nog te gaan</translation>
    </message>
    <message>
        <source>Week {week}: {done}/{planned}, {mark}</source>
        <translation>Week {week}: {done}/{planned}, {mark}</translation>
    </message>
    <message>
        <source>No programme set</source>
        <translation>Geen programma ingesteld</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>Week starts</source>
        <translation>Begin week</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessies</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>Begeleid</translation>
    </message>
    <message>
        <source>Moderate (min)</source>
        <translation>Matig intensief (min)</translation>
    </message>
    <message>
        <source>Goal (min)</source>
        <translation>Doel (min)</translation>
    </message>
    <message>
        <source>HR at check speed (bpm)</source>
        <translation>Hartslag bij checksnelheid (slagen/min)</translation>
    </message>
    <message>
        <source>Main phase speed (km/h)</source>
        <translation>Snelheid kern (km/u)</translation>
    </message>
    <message>
        <source>RPE</source>
        <translation>RPE</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Programma</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Startdatum</translation>
    </message>
    <message>
        <source>Planned weeks</source>
        <translation>Geplande weken</translation>
    </message>
    <message>
        <source>Sessions per week (goal)</source>
        <translation>Sessies per week (doel)</translation>
    </message>
    <message>
        <source>Minutes per week at moderate intensity (goal)</source>
        <translation>Minuten per week matig intensief (doel)</translation>
    </message>
    <message>
        <source>Speed for the fitness check</source>
        <translation>Snelheid voor de conditiecheck</translation>
    </message>
    <message>
        <source>Each week the heart rate at this belt speed is compared: it falls as fitness improves. "automatic" uses the speed held most often.</source>
        <translation>Elke week wordt de hartslag bij deze bandsnelheid vergeleken: die daalt als de conditie verbetert. "automatisch" neemt de snelheid die het vaakst is aangehouden.</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>km/h</source>
        <translation>km/u</translation>
    </message>
    <message>
        <source>Save programme</source>
        <translation>Programma opslaan</translation>
    </message>
    <message>
        <source>Programme report (PDF)…</source>
        <translation>Programmarapport (PDF)…</translation>
    </message>
    <message>
        <source>Questionnaire score</source>
        <translation>Vragenlijstscore</translation>
    </message>
    <message>
        <source>week </source>
        <translation>week </translation>
    </message>
    <message>
        <source>name, e.g. PHQ-9</source>
        <translation>naam, bijv. PHQ-9</translation>
    </message>
    <message>
        <source>Enter score</source>
        <translation>Score invoeren</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Niet opgeslagen: {error}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Opgeslagen.</translation>
    </message>
    <message>
        <source>Programme report</source>
        <translation>Programmarapport</translation>
    </message>
    <message>
        <source>Report written to {path}</source>
        <translation>Rapport geschreven naar {path}</translation>
    </message>
    <message>
        <source>No sessions and no programme for this patient yet: the default programme starts with the first session, or enter a start date and save.</source>
        <translation>Nog geen sessies en geen programma voor deze patiënt: het standaardprogramma begint bij de eerste sessie, of vul een startdatum in en sla op.</translation>
    </message>
    <message>
        <source>Select a patient.</source>
        <translation>Kies een patiënt.</translation>
    </message>
    <message>
        <source>Default programme: {n} sessions a week for {weeks} weeks from the first session ({start}). Change it and save to set this patient's own.</source>
        <translation>Standaardprogramma: {n} sessies per week gedurende {weeks} weken vanaf de eerste sessie ({start}). Pas het aan en sla op voor een eigen programma van deze patiënt.</translation>
    </message>
    <message>
        <source>Sessions done {done} of {planned} planned so far ({pct} %); minutes goal met in {met} weeks; fitness check at {ref} km/h.</source>
        <translation>Sessies gedaan: {done} van {planned} tot nu toe gepland ({pct} %); minutendoel gehaald in {met} weken; conditiecheck bij {ref} km/u.</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>beginwaarde</translation>
    </message>
    <message>
        <source>No supervised session this week</source>
        <translation>Deze week geen begeleide sessie</translation>
    </message>
    <message>
        <source>* estimated from the main phase (the check speed was not held steadily)</source>
        <translation>* geschat uit de kern (de checksnelheid werd niet constant aangehouden)</translation>
    </message>
    <message>
        <source>{done}/{planned} this week (week {week} of {weeks})</source>
        <translation>{done}/{planned} deze week (week {week} van {weeks})</translation>
    </message>
    <message>
        <source>Programme not started yet</source>
        <translation>Programma nog niet begonnen</translation>
    </message>
    <message>
        <source>Programme completed</source>
        <translation>Programma afgerond</translation>
    </message>
</context>
<context>
    <name>QuickEntry</name>
    <message>
        <source>RPE %1</source>
        <translation>RPE %1</translation>
    </message>
    <message>
        <source>Feeling %1</source>
        <translation>Gevoel %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notitie: %1</translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation>Niet vastgelegd: %1</translation>
    </message>
    <message>
        <source>Patient report and notes</source>
        <translation>Beleving van de patiënt en notities</translation>
    </message>
    <message>
        <source>Borg RPE (6-20)</source>
        <translation>Borg RPE (6-20)</translation>
    </message>
    <message>
        <source>Record RPE</source>
        <translation>RPE vastleggen</translation>
    </message>
    <message>
        <source>Feeling (-5..+5)</source>
        <translation>Gevoel (-5..+5)</translation>
    </message>
    <message>
        <source>Record feeling</source>
        <translation>Gevoel vastleggen</translation>
    </message>
    <message>
        <source>Annotation, e.g. 'patient asks for water'</source>
        <translation>Notitie, bijv. 'patiënt wil water'</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notitie toevoegen</translation>
    </message>
    <message>
        <source>Recorded this session (newest first):</source>
        <translation>Vastgelegd in deze sessie (nieuwste eerst):</translation>
    </message>
    <message>
        <source>Each line appears once the session has recorded it</source>
        <translation>Een regel verschijnt zodra de sessie hem heeft vastgelegd</translation>
    </message>
    <message>
        <source>note</source>
        <translation>notitie</translation>
    </message>
</context>
<context>
    <name>ReportLog</name>
    <message>
        <source>Alarm: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <source>Phase skipped by the therapist</source>
        <translation>Fase overgeslagen door de therapeut</translation>
    </message>
    <message>
        <source>Phase skipped by the therapist: %1 → %2</source>
        <translation>Fase overgeslagen door de therapeut: %1 → %2</translation>
    </message>
    <message>
        <source>Target changed by the therapist</source>
        <translation>Streefwaarde aangepast door de therapeut</translation>
    </message>
    <message>
        <source>Target changed by the therapist: %1 bpm</source>
        <translation>Streefwaarde aangepast door de therapeut: %1 slagen/min</translation>
    </message>
    <message>
        <source>(now %1 bpm from the prescription)</source>
        <translation>(nu %1 slagen/min ten opzichte van het voorschrift)</translation>
    </message>
    <message>
        <source>Speed set by the therapist</source>
        <translation>Snelheid ingesteld door de therapeut</translation>
    </message>
    <message>
        <source>Speed set by the therapist to %1 km/h</source>
        <translation>Snelheid ingesteld door de therapeut op %1 km/u</translation>
    </message>
    <message>
        <source>Incline set by the therapist</source>
        <translation>Hellingshoek ingesteld door de therapeut</translation>
    </message>
    <message>
        <source>Incline set by the therapist to %1 %</source>
        <translation>Hellingshoek ingesteld door de therapeut op %1 %</translation>
    </message>
    <message>
        <source>Session paused by the therapist</source>
        <translation>Sessie gepauzeerd door de therapeut</translation>
    </message>
    <message>
        <source>Session resumed by the therapist</source>
        <translation>Sessie hervat door de therapeut</translation>
    </message>
    <message>
        <source>Session stopped by the therapist</source>
        <translation>Sessie gestopt door de therapeut</translation>
    </message>
    <message>
        <source>EMERGENCY STOP by the therapist</source>
        <translation>NOODSTOP door de therapeut</translation>
    </message>
    <message>
        <source>Automatic control held by the therapist</source>
        <translation>Automatische besturing vastgehouden door de therapeut</translation>
    </message>
    <message>
        <source>Automatic control released by the therapist</source>
        <translation>Automatische besturing vrijgegeven door de therapeut</translation>
    </message>
    <message>
        <source>Automatic control resumed by the therapist</source>
        <translation>Automatische besturing hervat door de therapeut</translation>
    </message>
    <message>
        <source>Treadmill heart rate accepted</source>
        <translation>Hartslag van de loopband geaccepteerd</translation>
    </message>
    <message>
        <source>Treadmill heart rate declined</source>
        <translation>Hartslag van de loopband geweigerd</translation>
    </message>
    <message>
        <source>Therapist continues without heart rate (safety limit kept)</source>
        <translation>Therapeut gaat verder zonder hartslag (veiligheidsgrens blijft gelden)</translation>
    </message>
    <message>
        <source>Therapist ended continue-without-heart-rate</source>
        <translation>Therapeut is gestopt met doorgaan zonder hartslag</translation>
    </message>
    <message>
        <source>Therapist confirmed the heart rate</source>
        <translation>Therapeut heeft de hartslag bevestigd</translation>
    </message>
    <message>
        <source>Heart rate above the safety limit: speed lowered to %1 km/h</source>
        <translation>Hartslag boven de veiligheidsgrens: snelheid verlaagd naar %1 km/u</translation>
    </message>
    <message>
        <source>Heart rate above the safety limit for too long: cool-down started</source>
        <translation>Hartslag te lang boven de veiligheidsgrens: cooling-down gestart</translation>
    </message>
    <message>
        <source>No trusted heart rate: speed lowered to %1 km/h</source>
        <translation>Geen betrouwbare hartslag: snelheid verlaagd naar %1 km/u</translation>
    </message>
    <message>
        <source>Speed set on the treadmill outside the patient's limits: set to %1 km/h</source>
        <translation>Snelheid op de loopband buiten de grenzen van de patiënt: ingesteld op %1 km/u</translation>
    </message>
    <message>
        <source>Safety check: an invalid command was not sent</source>
        <translation>Veiligheidscontrole: een ongeldige opdracht is niet verstuurd</translation>
    </message>
    <message>
        <source>Safety check: a command was limited to the patient's range</source>
        <translation>Veiligheidscontrole: een opdracht is beperkt tot de grenzen van de patiënt</translation>
    </message>
    <message>
        <source>Safety check: no belt command outside the exercise phases</source>
        <translation>Veiligheidscontrole: geen bandopdracht buiten de trainingsfasen</translation>
    </message>
    <message>
        <source>Safety check: a belt start was not sent</source>
        <translation>Veiligheidscontrole: een start van de band is niet verstuurd</translation>
    </message>
    <message>
        <source>Safety check: no increase without a trusted heart rate</source>
        <translation>Veiligheidscontrole: geen verhoging zonder betrouwbare hartslag</translation>
    </message>
    <message>
        <source>Safety check: no increase above the safety limit</source>
        <translation>Veiligheidscontrole: geen verhoging boven de veiligheidsgrens</translation>
    </message>
    <message>
        <source>Safety check: speed lowered, no trusted heart rate</source>
        <translation>Veiligheidscontrole: snelheid verlaagd, geen betrouwbare hartslag</translation>
    </message>
    <message>
        <source>Safety check: increase limited to one step</source>
        <translation>Veiligheidscontrole: verhoging beperkt tot één stap</translation>
    </message>
</context>
<context>
    <name>SessionControls</name>
    <message>
        <source>EMERGENCY STOP</source>
        <translation>NOODSTOP</translation>
    </message>
    <message>
        <source>Stops the belt now. Key: %1, from any window of the app</source>
        <translation>Stopt de band direct. Toets: %1, vanuit elk venster van het programma</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Hervatten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pauzeren</translation>
    </message>
    <message>
        <source>Next phase...</source>
        <translation>Volgende fase...</translation>
    </message>
    <message>
        <source>Stop session...</source>
        <translation>Sessie stoppen...</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>Handmatig bijsturen</translation>
    </message>
    <message>
        <source>Target -%1</source>
        <translation>Doel -%1</translation>
    </message>
    <message>
        <source>Target +%1</source>
        <translation>Doel +%1</translation>
    </message>
    <message>
        <source>offset %1 bpm</source>
        <translation>verschuiving %1</translation>
    </message>
    <message>
        <source>Hold controller</source>
        <translation>Regelaar vasthouden</translation>
    </message>
    <message>
        <source>Back to automatic</source>
        <translation>Terug naar automatisch</translation>
    </message>
    <message>
        <source>Hands manual speed and incline back to the automatic control, or resumes it after the safety supervisor suspended it</source>
        <translation>Geeft handmatig ingestelde snelheid en helling terug aan de automatische besturing, of hervat die nadat de veiligheidsbewaking haar schorste</translation>
    </message>
    <message>
        <source>Speed (km/h)</source>
        <translation>Snelheid (km/u)</translation>
    </message>
    <message>
        <source>Incline (%)</source>
        <translation>Helling (%)</translation>
    </message>
    <message>
        <source>Set speed</source>
        <translation>Snelheid instellen</translation>
    </message>
    <message>
        <source>Set incline</source>
        <translation>Helling instellen</translation>
    </message>
    <message>
        <source>%1: emergency stop (from any window)</source>
        <translation>%1: noodstop (vanuit elk venster)</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Snelheid</translation>
    </message>
    <message>
        <source>Incline</source>
        <translation>Helling</translation>
    </message>
    <message>
        <source>advice only (set it at the treadmill)</source>
        <translation>alleen advies (stel in op de loopband)</translation>
    </message>
    <message>
        <source>manual (set by therapist)</source>
        <translation>handmatig (ingesteld door therapeut)</translation>
    </message>
    <message>
        <source>held (automatic control suspended)</source>
        <translation>vastgehouden (automatische besturing geschorst)</translation>
    </message>
    <message>
        <source>held by therapist</source>
        <translation>vastgehouden door therapeut</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Stop the session?</source>
        <translation>Sessie stoppen?</translation>
    </message>
    <message>
        <source>The belt slows to a stop and the session ends now. It cannot be resumed: a new session needs a new start.</source>
        <translation>De band loopt uit tot stilstand en de sessie eindigt nu. Hervatten is niet mogelijk: voor een nieuwe sessie is een nieuwe start nodig.</translation>
    </message>
    <message>
        <source>Stop the session</source>
        <translation>Sessie stoppen</translation>
    </message>
    <message>
        <source>End the warm-up now?</source>
        <translation>Warming-up nu beëindigen?</translation>
    </message>
    <message>
        <source>The main phase starts now. The warm-up cannot be resumed.</source>
        <translation>Het hoofddeel begint nu. De warming-up kan niet worden hervat.</translation>
    </message>
    <message>
        <source>End the warm-up</source>
        <translation>Warming-up beëindigen</translation>
    </message>
    <message>
        <source>End the main phase now?</source>
        <translation>Hoofddeel nu beëindigen?</translation>
    </message>
    <message>
        <source>The cool-down starts now. The main phase cannot be resumed.</source>
        <translation>De cooling-down begint nu. Het hoofddeel kan niet worden hervat.</translation>
    </message>
    <message>
        <source>End the main phase</source>
        <translation>Hoofddeel beëindigen</translation>
    </message>
    <message>
        <source>End the cool-down now?</source>
        <translation>Cooling-down nu beëindigen?</translation>
    </message>
    <message>
        <source>The belt slows to a stop and the session is finished.</source>
        <translation>De band loopt uit tot stilstand en de sessie is klaar.</translation>
    </message>
    <message>
        <source>End the cool-down</source>
        <translation>Cooling-down beëindigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>SessionDetailView</name>
    <message>
        <source>Session started (waiting for a trusted heart rate)</source>
        <translation>Sessie gestart (wachten op een betrouwbare hartslag)</translation>
    </message>
    <message>
        <source>%1 begins</source>
        <translation>%1 begint</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Resumed: %1</source>
        <translation>Hervat: %1</translation>
    </message>
    <message>
        <source>Session ended: %1</source>
        <translation>Sessie beëindigd: %1</translation>
    </message>
    <message>
        <source>Therapist changed the target: now %1 bpm from the prescription</source>
        <translation>Therapeut paste het doel aan: nu %1 slagen/min t.o.v. het voorschrift</translation>
    </message>
    <message>
        <source>Therapist set the speed by hand: %1 km/h</source>
        <translation>Therapeut stelde de snelheid met de hand in: %1 km/u</translation>
    </message>
    <message>
        <source>Therapist set the incline by hand: %1 %</source>
        <translation>Therapeut stelde de helling met de hand in: %1 %</translation>
    </message>
    <message>
        <source>Therapist held the automatic control</source>
        <translation>Therapeut zette de automatische besturing vast</translation>
    </message>
    <message>
        <source>Therapist released the automatic control</source>
        <translation>Therapeut gaf de automatische besturing weer vrij</translation>
    </message>
    <message>
        <source>Therapist handed the belt back to the automatic control</source>
        <translation>Therapeut gaf de band terug aan de automatische besturing</translation>
    </message>
    <message>
        <source>Therapist moved on to the next phase</source>
        <translation>Therapeut ging door naar de volgende fase</translation>
    </message>
    <message>
        <source>Therapist paused the session</source>
        <translation>Therapeut pauzeerde de sessie</translation>
    </message>
    <message>
        <source>Therapist resumed the session</source>
        <translation>Therapeut hervatte de sessie</translation>
    </message>
    <message>
        <source>Therapist stopped the session</source>
        <translation>Therapeut stopte de sessie</translation>
    </message>
    <message>
        <source>EMERGENCY STOP</source>
        <translation>NOODSTOP</translation>
    </message>
    <message>
        <source>Treadmill heart rate accepted</source>
        <translation>Hartslag van de loopband geaccepteerd</translation>
    </message>
    <message>
        <source>Treadmill heart rate declined</source>
        <translation>Hartslag van de loopband geweigerd</translation>
    </message>
    <message>
        <source>Therapist continued without heart rate</source>
        <translation>Therapeut ging verder zonder hartslag</translation>
    </message>
    <message>
        <source>Heart-rate safety rules apply again</source>
        <translation>Veiligheidsregels voor de hartslag gelden weer</translation>
    </message>
    <message>
        <source>Safety: belt slowed, heart rate near the safety limit</source>
        <translation>Veiligheid: band langzamer, hartslag dicht bij de veiligheidsgrens</translation>
    </message>
    <message>
        <source>Safety: on to the cool-down, heart rate above the safety limit</source>
        <translation>Veiligheid: door naar de cooling-down, hartslag boven de veiligheidsgrens</translation>
    </message>
    <message>
        <source>Safety: belt slowed to a walking speed, no heart rate</source>
        <translation>Veiligheid: band vertraagd tot wandelsnelheid, geen hartslag</translation>
    </message>
    <message>
        <source>Safety: speed kept within the treadmill's limits</source>
        <translation>Veiligheid: snelheid binnen de grenzen van de loopband gehouden</translation>
    </message>
    <message>
        <source>Advisory mode: the treadmill takes no commands, speed set by hand</source>
        <translation>Adviesmodus: de loopband neemt geen opdrachten aan, snelheid met de hand</translation>
    </message>
    <message>
        <source>Automatic control paused until the heart rate is trusted again</source>
        <translation>Automatische besturing gepauzeerd tot de hartslag weer betrouwbaar is</translation>
    </message>
    <message>
        <source>Alarm: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notitie: %1</translation>
    </message>
    <message>
        <source>Effort (Borg 6-20): %1</source>
        <translation>Inspanning (Borg-schaal 6-20): %1</translation>
    </message>
    <message>
        <source>Feeling (-5 to +5): %1</source>
        <translation>Gevoelsschaal (-5 tot +5): %1</translation>
    </message>
    <message>
        <source>Heart-rate signal: %1</source>
        <translation>Hartslagsignaal: %1</translation>
    </message>
    <message>
        <source>Treadmill command failed: %1</source>
        <translation>Opdracht aan de loopband mislukt: %1</translation>
    </message>
    <message>
        <source>Not carried out: %1</source>
        <translation>Niet uitgevoerd: %1</translation>
    </message>
    <message>
        <source>← Back to the sessions</source>
        <translation>← Terug naar de sessies</translation>
    </message>
    <message>
        <source>Report (PDF)…</source>
        <translation>Rapport (PDF)…</translation>
    </message>
    <message>
        <source>Export this session…</source>
        <translation>Deze sessie exporteren…</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Verloop</translation>
    </message>
    <message>
        <source>Show heart-rate signal changes</source>
        <translation>Wisselingen van het hartslagsignaal tonen</translation>
    </message>
    <message>
        <source>Time (elapsed)</source>
        <translation>Tijd (verstreken)</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Gebeurtenis</translation>
    </message>
    <message>
        <source>HR (bpm)</source>
        <translation>HF (slagen/min)</translation>
    </message>
    <message>
        <source>km/h</source>
        <translation>km/u</translation>
    </message>
    <message>
        <source>elapsed time (min)</source>
        <translation>verstreken tijd (min)</translation>
    </message>
    <message>
        <source>heart rate</source>
        <translation>hartslag</translation>
    </message>
    <message>
        <source>target</source>
        <translation>doel</translation>
    </message>
    <message>
        <source>target zone</source>
        <translation>doelzone</translation>
    </message>
    <message>
        <source>belt speed (km/h)</source>
        <translation>bandsnelheid (km/u)</translation>
    </message>
    <message>
        <source>Cannot open the session: {error}</source>
        <translation>Kan de sessie niet openen: {error}</translation>
    </message>
    <message>
        <source>{code} · {date} · {template} · {status}</source>
        <translation>{code} · {date} · {template} · {status}</translation>
    </message>
    <message>
        <source>simulated</source>
        <translation>gesimuleerd</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duur</translation>
    </message>
    <message>
        <source>Moderate (min)</source>
        <translation>Matig intensief (min)</translation>
    </message>
    <message>
        <source>In zone, main phase</source>
        <translation>In de zone, kern</translation>
    </message>
    <message>
        <source>Avg HR (bpm)</source>
        <translation>Gem. hartslag (slagen/min)</translation>
    </message>
    <message>
        <source>Max HR (bpm)</source>
        <translation>Max. hartslag (slagen/min)</translation>
    </message>
    <message>
        <source>Distance (km)</source>
        <translation>Afstand (km)</translation>
    </message>
    <message>
        <source>RPE</source>
        <translation>RPE</translation>
    </message>
    <message>
        <source>Feeling</source>
        <translation>Gevoel</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmen</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>Begeleid</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nee</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>Notities: %1</translation>
    </message>
    <message>
        <source>Session report</source>
        <translation>Sessieverslag</translation>
    </message>
    <message>
        <source>Report not written: {error}</source>
        <translation>Rapport niet geschreven: {error}</translation>
    </message>
    <message>
        <source>Report written to {path}</source>
        <translation>Rapport geschreven naar {path}</translation>
    </message>
</context>
<context>
    <name>SessionForms</name>
    <message>
        <source>very good</source>
        <translation>zeer goed</translation>
    </message>
    <message>
        <source>good</source>
        <translation>goed</translation>
    </message>
    <message>
        <source>fairly good</source>
        <translation>redelijk goed</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>neutraal</translation>
    </message>
    <message>
        <source>fairly bad</source>
        <translation>redelijk slecht</translation>
    </message>
    <message>
        <source>bad</source>
        <translation>slecht</translation>
    </message>
    <message>
        <source>very bad</source>
        <translation>zeer slecht</translation>
    </message>
    <message>
        <source>no exertion at all</source>
        <translation>helemaal geen inspanning</translation>
    </message>
    <message>
        <source>extremely light</source>
        <translation>extreem licht</translation>
    </message>
    <message>
        <source>very light</source>
        <translation>zeer licht</translation>
    </message>
    <message>
        <source>light</source>
        <translation>licht</translation>
    </message>
    <message>
        <source>somewhat hard</source>
        <translation>redelijk zwaar</translation>
    </message>
    <message>
        <source>hard</source>
        <translation>zwaar</translation>
    </message>
    <message>
        <source>very hard</source>
        <translation>zeer zwaar</translation>
    </message>
    <message>
        <source>extremely hard</source>
        <translation>extreem zwaar</translation>
    </message>
    <message>
        <source>maximal exertion</source>
        <translation>maximale inspanning</translation>
    </message>
    <message>
        <source>Enter both blood pressure values (systolic above diastolic), or neither.</source>
        <translation>Vul beide bloeddrukwaarden in (systolisch boven diastolisch), of geen van beide.</translation>
    </message>
    <message>
        <source>Feeling today: %1</source>
        <translation>Gevoel vandaag: %1</translation>
    </message>
    <message>
        <source>not asked</source>
        <translation>niet gevraagd</translation>
    </message>
    <message>
        <source>complaints: %1</source>
        <translation>klachten: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>geen</translation>
    </message>
    <message>
        <source>blood pressure %1</source>
        <translation>bloeddruk %1</translation>
    </message>
    <message>
        <source>started without heart rate</source>
        <translation>gestart zonder hartslag</translation>
    </message>
    <message>
        <source>Session RPE: %1</source>
        <translation>Sessie-RPE: %1</translation>
    </message>
    <message>
        <source>therapist: %1</source>
        <translation>therapeut: %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notitie: %1</translation>
    </message>
</context>
<context>
    <name>SessionFormsSection</name>
    <message>
        <source>Check-in and assessment</source>
        <translation>Intake en evaluatie</translation>
    </message>
    <message>
        <source>After-session form...</source>
        <translation>Formulier na de sessie...</translation>
    </message>
    <message>
        <source>Before: %1</source>
        <translation>Voor: %1</translation>
    </message>
    <message>
        <source>no check-in</source>
        <translation>geen intake</translation>
    </message>
    <message>
        <source>After: %1</source>
        <translation>Na: %1</translation>
    </message>
    <message>
        <source>not filled in yet</source>
        <translation>nog niet ingevuld</translation>
    </message>
</context>
<context>
    <name>SessionReport</name>
    <message>
        <source>no samples recorded</source>
        <translation>geen metingen vastgelegd</translation>
    </message>
    <message>
        <source>time since the start (min)</source>
        <translation>tijd sinds de start (min)</translation>
    </message>
    <message>
        <source>heart rate (bpm, left)</source>
        <translation>hartslag (slagen/min, links)</translation>
    </message>
    <message>
        <source>belt speed (km/h, right)</source>
        <translation>bandsnelheid (km/u, rechts)</translation>
    </message>
    <message>
        <source>incline (%, right)</source>
        <translation>hellingshoek (%, rechts)</translation>
    </message>
    <message>
        <source>target zone</source>
        <translation>doelzone</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>alarm</translation>
    </message>
    <message>
        <source>β-blocker: not recorded</source>
        <translation>Bètablokker: niet vastgelegd</translation>
    </message>
    <message>
        <source>β-blocker: yes. The heart rate responds less to effort; RPE is used alongside it.</source>
        <translation>Bètablokker: ja. De hartslag reageert minder op inspanning; de RPE wordt ernaast gebruikt.</translation>
    </message>
    <message>
        <source>β-blocker: no</source>
        <translation>Bètablokker: nee</translation>
    </message>
    <message>
        <source>still recording</source>
        <translation>registratie loopt nog</translation>
    </message>
    <message>
        <source>Session report</source>
        <translation>Sessieverslag</translation>
    </message>
    <message>
        <source>Patient %1</source>
        <translation>Patiënt %1</translation>
    </message>
    <message>
        <source>Age %1</source>
        <translation>Leeftijd %1</translation>
    </message>
    <message>
        <source>resting HR %1 bpm</source>
        <translation>rusthartslag %1 slagen/min</translation>
    </message>
    <message>
        <source>medication: %1</source>
        <translation>medicatie: %1</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>niets vastgelegd</translation>
    </message>
    <message>
        <source>supervised</source>
        <translation>onder begeleiding</translation>
    </message>
    <message>
        <source>unsupervised</source>
        <translation>zonder begeleiding</translation>
    </message>
    <message>
        <source>%Y-%m-%d %H:%M</source>
        <translation>%d-%m-%Y %H:%M</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>sessie %1</translation>
    </message>
    <message>
        <source>template %1</source>
        <translation>sjabloon %1</translation>
    </message>
    <message>
        <source>station %1</source>
        <translation>station %1</translation>
    </message>
    <message>
        <source>Therapist: %1</source>
        <translation>Therapeut: %1</translation>
    </message>
    <message>
        <source>Prescription: HRmax %1 bpm (%2) · zone %3–%4 bpm, target %5 bpm · safety limit %6 bpm</source>
        <translation>Voorschrift: HRmax %1 slagen/min (%2) · zone %3–%4 slagen/min, streefwaarde %5 slagen/min · veiligheidsgrens %6 slagen/min</translation>
    </message>
    <message>
        <source>Zone source: %1</source>
        <translation>Herkomst van de zone: %1</translation>
    </message>
    <message>
        <source>Times in this report are elapsed since the start of the session (+min:s).</source>
        <translation>Tijden in dit verslag zijn verstreken tijd sinds de start van de sessie (+min:s).</translation>
    </message>
    <message>
        <source>Duration %1 min · in zone %2 min · moderate %3 min · avg HR %4 bpm · max HR %5 bpm · distance %6 m · zone reached %7 after the main phase began · RMS error %8 bpm</source>
        <translation>Duur %1 min · in de zone %2 min · matige intensiteit %3 min · gem. hartslag %4 slagen/min · max. hartslag %5 slagen/min · afstand %6 m · zone bereikt %7 na het begin van de kern · RMS-afwijking %8 slagen/min</translation>
    </message>
    <message>
        <source>Time in zone per phase</source>
        <translation>Tijd in de zone per fase</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Duration (min)</source>
        <translation>Duur (min)</translation>
    </message>
    <message>
        <source>In zone (min)</source>
        <translation>In de zone (min)</translation>
    </message>
    <message>
        <source>In zone</source>
        <translation>In de zone</translation>
    </message>
    <message>
        <source>Alarms and overrides (%1 alarms, %2 overrides)</source>
        <translation>Alarmen en aanpassingen door therapeut (%1 alarmen, %2 aanpassingen)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>geen</translation>
    </message>
    <message>
        <source>RPE %1</source>
        <translation>RPE %1</translation>
    </message>
    <message>
        <source>Feeling %1</source>
        <translation>Gevoel %1</translation>
    </message>
    <message>
        <source>RPE (Borg 6-20) and Feeling (-5 to +5)</source>
        <translation>RPE (Borg-schaal 6-20) en gevoel (gevoelsschaal -5 tot +5)</translation>
    </message>
    <message>
        <source>RPE of the whole session (after the session): %1</source>
        <translation>RPE van de hele sessie (na afloop): %1</translation>
    </message>
    <message>
        <source>none entered</source>
        <translation>niets ingevoerd</translation>
    </message>
    <message>
        <source>Therapist annotations</source>
        <translation>Aantekeningen van de therapeut</translation>
    </message>
    <message>
        <source>Conclusion and plan</source>
        <translation>Conclusie en plan</translation>
    </message>
    <message>
        <source>page %1 of %2</source>
        <translation>pagina %1 van %2</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <source>Session summary</source>
        <translation>Samenvatting van de sessie</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Totalen</translation>
    </message>
    <message>
        <source>Phases</source>
        <translation>Fasen</translation>
    </message>
    <message>
        <source>RPE and feeling</source>
        <translation>RPE en gevoel</translation>
    </message>
    <message>
        <source>HR (bpm)</source>
        <translation>HF (slagen/min)</translation>
    </message>
    <message>
        <source>km/h, %</source>
        <translation>km/u, %</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>RPE: %1</source>
        <translation>RPE: %1</translation>
    </message>
    <message>
        <source>Feeling: %1</source>
        <translation>Gevoel: %1</translation>
    </message>
    <message>
        <source>Notes and therapist adjustments</source>
        <translation>Notities en aanpassingen door therapeut</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notitie: %1</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duur</translation>
    </message>
    <message>
        <source>Minutes at moderate intensity</source>
        <translation>Minuten matige intensiteit</translation>
    </message>
    <message>
        <source>Time in zone after entry</source>
        <translation>Tijd in de zone na binnenkomst</translation>
    </message>
    <message>
        <source>Zone entry after</source>
        <translation>Zone bereikt na</translation>
    </message>
    <message>
        <source>RMS error (main)</source>
        <translation>RMS-fout (hoofdfase)</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>slagen/min</translation>
    </message>
    <message>
        <source>Average HR</source>
        <translation>Gemiddelde HF</translation>
    </message>
    <message>
        <source>Maximum HR</source>
        <translation>Maximale HF</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>Afstand</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmen</translation>
    </message>
    <message>
        <source>Therapist overrides</source>
        <translation>Ingrepen door therapeut</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultaat</translation>
    </message>
    <message>
        <source>%1 % in zone</source>
        <translation>%1 % in de zone</translation>
    </message>
    <message>
        <source>HR %1 → %2 bpm</source>
        <translation>HF %1 → %2 slagen/min</translation>
    </message>
</context>
<context>
    <name>TemplateTimeline</name>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>No template</source>
        <translation>Geen sjabloon</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Ready</source>
        <translation>Gereed</translation>
    </message>
    <message>
        <source>Preflight</source>
        <translation>Voorcontrole</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>Warming-up</translation>
    </message>
    <message>
        <source>Main phase</source>
        <translation>Hoofdfase</translation>
    </message>
    <message>
        <source>Cool-down</source>
        <translation>Cooling-down</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Voltooid</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestopt</translation>
    </message>
    <message>
        <source>Aborted</source>
        <translation>Afgebroken</translation>
    </message>
    <message>
        <source>Emergency stopped</source>
        <translation>Noodstop</translation>
    </message>
    <message>
        <source>Heart rate lost</source>
        <translation>Hartslag weggevallen</translation>
    </message>
    <message>
        <source>Heart rate not trusted</source>
        <translation>Hartslag onbetrouwbaar</translation>
    </message>
    <message>
        <source>Heart rate above the safety ceiling</source>
        <translation>Hartslag boven het veiligheidsplafond</translation>
    </message>
    <message>
        <source>Device disconnected</source>
        <translation>Apparaat losgekoppeld</translation>
    </message>
    <message>
        <source>Safety key pulled</source>
        <translation>Veiligheidssleutel uitgetrokken</translation>
    </message>
    <message>
        <source>Treadmill stopped on its console</source>
        <translation>Loopband gestopt via het eigen bedieningspaneel</translation>
    </message>
    <message>
        <source>Control of the treadmill lost</source>
        <translation>Besturing van de loopband verloren</translation>
    </message>
    <message>
        <source>Treadmill not responding</source>
        <translation>Loopband reageert niet</translation>
    </message>
    <message>
        <source>Recording failed</source>
        <translation>Registratie mislukt</translation>
    </message>
    <message>
        <source>Heart rate does not match the load</source>
        <translation>Hartslag past niet bij de belasting</translation>
    </message>
    <message>
        <source>good</source>
        <translation>goed</translation>
    </message>
    <message>
        <source>no signal</source>
        <translation>geen signaal</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>verouderd</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>nul</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>bevroren</translation>
    </message>
    <message>
        <source>implausible jump</source>
        <translation>onwaarschijnlijke sprong</translation>
    </message>
    <message>
        <source>out of range</source>
        <translation>buiten bereik</translation>
    </message>
    <message>
        <source>no skin contact</source>
        <translation>geen huidcontact</translation>
    </message>
    <message>
        <source>treadmill HR</source>
        <translation>hartslag van de loopband</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>gemeten</translation>
    </message>
    <message>
        <source>Tanaka formula</source>
        <translation>formule van Tanaka</translation>
    </message>
    <message>
        <source>Fox formula</source>
        <translation>formule van Fox</translation>
    </message>
    <message>
        <source>Gellish formula</source>
        <translation>formule van Gellish</translation>
    </message>
    <message>
        <source>Nes formula</source>
        <translation>formule van Nes</translation>
    </message>
    <message>
        <source>beta-blocker formula</source>
        <translation>formule bij bètablokkers</translation>
    </message>
</context>
<context>
    <name>WithoutHrBar</name>
    <message>
        <source>RUNNING WITHOUT HEART RATE: the belt does not slow down by itself when the heart rate is lost; only the ceiling rule stays</source>
        <translation>ZONDER HARTSLAG: de band vertraagt niet vanzelf als de hartslag wegvalt; alleen de plafondregel blijft gelden</translation>
    </message>
    <message>
        <source>Use heart rate again</source>
        <translation>Hartslag weer gebruiken</translation>
    </message>
    <message>
        <source>No trusted heart rate. You can choose to continue without heart rate.</source>
        <translation>Geen betrouwbare hartslag. Doorgaan zonder hartslag is mogelijk.</translation>
    </message>
    <message>
        <source>Continue without HR...</source>
        <translation>Doorgaan zonder hartslag...</translation>
    </message>
    <message>
        <source>Continue without heart rate?</source>
        <translation>Doorgaan zonder hartslag?</translation>
    </message>
    <message>
        <source>Continue the session without a trusted heart rate?</source>
        <translation>De sessie voortzetten zonder betrouwbare hartslag?</translation>
    </message>
    <message>
        <source>The belt will NOT slow down automatically when the heart rate is lost, and speed and incline may rise without a trusted heart rate. Only the ceiling rule stays. Watch the patient yourself. The choice is recorded.</source>
        <translation>De band vertraagt NIET automatisch als de hartslag wegvalt, en snelheid en helling kunnen stijgen zonder betrouwbare hartslag. Alleen de plafondregel blijft gelden. Houd de patiënt zelf goed in de gaten. De keuze wordt vastgelegd.</translation>
    </message>
    <message>
        <source>Continue without HR</source>
        <translation>Doorgaan zonder hartslag</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>ZoneGrade</name>
    <message>
        <source>no HR</source>
        <translation>geen hartslag</translation>
    </message>
    <message>
        <source>ABOVE CEILING</source>
        <translation>BOVEN PLAFOND</translation>
    </message>
    <message>
        <source>below zone</source>
        <translation>onder de zone</translation>
    </message>
    <message>
        <source>in zone</source>
        <translation>in de zone</translation>
    </message>
    <message>
        <source>above zone</source>
        <translation>boven de zone</translation>
    </message>
    <message>
        <source>below target</source>
        <translation>onder streefwaarde</translation>
    </message>
    <message>
        <source>on target</source>
        <translation>op streefwaarde</translation>
    </message>
    <message>
        <source>above target</source>
        <translation>boven streefwaarde</translation>
    </message>
    <message>
        <source>warm-up %1</source>
        <translation>warming-up %1</translation>
    </message>
    <message>
        <source>cool-down %1</source>
        <translation>cooling-down %1</translation>
    </message>
    <message>
        <source>zone %1</source>
        <translation>zone %1</translation>
    </message>
</context>
</TS>
