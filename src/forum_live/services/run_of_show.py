"""Driving the run of show: start, pause, resume, next, previous, go to a segment, +/- time.

Every operation stores instants on the segments (see domain.timer) and only flushes.
"""
from datetime import datetime


from ..domain.errors import ForumError
from ..domain.timer import RUNNING, SlotClock
from ..persistence.models import Event, Segment

#: Largest single +/- adjustment the console may send (ms).
MAX_ADJUST_MS = 60 * 60_000


def clock_of(segment: Segment) -> SlotClock:
    """Return the SlotClock stored on ``segment``."""
    return SlotClock(planned_ms=segment.planned_ms, adjust_ms=segment.adjust_ms,
                     started_at=segment.started_at, paused_at=segment.paused_at,
                     paused_total_ms=segment.paused_total_ms)


def _store(segment: Segment, clock: SlotClock) -> None:
    segment.adjust_ms = clock.adjust_ms
    segment.started_at = clock.started_at
    segment.paused_at = clock.paused_at
    segment.paused_total_ms = clock.paused_total_ms


def current_segment(event: Event) -> Segment | None:
    """Return the segment on air, or None before or after the show."""
    return next((s for s in event.segments if s.id == event.current_segment_id), None)


def _on_air(event: Event) -> Segment:
    seg = current_segment(event)
    if seg is None:
        raise ForumError("invalid_state", "No segment is on air.")
    return seg


def goto_segment(event: Event, segment_id: int, now: datetime, run: bool = True) -> Segment:
    """Put segment ``segment_id`` on air; the one on air is held and marked left at ``now``.

    ``run`` starts (or resumes) the new segment's clock; otherwise it keeps its own state.
    Raises ForumError(not_found) for a segment not in this event.
    """
    target = next((s for s in event.segments if s.id == segment_id), None)
    if target is None:
        raise ForumError("not_found", f"No segment {segment_id} in this run of show.")
    here = current_segment(event)
    if here is not None and here.id != target.id:
        _store(here, clock_of(here).hold(now))
        here.left_at = now
    event.current_segment_id = target.id
    event.ended_at = None
    target.left_at = None
    if run:
        _store(target, clock_of(target).start(now))
    return target


def start_show(event: Event, now: datetime) -> Segment:
    """Start the segment on air, or the first segment if the show has not begun (or resume).

    Raises ForumError(invalid_state) once the show has ended (go back with previous_segment),
    so a second press of Next on the last segment cannot reopen the show at its first segment.
    """
    seg = current_segment(event)
    if seg is None:
        if event.ended_at is not None:
            raise ForumError("invalid_state", "The show has ended; go back with previous to reopen it.")
        return goto_segment(event, event.segments[0].id, now)
    _store(seg, clock_of(seg).start(now))
    return seg


def pause_segment(event: Event, now: datetime) -> Segment:
    """Pause the segment on air; raises ForumError(invalid_state) if nothing is running."""
    seg = _on_air(event)
    _store(seg, clock_of(seg).pause(now))
    return seg


def next_segment(event: Event, now: datetime) -> Segment | None:
    """Move on: start the next segment, or end the show after the last one (returns None).

    Before the show it starts the first segment; after the end it raises ForumError(invalid_state).
    """
    seg = current_segment(event)
    if seg is None:
        return start_show(event, now)
    if seg.position + 1 < len(event.segments):
        return goto_segment(event, event.segments[seg.position + 1].id, now)
    _store(seg, clock_of(seg).hold(now))
    seg.left_at = now
    event.current_segment_id = None
    event.ended_at = now
    return None


def previous_segment(event: Event, now: datetime) -> Segment:
    """Go back one segment; it comes back paused at the time it had left.

    Raises ForumError(invalid_state) on the first segment or before the show.
    """
    seg = current_segment(event)
    if seg is None and event.ended_at is not None:
        return goto_segment(event, event.segments[-1].id, now, run=False)
    if seg is None or seg.position == 0:
        raise ForumError("invalid_state", "There is no previous segment.")
    return goto_segment(event, event.segments[seg.position - 1].id, now, run=False)


def adjust_segment(event: Event, delta_ms: int) -> Segment:
    """Add ``delta_ms`` (negative removes) to the segment on air, or to the first segment
    before the show. Raises ForumError(invalid_payload) beyond +/-60 min, invalid_state below 0."""
    if not -MAX_ADJUST_MS <= delta_ms <= MAX_ADJUST_MS or delta_ms == 0:
        raise ForumError("invalid_payload", "An adjustment is a non-zero number of ms within one hour.")
    seg = current_segment(event) or (event.segments[0] if event.ended_at is None else None)
    if seg is None:
        raise ForumError("invalid_state", "The show has ended.")
    _store(seg, clock_of(seg).adjust(delta_ms))
    return seg


def is_running(event: Event) -> bool:
    """True if a segment's clock is running."""
    seg = current_segment(event)
    return seg is not None and clock_of(seg).state == RUNNING
