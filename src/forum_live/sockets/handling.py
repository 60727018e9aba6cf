"""How every socket event is handled: validate, one transaction, commit, broadcast, ack.

Errors become ``{"ok": false, "code", "message"}`` acks and change nothing (the transaction
is rolled back); an unexpected exception is logged and acked as ``internal``.
"""
import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, request
from pydantic import BaseModel, ValidationError

from ..domain.clock import to_ms, utcnow
from ..domain.errors import ForumError
from ..extensions import db_session
from ..persistence.models import Event
from .broadcast import publish


@dataclass
class Connection:
    """What the server knows of one Socket.IO connection (bound at connect)."""

    namespace: str
    event_id: int
    device_id: str | None = None


@dataclass
class Outcome:
    """What a handler did: fields for the ack, parts to broadcast, devices whose ``mine`` changed,
    and which of the parts may be coalesced (tallies that change with every vote)."""

    ack: dict = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)
    coalesce: set[str] = field(default_factory=set)


def connections() -> dict:
    """The app's registry of live connections: ``{(namespace, sid): Connection}``."""
    return current_app.extensions.setdefault("forum_live.connections", {})


def bind(conn: Connection) -> None:
    """Bind ``conn`` to the current socket (call in a connect handler)."""
    connections()[(conn.namespace, request.sid)] = conn


def unbind() -> None:
    """Forget the current socket (call in a disconnect handler)."""
    connections().pop((request.namespace, request.sid), None)


def connect_handler(fn):
    """Wrap a namespace's connect handler so that a client *event* named "connect" (which
    python-socketio routes to the same handler) is refused instead of re-running the sign-in."""
    @functools.wraps(fn)
    def handler(auth=None):
        if (getattr(request, "namespace", None), getattr(request, "sid", None)) in connections():
            return ForumError("invalid_payload", "Unknown event 'connect'.").as_ack()
        return fn(auth)
    return handler


def current_connection() -> Connection:
    """Return the current socket's Connection; raises ForumError(forbidden) if not bound."""
    conn = connections().get((request.namespace, request.sid))
    if conn is None:
        raise ForumError("forbidden", "This connection is not signed in to an event.")
    return conn


def parse(schema: type[BaseModel], args: tuple) -> BaseModel:
    """Validate the event's arguments against ``schema``; raises ForumError(invalid_payload)."""
    if len(args) > 1:
        raise ForumError("invalid_payload", "Send one JSON object as the event's payload.")
    payload = args[0] if args else {}
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ForumError("invalid_payload", "The payload must be a JSON object.")
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        raise ForumError("invalid_payload", f"{where}: {err['msg']}") from None


def action(schema: type[BaseModel]):
    """Wrap ``fn(session, event, data, conn, now) -> Outcome`` as a Socket.IO event handler.

    The handler validates its payload with ``schema``, runs ``fn`` in one transaction, commits,
    broadcasts the outcome's parts, then returns the ack.
    """
    def decorator(fn):
        @functools.wraps(fn)
        def handler(*args):
            try:
                data = parse(schema, args)
                conn = current_connection()
                now: datetime = utcnow()
                with db_session() as session:
                    event = session.get(Event, conn.event_id)
                    outcome = fn(session, event, data, conn, now) or Outcome()
                    session.commit()
                    _publish_committed(session, event, outcome)
                return {"ok": True, **outcome.ack}
            except ForumError as exc:
                return exc.as_ack()
            except Exception:  # the server keeps running; the client is told to retry
                current_app.logger.exception("socket event %s failed", fn.__name__)
                return ForumError("internal", "The server could not do that; nothing was changed. "
                                              "Please try again.").as_ack()
        return handler
    return decorator


def _publish_committed(session, event: Event, outcome: Outcome) -> None:
    # The change is committed: a failed broadcast must not turn into an error ack (the client
    # would retry something that happened). Clients resync from the snapshot on reconnect.
    try:
        publish(session, event, outcome.parts, outcome.devices, outcome.coalesce)
    except Exception:
        current_app.logger.exception("broadcast after commit failed")


def clock_ping(*_args) -> dict:
    """Any client -> server: ``clock:ping`` for clock sync; acks the server time in epoch ms."""
    return {"ok": True, "server_ms": to_ms(utcnow())}


def unknown_event(moderator_events: frozenset[str]):
    """Return a catch-all handler: unknown event names get an error ack, and moderator actions
    sent on another namespace get ``forbidden``."""
    def catch_all(name, *_args):
        if name in moderator_events:
            return ForumError("forbidden", "Only the moderator can do that.").as_ack()
        return ForumError("invalid_payload", f"Unknown event {str(name)[:40]!r}.").as_ack()
    return catch_all
