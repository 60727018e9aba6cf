"""SlotClock: a slot's time computed from stored instants; phases from the time left."""
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum_live.domain.clock import ms_between, to_ms
from forum_live.domain.errors import ForumError
from forum_live.domain.timer import (
    FINISHED,
    IDLE,
    ON_TIME,
    OVERTIME,
    PAUSED,
    PHASE_LABELS,
    RUNNING,
    TIME_UP,
    WRAP_UP,
    SlotClock,
    phase,
)

# When a property fails, Hypothesis imports libcst (if installed) to print a patch; libcst 1.0
# imports a deprecated mypy_extensions.TypedDict, and with warnings as errors that warning would
# crash the whole run (INTERNALERROR) instead of reporting the failing example.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
MIN = 60_000
PLANNED = 10 * MIN


def at(seconds: float) -> datetime:
    """The instant ``seconds`` after T0."""
    return T0 + timedelta(seconds=seconds)


def run(ops) -> SlotClock:
    """Apply ``ops`` ((name, seconds-or-ms), ...) to a fresh 10-minute clock."""
    clock = SlotClock(planned_ms=PLANNED)
    for name, arg in ops:
        if name == "adjust":
            clock = clock.adjust(arg)
        elif name in ("reopen", "reset"):
            clock = getattr(clock, name)()
        else:
            clock = getattr(clock, name)(at(arg))
    return clock


# (ops, now in s) -> (state, elapsed_ms, remaining_ms, deadline)
CASES = {
    "idle clock has its whole length left": (
        [], 0, (IDLE, 0, PLANNED, None)),
    "running clock counts wall time": (
        [("start", 0)], 60, (RUNNING, MIN, 9 * MIN, at(600))),
    "now before the start instant gives zero elapsed, not negative": (
        [("start", 60)], 0, (RUNNING, 0, PLANNED, at(660))),
    "paused clock stops counting": (
        [("start", 0), ("pause", 120)], 300, (PAUSED, 2 * MIN, 8 * MIN, None)),
    "resume excludes the pause from elapsed": (
        [("start", 0), ("pause", 120), ("start", 180)], 300, (RUNNING, 4 * MIN, 6 * MIN, at(660))),
    "two pauses both excluded and the deadline moves by both": (
        [("start", 0), ("pause", 60), ("start", 90), ("pause", 150), ("start", 200)], 260,
        (RUNNING, 3 * MIN, 7 * MIN, at(680))),
    "start on a running clock changes nothing": (
        [("start", 0), ("start", 100)], 200, (RUNNING, 200_000, 400_000, at(600))),
    "finish stops a running clock at the instant it is left": (
        [("start", 0), ("finish", 100)], 500, (FINISHED, 100_000, 500_000, None)),
    "finishing an idle clock skips it": (
        [("finish", 100)], 500, (FINISHED, 0, PLANNED, None)),
    "finish keeps an earlier pause instant": (
        [("start", 0), ("pause", 50), ("finish", 100)], 200, (FINISHED, 50_000, 550_000, None)),
    "finishing twice keeps the first instant": (
        [("start", 0), ("finish", 100), ("finish", 300)], 400, (FINISHED, 100_000, 500_000, None)),
    "reopened after finishing it is paused where it stopped": (
        [("start", 0), ("finish", 100), ("reopen", 0)], 400, (PAUSED, 100_000, 500_000, None)),
    "start on a finished clock resumes it without counting the time away": (
        [("start", 0), ("finish", 100), ("start", 300)], 400, (RUNNING, 200_000, 400_000, at(800))),
    "a skipped clock reopens idle": (
        [("skip", 10), ("reopen", 0)], 400, (IDLE, 0, PLANNED, None)),
    "reset forgets the run and the adjustments": (
        [("adjust", MIN), ("start", 0), ("pause", 100), ("reset", 0)], 400, (IDLE, 0, PLANNED, None)),
    "pause before the start instant is clamped to the start": (
        [("start", 100), ("pause", 50)], 200, (PAUSED, 0, PLANNED, None)),
    "adding a minute lengthens an idle slot": (
        [("adjust", MIN)], 0, (IDLE, 0, 11 * MIN, None)),
    "removing two minutes brings the deadline forward": (
        [("start", 0), ("adjust", -2 * MIN)], 60, (RUNNING, MIN, 7 * MIN, at(480))),
    "adjusting down to exactly zero is allowed": (
        [("adjust", -PLANNED)], 0, (IDLE, 0, 0, None)),
    "past the deadline remaining goes negative (overtime)": (
        [("start", 0)], 700, (RUNNING, 700_000, -100_000, at(600))),
    "overtime while paused stays frozen": (
        [("start", 0), ("pause", 660)], 900, (PAUSED, 660_000, -60_000, None)),
}


@pytest.mark.parametrize(("ops", "now", "expected"), CASES.values(), ids=CASES.keys())
def test_slot_clock_state_elapsed_remaining_deadline(ops, now, expected):
    clock = run(ops)
    assert (clock.state, clock.elapsed_ms(at(now)), clock.remaining_ms(at(now)), clock.deadline()) == expected


REFUSED = {
    "pause an idle clock": [("pause", 10)],
    "pause a paused clock": [("start", 0), ("pause", 10), ("pause", 20)],
    "adjust below zero": [("adjust", -PLANNED - 1)],
    "adjustments that add up to below zero": [("adjust", -6 * MIN), ("adjust", -5 * MIN)],
    "remove more than a lengthened slot has": [("adjust", 2 * MIN), ("adjust", -13 * MIN)],
    "pause a finished clock": [("start", 0), ("finish", 10), ("pause", 20)],
    "skip a clock that has run": [("start", 0), ("skip", 10)],
}


@pytest.mark.parametrize("ops", REFUSED.values(), ids=REFUSED.keys())
def test_slot_clock_refuses_impossible_operations_as_invalid_state(ops):
    with pytest.raises(ForumError) as err:
        run(ops)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize(("ops", "now", "expected"), [
    ([("start", 0)], 60, {"state": RUNNING, "deadline_ms": to_ms(at(600)), "remaining_ms": 9 * MIN,
                          "elapsed_ms": MIN, "planned_ms": PLANNED, "adjust_ms": 0}),
    ([("adjust", MIN), ("start", 0), ("pause", 30)], 60,
     {"state": PAUSED, "deadline_ms": None, "remaining_ms": 10 * MIN + 30_000, "elapsed_ms": 30_000,
      "planned_ms": PLANNED, "adjust_ms": MIN}),
], ids=["running has an epoch-ms deadline", "paused has no deadline"])
def test_slot_clock_wire_form(ops, now, expected):
    assert run(ops).wire(at(now)) == expected


@pytest.mark.parametrize(("remaining_ms", "wrap_up_ms", "grace_ms", "expected"), [
    (10 * MIN, 120_000, 30_000, ON_TIME),
    (120_001, 120_000, 30_000, ON_TIME),
    (120_000, 120_000, 30_000, WRAP_UP),
    (1, 120_000, 30_000, WRAP_UP),
    (0, 120_000, 30_000, TIME_UP),
    (-29_999, 120_000, 30_000, TIME_UP),
    (-30_000, 120_000, 30_000, OVERTIME),
    (-3_600_000, 120_000, 30_000, OVERTIME),
    (1, 0, 30_000, ON_TIME),
    (0, 0, 30_000, TIME_UP),
    (-4_999, 120_000, 5_000, TIME_UP),
    (-5_000, 120_000, 5_000, OVERTIME),
    (-1, 120_000, 0, OVERTIME),
])
def test_phase_boundaries(remaining_ms, wrap_up_ms, grace_ms, expected):
    assert phase(remaining_ms, wrap_up_ms, grace_ms) == expected


def test_phase_default_grace_is_thirty_seconds():
    assert (phase(-29_999, 0), phase(-30_000, 0)) == (TIME_UP, OVERTIME)


@pytest.mark.parametrize(("name", "label"), [
    (ON_TIME, "On time"), (WRAP_UP, "Wrap up"), (TIME_UP, "Time up"), (OVERTIME, "Overtime")])
def test_every_phase_has_a_text_label(name, label):
    assert PHASE_LABELS[name] == label


# --- properties -----------------------------------------------------------------------------

OPS = st.lists(st.tuples(
    st.sampled_from(["start", "pause", "finish", "reopen", "skip", "adjust", "reset"]),
    st.integers(min_value=0, max_value=10 * MIN),           # gap before the op (ms)
    st.integers(min_value=-15 * MIN, max_value=15 * MIN),   # delta for adjust (ms)
), max_size=30)


class Model:
    """The naive model: sums running intervals as they happen (a stopwatch with a bank)."""

    def __init__(self, planned_ms):
        self.planned, self.adjust, self.banked = planned_ms, 0, 0
        self.running_since, self.started, self.finished = None, False, False

    def stop(self, now):
        if self.running_since is not None:
            self.banked += ms_between(self.running_since, now)
            self.running_since = None

    def elapsed(self, later):
        return self.banked + (ms_between(self.running_since, later) if self.running_since else 0)

    def state(self):
        if self.finished:
            return FINISHED
        if not self.started:
            return IDLE
        return RUNNING if self.running_since else PAUSED


@settings(max_examples=400, deadline=None)
@given(ops=OPS, planned_ms=st.integers(min_value=0, max_value=60 * MIN),
       look_ahead_ms=st.integers(min_value=0, max_value=60 * MIN))
def test_slot_clock_matches_a_model_that_sums_running_intervals(ops, planned_ms, look_ahead_ms):
    """Over any sequence of start, pause, finish, reopen, skip, adjust and reset at increasing
    instants: elapsed equals the summed running time of a naive model (pausing or finishing
    stops the count; no time is lost or invented), is never negative nor more than the wall time
    since the start; remaining is planned + adjust - elapsed; refusals happen exactly when the
    model says the operation is impossible, and change nothing."""
    clock, now, model = SlotClock(planned_ms=planned_ms), T0, Model(planned_ms)
    for name, gap_ms, delta in ops:
        now += timedelta(milliseconds=gap_ms)
        refused = ((name == "adjust" and planned_ms + model.adjust + delta < 0)
                   or (name == "pause" and model.state() != RUNNING)
                   or (name == "skip" and model.started))
        if refused:
            with pytest.raises(ForumError):
                clock.adjust(delta) if name == "adjust" else getattr(clock, name)(now)
            continue
        if name == "adjust":
            clock = clock.adjust(delta)
            model.adjust += delta
        elif name == "start":
            clock = clock.start(now)
            model.finished, model.started = False, True
            model.running_since = model.running_since or now
        elif name == "pause":
            clock = clock.pause(now)
            model.stop(now)
        elif name == "finish":
            clock = clock.finish(now)
            if not model.finished:
                model.stop(now)
                model.finished = True
        elif name == "skip":
            clock, model.finished = clock.skip(now), True
        elif name == "reopen":
            clock, model.finished = clock.reopen(), False
        else:  # reset
            clock, model = clock.reset(), Model(planned_ms)
        for later in (now, now + timedelta(milliseconds=look_ahead_ms)):
            elapsed = clock.elapsed_ms(later)
            assert elapsed == model.elapsed(later)
            assert 0 <= elapsed <= (ms_between(clock.started_at, later) if clock.started_at else 0)
            assert clock.remaining_ms(later) == planned_ms + model.adjust - elapsed
            assert clock.state == model.state()
            assert clock.skipped == (model.finished and not model.started)


@settings(max_examples=200, deadline=None)
@given(ops=OPS, look_ahead_ms=st.integers(min_value=0, max_value=60 * MIN))
def test_running_clock_reaches_zero_exactly_at_its_deadline(ops, look_ahead_ms):
    clock, now = SlotClock(planned_ms=PLANNED), T0
    for name, gap_ms, delta in ops:
        now += timedelta(milliseconds=gap_ms)
        try:
            if name == "adjust":
                clock = clock.adjust(delta)
            elif name in ("reopen", "reset"):
                clock = getattr(clock, name)()
            else:
                clock = getattr(clock, name)(now)
        except ForumError:
            continue
    clock = clock.start(now)
    later = now + timedelta(milliseconds=look_ahead_ms)
    assert clock.remaining_ms(later) == ms_between(later, clock.deadline())
