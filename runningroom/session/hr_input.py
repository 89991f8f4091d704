"""HR input: the strap, the treadmill-relayed HR, the filter, and the one reading of them.

Contract:

* :meth:`HrInput.admit` applies the boundary rules to a strap sample: a sample with a
  non-finite time, or older than the last one, is dropped; one stamped more than the
  gate's future tolerance after the engine's time is re-stamped to that time.
* :meth:`HrInput.judge` lets the strap gate judge an admitted sample; while the
  treadmill's HR is in use (failover) an untrusted strap sample is not used at all, and
  the first trusted one ends the failover (recorded).
* :meth:`HrInput.accept` makes a judged sample the current one: raw value, source, RR
  intervals for the next recorded row, the filter (trusted samples only) and the quality
  (a change is recorded when ``record`` is true).
* The treadmill's relayed HR is judged by its own gate and used only when the therapist
  accepted it and the strap is not trusted (:meth:`HrInput.relayed`).
* :meth:`HrInput.quality_now` is the quality of the HR in use at ``now_s``; the engine
  judges it once per tick, and :meth:`HrInput.reading` gives everyone the same view of it
  (:class:`HrReading`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace

from runningroom.devices import HrSample, HrSourceKind, SensorContact
from runningroom.session.hr_filter import HrFilter
from runningroom.session.journal import Journal
from runningroom.session.model import Cause, EventKind, HrQuality
from runningroom.session.supervisor import HrQualityGate, SupervisorConfig

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HrReading:
    """The HR as the control step sees it at one tick.

    Attributes:
        quality: the quality of the HR in use.
        filtered_bpm: the filtered HR when trusted, else None.
        untrusted_raw_bpm: the latest raw value when untrusted but fresh, else None.
        fresh: the latest sample is recent enough to act on.
        flapping: the gate in use saw repeated untrusted spells.
        gate_permits_increase: the gate in use permits an increase now.
    """

    quality: HrQuality
    filtered_bpm: float | None
    untrusted_raw_bpm: float | None
    fresh: bool
    flapping: bool
    gate_permits_increase: bool


class HrInput:
    """The session's HR sources and their one verdict.

    Args:
        config: the supervisor thresholds (both gates use them).
        journal: where failover and quality changes are recorded.
        hold_after_s: the HR is acted on only while its latest sample is at most this old.
    """

    def __init__(self, config: SupervisorConfig, journal: Journal, *, hold_after_s: float) -> None:
        self._gate = HrQualityGate(config)
        self._tm_gate = HrQualityGate(config)
        self._filter = HrFilter()
        self._journal = journal
        self._future_tolerance_s = config.future_tolerance_s
        self._hold_after_s = hold_after_s
        self._raw_bpm: int | None = None
        self._quality = HrQuality.NO_SIGNAL
        self._source = HrSourceKind.CHEST_STRAP
        self._rr_pending: list[float] = []
        self._failover = _Failover()

    # ------------------------------------------------------------------ views

    @property
    def quality(self) -> HrQuality:
        """The quality last set (at the last sample or tick)."""
        return self._quality

    @property
    def raw_bpm(self) -> int | None:
        """The latest raw HR used."""
        return self._raw_bpm

    @property
    def filtered_bpm(self) -> float | None:
        """The filter's value (whatever the quality)."""
        return self._filter.value_bpm

    @property
    def last_strap_sample(self) -> HrSample | None:
        """The strap's most recent admitted sample, trusted or not."""
        return self._gate.last_sample

    @property
    def failover_active(self) -> bool:
        """True while the treadmill-relayed HR is in use."""
        return self._failover.active

    @property
    def failover_accepted(self) -> bool:
        """True when the therapist accepted the treadmill's HR."""
        return self._failover.accepted

    def take_rr_ms(self) -> tuple[float, ...]:
        """The RR intervals received since the last call."""
        rr = tuple(self._rr_pending)
        self._rr_pending = []
        return rr

    # ------------------------------------------------------------------ strap samples

    def admit(self, sample: HrSample, now_s: float) -> tuple[HrSample, float] | None:
        """Boundary rules for a strap sample; returns it (maybe re-stamped) and the time.

        The time is ``now_s``, or the sample's time when it is the first sample and the
        engine has seen no time yet. None: the sample is dropped.
        """
        t_s = sample.t_s
        last = self._gate.last_sample
        if not math.isfinite(t_s) or (last is not None and t_s < last.t_s):
            logger.warning("HR sample dropped: time %r before the last sample", t_s)
            return None
        if last is None and now_s == 0.0:
            now_s = t_s  # the first time the engine sees
        elif t_s > now_s + self._future_tolerance_s:
            logger.warning("HR sample stamped %.1f s ahead: re-stamped", t_s - now_s)
            sample = replace(sample, t_s=max(now_s, last.t_s if last else 0.0))
        return sample, now_s

    def judge(self, sample: HrSample) -> HrQuality | None:
        """The strap gate's verdict on an admitted sample; None: not to be used."""
        quality = self._gate.add(sample)
        if sample.source is HrSourceKind.TREADMILL:
            quality = HrQuality.LOW_QUALITY_SOURCE if quality.trusted else quality
        if self._failover.active:
            if not quality.trusted:
                return None  # keep using the treadmill HR until the strap is good again
            self._end_failover()
            self._journal.event(
                sample.t_s,
                EventKind.HR_QUALITY,
                Cause.DEVICE,
                "HR strap back; treadmill HR no longer used",
                quality=str(quality),
                source=str(sample.source),
            )
        return quality

    def accept(self, sample: HrSample, quality: HrQuality, *, record: bool) -> None:
        """Make ``sample`` the HR in use, judged ``quality``."""
        self._raw_bpm = sample.hr_bpm
        self._source = sample.source
        self._rr_pending.extend(sample.rr_ms)
        if quality.trusted:
            self._filter.add(sample.t_s, sample.hr_bpm)
        self.set_quality(sample.t_s, quality, record=record)

    def set_quality(self, now_s: float, quality: HrQuality, *, record: bool) -> None:
        """Set the current quality; a change is recorded when ``record`` is true."""
        if quality is self._quality:
            return
        previous = self._quality
        self._quality = quality
        if record:
            self._journal.event(
                now_s,
                EventKind.HR_QUALITY,
                Cause.DEVICE,
                f"HR quality {previous} -> {quality}",
                quality=str(quality),
                source=str(self._source),
            )

    # ------------------------------------------------------------------ treadmill HR

    def relayed(self, t_s: float, hr_bpm: int) -> HrSample | None:
        """Judge a treadmill-relayed HR; returns it when it is to be used in the strap's place.

        The start of the failover is recorded.
        """
        tm_sample = HrSample(
            t_s=t_s,
            hr_bpm=hr_bpm,
            contact=SensorContact.NOT_SUPPORTED,
            source=HrSourceKind.TREADMILL,
        )
        tm_quality = self._tm_gate.add(tm_sample)
        strap_ok = self._gate.quality(t_s).trusted
        if strap_ok or not self._failover.accepted or not tm_quality.trusted:
            return None
        if not self._failover.active:
            self._failover.active = True
            self._filter.reset()
            self._journal.event(
                t_s,
                EventKind.HR_QUALITY,
                Cause.THERAPIST,
                "using treadmill-relayed HR (lower quality)",
                quality=str(HrQuality.LOW_QUALITY_SOURCE),
                source=str(HrSourceKind.TREADMILL),
            )
        return tm_sample

    def accept_failover(self, accept: bool) -> None:
        """The therapist accepts (or declines) the treadmill's HR."""
        self._failover.accepted = accept
        if not accept and self._failover.active:
            self._end_failover()

    def failover_available(self, now_s: float) -> bool:
        """The strap is not trusted, the treadmill's HR is, and it is not in use yet."""
        return (
            not self._gate.quality(now_s).trusted
            and self._tm_gate.quality(now_s).trusted
            and not self._failover.active
        )

    def reset_failover_offer(self, now_s: float) -> None:
        """A trusted strap: the next loss may offer the treadmill's HR again."""
        if self._gate.quality(now_s).trusted:
            self._failover.offered = False

    def maybe_offer_failover(self, now_s: float) -> None:
        """Offer the treadmill's HR (recorded, once per strap loss) when it is available."""
        if self._failover.offered:
            return
        if self.failover_available(now_s) and not self._failover.accepted:
            self._failover.offered = True
            self._journal.event(
                now_s,
                EventKind.HR_QUALITY,
                Cause.SYSTEM,
                "HR strap lost; the treadmill's HR is available (lower quality): accept it?",
                quality=str(self._gate.quality(now_s)),
                source=str(HrSourceKind.TREADMILL),
                offer=True,
            )

    # ------------------------------------------------------------------ verdict

    def quality_now(self, now_s: float) -> HrQuality:
        """The quality of the HR in use at ``now_s``.

        A treadmill HR in use that is no longer trusted ends the failover.
        """
        if self._failover.active:
            q = self._tm_gate.quality(now_s)
            if q.trusted:
                return HrQuality.LOW_QUALITY_SOURCE
            self._end_failover()
        return self._gate.quality(now_s)

    def permits_increase(self, now_s: float, quality: HrQuality) -> bool:
        """The HR gate's permission to increase (trusted, plausible, settled)."""
        return quality.trusted and self._gate_in_use.permits_increase(now_s)

    def fresh(self, now_s: float) -> bool:
        """True if the HR in use was received recently enough to act on."""
        last = self._gate_in_use.last_sample
        if last is None:
            return False
        age_s = now_s - last.t_s
        return -self._future_tolerance_s <= age_s <= self._hold_after_s

    def reading(self, now_s: float, quality: HrQuality) -> HrReading:
        """The HR in use at ``now_s``, judged ``quality`` this tick."""
        gate = self._gate_in_use
        last = gate.last_sample
        fresh = self.fresh(now_s)
        untrusted_raw = (
            float(last.hr_bpm) if last is not None and not quality.trusted and fresh else None
        )
        return HrReading(
            quality=quality,
            filtered_bpm=self._filter.value_bpm if quality.trusted else None,
            untrusted_raw_bpm=untrusted_raw,
            fresh=fresh,
            flapping=gate.flapping(now_s),
            gate_permits_increase=gate.permits_increase(now_s),
        )

    def note_speed(self, speed_kmh: float, *, relayed_too: bool = True) -> None:
        """Tell the gates the belt speed (the strap's only, unless ``relayed_too``)."""
        self._gate.note_speed(speed_kmh)
        if relayed_too:
            self._tm_gate.note_speed(speed_kmh)

    @property
    def _gate_in_use(self) -> HrQualityGate:
        return self._tm_gate if self._failover.active else self._gate

    def _end_failover(self) -> None:
        self._failover.active = False
        self._filter.reset()


@dataclass(slots=True)
class _Failover:
    """The treadmill-HR failover: accepted by the therapist, offered, in use."""

    accepted: bool = False
    offered: bool = False
    active: bool = False
