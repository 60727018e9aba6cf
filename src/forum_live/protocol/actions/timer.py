"""Run-of-show and timer events, sent by moderator consoles: the timer, skip and auto-advance,
overrun rebalancing (preview, apply, undo), the reset after a rehearsal, "now speaking"."""
from ...services import airtime, rebalance, run_of_show, rundown
from ..messages import EVENT, POLLS, RUN, SCENE, STAGE
from ..outcome import Outcome


def on_timer_start(session, event, data, conn, now):
    """Console -> server ``timer:start``: start the show or the on-air segment, or resume it."""
    run_of_show.start_show(event, now)
    return Outcome(parts={RUN})


def on_timer_pause(session, event, data, conn, now):
    """Console -> server ``timer:pause``."""
    run_of_show.pause_segment(event, now)
    return Outcome(parts={RUN})


def _expect_on_air(event, data) -> None:
    """Refuse a step whose ``from_segment_id`` (when sent) is no longer on air."""
    if "from_segment_id" in data.model_fields_set:
        run_of_show.check_on_air(event, data.from_segment_id)


def on_timer_next(session, event, data, conn, now):
    """Console -> server ``timer:next``: the next segment goes on air, or the show ends (the
    open poll closes; questions close unless ``keep_questions_open``). With
    ``from_segment_id``, only if that segment is still the one on air."""
    _expect_on_air(event, data)
    ended = run_of_show.next_segment(event, now, keep_questions_open=data.keep_questions_open) is None
    return Outcome(parts={RUN, POLLS} if ended else {RUN})


def on_timer_previous(session, event, data, conn, now):
    """Console -> server ``timer:previous``: back one segment, paused.
    With ``from_segment_id``, only if that segment is still the one on air."""
    _expect_on_air(event, data)
    run_of_show.previous_segment(event, now)
    return Outcome(parts={RUN})


def on_timer_goto(session, event, data, conn, now):
    """Console -> server ``timer:goto``: put a segment on air and start it."""
    run_of_show.goto_segment(event, data.segment_id, now)
    return Outcome(parts={RUN})


def on_timer_adjust(session, event, data, conn, now):
    """Console -> server ``timer:adjust``: add or remove ``delta_ms`` on the on-air segment."""
    run_of_show.adjust_segment(event, data.delta_ms)
    return Outcome(parts={RUN})


def on_segment_skip(session, event, data, conn, now):
    """Console -> server ``segment:skip``: skip a segment still to come, or bring it back."""
    run_of_show.skip_segment(event, data.segment_id, data.skipped, now)
    return Outcome(parts={RUN})


def on_segment_auto(session, event, data, conn, now):
    """Console -> server ``segment:auto``: auto-advance at the segment's deadline, on or off."""
    run_of_show.set_auto_advance(event, data.segment_id, data.on)
    return Outcome(parts={RUN})


def on_plan_preview(session, event, data, conn, now):
    """Console -> server ``plan:preview``: what a rebalancing strategy would do (ack only).

    A read: no transaction to commit, no broadcast, not in the audit trail and no new state
    version (a console refreshes its preview every few seconds while the dialog is open)."""
    return Outcome(ack={"preview": rebalance.preview_rebalance(event, data.strategy, now)})


def on_plan_apply(session, event, data, conn, now):
    """Console -> server ``plan:apply``: apply a rebalancing strategy (undoable)."""
    change = rebalance.apply_rebalance(session, event, data.strategy, now)
    return Outcome(ack={"applied": rebalance.plan_change_view(change)}, parts={RUN} if change else set())


def on_plan_undo(session, event, data, conn, now):
    """Console -> server ``plan:undo``: give back the time the last plan change took."""
    rebalance.undo_rebalance(session, event, now)
    return Outcome(parts={RUN})


def on_run_reset(session, event, data, conn, now):
    """Console -> server ``run:reset``: forget a rehearsal's times (needs ``confirm: true``)."""
    run_of_show.reset_run_of_show(session, event)
    return Outcome(parts={RUN, SCENE, STAGE})


def on_speaker_set(session, event, data, conn, now):
    """Console -> server ``speaker:set``: "now speaking" on the segment on air (null: nobody)."""
    airtime.set_speaker(session, event, data.panelist_id, now)
    return Outcome(parts={RUN})


def on_run_import(session, event, data, conn, now):
    """Console -> server ``run:import``: replace the run of show with a spreadsheet's rows (the
    import preview's), adding new panelists; refused once the show has started. The audit entry
    records how many segments and panelists, not every row."""
    payload = data.model_dump()
    segments = rundown.import_run_of_show(session, event, payload["rows"], payload["panelists"], now)
    names = [p["name"] for p in payload["panelists"]]
    return Outcome(parts={EVENT, RUN, STAGE, SCENE}, ack={"segments": len(segments)},
                   audit={"segments": len(segments), "new_panelists": names})
