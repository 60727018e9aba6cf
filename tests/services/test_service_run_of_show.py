"""Driving the run of show on a real database: start, pause, next, previous, goto, adjust, end."""
from datetime import UTC, datetime, timedelta

import pytest

from forum_live.domain.errors import ForumError
from forum_live.domain.timer import FINISHED, IDLE, PAUSED, RUNNING
from forum_live.services import run_of_show as ros
from forum_live.services.events import get_event
from forum_live.services.views import run_view

MIN = 60_000
T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)  # the scheduled start


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def state_of(segment, now):
    clock = ros.clock_of(segment)
    return clock.state, clock.remaining_ms(now)


def test_start_show_puts_the_first_segment_on_air_running(session, event):
    seg = ros.start_show(event, at(0))
    session.flush()
    assert (seg.position, event.current_segment_id, seg.started_at) == (0, seg.id, at(0))
    assert state_of(seg, at(1)) == (RUNNING, 7 * MIN)
    assert run_view(event, at(1))["status"] == "live"


def test_start_show_again_while_running_changes_nothing(session, event):
    ros.start_show(event, at(0))
    seg = ros.start_show(event, at(3))
    assert (seg.position, seg.started_at, state_of(seg, at(4))) == (0, at(0), (RUNNING, 4 * MIN))


def test_pause_then_start_resumes_without_counting_the_pause(session, event):
    ros.start_show(event, at(0))
    seg = ros.pause_segment(event, at(2))
    assert state_of(seg, at(5)) == (PAUSED, 6 * MIN)
    ros.start_show(event, at(5))
    assert state_of(seg, at(6)) == (RUNNING, 5 * MIN)


@pytest.mark.parametrize("steps", [[], [("start_show", 0), ("pause_segment", 1)]],
                         ids=["before the show", "already paused"])
def test_pause_with_nothing_running_is_invalid_state(session, event, steps):
    for name, minute in steps:
        getattr(ros, name)(event, at(minute))
    with pytest.raises(ForumError) as err:
        ros.pause_segment(event, at(2))
    assert err.value.code == "invalid_state"


def test_next_holds_the_segment_left_and_starts_the_next(session, event):
    ros.start_show(event, at(0))
    nxt = ros.next_segment(event, at(8.5))
    first = event.segments[0]
    assert (nxt.position, event.current_segment_id) == (1, nxt.id)
    assert (first.left_at, state_of(first, at(20))) == (at(8.5), (FINISHED, -30_000))
    assert (nxt.started_at, nxt.left_at, state_of(nxt, at(10))) == (at(8.5), None, (RUNNING, 8.5 * MIN))


def test_next_walks_the_whole_run_of_show_then_ends_it(session, event):
    ros.start_show(event, at(0))
    positions = [ros.next_segment(event, at(10 * i)) for i in range(1, 10)]
    assert [s.position if s else None for s in positions] == [1, 2, 3, 4, 5, 6, 7, 8, None]
    assert (event.current_segment_id, event.ended_at, event.segments[-1].left_at) == (None, at(90), at(90))
    assert all(ros.clock_of(s).state == FINISHED for s in event.segments)
    run = run_view(event, at(100))
    assert (run["status"], run["timer"], run["current_segment_id"]) == ("ended", None, None)
    assert run["projected_end_ms"] == round(at(90).timestamp() * 1000)
    assert run["over_booked_ms"] == 10 * MIN


def test_next_before_the_show_starts_it(session, event):
    seg = ros.next_segment(event, at(0))
    assert (seg.position, ros.clock_of(seg).state) == (0, RUNNING)


@pytest.mark.parametrize("operation", ["next_segment", "start_show"])
def test_after_the_show_has_ended_next_and_start_are_refused(session, event, operation):
    """A double press of Next on the last segment must not reopen the show at the opening."""
    ros.goto_segment(event, event.segments[-1].id, at(85))
    ros.next_segment(event, at(90))
    with pytest.raises(ForumError) as err:
        getattr(ros, operation)(event, at(90.1))
    assert err.value.code == "invalid_state"
    assert (event.current_segment_id, event.ended_at) == (None, at(90))
    assert ros.clock_of(event.segments[0]).state == IDLE


def test_previous_comes_back_paused_with_the_time_it_had_left(session, event):
    ros.start_show(event, at(0))
    ros.next_segment(event, at(5))              # the opening had 3 min left
    seg = ros.previous_segment(event, at(7))
    second = event.segments[1]
    assert (seg.position, event.current_segment_id, seg.left_at) == (0, seg.id, None)
    assert state_of(seg, at(9)) == (PAUSED, 3 * MIN)
    assert (second.left_at, state_of(second, at(9))) == (at(7), (FINISHED, 8 * MIN))
    ros.start_show(event, at(10))
    assert state_of(seg, at(11)) == (RUNNING, 2 * MIN)


@pytest.mark.parametrize("steps", [[], [("start_show", 0)]], ids=["before the show", "on the first segment"])
def test_previous_with_nothing_before_is_invalid_state(session, event, steps):
    for name, minute in steps:
        getattr(ros, name)(event, at(minute))
    with pytest.raises(ForumError) as err:
        ros.previous_segment(event, at(1))
    assert err.value.code == "invalid_state"


def test_previous_after_the_end_reopens_the_last_segment_paused(session, event):
    ros.goto_segment(event, event.segments[-1].id, at(85))
    ros.next_segment(event, at(88))             # ended with 2 min of the closing unused
    seg = ros.previous_segment(event, at(89))
    assert (seg.position, event.ended_at, seg.left_at) == (8, None, None)
    assert state_of(seg, at(95)) == (PAUSED, 2 * MIN)
    assert run_view(event, at(95))["status"] == "live"


def test_goto_starts_the_chosen_segment_and_holds_the_one_left(session, event):
    ros.start_show(event, at(0))
    seg = ros.goto_segment(event, event.segments[4].id, at(3))
    assert (event.current_segment_id, state_of(seg, at(4))) == (seg.id, (RUNNING, 9 * MIN))
    assert (event.segments[0].left_at, state_of(event.segments[0], at(4))) == (at(3), (FINISHED, 5 * MIN))
    assert ros.clock_of(event.segments[1]).state == IDLE


def test_goto_unknown_segment_is_not_found(session, event):
    with pytest.raises(ForumError) as err:
        ros.goto_segment(event, 10_000, at(0))
    assert err.value.code == "not_found"


def test_adjust_adds_and_removes_time_on_the_segment_on_air(session, event):
    ros.start_show(event, at(0))
    seg = ros.adjust_segment(event, 2 * MIN)
    ros.adjust_segment(event, -MIN)
    assert (seg.position, seg.adjust_ms, state_of(seg, at(1))) == (0, MIN, (RUNNING, 8 * MIN))


def test_adjust_before_the_show_changes_the_first_segment(session, event):
    seg = ros.adjust_segment(event, MIN)
    assert (seg.position, seg.adjust_ms, run_view(event, at(-10))["projected_end_ms"]) == (
        0, MIN, round(at(91).timestamp() * 1000))


@pytest.mark.parametrize(("delta_ms", "code"), [
    (0, "invalid_payload"), (60 * MIN + 1, "invalid_payload"), (-60 * MIN - 1, "invalid_payload"),
    (-8 * MIN - 1, "invalid_state"),           # the opening has 8 minutes
])
def test_adjust_refused(session, event, delta_ms, code):
    with pytest.raises(ForumError) as err:
        ros.adjust_segment(event, delta_ms)
    assert err.value.code == code
    assert event.segments[0].adjust_ms == 0


def test_adjust_after_the_show_is_invalid_state(session, event):
    ros.goto_segment(event, event.segments[-1].id, at(85))
    ros.next_segment(event, at(90))
    with pytest.raises(ForumError) as err:
        ros.adjust_segment(event, MIN)
    assert err.value.code == "invalid_state"


def test_stored_instants_rebuild_the_same_run_of_show_in_a_new_session(sessions, session, event):
    ros.start_show(event, at(0.25))
    ros.pause_segment(event, at(2))
    ros.start_show(event, at(3.5))
    ros.next_segment(event, at(9))
    ros.adjust_segment(event, 90_000)
    ros.goto_segment(event, event.segments[3].id, at(12.123456))
    ros.previous_segment(event, at(14))
    session.commit()
    before = run_view(event, at(20))
    with sessions() as fresh:
        again = get_event(fresh, "ILO22")
        assert again is not event
        assert [ros.clock_of(s) for s in again.segments] == [ros.clock_of(s) for s in event.segments]
        assert [s.left_at for s in again.segments] == [s.left_at for s in event.segments]
        assert all(s.started_at is None or s.started_at.tzinfo is not None for s in again.segments)
        assert run_view(again, at(20)) == before
