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
from ..extensions import db_session, get_socketio
from ..persistence.models import Event
from ..services import audit, public_state
from .batching import Batcher, Item
from .messages import AUDIT, EVENT, POLLS, QUESTIONS, RUN
from .outcome import Connection, Outcome
from .publisher import publish, set_publisher
from .registry import NOT_SHOW_CHANGES, Action
from .schemas import INT_MAX

#: Parts whose change moves the event's public version (the parts phones share a copy of:
#: services/public_state.py), unless they changed for the moderators alone.
VERSIONED_PARTS = frozenset({EVENT, RUN, QUESTIONS, POLLS})

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
        if entry.batched and not conn.is_audited:
            return _batcher().submit(Item(entry, data, conn, now)) or _internal()
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
        return _internal()


def _internal() -> dict:
    return ForumError("internal", "The server could not do that; nothing was changed. "
                                  "Please try again.").as_ack()


def _batcher() -> Batcher:
    """This app's batcher of storm actions (protocol/batching.py), made on first use."""
    app = current_app._get_current_object()
    found = app.extensions.get("forum_live.batcher")
    if found is None:
        socketio = get_socketio(app)
        found = app.extensions["forum_live.batcher"] = Batcher(
            lambda items: _run_batch(app, items), lambda: socketio.sleep(0))
    return found


def _run_batch(app, items: list[Item]) -> None:
    """Run batched ``items`` (see protocol/batching.py) in one transaction: each item's action in
    order (an item refused with a ForumError gets its error ack, the others go on), each event's
    public version moved once, one commit, then each event's merged outcome broadcast once.
    Sets every item's ``ack``; never raises (an unexpected error acks every item ``internal``)."""
    with app.app_context():
        done: list[tuple[Item, Outcome]] = []
        committed = False
        try:
            with db_session() as session:
                events: dict[int, EventRef] = {}
                for item in items:
                    event = events.get(item.conn.event_id)
                    if event is None:
                        event = events[item.conn.event_id] = EventRef(session, item.conn.event_id)
                    try:
                        outcome = item.entry.fn(session, event, item.data, item.conn, item.now) or Outcome()
                    except ForumError as exc:
                        item.ack = exc.as_ack()
                        continue
                    done.append((item, outcome))
                merged = {event_id: merge_outcomes([o for i, o in done if i.conn.event_id == event_id])
                          for event_id in events}
                for event_id, outcome in merged.items():
                    if (set(outcome.parts) - set(outcome.moderators_only)) & VERSIONED_PARTS:
                        public_state.bump_id(session, event_id)
                        events[event_id].expire("public_version")
                session.commit()
                committed = True
                for item, outcome in done:
                    item.ack = {"ok": True, **outcome.ack}
                for item in items:  # committed: each waiter sends its ack while the broadcast goes out
                    item.woken.set()
                for event_id, outcome in merged.items():
                    if outcome.parts or outcome.devices or outcome.mine_patches:
                        _publish_committed(session, events[event_id], outcome)
        except Exception:
            app.logger.exception("a batch of %d actions failed", len(items))
            for item, outcome in done:
                item.ack = {"ok": True, **outcome.ack} if committed else _internal()
            for item in items:
                if item.ack is None:
                    item.ack = _internal()


class EventRef:
    """The event of a batched action, loaded only if something reads more than its ``id``.

    A batched action (an upvote, a ballot) needs the event's id alone; loading the event row
    (some thirty columns through the ORM) was a third of an upvote's server time (issue 16). Any
    other attribute read loads the row once (``session.get``) and is read from it, so an action
    or a broadcast that needs more gets the real event, only slower; ``resolve()`` gives the
    ORM object itself (for code that needs the mapped instance, e.g. ``object_session``)."""

    __slots__ = ("id", "_session", "_event")

    def __init__(self, session, event_id: int):
        self.id, self._session, self._event = event_id, session, None

    def resolve(self) -> Event:
        """The event's ORM object (loaded on first use); raises ForumError(unknown_event) if it is gone."""
        if self._event is None:
            self._event = self._session.get(Event, self.id)
            if self._event is None:
                raise ForumError("unknown_event", "This event no longer exists.")
        return self._event

    def expire(self, *names: str) -> None:
        """Expire ``names`` of the loaded event, if it was loaded (read again from the database)."""
        if self._event is not None:
            self._session.expire(self._event, list(names))

    def __getattr__(self, name: str):
        return getattr(self.resolve(), name)


def merge_outcomes(outcomes: list[Outcome]) -> Outcome:
    """One Outcome that broadcasts what ``outcomes`` (of one event) each would: the union of their
    parts, devices and coalesced parts; a part is for the moderators only if it is so in every
    outcome naming it; each device's ``mine_patch`` is its patches merged in order (the later
    value of a key wins: an upvote given then withdrawn in one batch ends withdrawn)."""
    merged = Outcome()
    public: set[str] = set()
    for outcome in outcomes:
        merged.parts |= set(outcome.parts)
        merged.devices |= set(outcome.devices)
        merged.coalesce |= set(outcome.coalesce)
        public |= set(outcome.parts) - set(outcome.moderators_only)
        for device_id, patch in outcome.mine_patches.items():
            into = merged.mine_patches.setdefault(device_id, {})
            for key, value in patch.items():
                into[key] = {**into[key], **value} if isinstance(value, dict) and isinstance(into.get(key), dict) else value
    merged.moderators_only = merged.parts - public
    return merged


def _publish_committed(session, event: Event, outcome: Outcome) -> None:
    # The change is committed: a failed broadcast must not turn into an error ack (the client
    # would retry something that happened). Clients resync from the snapshot on reconnect.
    try:
        publish(session, event, outcome.parts, outcome.devices, outcome.coalesce, outcome.moderators_only,
                outcome.mine_patches)
    except Exception:
        current_app.logger.exception("broadcast after commit failed")
