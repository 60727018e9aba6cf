"""The clock of one slot of the run of show, computed from stored instants, never ticked.

A slot's time left is ``planned_ms + adjust_ms - elapsed_ms``, where elapsed time is the wall time
since it was first started minus the time it spent paused. A slot that the show has left (next or
previous) is *finished*: its count stops at the moment it was left, and re-entering it resumes
where it stopped. A slot finished without ever running has been *skipped*.

States: ``idle`` (never started), ``running``, ``paused``, ``finished``. Overtime is not a state:
it is a running or stopped slot whose remaining time is negative (see ``phase``).
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .clock import ms_between, to_ms
from .errors import ForumError

IDLE, RUNNING, PAUSED, FINISHED = "idle", "running", "paused", "finished"

#: Phases, in the order a slot goes through them. Labels are shown on screens next to colour
#: and shape, so a phase reads without colour.
ON_TIME, WRAP_UP, TIME_UP, OVERTIME = "on-time", "wrap-up", "time-up", "overtime"
PHASE_LABELS = {ON_TIME: "On time", WRAP_UP: "Wrap up", TIME_UP: "Time up", OVERTIME: "Overtime"}

#: How long "time up" is shown after zero before the slot counts as in overtime (ms).
TIME_UP_GRACE_MS = 30_000


@dataclass(frozen=True)
class SlotClock:
    """The stored facts of one slot's timer; every operation returns a new value.

    ``planned_ms`` and ``adjust_ms`` are durations in ms (adjustments are the moderator's +/-
    minutes); ``started_at`` is the first start, ``paused_at`` is set while paused (or finished),
    ``paused_total_ms`` sums finished pauses, ``finished_at`` is set once the show has left the
    slot (None while on air). All instants are aware UTC datetimes.
    """

    planned_ms: int
    adjust_ms: int = 0
    started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_total_ms: int = 0
    finished_at: datetime | None = None

    @property
    def state(self) -> str:
        """Return ``idle`` (never started), ``running``, ``paused`` or ``finished``."""
        if self.finished_at is not None:
            return FINISHED
        if self.started_at is None:
            return IDLE
        return PAUSED if self.paused_at is not None else RUNNING

    @property
    def skipped(self) -> bool:
        """True for a slot finished without ever running (skipped)."""
        return self.finished_at is not None and self.started_at is None

    @property
    def length_ms(self) -> int:
        """The slot's length: planned plus adjustments (ms)."""
        return self.planned_ms + self.adjust_ms

    def elapsed_ms(self, now: datetime) -> int:
        """Return the ms this slot has been running, pauses excluded; never negative."""
        if self.started_at is None:
            return 0
        until = self.paused_at if self.paused_at is not None else now
        return max(0, ms_between(self.started_at, until) - self.paused_total_ms)

    def remaining_ms(self, now: datetime) -> int:
        """Return the ms left in the slot at ``now``; negative once in overtime."""
        return self.planned_ms + self.adjust_ms - self.elapsed_ms(now)

    def deadline(self) -> datetime | None:
        """Return the instant the slot reaches zero if running, else None."""
        if self.state != RUNNING:
            return None
        return self.started_at + timedelta(
            milliseconds=self.paused_total_ms + self.planned_ms + self.adjust_ms
        )

    def start(self, now: datetime) -> "SlotClock":
        """Start an idle slot or resume a paused or finished one; a running slot is unchanged."""
        if self.finished_at is not None:
            return self.reopen().start(now)
        if self.state == IDLE:
            return replace(self, started_at=now, paused_at=None)
        if self.state == PAUSED:
            pause_ms = max(0, ms_between(self.paused_at, now))
            return replace(self, paused_at=None, paused_total_ms=self.paused_total_ms + pause_ms)
        return self

    def pause(self, now: datetime) -> "SlotClock":
        """Pause a running slot; raises ForumError(invalid_state) if it is not running."""
        if self.state != RUNNING:
            raise ForumError("invalid_state", "The timer is not running.")
        return replace(self, paused_at=max(now, self.started_at))

    def finish(self, now: datetime) -> "SlotClock":
        """The show leaves this slot at ``now``: the count stops there (a finished slot is unchanged)."""
        if self.finished_at is not None:
            return self
        stopped = self.pause(now) if self.state == RUNNING else self
        return replace(stopped, finished_at=max(now, self.started_at) if self.started_at else now)

    def reopen(self) -> "SlotClock":
        """Bring a finished slot back (paused where it stopped, or idle if it was skipped)."""
        return replace(self, finished_at=None)

    def skip(self, now: datetime) -> "SlotClock":
        """Skip a slot that never ran; raises ForumError(invalid_state) if it has started."""
        if self.started_at is not None:
            raise ForumError("invalid_state", "This segment has already run; it cannot be skipped.")
        return replace(self, finished_at=now)

    def reset(self) -> "SlotClock":
        """The slot as planned, never started, with no adjustment (a rehearsal forgotten)."""
        return SlotClock(planned_ms=self.planned_ms)

    def adjust(self, delta_ms: int) -> "SlotClock":
        """Add ``delta_ms`` (negative removes time) to the slot's length.

        Raises ForumError(invalid_state) if the slot's total length would drop below zero.
        """
        if self.planned_ms + self.adjust_ms + delta_ms < 0:
            raise ForumError("invalid_state", "A slot cannot be shorter than zero.")
        return replace(self, adjust_ms=self.adjust_ms + delta_ms)

    def wire(self, now: datetime) -> dict:
        """Return the wire form: state, deadline_ms (epoch ms, running only), remaining_ms,
        elapsed_ms, planned_ms, adjust_ms (all durations in ms)."""
        return {
            "state": self.state,
            "deadline_ms": to_ms(self.deadline()),
            "remaining_ms": self.remaining_ms(now),
            "elapsed_ms": self.elapsed_ms(now),
            "planned_ms": self.planned_ms,
            "adjust_ms": self.adjust_ms,
        }


def phase(remaining_ms: int, wrap_up_ms: int, time_up_grace_ms: int = TIME_UP_GRACE_MS) -> str:
    """Return the phase for ``remaining_ms`` left: on-time, wrap-up (at or under ``wrap_up_ms``),
    time-up (from zero for ``time_up_grace_ms``), then overtime. All arguments in ms.

    Thresholds follow stage timers' usual warning/danger pair (Ontime, stagetimer.io).
    """
    if remaining_ms > wrap_up_ms:
        return ON_TIME
    if remaining_ms > 0:
        return WRAP_UP
    if remaining_ms > -time_up_grace_ms:
        return TIME_UP
    return OVERTIME
