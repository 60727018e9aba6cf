"""How every action is handled: validate, one transaction, commit, broadcast, ack.

Socket.IO events (sockets/) and control-API calls (web/api.py) go through the same ``execute``,
with the action's registry entry (protocol/registry.py). Errors
become ``{"ok": false, "code", "message"}`` acks and change nothing (the transaction is rolled
back); an unexpected exception is logged and acked as ``internal``.

Moderator actions (the /moderator namespace and the control API) are also versioned and
audited: an optional ``version`` field (the state version the console showed) is taken out of the
payload before validation, a stale one is refused (services.audit.check_version), and every
change is recorded in the audit trail, which bumps the version. A *read* (an entry with
``read=True``, e.g. ``plan:preview``) is validated and acked the same way but changes nothing:
its ``version`` is taken out and not checked, it is not audited, nothing is committed or
broadcast.
The rapporteur's actions (/rapporteur: takeaways) are audited too, never versioned.

The broadcast is injected: ``set_publisher`` (called by sockets.init_app) registers the function
that sends the committed parts, so this layer never imports the sockets layer.
"""
from datetime import datetime

from flask import current_app
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError

from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..extensions import db_session
from ..persistence.models import Event
from ..services import audit, public_state
from .messages import AUDIT, EVENT, POLLS, QUESTIONS
from .outcome import Connection, Outcome
from .publisher import publish, set_publisher
from .registry import NOT_SHOW_CHANGES, Action
from .schemas import INT_MAX

#: Parts whose change moves the event's public version (the parts phones share a copy of:
#: services/public_state.py), unless they changed for the moderators alone.
VERSIONED_PARTS = frozenset({EVENT, QUESTIONS, POLLS})

__all__ = ["Connection", "Outcome", "execute", "payload_of", "publish", "set_publisher", "take_version",
           "validate"]


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


def execute(entry: Action, payload: object, conn: Connection) -> dict:
    """Run the registry's action ``entry`` for ``conn`` and return the ack.

    ``payload`` is the JSON object sent. One transaction: version check (moderators, when a
    version is sent), ``entry.fn``, the audit entry (moderators and the rapporteur; its sentence
    from ``entry.describe``), commit, then the broadcast (the injected publisher).
    A versioned moderator action's ack carries ``version``: the state version after the change.
    A read (``entry.read``) runs ``entry.fn`` and acks its outcome's ack fields, nothing else.
    """
    name, read = entry.name, entry.read
    try:
        if not isinstance(payload, dict):
            raise ForumError("invalid_payload", "The payload must be a JSON object.")
        version, payload = take_version(payload) if conn.is_moderator else (None, payload)
        data = validate(entry.schema, payload)
        now: datetime = utcnow()
        with db_session() as session:
            event = session.get(Event, conn.event_id)
            if read:  # nothing to check, record, commit or broadcast
                outcome = entry.fn(session, event, data, conn, now) or Outcome()
                session.rollback()
                return {"ok": True, **outcome.ack}
            try:
                if version is not None:
                    audit.check_version(session, event, version, conn.actor_key or "", now, ignore=NOT_SHOW_CHANGES)
                outcome = entry.fn(session, event, data, conn, now) or Outcome()
                if entry.audited and conn.is_audited and not outcome.replay:
                    record = audit.record_action(
                        session, event, actor=conn.label or "Moderator", actor_key=conn.actor_key or "",
                        source=conn.source, name=name,
                        payload=data.model_dump(mode="json") if outcome.audit is None else outcome.audit, now=now,
                        sentence=entry.describe)
                    outcome.parts = {*outcome.parts, AUDIT}
                    if version is not None:
                        outcome.ack = {**outcome.ack, "version": record.seq}
                if (set(outcome.parts) - set(outcome.moderators_only)) & VERSIONED_PARTS:
                    public_state.bump(session, event)
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


def _publish_committed(session, event: Event, outcome: Outcome) -> None:
    # The change is committed: a failed broadcast must not turn into an error ack (the client
    # would retry something that happened). Clients resync from the snapshot on reconnect.
    try:
        publish(session, event, outcome.parts, outcome.devices, outcome.coalesce, outcome.moderators_only,
                outcome.mine_patches)
    except Exception:
        current_app.logger.exception("broadcast after commit failed")
