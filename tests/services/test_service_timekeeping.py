"""Timekeeping services on a real database: skip, auto-advance (with catch-up), reset,
rebalancing preview/apply/undo, airtime, the prompt deck and the stage cues."""
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum_live.domain.clock import to_ms
from forum_live.domain.errors import ForumError
from forum_live.domain.timer import FINISHED, IDLE, RUNNING
from forum_live.eventfile import load_event_file
from forum_live.persistence.db import make_engine, make_session_factory
from forum_live.services import airtime, prompts, rebalance, stage
from forum_live.services import run_of_show as ros
from forum_live.services.events import get_event, load_event
from forum_live.services.views import run_view

MIN = 60_000
T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)  # the scheduled start


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ms(minutes: float) -> int:
    return to_ms(at(minutes))


# ---- skip --------------------------------------------------------------------------------------

def test_next_passes_over_a_skipped_segment_and_the_projection_leaves_it_out(session, event):
    segs = event.segments
    ros.start_show(event, at(0))
    ros.skip_segment(event, segs[1].id, True, at(1))
    assert run_view(event, at(1))["projected_end_ms"] == ms(80)  # 90 planned, 10 skipped
    assert run_view(event, at(1))["next_segment_id"] == segs[2].id
    nxt = ros.next_segment(event, at(8))
    assert nxt.position == 2
    assert (ros.clock_of(segs[1]).state, ros.clock_of(segs[1]).skipped) == (FINISHED, True)


def test_a_skipped_segment_comes_back(session, event):
    seg = event.segments[7]
    ros.skip_segment(event, seg.id, True, at(-5))
    ros.skip_segment(event, seg.id, False, at(-4))
    assert ros.clock_of(seg).state == IDLE and seg.left_at is None


@pytest.mark.parametrize("which", ["on air", "already run"])
def test_skip_refused_on_air_or_after_running(session, event, which):
    ros.start_show(event, at(0))
    if which == "already run":
        ros.next_segment(event, at(8))
    with pytest.raises(ForumError) as err:
        ros.skip_segment(event, event.segments[0].id, True, at(9))
    assert err.value.code == "invalid_state"


def test_before_the_show_a_skipped_opening_makes_the_first_slot_the_timer(session, event):
    ros.skip_segment(event, event.segments[0].id, True, at(-10))
    run = run_view(event, at(-10))
    assert (run["timer"]["segment_id"], run["next_segment_id"]) == (event.segments[1].id, event.segments[2].id)
    assert ros.start_show(event, at(0)).position == 1


# ---- auto-advance ------------------------------------------------------------------------------

def _auto(event, *positions):
    for p in positions:
        ros.set_auto_advance(event, event.segments[p].id, True)


def test_nothing_advances_before_the_deadline_nor_without_auto(session, event):
    ros.start_show(event, at(0))
    assert ros.advance_due_segments(event, at(20)) == 0      # auto-advance is off
    _auto(event, 0)
    assert ros.advance_due_segments(event, at(7.99)) == 0
    assert ros.next_auto_deadline(event) == at(8)


def test_auto_advance_applies_the_transition_at_the_deadline_instant_not_when_checked(session, event):
    _auto(event, 0)
    ros.start_show(event, at(0))
    assert ros.advance_due_segments(event, at(8) + timedelta(seconds=3.7)) == 1
    first, second = event.segments[:2]
    assert (first.left_at, ros.clock_of(first).elapsed_ms(at(30))) == (at(8), 8 * MIN)
    assert (event.current_segment_id, second.started_at) == (second.id, at(8))


def test_after_a_long_stall_every_due_transition_is_caught_up_in_order(session, event):
    _auto(event, 0, 1, 2)
    ros.start_show(event, at(0))
    ros.pause_segment(event, at(2))
    ros.start_show(event, at(3))                  # one minute of pause moves every deadline
    assert ros.advance_due_segments(event, at(40)) == 3
    starts = [s.started_at for s in event.segments[:4]]
    assert starts == [at(0), at(9), at(19), at(29)]
    assert event.current_segment_id == event.segments[3].id
    assert ros.clock_of(event.segments[3]).state == RUNNING  # not auto: it runs on, into overtime


def test_auto_advance_of_the_last_segment_ends_the_show_at_its_deadline(session, event):
    _auto(event, 8)
    ros.goto_segment(event, event.segments[8].id, at(85))
    assert ros.advance_due_segments(event, at(100)) == 1
    assert (event.ended_at, event.current_segment_id) == (at(90), None)
    assert ros.advance_due_segments(event, at(200)) == 0


def test_a_paused_auto_segment_does_not_advance(session, event):
    _auto(event, 0)
    ros.start_show(event, at(0))
    ros.pause_segment(event, at(1))
    assert (ros.next_auto_deadline(event), ros.advance_due_segments(event, at(60))) == (None, 0)


# ---- reset -------------------------------------------------------------------------------------

def test_reset_forgets_a_rehearsal(session, event):
    ros.start_show(event, at(-48 * 60))          # a rehearsal two days before
    ros.adjust_segment(event, MIN)
    airtime.set_speaker(session, event, event.panelists[2].id, at(-48 * 60 + 1))
    ros.next_segment(event, at(-48 * 60 + 5))
    prompts.step_prompt(event, 1)
    stage.send_message(session, event, at(-48 * 60 + 6), preset="wrap-up")
    stage.set_blackout(session, event, True)
    rebalance.apply_rebalance(session, event, "spread", at(-48 * 60 + 6))
    ros.reset_run_of_show(session, event)
    session.commit()
    run = run_view(event, at(-10))
    assert (run["status"], run["current_segment_id"], run["projected_end_ms"]) == ("not-started", None, ms(90))
    assert run["over_booked_ms"] == 10 * MIN     # measured against the real slot again
    assert all(s["started_ms"] is None and s["adjust_ms"] == 0 and s["prompt_index"] == 0 for s in run["segments"])
    assert all(t["ms"] == 0 for t in run["airtime"]["totals"]) and run["plan_change"] is None
    assert stage.stage_view(session, event)["message"] is None
    assert stage.stage_view(session, event)["stage_blackout"] is False


# ---- rebalancing -------------------------------------------------------------------------------

def test_preview_then_apply_then_undo(session, event):
    ros.start_show(event, at(0))                 # the plan is already 10 min over the 80-min slot
    preview = rebalance.preview_rebalance(event, "qa", at(1))
    assert (preview["overrun_ms"], preview["covered_ms"], preview["uncovered_ms"]) == (10 * MIN, 10 * MIN, 0)
    assert preview["changes"] == [{"segment_id": event.segments[7].id, "title": "Audience questions",
                                   "before_ms": 15 * MIN, "after_ms": 5 * MIN, "delta_ms": -10 * MIN}]
    assert (preview["projected_end_ms"], preview["over_booked_ms"]) == (ms(80), 0)
    assert event.segments[7].adjust_ms == 0      # a preview changes nothing
    change = rebalance.apply_rebalance(session, event, "qa", at(1))
    assert event.segments[7].adjust_ms == -10 * MIN
    run = run_view(event, at(1))
    assert (run["projected_end_ms"], run["over_booked_ms"]) == (ms(80), 0)
    assert run["plan_change"]["id"] == change.id and run["plan_change"]["total_ms"] == 10 * MIN
    rebalance.undo_rebalance(session, event, at(2))
    assert event.segments[7].adjust_ms == 0 and run_view(event, at(2))["plan_change"] is None
    with pytest.raises(ForumError) as err:
        rebalance.undo_rebalance(session, event, at(3))
    assert err.value.code == "invalid_state"


def test_spread_never_touches_the_segment_on_air_nor_those_that_ran(session, event):
    ros.start_show(event, at(0))
    ros.next_segment(event, at(8))
    preview = rebalance.preview_rebalance(event, "spread", at(9))
    touched = {c["segment_id"] for c in preview["changes"]}
    assert touched == {s.id for s in event.segments[2:]}
    assert all(c["after_ms"] >= 2 * MIN for c in preview["changes"])


@pytest.mark.parametrize(("strategy", "code"), [("magic", "invalid_payload")])
def test_unknown_strategy_refused(session, event, strategy, code):
    with pytest.raises(ForumError) as err:
        rebalance.preview_rebalance(event, strategy, at(0))
    assert err.value.code == code


def test_keep_applies_nothing(session, event):
    assert rebalance.apply_rebalance(session, event, "keep", at(0)) is None
    assert all(s.adjust_ms == 0 for s in event.segments)


# ---- airtime -----------------------------------------------------------------------------------

def test_airtime_from_slots_and_now_speaking_pauses_excluded(session, event):
    p = [x.id for x in event.panelists]
    ros.goto_segment(event, event.segments[1].id, at(8))        # da Costa's slot
    airtime.set_speaker(session, event, p[1], at(10))           # Chowdhury interjects at 2:00
    airtime.set_speaker(session, event, p[0], at(11))           # back to da Costa at 3:00
    ros.pause_segment(event, at(12))
    ros.start_show(event, at(15))                               # 3 minutes of pause: no airtime
    ros.goto_segment(event, event.segments[6].id, at(20))       # the discussion: nobody by default
    airtime.set_speaker(session, event, p[3], at(21))
    airtime.set_speaker(session, event, None, at(22.5))
    view = airtime.airtime_view(session, event, at(23))
    assert view["speaking_id"] is None
    assert [t["ms"] for t in view["totals"]] == [8 * MIN, 1 * MIN, 0, 1.5 * MIN, 0]
    assert view["fair_share_ms"] == round(10.5 * MIN / 5)
    airtime.set_speaker(session, event, p[4], at(23))
    assert airtime.airtime_view(session, event, at(24))["speaking_id"] == p[4]


@pytest.mark.parametrize(("panelist", "started", "code"), [(10_000, True, "not_found"), (None, False, "invalid_state")])
def test_now_speaking_refused(session, event, panelist, started, code):
    if started:
        ros.start_show(event, at(0))
    with pytest.raises(ForumError) as err:
        airtime.set_speaker(session, event, panelist, at(1))
    assert err.value.code == code


# ---- prompt deck -------------------------------------------------------------------------------

def _current_prompt(event):
    """The prompt the deck is at (what the run view's ``prompt_index`` points to)."""
    seg = prompts.deck_segment(event)
    return prompts.deck(event, seg)[seg.prompt_index]


def test_each_slot_steps_through_its_own_deck(session, event):
    ros.goto_segment(event, event.segments[1].id, at(8))
    kq1 = event.key_questions[0].prompts
    assert _current_prompt(event) is kq1[0]
    assert [prompts.step_prompt(event, 1).id, prompts.step_prompt(event, 1).id] == [kq1[1].id, kq1[2].id]
    with pytest.raises(ForumError):
        prompts.step_prompt(event, 1)
    ros.next_segment(event, at(18))
    assert _current_prompt(event) is kq1[0]              # the next panelist starts at 1
    ros.goto_segment(event, event.segments[6].id, at(60))
    assert _current_prompt(event) is event.key_questions[1].prompts[0]


def test_stepping_follows_on_the_projector_only_while_it_shows_a_prompt(session, event):
    from forum_live.services.scene import show_prompt
    ros.goto_segment(event, event.segments[1].id, at(8))
    prompts.step_prompt(event, 1)
    assert event.scene_prompt_id is None
    show_prompt(session, event, _current_prompt(event).id)
    second = prompts.step_prompt(event, 1)
    assert (event.scene, event.scene_prompt_id) == ("prompt", second.id)


@pytest.mark.parametrize(("segment", "step"), [(0, 1), (1, -1)], ids=["no key question", "before the first"])
def test_prompt_step_refused(session, event, segment, step):
    ros.goto_segment(event, event.segments[segment].id, at(0))
    with pytest.raises(ForumError) as err:
        prompts.step_prompt(event, step)
    assert err.value.code == "invalid_state"


# ---- stage cues --------------------------------------------------------------------------------

def test_stage_messages_flash_and_blackouts(session, event):
    stage.send_message(session, event, at(1), preset="one-minute")
    assert stage.stage_view(session, event)["message"] == {"text": "1 minute", "preset": "one-minute", "sent_ms": ms(1)}
    stage.send_message(session, event, at(2), text="  Mic 3 is off\u200b  ")
    assert stage.stage_view(session, event)["message"]["text"] == "Mic 3 is off"
    stage.flash(session, event, at(3))
    stage.set_blackout(session, event, True)
    view = stage.stage_view(session, event)
    assert (view["flash_ms"], view["stage_blackout"]) == (ms(3), True)
    stage.clear_message(session, event)
    assert stage.stage_view(session, event)["message"] is None
    assert [p["text"] for p in view["presets"]] == ["1 minute", "Please wrap up", "Please take a question"]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({}, "invalid_payload"), ({"text": "x", "preset": "wrap-up"}, "invalid_payload"),
    ({"preset": "sing"}, "invalid_payload"), ({"text": "   "}, "invalid_text"), ({"text": "x" * 201}, "invalid_text")])
def test_stage_message_refused(session, event, kwargs, code):
    with pytest.raises(ForumError) as err:
        stage.send_message(session, event, at(0), **kwargs)
    assert err.value.code == code


# ---- state rebuilt from storage equals the state before -----------------------------------------

OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["start", "pause", "next", "previous", "goto", "adjust", "skip", "auto", "speaker", "advance"]),
    st.integers(min_value=0, max_value=15 * MIN),     # fake time passing before the operation (ms)
    st.integers(min_value=0, max_value=8),            # a segment / panelist index
), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPERATIONS)
def test_any_sequence_rebuilt_from_the_database_gives_the_same_run_of_show(tmp_path_factory, ops):
    """After any sequence of operations at increasing instants, a new session that reads the
    stored facts computes exactly the run view (timer, projection, airtime) the first one had."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'forum.db'}")
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            event, _ = load_event(session, load_event_file())
            session.commit()
            now = at(-1)
            for name, gap, index in ops:
                now += timedelta(milliseconds=gap)
                seg = event.segments[index]
                try:
                    {"start": lambda: ros.start_show(event, now), "pause": lambda: ros.pause_segment(event, now),
                     "next": lambda: ros.next_segment(event, now), "previous": lambda: ros.previous_segment(event, now),
                     "goto": lambda: ros.goto_segment(event, seg.id, now),
                     "adjust": lambda: ros.adjust_segment(event, (index - 4) * 30_000 or 1000),
                     "skip": lambda: ros.skip_segment(event, seg.id, index % 2 == 0, now),
                     "auto": lambda: ros.set_auto_advance(event, seg.id, index % 2 == 1),
                     "speaker": lambda: airtime.set_speaker(
                         session, event, event.panelists[index % 5].id if index < 7 else None, now),
                     "advance": lambda: ros.advance_due_segments(event, now)}[name]()
                except ForumError:
                    session.rollback()
                    event = get_event(session, "ILO22")
                    continue
                session.commit()
                later = now + timedelta(minutes=3)
                before = run_view(event, later)
                assert before["timer"] is None or before["timer"]["elapsed_ms"] >= 0
                with sessions() as fresh:
                    assert run_view(get_event(fresh, "ILO22"), later) == before
    finally:
        engine.dispose()
