"""The run of show: planned start of each segment, the projected end, and the booked-slot check."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from .timer import IDLE, SlotClock

SEGMENT_KINDS = ("opening", "panelist", "discussion", "qa", "poll", "closing")

#: A show started further than this from its scheduled start is a rehearsal (see ``plan``).
REHEARSAL_GAP = timedelta(hours=12)


@dataclass(frozen=True)
class Plan:
    """The whole run of show at one instant.

    ``planned_starts`` are the scheduled start instants of each segment (back to back from the
    scheduled start); ``planned_end`` ends the last one; ``projected_end`` is when the show will
    end if every segment still to come takes its planned length (ms adjustments included);
    ``booked_end`` is the end of the booked slot against which overruns are measured, and
    ``over_booked_ms`` how far the projected end passes it (negative: time to spare).
    ``rehearsal``: the show started as a rehearsal (see ``is_rehearsal``); then the planned
    starts, the planned end and the booked slot are all shifted to the actual start. Before a
    start long after the schedule, ``over_booked_ms`` is measured as if the slot began now.
    """

    planned_starts: list[datetime]
    planned_end: datetime
    projected_end: datetime
    booked_end: datetime | None
    over_booked_ms: int | None
    planned_over_booked_ms: int | None
    rehearsal: bool = False


def is_rehearsal(scheduled_start: datetime, first_started_at: datetime | None) -> bool:
    """True when the show started further than REHEARSAL_GAP (12 h) from its scheduled start:
    a rehearsal the day before, or a run of an old event file. False before the start."""
    return first_started_at is not None and abs(first_started_at - scheduled_start) > REHEARSAL_GAP


def announced_start(scheduled_start: datetime, now: datetime) -> datetime | None:
    """The start time to announce before the show (phones, projector): the scheduled start,
    or None ("starting soon") once it is more than REHEARSAL_GAP past, when a start now would
    be a rehearsal and "Starts at 10:30" would name a time long gone."""
    return None if now - scheduled_start > REHEARSAL_GAP else scheduled_start


def plan(
    clocks: list[SlotClock],
    current: int | None,
    now: datetime,
    scheduled_start: datetime,
    booked_end: datetime | None,
    ended: bool = False,
    first_started_at: datetime | None = None,
    last_left_at: datetime | None = None,
) -> Plan:
    """Compute the run of show's plan and projection.

    ``clocks`` are the segments' clocks in order; ``current`` the index of the segment on air
    (None before the show and after it); ``ended`` says the show is over, ``last_left_at`` when.
    Skipped segments count for nothing in the projection; segments still to come count their
    length (planned + adjustments), started ones what they have left.
    Rehearsal rule: when the show started more than 12 h from its scheduled start, the whole
    schedule (planned starts, planned end, booked slot) is measured from the actual start (same
    lengths), so a rehearsal shows the real trade-off and times that line up with the clock.
    """
    rehearsal = is_rehearsal(scheduled_start, first_started_at)
    reference = first_started_at if rehearsal else scheduled_start
    # Not started and the scheduled start long past: a start now would be a rehearsal, so the
    # overrun is measured against a slot starting now (not "36946 h over the booked slot" of a
    # 2022 event file). The times shown stay the schedule's until the start (they do not tick).
    over_reference = now if first_started_at is None and announced_start(scheduled_start, now) is None else reference
    starts, cursor = [], reference
    for clock in clocks:
        starts.append(cursor)
        cursor += timedelta(milliseconds=clock.planned_ms)
    planned_end = cursor

    if ended and last_left_at is not None:
        projected_end = last_left_at
    else:
        base = now
        if first_started_at is None and now < scheduled_start:
            base = scheduled_start
        left_ms = 0
        first = 0 if current is None else current
        for clock in clocks[first:]:
            if clock.skipped:
                continue
            left_ms += max(0, clock.remaining_ms(now)) if clock.state != IDLE else clock.length_ms
        projected_end = base + timedelta(milliseconds=left_ms)

    over = planned_over = None
    if booked_end is not None:
        effective_booked_end = reference + (booked_end - scheduled_start)
        over = round((projected_end - (over_reference + (booked_end - scheduled_start))).total_seconds() * 1000)
        planned_over = round((planned_end - effective_booked_end).total_seconds() * 1000)
        booked_end = effective_booked_end
    return Plan(starts, planned_end, projected_end, booked_end, over, planned_over, rehearsal)


def next_index(clocks: list[SlotClock], current: int | None) -> int | None:
    """Index of the segment Next puts on air: the first after ``current`` (or from the start when
    None) that has not been skipped; None when none is left (Next then ends the show)."""
    start = 0 if current is None else current + 1
    return next((i for i in range(start, len(clocks)) if not clocks[i].skipped), None)
