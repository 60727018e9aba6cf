"""/screen namespace: projectors and stage views. Read-only: they only receive state."""
from flask import current_app
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..domain.errors import ForumError
from ..extensions import db_session
from ..services.events import get_event
from .broadcast import SCREEN_NS, STATE, event_room, snapshot_for
from .handling import Connection, bind


def on_connect(auth=None):
    """A projector connects with ``auth = {"event": code}`` (optional: the server's event)."""
    auth = auth if isinstance(auth, dict) else {}
    with db_session() as session:
        try:
            event = get_event(session, auth.get("event") or current_app.config["FORUM_LIVE_EVENT_CODE"])
        except ForumError as exc:
            raise ConnectionRefusedError({"code": exc.code, "message": exc.message}) from None
        bind(Connection(SCREEN_NS, event.id))
        join_room(event_room(event.id))
        emit(STATE, snapshot_for(session, event, SCREEN_NS))


HANDLERS: dict = {}
