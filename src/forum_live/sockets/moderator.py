"""/moderator namespace: consoles. Authenticated at connect by the moderator token or cookie."""
from flask import current_app, session as http_session
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db_session
from ..identity import moderator_token_ok
from ..services import polls, questions, run_of_show, scene
from ..services.events import get_event
from . import schemas
from .broadcast import MODERATOR_NS, POLLS, QUESTIONS, RUN, SCENE, STATE, event_room, snapshot_for
from .handling import Connection, Outcome, action, bind

def on_connect(auth=None):
    """A console connects with ``auth = {"token": …}`` or the cookie set by /moderate?token=…;
    anything else is refused."""
    auth = auth if isinstance(auth, dict) else {}
    token_ok = moderator_token_ok(current_app.config["FORUM_LIVE_MODERATOR_TOKEN"], auth.get("token"))
    if not (token_ok or http_session.get("moderator") is True):
        raise ConnectionRefusedError({"code": "forbidden", "message": "The moderator token is missing or wrong."})
    with db_session() as session:
        event = get_event(session, current_app.config["FORUM_LIVE_EVENT_CODE"])
        bind(Connection(MODERATOR_NS, event.id))
        join_room(event_room(event.id))
        emit(STATE, snapshot_for(session, event, MODERATOR_NS))

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

@action(schemas.QuestionModerate)
def on_question_moderate(session, event, data, conn, now):
    """Console -> server ``question:moderate``: approve, reject or mark answered."""
    question = questions.moderate_question(session, event, data.question_id, data.action, now)
    return Outcome(parts={QUESTIONS, SCENE}, devices={question.device_id})

@action(schemas.QuestionHighlight)
def on_question_highlight(session, event, data, conn, now):
    """Console -> server ``question:highlight``: spotlight a question on the projector (or clear)."""
    questions.highlight_question(session, event, data.question_id)
    return Outcome(parts={QUESTIONS, SCENE})

@action(schemas.PollRef)
def on_poll_open(session, event, data, conn, now):
    """Console -> server ``poll:open``."""
    polls.open_poll(session, event, data.poll_id)
    return Outcome(parts={POLLS, SCENE})

@action(schemas.PollRef)
def on_poll_close(session, event, data, conn, now):
    """Console -> server ``poll:close``."""
    polls.close_poll(session, event, data.poll_id)
    return Outcome(parts={POLLS})

@action(schemas.PollReveal)
def on_poll_reveal(session, event, data, conn, now):
    """Console -> server ``poll:reveal``: show or hide results to phones and the projector."""
    polls.reveal_poll(session, event, data.poll_id, data.revealed)
    return Outcome(parts={POLLS, SCENE})

@action(schemas.PollRef)
def on_poll_show(session, event, data, conn, now):
    """Console -> server ``poll:show``: the projector shows this poll."""
    scene.show_poll(session, event, data.poll_id)
    return Outcome(parts={SCENE})

@action(schemas.PromptRef)
def on_prompt_show(session, event, data, conn, now):
    """Console -> server ``prompt:show``: the projector shows this key-question prompt."""
    scene.show_prompt(session, event, data.prompt_id)
    return Outcome(parts={SCENE})

@action(schemas.SceneSet)
def on_scene_set(session, event, data, conn, now):
    """Console -> server ``scene:set``: switch what the projector shows."""
    scene.set_scene(event, data.scene)
    return Outcome(parts={SCENE})

HANDLERS = {
    "timer:start": on_timer_start, "timer:pause": on_timer_pause, "timer:next": on_timer_next,
    "timer:previous": on_timer_previous, "timer:goto": on_timer_goto, "timer:adjust": on_timer_adjust,
    "question:moderate": on_question_moderate, "question:highlight": on_question_highlight,
    "poll:open": on_poll_open, "poll:close": on_poll_close, "poll:reveal": on_poll_reveal,
    "poll:show": on_poll_show, "prompt:show": on_prompt_show, "scene:set": on_scene_set,
}
