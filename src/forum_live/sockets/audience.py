"""/audience namespace: phones. Ask, upvote, vote; every action is the device's own."""
from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..domain.errors import ForumError
from ..extensions import db_session
from ..identity import DEVICE_COOKIE, device_from_token, new_device
from ..services import polls, questions
from ..services.events import get_event
from . import schemas
from .broadcast import AUDIENCE_NS, MINE, POLLS, QUESTIONS, STATE, device_room, event_room, snapshot_for
from .handling import Connection, Outcome, action, bind


def on_connect(auth=None):
    """A phone connects with ``auth = {"event": code, "device": token?}``; refused for an
    unknown event. A phone without a valid device token is given a new one in the snapshot."""
    auth = auth if isinstance(auth, dict) else {}
    secret = current_app.config["SECRET_KEY"]
    token = auth.get("device")
    device_id = device_from_token(secret, token)
    if device_id is None:
        token = request.cookies.get(DEVICE_COOKIE)
        device_id = device_from_token(secret, token)
    if device_id is None:
        device_id, token = new_device(secret)
    with db_session() as session:
        try:
            event = get_event(session, auth.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"])
        except ForumError as exc:
            raise ConnectionRefusedError({"code": exc.code, "message": exc.message}) from None
        bind(Connection(AUDIENCE_NS, event.id, device_id))
        join_room(event_room(event.id))
        join_room(device_room(device_id))
        state = snapshot_for(session, event, AUDIENCE_NS, device_id)
    state["device_token"] = token
    emit(STATE, state)


@action(schemas.QuestionSubmit)
def on_question_submit(session, event, data, conn, now):
    """Phone -> server ``question:submit``: a new question, pending moderation."""
    question, created = questions.submit_question(session, event, conn.device_id, data.client_id, data.text,
                                                  data.name, data.panelist_id, now)
    mine = {"id": question.id, "client_id": question.client_id, "text": question.text,
            "status": question.status, "created_ms": round(question.created_at.timestamp() * 1000)}
    parts = {QUESTIONS} if created else set()
    return Outcome(ack={"question": mine, "duplicate": not created}, parts=parts,
                   devices={conn.device_id} if created else set())


@action(schemas.QuestionUpvote)
def on_question_upvote(session, event, data, conn, now):
    """Phone -> server ``question:upvote``: give or withdraw this device's upvote."""
    changed = questions.set_upvote(session, event, conn.device_id, data.question_id, data.on, now)
    return Outcome(ack={"question_id": data.question_id, "on": data.on},
                   parts={QUESTIONS} if changed else set(), devices={conn.device_id} if changed else set())


@action(schemas.PollVote)
def on_poll_vote(session, event, data, conn, now):
    """Phone -> server ``poll:vote``: cast or change this device's ballot in an open poll."""
    ballot = polls.cast_ballot(session, event, conn.device_id, data.poll_id, data.value, now)
    return Outcome(ack={"poll_id": data.poll_id, "value": data.value if not isinstance(data.value, str)
                        else ballot.value}, parts={POLLS}, devices={conn.device_id})


HANDLERS = {
    "question:submit": on_question_submit,
    "question:upvote": on_question_upvote,
    "poll:vote": on_poll_vote,
}
