"""agenda.plan: planned starts, the projected end, and the booked-slot check (rehearsal rule)."""
from datetime import UTC, datetime, timedelta

import pytest

from forum_live.domain.agenda import REHEARSAL_GAP, announced_start, is_rehearsal, plan
from forum_live.domain.timer import SlotClock

MIN = 60_000
T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)   # 10:30 in Bangkok
BOOKED_END = datetime(2022, 9, 13, 4, 50, tzinfo=UTC)  # 11:50 in Bangkok: an 80-min slot
#: The ILO default run of show: 90 planned minutes.
ILO_MINUTES = [8, 10, 10, 10, 10, 10, 12, 15, 5]


def t(minutes: float) -> datetime:
    """The instant ``minutes`` after the scheduled start."""
    return T0 + timedelta(minutes=minutes)


def ilo(**changes) -> list[SlotClock]:
    """The ILO run of show's clocks, all idle, with ``changes`` ({index: SlotClock}) applied."""
    clocks = [SlotClock(planned_ms=m * MIN) for m in ILO_MINUTES]
    for index, clock in changes.items():
        clocks[int(index.lstrip("s"))] = clock
    return clocks


def test_planned_starts_are_back_to_back_from_the_scheduled_start():
    p = plan(ilo(), None, t(-60), T0, BOOKED_END)
    assert p.planned_starts == [t(0), t(8), t(18), t(28), t(38), t(48), t(58), t(70), t(85)]
    assert p.planned_end == t(90)


def test_ilo_default_plan_overruns_its_80_minute_slot_by_10_minutes():
    p = plan(ilo(), None, t(-60), T0, BOOKED_END)
    assert (p.planned_over_booked_ms, p.over_booked_ms, p.booked_end) == (10 * MIN, 10 * MIN, BOOKED_END)


def test_adjustments_do_not_change_the_plan_only_the_projection():
    p = plan(ilo(s8=SlotClock(planned_ms=5 * MIN, adjust_ms=3 * MIN)), None, t(-60), T0, BOOKED_END)
    assert (p.planned_end, p.projected_end, p.planned_over_booked_ms, p.over_booked_ms) == (
        t(90), t(93), 10 * MIN, 13 * MIN)


def _held(start, left, planned_min):
    return SlotClock(planned_ms=planned_min * MIN).start(t(start)).finish(t(left))


def _running(start, planned_min, adjust_min=0):
    return SlotClock(planned_ms=planned_min * MIN, adjust_ms=adjust_min * MIN).start(t(start))


# (clocks, current, now, ended, last_left_at) -> projected end (minutes after T0); the segments
# after the second one plan 72 minutes.
PROJECTIONS = {
    "before the show: from the scheduled start": (ilo(), None, t(-30), False, None, 90),
    "not started yet but late: from now": (ilo(), None, t(5), False, None, 95),
    "on air: what the segment has left plus the rest": (
        ilo(s0=_held(0, 8, 8), s1=_running(8, 10)), 1, t(12), False, None, 12 + 6 + 72),
    "on air with time added: the addition counts": (
        ilo(s0=_held(0, 8, 8), s1=_running(8, 10, adjust_min=2)), 1, t(12), False, None, 12 + 8 + 72),
    "on air in overtime: the rest starts from now": (
        ilo(s0=_held(0, 8, 8), s1=_running(8, 10)), 1, t(20), False, None, 20 + 0 + 72),
    "back on an earlier segment: later held segments count only what they had left": (
        ilo(s0=_held(0, 8, 8).start(t(14)), s1=_held(8, 14, 10)), 0, t(14), False, None, 14 + 0 + 4 + 72),
    "after the show: the instant the last segment was left": (
        ilo(s8=_held(92, 97, 5)), None, t(120), True, t(97), 97),
}


@pytest.mark.parametrize(("clocks", "current", "now", "ended", "last_left", "projected_min"),
                         PROJECTIONS.values(), ids=PROJECTIONS.keys())
def test_projected_end(clocks, current, now, ended, last_left, projected_min):
    started = [c.started_at for c in clocks if c.started_at is not None]
    p = plan(clocks, current, now, T0, BOOKED_END, ended=ended,
             first_started_at=min(started, default=None), last_left_at=last_left)
    assert p.projected_end == t(projected_min)
    assert p.over_booked_ms == (projected_min - 80) * MIN


def test_no_booked_slot_gives_no_overrun_figures():
    p = plan(ilo(), None, t(-30), T0, None)
    assert (p.booked_end, p.over_booked_ms, p.planned_over_booked_ms) == (None, None, None)


# first actual start relative to the scheduled start -> (booked end used, over_booked_ms)
REHEARSAL = {
    "on time: the real booked slot": (timedelta(0), BOOKED_END),
    "20 min late: still the real booked slot (the lateness is an overrun)": (
        timedelta(minutes=20), BOOKED_END),
    "exactly 12 h early: still the real slot": (-REHEARSAL_GAP, BOOKED_END),
    "12 h and 1 ms early: a rehearsal, slot measured from the actual start": (
        -REHEARSAL_GAP - timedelta(milliseconds=1), None),
    "two days early: a rehearsal": (-timedelta(days=2), None),
    "a day late (rerun): a rehearsal too": (timedelta(days=1), None),
}


@pytest.mark.parametrize(("offset", "booked_end"), REHEARSAL.values(), ids=REHEARSAL.keys())
def test_rehearsal_rule_moves_the_booked_slot_to_the_actual_start(offset, booked_end):
    first = T0 + offset
    clocks = ilo(s0=SlotClock(planned_ms=8 * MIN).start(first))
    now = first + timedelta(minutes=1)
    p = plan(clocks, 0, now, T0, BOOKED_END, first_started_at=first)
    expected_booked_end = booked_end or first + (BOOKED_END - T0)
    assert p.booked_end == expected_booked_end
    # projected: 7 min left of the opening + 82 min of the rest, from now.
    assert p.projected_end == now + timedelta(minutes=89)
    assert p.over_booked_ms == round((now + timedelta(minutes=89) - expected_booked_end).total_seconds() * 1000)
    assert p.planned_over_booked_ms == 10 * MIN  # the same lengths: the same 10-minute overrun
    # The planned starts move with the booked slot: a rehearsal's times line up with the clock.
    reference = T0 if booked_end else first
    assert p.rehearsal is (booked_end is None)
    assert p.planned_starts[0] == reference and p.planned_starts[1] == reference + timedelta(minutes=8)
    assert p.planned_end == reference + timedelta(minutes=90)


@pytest.mark.parametrize(("first_started", "rehearsal"), [
    (None, False),                                            # before the start: never
    (T0, False),
    (T0 + REHEARSAL_GAP, False),
    (T0 - REHEARSAL_GAP - timedelta(milliseconds=1), True),
    (T0 + timedelta(days=400), True),                         # the 2022 file run today
])
def test_is_rehearsal(first_started, rehearsal):
    assert is_rehearsal(T0, first_started) is rehearsal


@pytest.mark.parametrize(("now", "announced"), [
    (T0 - timedelta(days=1), T0),                    # the day before: "Starts at 10:30"
    (T0 - timedelta(minutes=5), T0),
    (T0 + timedelta(minutes=20), T0),                # running late: still the time it was due
    (T0 + REHEARSAL_GAP, T0),
    (T0 + REHEARSAL_GAP + timedelta(seconds=1), None),  # long past: "Starting soon"
    (T0 + timedelta(days=400), None),
])
def test_announced_start_is_dropped_once_long_past(now, announced):
    assert announced_start(T0, now) == announced


def test_before_a_start_long_after_the_schedule_the_overrun_is_that_of_a_start_now():
    now = T0 + timedelta(days=400)
    p = plan(ilo(), None, now, T0, BOOKED_END)
    assert (p.rehearsal, p.planned_starts[0], p.booked_end) == (False, T0, BOOKED_END)  # the schedule, until the start
    assert p.over_booked_ms == p.planned_over_booked_ms == 10 * MIN   # not 400 days over


def test_before_a_start_on_the_day_the_schedule_stays():
    p = plan(ilo(), None, t(30), T0, BOOKED_END)
    assert (p.rehearsal, p.planned_starts[0], p.booked_end) == (False, T0, BOOKED_END)
