"""Alarm cards follow the console language: texts come from the alarm kind and data.

The alarms are raised by the real session engine (driven by the engine tests' rig), so
a change of the engine's wording that the UI no longer recognises fails here.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

import ui  # noqa: F401  (applies the PySide6 refcount workaround)
from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.session.model import Alarm, AlarmKind, ManualIncline, ManualSpeed, SkipPhase
from tests.core.engine_fakes import Rig

TM = DeviceRole.TREADMILL


def _main_rig() -> Rig:
    rig = Rig()
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    rig.run(60)
    return rig


def _raised(rig: Rig, kind: AlarmKind) -> Alarm:
    return copy.copy(next(a for a in rig.engine.alarms if a.kind is kind))


def _hr_lost() -> list[Alarm]:
    rig = _main_rig()
    rig.hr_override = lambda t, hr: None
    rig.run(12)
    held = _raised(rig, AlarmKind.HR_LOST)  # "speed held ..." action
    rig.run(70)
    ramped = _raised(rig, AlarmKind.HR_LOST)  # action updated: "ramped down to ..."
    assert ramped.action != held.action
    return [held, ramped]


def _hr_lost_preflight() -> list[Alarm]:
    rig = Rig()
    rig.hr_override = lambda t, hr: None
    rig.start()
    rig.run(120)
    return [_raised(rig, AlarmKind.HR_LOST)]


def _hr_untrusted() -> list[Alarm]:
    rig = _main_rig()
    rig.hr_override = lambda t, hr: 0
    rig.run(30)
    return [_raised(rig, AlarmKind.HR_UNTRUSTED)]


def _above_ceiling() -> list[Alarm]:
    rig = _main_rig()
    rig.command(ManualSpeed(6.5))
    rig.command(ManualIncline(2.0))
    t0 = rig.now_s
    rig.hr_override = lambda t, hr: int(min(160, 117 + 3 * (t - t0))) + int(t) % 2
    rig.run(40)
    return [_raised(rig, AlarmKind.HR_ABOVE_CEILING)]


def _hr_implausible() -> list[Alarm]:
    """A clean, steady HR at half the truth after the main phase settled.

    Empty while the engine raises no ``hr_implausible`` alarm for it.
    """
    rig = _main_rig()
    rig.run(240)
    rig.hr_override = lambda t, hr: None if hr is None else round(hr / 2)
    rig.run(90)
    return [copy.copy(a) for a in rig.engine.alarms if a.kind is AlarmKind.HR_IMPLAUSIBLE][:1]


def _device(kind: DeviceEventKind, alarm: AlarmKind, message: str) -> Callable[[], list[Alarm]]:
    def make() -> list[Alarm]:
        rig = _main_rig()
        rig.event(DeviceEvent(rig.now_s, TM, kind, message))
        return [_raised(rig, alarm)]

    return make


def _belt_stopped() -> list[Alarm]:
    rig = _main_rig()
    rig.follow_commands = False
    rig.belt_running = False
    rig.speed_kmh = 0.0
    rig.run(8)
    return [_raised(rig, AlarmKind.TREADMILL_STOPPED)]


def _commands_fail() -> list[Alarm]:
    rig = _main_rig()
    rig.fail_commands = True
    rig.command(ManualSpeed(5.0))
    rig.run(3)
    return [_raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING)]


def _no_data() -> list[Alarm]:
    rig = _main_rig()
    rig.silent_treadmill = True
    rig.run(8)
    return [_raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING)]


def _silent_cable() -> list[Alarm]:
    rig = _main_rig()
    rig.silent_treadmill = True
    rig.run(20)  # past the silence timeout and the grace: paused
    return [_raised(rig, AlarmKind.DEVICE_DISCONNECTED)]


def _ignores_commands() -> list[Alarm]:
    rig = _main_rig()
    rig.follow_commands = False
    rig.hr_override = lambda t, hr: round(117 + 3 * math.sin(t / 7))
    top_kmh = rig.engine.limits.max_speed_kmh + 3.0
    for _ in range(6):
        rig.speed_kmh = top_kmh
        rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, "",
                              value=top_kmh))
        rig.run(5)
    return [_raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING)]


def _recording() -> list[Alarm]:
    rig = _main_rig()
    rig.sink.fail = True
    rig.run(3)
    return [_raised(rig, AlarmKind.RECORDING_FAILED)]


SCENARIOS: dict[str, Callable[[], list[Alarm]]] = {
    "hr_lost": _hr_lost,
    "hr_lost_preflight": _hr_lost_preflight,
    "hr_untrusted": _hr_untrusted,
    "hr_above_ceiling": _above_ceiling,
    "hr_implausible": _hr_implausible,
    "safety_key": _device(DeviceEventKind.SAFETY_KEY, AlarmKind.SAFETY_KEY,
                          "safety key pulled: belt stopped"),
    "stopped_console": _device(DeviceEventKind.STOPPED_BY_USER, AlarmKind.TREADMILL_STOPPED,
                               "stopped at the console"),
    "belt_stopped": _belt_stopped,
    "control_lost": _device(DeviceEventKind.CONTROL_LOST, AlarmKind.CONTROL_LOST,
                            "control permission lost"),
    "disconnected": _device(DeviceEventKind.DISCONNECTED, AlarmKind.DEVICE_DISCONNECTED,
                            "link to AA:BB lost"),
    "disconnected_no_message": _device(DeviceEventKind.DISCONNECTED,
                                       AlarmKind.DEVICE_DISCONNECTED, ""),
    "not_responding_event": _device(DeviceEventKind.NOT_RESPONDING,
                                    AlarmKind.TREADMILL_NOT_RESPONDING, "no reply"),
    "not_responding_commands": _commands_fail,
    "not_responding_no_data": _no_data,
    "recording_failed": _recording,
    "silent_cable": _silent_cable,
    "ignores_commands": _ignores_commands,
    "watchdog_stop": _device(DeviceEventKind.STOPPED_BY_WATCHDOG, AlarmKind.DEVICE_DISCONNECTED,
                             "belt stopped by the host watchdog after a 12.0 s outage"),
}

# Dutch words expected on the card (the kind-specific part of the text)
DUTCH_HINTS: dict[str, tuple[str, str]] = {
    "hr_lost": ("Hartslag weggevallen (verouderd)", "snelheid vastgehouden"),
    "hr_lost_preflight": ("Geen betrouwbare hartslag", "wacht op een hartslag"),
    "hr_untrusted": ("Hartslag onbetrouwbaar (nul)", "snelheid vastgehouden"),
    "hr_above_ceiling": ("boven het veiligheidsplafond van 153 slagen/min",
                         "snelheid 0,5 km/u verlaagd"),
    "hr_implausible": ("bij deze belasting verwacht: ongeveer",
                       "snelheid en helling gaan niet omhoog"),
    "safety_key": ("veiligheidssleutel uitgetrokken", "hervat zodra de sleutel terug is"),
    "stopped_console": ("op de loopband zelf gestopt", "hervat of stop de sessie"),
    "belt_stopped": ("zonder opdracht", "hervat of stop de sessie"),
    "control_lost": ("niet meer door het systeem besturen", "accepteert geen opdrachten"),
    "disconnected": ("verbinding met de loopband is verbroken", "wacht op herverbinding"),
    "disconnected_no_message": ("verbinding met de loopband", "wacht op herverbinding"),
    "not_responding_event": ("reageert niet", "controleer de loopband"),
    "not_responding_commands": ("reageert niet op opdrachten", "controleer de loopband"),
    "not_responding_no_data": ("geen gegevens van de loopband", "controleer de loopband"),
    "recording_failed": ("Registratie van de sessie mislukt", "sessie loopt door"),
    "silent_cable": ("de band kan nog lopen", "stop de band op de loopband zelf"),
    "ignores_commands": ("negeert snelheidsopdrachten", "stel de snelheid op de loopband"),
    "watchdog_stop": ("gestopt na 12,0 s zonder verbinding", "hervat of stop de sessie"),
}


@pytest.fixture(scope="module")
def engine_alarms() -> dict[str, list[Alarm]]:
    return {name: make() for name, make in SCENARIOS.items()}


@pytest.fixture
def dutch(qapp: Any) -> Iterator[None]:
    from ui.i18n import set_language

    assert set_language("nl")
    yield
    set_language("en")


def _card_text(qtbot: Any, alarm: Alarm) -> str:
    from ui.alarms import AlarmPanel

    panel = AlarmPanel()
    qtbot.addWidget(panel)
    panel.update_alarms((alarm,))
    card = panel.cards[alarm.alarm_id]
    return card.title.text() + "\n" + card.detail.text()


def test_every_alarm_kind_has_a_scenario(engine_alarms: dict[str, list[Alarm]]) -> None:
    kinds = {a.kind for alarms in engine_alarms.values() for a in alarms}
    assert kinds == set(AlarmKind)
    assert set(DUTCH_HINTS) == set(SCENARIOS)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_dutch_card_shows_dutch_texts(qtbot: Any, dutch: None, name: str,
                                      engine_alarms: dict[str, list[Alarm]]) -> None:
    what, did = DUTCH_HINTS[name]
    if not engine_alarms[name]:
        pytest.skip(f"the engine raised no alarm in scenario {name}")
    for alarm in engine_alarms[name]:
        text = _card_text(qtbot, alarm)
        assert "Actie van het systeem:" in text
        assert what in text, text
        assert did in text, text
        # neither the engine's English message nor its English action is shown
        if alarm.message:
            assert alarm.message not in text, text
        assert alarm.action not in text, text


def test_dutch_ramped_hr_lost_action_uses_decimal_comma(
        qtbot: Any, dutch: None, engine_alarms: dict[str, list[Alarm]]) -> None:
    ramped = engine_alarms["hr_lost"][1]
    text = _card_text(qtbot, ramped)
    assert "afgebouwd naar 3,0 km/u" in text, text
    assert "tot de therapeut hem hervat" in text


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_english_card_shows_english_texts(qtbot: Any, qapp: Any, name: str,
                                          engine_alarms: dict[str, list[Alarm]]) -> None:
    from ui.i18n import current_language

    assert current_language() == "en"
    what, did = DUTCH_HINTS[name]
    if not engine_alarms[name]:
        pytest.skip(f"the engine raised no alarm in scenario {name}")
    for alarm in engine_alarms[name]:
        text = _card_text(qtbot, alarm)
        assert "System action:" in text
        assert what not in text and did not in text
        # the English card says what the engine said (same numbers, same words)
        for number in {w for w in (alarm.message + " " + alarm.action).split()
                       if w.replace(".", "").isdigit()}:
            assert number in text, (number, text)


def test_english_wording_follows_the_engine(qtbot: Any, qapp: Any,
                                            engine_alarms: dict[str, list[Alarm]]) -> None:
    from ui.texts import alarm_action, alarm_message

    held, ramped = engine_alarms["hr_lost"]
    assert alarm_message(held) == "Heart rate lost (stale)"
    assert held.message == "heart rate lost (stale)"
    assert alarm_action(held) == held.action
    assert alarm_action(ramped) == ramped.action
    stopped = engine_alarms["stopped_console"][0]
    assert alarm_action(stopped) == stopped.action
    rec = engine_alarms["recording_failed"][0]
    assert alarm_message(rec) == "Recording the session failed: disk full (test)"


def test_device_detail_in_tooltip_and_language_switch_updates_card(
        qtbot: Any, qapp: Any, engine_alarms: dict[str, list[Alarm]]) -> None:
    from ui.alarms import AlarmPanel
    from ui.i18n import set_language

    alarm = engine_alarms["disconnected"][0]
    panel = AlarmPanel()
    qtbot.addWidget(panel)
    panel.update_alarms((alarm,))
    card = panel.cards[alarm.alarm_id]
    assert "The connection to the treadmill was lost" in card.detail.text()
    assert "link to AA:BB lost" in card.detail.toolTip()
    try:
        set_language("nl")  # widgets retranslate on the posted LanguageChange event
        qtbot.waitUntil(lambda: "verbinding met de loopband is verbroken"
                        in card.detail.text(), timeout=15000)
        assert card.detail.toolTip().startswith("Melding van het apparaat:")
    finally:
        set_language("en")
    qtbot.waitUntil(lambda: "The connection to the treadmill was lost" in card.detail.text(),
                    timeout=15000)


def test_unknown_texts_fall_back_to_the_engine_message(qtbot: Any, dutch: None) -> None:
    base = Alarm(alarm_id=7, kind=AlarmKind.HR_LOST, raised_t_s=3.0,
                 message="heart rate lost (stale)", action="something new the engine did")
    text = _card_text(qtbot, base)
    assert "Hartslag weggevallen (verouderd)" in text
    assert "something new the engine did" in text  # unknown action: engine text
    odd = replace(base, kind="brand_new_kind", message="a new alarm")  # type: ignore[arg-type]
    text = _card_text(qtbot, odd)
    assert "a new alarm" in text


def test_alarm_events_hrmax_sources_and_preflight_findings_in_dutch(qtbot: Any,
                                                                    dutch: None) -> None:
    from runningroom.model import HrMaxSource
    from ui.texts import alarm_event_text, hrmax_source_name, preflight_message

    rig = _main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.SAFETY_KEY, "key out"))
    rig.event(DeviceEvent(rig.now_s + 1, TM, DeviceEventKind.SAFETY_KEY, "key in", 1.0))
    events = rig.sink.kinds("alarm")
    texts = [alarm_event_text(e.data, e.message) for e in events]
    assert texts == ["Veiligheidssleutel uitgetrokken",
                     "Veiligheidssleutel uitgetrokken (opgelost)"]
    assert alarm_event_text({"alarm_kind": "new"}, "raw text") == "raw text"
    assert hrmax_source_name(HrMaxSource.TANAKA) == "formule van Tanaka"
    assert all(hrmax_source_name(s) != str(s) for s in HrMaxSource)
    assert preflight_message("HR source not connected: timeout") == (
        "hartslagmeter niet verbonden: timeout")
    assert preflight_message(
        "treadmill accepts no speed commands (monitor only): advisory mode, "
        "set the advised speed by hand").startswith("de loopband accepteert geen")
    assert preflight_message("something else") == "something else"
