"""Run-of-show and timer events, sent by moderator consoles."""
from ..services import run_of_show
from . import schemas
from .broadcast import RUN
from .handling import Outcome, action


@action(schemas.Empty)
def on_timer_start(session, event, data, conn, now):
    """Console -> server ``timer:start``: start the show or the on-air segment, or resume it."""
    run_of_show.start_show(event, now)
    return Outcome(parts={RUN})


@action(schemas.Empty)
def on_timer_pause(session, event, data, conn, now):
    """Console -> server ``timer:pause``."""
    run_of_show.pause_segment(event, now)
    return Outcome(parts={RUN})


@action(schemas.Empty)
def on_timer_next(session, event, data, conn, now):
    """Console -> server ``timer:next``: the next segment goes on air (or the show ends)."""
    run_of_show.next_segment(event, now)
    return Outcome(parts={RUN})


@action(schemas.Empty)
def on_timer_previous(session, event, data, conn, now):
    """Console -> server ``timer:previous``: back one segment, paused."""
    run_of_show.previous_segment(event, now)
    return Outcome(parts={RUN})


@action(schemas.SegmentRef)
def on_timer_goto(session, event, data, conn, now):
    """Console -> server ``timer:goto``: put a segment on air and start it."""
    run_of_show.goto_segment(event, data.segment_id, now)
    return Outcome(parts={RUN})


@action(schemas.Adjust)
def on_timer_adjust(session, event, data, conn, now):
    """Console -> server ``timer:adjust``: add or remove ``delta_ms`` on the on-air segment."""
    run_of_show.adjust_segment(event, data.delta_ms)
    return Outcome(parts={RUN})


MODERATOR = {
    "timer:start": on_timer_start, "timer:pause": on_timer_pause, "timer:next": on_timer_next,
    "timer:previous": on_timer_previous, "timer:goto": on_timer_goto, "timer:adjust": on_timer_adjust,
}
