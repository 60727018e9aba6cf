"""How every action is handled: validate, one transaction, commit, broadcast, ack.

Socket.IO events and control-API calls (web/api.py) go through the same ``execute``. Errors
become ``{"ok": false, "code", "message"}`` acks and change nothing (the transaction is rolled
back); an unexpected exception is logged and acked as ``internal``.

Moderator actions (the /moderator namespace and the control API) are also versioned and
audited: an optional ``version`` field (the state version the console showed) is taken out of the
payload before validation, a stale one is refused (services.audit.check_version), and every
change is recorded in the audit trail, which bumps the version. A *read* (``@action(schema,
read=True)``, e.g. ``plan:preview``) is validated and acked the same way but changes nothing:
its ``version`` is taken out and not checked, it is not audited, nothing is committed or
broadcast.
The rapporteur's actions (/rapporteur: takeaways) are audited too, never versioned.
"""
import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, request
from flask_socketio import ConnectionRefusedError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError

from ..domain.clock import to_ms, utcnow
from ..domain.errors import ForumError
from ..extensions import db_session
from ..persistence.models import Event
from ..services import audit
from .broadcast import AUDIT, MODERATOR_NS, publish
from .presence import RAPPORTEUR_NS, connections
from .schemas import INT_MAX, Empty

#: The control API's pseudo-namespace: its calls are moderator actions made over HTTP.
API_NS = "/api"


@dataclass
class Connection:
    """What the server knows of one Socket.IO connection (bound at connect), or of one
    control-API call. ``view``: what a /screen client is (projector | stage | preview);
    ``label`` / ``actor_key``: who a moderator is in the audit trail (``Console 2`` and that
    console's own id; ``Control API`` and ``api``)."""

    namespace: str
    event_id: int
    device_id: str | None = None
    view: str | None = None
    label: str | None = None
    actor_key: str | None = None
    ip: str | None = None  # the peer's address at connect (per-IP rate limits)

    @property
    def is_moderator(self) -> bool:
        """True for consoles and control-API calls: their actions are versioned and audited."""
        return self.namespace in (MODERATOR_NS, API_NS)

    @property
    def is_audited(self) -> bool:
        """True when this connection's actions go into the audit trail: moderators' and the
        rapporteur's."""
        return self.is_moderator or self.namespace == RAPPORTEUR_NS

    @property
    def source(self) -> str:
        """Where an audited action came from: ``console``, ``api`` or ``rapporteur``."""
        return {API_NS: "api", RAPPORTEUR_NS: "rapporteur"}.get(self.namespace, "console")


@dataclass
class Outcome:
    """What a handler did: fields for the ack, parts to broadcast, devices whose ``mine`` changed,
    which of the parts may be coalesced (tallies that change with every vote), and which changed
    for moderators only (a pending question: the audience and the projector get no packet).
    ``audit``: what the audit entry records as the action's payload when not the validated
    fields (None): e.g. only the fields sent, with what an edit replaced or a deletion removed.
    ``replay``: the action was a resend that changed nothing (no audit entry, no new version)."""

    ack: dict = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)
    coalesce: set[str] = field(default_factory=set)
    moderators_only: set[str] = field(default_factory=set)
    audit: dict | None = None
    replay: bool = False


def bind(conn: Connection) -> None:
    """Bind ``conn`` to the current socket (call in a connect handler).

    Flood control: raises ConnectionRefusedError (with a message the page shows) when this
    address already holds ``FORUM_LIVE_MAX_CONNECTIONS_PER_IP`` connections.
    """
    registry = connections()
    ip = conn.ip or request.remote_addr
    cap = current_app.config["FORUM_LIVE_MAX_CONNECTIONS_PER_IP"]
    if ip and sum(1 for c in list(registry.values()) if (c.ip or "") == ip) >= cap:
        message = "Too many connections from your address; close other tabs and try again."
        raise ConnectionRefusedError(message, {"code": "rate_limited", "message": message})
    if conn.ip is None:
        conn.ip = ip
    registry[(conn.namespace, request.sid)] = conn


def unbind() -> Connection | None:
    """Forget the current socket (call in a disconnect handler); returns what it was."""
    return connections().pop((request.namespace, request.sid), None)


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


def payload_of(args: tuple) -> dict:
    """The one JSON object a socket event carries (``{}`` for none); raises ForumError(invalid_payload)."""
    if len(args) > 1:
        raise ForumError("invalid_payload", "Send one JSON object as the event's payload.")
    payload = args[0] if args else {}
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ForumError("invalid_payload", "The payload must be a JSON object.")
    return payload


def validate(schema: type[BaseModel], payload: dict) -> BaseModel:
    """Validate ``payload`` against ``schema``; raises ForumError(invalid_payload)."""
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        raise ForumError("invalid_payload", f"{where}: {err['msg']}") from None


def parse(schema: type[BaseModel], args: tuple) -> BaseModel:
    """Validate the event's arguments against ``schema``; raises ForumError(invalid_payload)."""
    return validate(schema, payload_of(args))


def take_version(payload: dict) -> tuple[int | None, dict]:
    """Split the optional ``version`` (a whole number 0..INT_MAX) off a moderator payload.

    Returns ``(version or None, the rest)``; raises ForumError(invalid_payload) for another type.
    """
    rest = dict(payload)
    version = rest.pop("version", None)
    if version is not None and (type(version) is not int or not 0 <= version <= INT_MAX):
        raise ForumError("invalid_payload", "version: must be a whole number (the state version you saw).")
    return version, rest


def execute(name: str, handler, payload: object, conn: Connection) -> dict:
    """Run action ``name`` (its ``handler`` made by ``@action``) for ``conn`` and return the ack.

    ``payload`` is the JSON object sent. One transaction: version check (moderators, when a
    version is sent), the handler, the audit entry (moderators), commit, then the broadcast.
    A versioned moderator action's ack carries ``version``: the state version after the change.
    A read (``handler.read``) runs ``handler.fn`` and acks its outcome's ack fields, nothing else.
    """
    read = getattr(handler, "read", False)
    try:
        if not isinstance(payload, dict):
            raise ForumError("invalid_payload", "The payload must be a JSON object.")
        version, payload = take_version(payload) if conn.is_moderator else (None, payload)
        data = validate(handler.schema, payload)
        now: datetime = utcnow()
        with db_session() as session:
            event = session.get(Event, conn.event_id)
            if read:  # nothing to check, record, commit or broadcast
                outcome = handler.fn(session, event, data, conn, now) or Outcome()
                session.rollback()
                return {"ok": True, **outcome.ack}
            try:
                if version is not None:
                    audit.check_version(session, event, version, conn.actor_key or "", now)
                outcome = handler.fn(session, event, data, conn, now) or Outcome()
                if conn.is_audited and not outcome.replay:
                    entry = audit.record_action(
                        session, event, actor=conn.label or "Moderator", actor_key=conn.actor_key or "",
                        source=conn.source, name=name,
                        payload=data.model_dump(mode="json") if outcome.audit is None else outcome.audit, now=now)
                    outcome.parts = {*outcome.parts, AUDIT}
                    if version is not None:
                        outcome.ack = {**outcome.ack, "version": entry.seq}
                session.commit()
            except IntegrityError as exc:
                # Two moderators' changes on the same version at the same instant: one loses.
                session.rollback()
                if "moderator_action" not in str(exc):
                    raise
                raise ForumError("stale_state", "Another moderator changed the show at the same moment; "
                                                "your action was not done. Check the console and try again.") from None
            _publish_committed(session, event, outcome)
        return {"ok": True, **outcome.ack}
    except ForumError as exc:
        return exc.as_ack()
    except Exception:  # the server keeps running; the client is told to retry
        current_app.logger.exception("action %s failed", name)
        return ForumError("internal", "The server could not do that; nothing was changed. "
                                      "Please try again.").as_ack()


def action(schema: type[BaseModel], *, read: bool = False):
    """Wrap ``fn(session, event, data, conn, now) -> Outcome`` as a Socket.IO event handler.

    The handler validates its payload with ``schema``, runs ``fn`` in one transaction, commits,
    broadcasts the outcome's parts, then returns the ack (see ``execute``). ``read``: ``fn`` only
    looks (its outcome's ack is sent; no version check, audit entry, commit or broadcast). The
    wrapped handler keeps ``fn``, ``schema`` and ``read`` as attributes, so the control API runs
    the very same action.
    """
    def decorator(fn):
        @functools.wraps(fn)
        def handler(*args):
            try:
                payload = payload_of(args)
                conn = current_connection()
            except ForumError as exc:
                return exc.as_ack()
            return execute(request.event["message"], handler, payload, conn)
        handler.fn, handler.schema, handler.read = fn, schema, read
        return handler
    return decorator


def _publish_committed(session, event: Event, outcome: Outcome) -> None:
    # The change is committed: a failed broadcast must not turn into an error ack (the client
    # would retry something that happened). Clients resync from the snapshot on reconnect.
    try:
        publish(session, event, outcome.parts, outcome.devices, outcome.coalesce, outcome.moderators_only)
    except Exception:
        current_app.logger.exception("broadcast after commit failed")


def clock_ping(*args) -> dict:
    """Any client -> server: ``clock:ping`` for clock sync; acks the server time in epoch ms.

    The payload is ``{}`` (or none) like any event without fields: anything else is refused
    with ``invalid_payload``. No database work, so it answers fast and from any namespace.
    """
    try:
        validate(Empty, payload_of(args))
    except ForumError as exc:
        return exc.as_ack()
    return {"ok": True, "server_ms": to_ms(utcnow())}


def unknown_event(moderator_events: frozenset[str]):
    """Return a catch-all handler: unknown event names get an error ack, and moderator actions
    sent on another namespace get ``forbidden``."""
    def catch_all(name, *_args):
        if name in moderator_events:
            return ForumError("forbidden", "Only the moderator can do that.").as_ack()
        return ForumError("invalid_payload", f"Unknown event {str(name)[:40]!r}.").as_ack()
    return catch_all
