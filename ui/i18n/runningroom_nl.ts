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
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporteren…</translation>
    </message>
    <message>
        <source>Export the selected sessions (all when none selected)</source>
        <translation>De geselecteerde sessies exporteren (alle als er geen geselecteerd zijn)</translation>
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
        <source>Delete patient…</source>
        <translation>Patiënt verwijderen…</translation>
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
        <source>Cannot read the session database: {error}</source>
        <translation>Kan de sessiedatabase niet lezen: {error}</translation>
    </message>
    <message>
        <source>No sessions recorded yet.</source>
        <translation>Nog geen sessies geregistreerd.</translation>
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
        <source>no HR</source>
        <translation>geen hartslag</translation>
    </message>
    <message>
        <source>below zone</source>
        <translation>onder de zone</translation>
    </message>
    <message>
        <source>ABOVE CEILING</source>
        <translation>BOVEN PLAFOND</translation>
    </message>
    <message>
        <source>above zone</source>
        <translation>boven de zone</translation>
    </message>
    <message>
        <source>in zone</source>
        <translation>in de zone</translation>
    </message>
    <message>
        <source>%1 elapsed, %2 left in phase</source>
        <translation>%1 verstreken, nog %2 in deze fase</translation>
    </message>
    <message>
        <source>Target %1 bpm (zone %2-%3, ceiling %4)  |  %5 km/h  %6 %  |  %7 km</source>
        <translation>Doel %1 slagen/min (zone %2-%3, plafond %4)  |  %5 km/u  %6 %  |  %7 km</translation>
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
        <source>note</source>
        <translation>notitie</translation>
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
        <source>Get ready</source>
        <translation>Maak je klaar</translation>
    </message>
    <message>
        <source>The session will start soon</source>
        <translation>De sessie begint zo</translation>
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
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Session over</source>
        <translation>Sessie voorbij</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>nog %1</translation>
    </message>
    <message>
        <source>Well done! Thank you.</source>
        <translation>Goed gedaan! Dank je wel.</translation>
    </message>
    <message>
        <source>Take a breather</source>
        <translation>Even op adem komen</translation>
    </message>
    <message>
        <source>Cooling down, nice and easy</source>
        <translation>Rustig uitlopen</translation>
    </message>
    <message>
        <source>A bit faster</source>
        <translation>Iets sneller</translation>
    </message>
    <message>
        <source>Ease off a little</source>
        <translation>Iets rustiger aan</translation>
    </message>
    <message>
        <source>Well done, keep this pace</source>
        <translation>Goed zo, houd dit tempo vast</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>Ga zo door</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Patient profile</source>
        <translation>Patiëntprofiel</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
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
        <source>Zone low</source>
        <translation>Zone ondergrens</translation>
    </message>
    <message>
        <source>Zone high</source>
        <translation>Zone bovengrens</translation>
    </message>
    <message>
        <source>Safety ceiling (% HRmax)</source>
        <translation>Veiligheidsplafond (% HFmax)</translation>
    </message>
    <message>
        <source>or ceiling (bpm)</source>
        <translation>of plafond (slagen/min)</translation>
    </message>
    <message>
        <source>Controller uses</source>
        <translation>Regelaar gebruikt</translation>
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
        <source>No programme set</source>
        <translation>Geen programma ingesteld</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Programma</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
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
        <source>Sessions per week</source>
        <translation>Sessies per week</translation>
    </message>
    <message>
        <source>Weekly dose target</source>
        <translation>Weekdoel</translation>
    </message>
    <message>
        <source>Reference speed (fitness signal)</source>
        <translation>Referentiesnelheid (conditiesignaal)</translation>
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
        <source>No programme set for this patient: enter a start date and save.</source>
        <translation>Geen programma voor deze patiënt: vul een startdatum in en sla op.</translation>
    </message>
    <message>
        <source>Select a patient.</source>
        <translation>Kies een patiënt.</translation>
    </message>
    <message>
        <source>Sessions done {done} of {planned} planned so far ({pct} %); weekly dose met in {met} weeks; reference speed {ref} km/h.</source>
        <translation>Sessies gedaan: {done} van {planned} tot nu toe gepland ({pct} %); weekdoel gehaald in {met} weken; referentiesnelheid {ref} km/u.</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>beginwaarde</translation>
    </message>
    <message>
        <source>No supervised session this week</source>
        <translation>Deze week geen begeleide sessie</translation>
    </message>
</context>
<context>
    <name>QuickEntry</name>
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
        <source>Time in zone per phase</source>
        <translation>Tijd in de zone per fase</translation>
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
        <source>In zone</source>
        <translation>In de zone</translation>
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
</TS>
