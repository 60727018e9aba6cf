"""Driving the run of show: start, pause, resume, next, previous, go to a segment, +/- time,
skip, auto-advance, and the reset that forgets a rehearsal.

Every operation stores instants on the segments (see domain.timer) and only flushes. These are
plain functions of (event, arguments, now): a socket handler or an HTTP endpoint calls them the
same way, inside one transaction, and commits before broadcasting.
"""
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session, object_session

from ..domain.agenda import next_index
from ..domain.errors import ForumError
from ..domain.timer import SlotClock
from ..persistence.models import Event, FloorChange, PlanChange, Segment, StageCue
from .polls import close_open_polls

#: Largest single +/- adjustment the console may send (ms).
MAX_ADJUST_MS = 60 * 60_000


def clock_of(segment: Segment) -> SlotClock:
    """Return the SlotClock stored on ``segment`` (``left_at`` is the clock's ``finished_at``)."""
    return SlotClock(planned_ms=segment.planned_ms, adjust_ms=segment.adjust_ms,
                     started_at=segment.started_at, paused_at=segment.paused_at,
                     paused_total_ms=segment.paused_total_ms, finished_at=segment.left_at)


def store_clock(segment: Segment, clock: SlotClock) -> None:
    """Write ``clock``'s facts back onto ``segment`` (the inverse of ``clock_of``)."""
    segment.adjust_ms = clock.adjust_ms
    segment.started_at = clock.started_at
    segment.paused_at = clock.paused_at
    segment.paused_total_ms = clock.paused_total_ms
    segment.left_at = clock.finished_at



def current_segment(event: Event) -> Segment | None:
    """Return the segment on air, or None before or after the show."""
    return next((s for s in event.segments if s.id == event.current_segment_id), None)


def get_segment(event: Event, segment_id: int) -> Segment:
    """Return segment ``segment_id`` of ``event``; raises ForumError(not_found)."""
    found = next((s for s in event.segments if s.id == segment_id), None)
    if found is None:
        raise ForumError("not_found", f"No segment {segment_id} in this run of show.")
    return found


def check_on_air(event: Event, expected_id: int | None) -> None:
    """Refuse a step decided on an older view of the show: ``expected_id`` is the segment the
    sender believed was on air (None: none, before or after the show). Raises
    ForumError(invalid_state) when another segment (or none) is on air now, e.g. a quick second
    press of Next, or Next pressed just as auto-advance moved the show on."""
    here = current_segment(event)
    if (here.id if here else None) == expected_id:
        return
    if here is not None:
        now_on = f"“{here.title}” is on air"
    elif event.ended_at is not None:
        now_on = "the show has ended"
    else:
        now_on = "the show has not started"
    raise ForumError("invalid_state", f"Already moved on: {now_on}. Press again to go on from there.")


def _on_air(event: Event) -> Segment:
    seg = current_segment(event)
    if seg is None:
        raise ForumError("invalid_state", "No segment is on air.")
    return seg


def goto_segment(event: Event, segment_id: int, now: datetime, run: bool = True) -> Segment:
    """Put segment ``segment_id`` on air; the one on air finishes at ``now``.

    ``run`` starts (or resumes) the new segment's clock; otherwise it comes back as it was
    (paused where it stopped, or idle). Raises ForumError(not_found) for a segment not in this event.
    """
    target = get_segment(event, segment_id)
    here = current_segment(event)
    if here is not None and here.id != target.id:
        store_clock(here, clock_of(here).finish(now))
    event.current_segment_id = target.id
    event.ended_at = None
    clock = clock_of(target).reopen()
    store_clock(target, clock.start(now) if run else clock)
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
        first = next_index([clock_of(s) for s in event.segments], None)
        if first is None:
            raise ForumError("invalid_state", "Every segment is skipped.")
        return goto_segment(event, event.segments[first].id, now)
    store_clock(seg, clock_of(seg).start(now))
    return seg


def pause_segment(event: Event, now: datetime) -> Segment:
    """Pause the segment on air; raises ForumError(invalid_state) if nothing is running."""
    seg = _on_air(event)
    store_clock(seg, clock_of(seg).pause(now))
    return seg


def next_segment(event: Event, now: datetime, keep_questions_open: bool = False) -> Segment | None:
    """Move on: start the next segment that is not skipped, or end the show after the last one
    (returns None; see end_show: ``keep_questions_open`` applies then only). Before the show it
    starts the first segment; after the end it raises ForumError(invalid_state)."""
    seg = current_segment(event)
    if seg is None:
        return start_show(event, now)
    following = next_index([clock_of(s) for s in event.segments], seg.position)
    if following is not None:
        return goto_segment(event, event.segments[following].id, now)
    end_show(event, seg, now, keep_questions_open)
    return None


def end_show(event: Event, last: Segment, now: datetime, keep_questions_open: bool = False) -> None:
    """End the show at ``now`` after segment ``last``: the open poll is closed (as a
    moderator's close), and the audience's questions close too unless ``keep_questions_open``
    (follow-up questions after the session; services.questions.keep_open_after_end changes it
    later)."""
    store_clock(last, clock_of(last).finish(now))
    event.current_segment_id = None
    event.ended_at = now
    event.questions_open_after_end = keep_questions_open
    close_open_polls(object_session(event), event, now)


def previous_segment(event: Event, now: datetime) -> Segment:
    """Go back one segment (skipped ones included: going back is deliberate); it comes back
    paused at the time it had left. Raises ForumError(invalid_state) on the first segment or
    before the show."""
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
    store_clock(seg, clock_of(seg).adjust(delta_ms))
    return seg


def skip_segment(event: Event, segment_id: int, skipped: bool, now: datetime) -> Segment:
    """Mark a segment still to come as skipped (Next passes over it and the projection leaves it
    out), or bring a skipped one back. Raises ForumError(not_found), or invalid_state for the
    segment on air or one that has already run."""
    seg = get_segment(event, segment_id)
    if seg.id == event.current_segment_id:
        raise ForumError("invalid_state", "The segment on air cannot be skipped; press Next.")
    clock = clock_of(seg)
    if skipped:
        if not clock.skipped:
            store_clock(seg, clock.skip(now))
    elif clock.skipped:
        store_clock(seg, clock.reopen())
    return seg


def set_auto_advance(event: Event, segment_id: int, on: bool) -> Segment:
    """Turn auto-advance on or off for a segment: at its deadline the show moves on by itself.
    Raises ForumError(not_found)."""
    seg = get_segment(event, segment_id)
    seg.auto_advance = on
    return seg


def next_auto_deadline(event: Event) -> datetime | None:
    """The instant the on-air segment auto-advances (its deadline), or None if it will not:
    nothing on air, not running, or auto-advance off."""
    seg = current_segment(event)
    if seg is None or not seg.auto_advance:
        return None
    return clock_of(seg).deadline()


def advance_due_segments(event: Event, now: datetime) -> int:
    """Apply every auto-advance due by ``now``, each at its exact deadline instant, and return
    how many were applied.

    A running auto-advance segment whose deadline has passed finishes *at its deadline* and the
    next segment starts at that same instant; if that one is also auto-advance and its own
    deadline has passed too (a server that was down or asleep), it follows in turn. So a late
    check never shifts the times: the stored instants are those of an exact clock.
    """
    applied = 0
    for _ in range(len(event.segments) + 1):
        deadline = next_auto_deadline(event)
        if deadline is None or deadline > now:
            break
        next_segment(event, deadline)
        applied += 1
    return applied


def reset_run_of_show(session: Session, event: Event) -> None:
    """Forget every stored time: clocks back to plan (no adjustment), nothing on air, the show
    not started, airtime, plan changes and stage cues cleared. Questions and polls are kept.

    Used after a rehearsal, whose stored times would otherwise leak into the real show (the
    projection, the rehearsal rule, airtime). The console asks for a confirmation first.
    """
    event.current_segment_id = None
    event.ended_at = None
    event.questions_open_after_end = False
    for seg in event.segments:
        store_clock(seg, clock_of(seg).reset())
        seg.prompt_index = 0
    session.execute(delete(FloorChange).where(FloorChange.event_id == event.id))
    session.execute(delete(PlanChange).where(PlanChange.event_id == event.id))
    session.execute(delete(StageCue).where(StageCue.event_id == event.id))
    session.flush()
