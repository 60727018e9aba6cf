"""Who receives which server -> client event (the names and payload models are in
protocol/messages.py; docs/protocol.md).

Parts are rebuilt from the database after the commit, once per role, and sent to the event's
room in each namespace; ``mine`` goes to one device's room.
"""
from flask import current_app
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from ..domain.clock import utcnow
from ..extensions import get_socketio
from ..persistence.models import Event
from ..protocol.links import join_url
from ..protocol.messages import (
    AUDIT,
    EVENT,
    MINE,
    MINE_PATCH,
    POLLS,
    PRESENCE,
    QUESTIONS,
    RUN,
    SCENE,
    STAGE,
    SUMMARY_URL,
    TAKEAWAYS,
)
from ..protocol.namespaces import AUDIENCE_NS, MODERATOR_NS, RAPPORTEUR_NS, SCREEN_NS
from ..protocol.presence import presence_view
from ..services import audit, views
from ..services.public_state import SharedPublicParts
from ..services.stage import stage_view
from ..services.summary import summary_url
from ..services.takeaways import takeaways_view
from .coalesce import coalescer

NAMESPACE_ROLE = {AUDIENCE_NS: views.AUDIENCE, SCREEN_NS: views.SCREEN, MODERATOR_NS: views.MODERATOR,
                  RAPPORTEUR_NS: views.RAPPORTEUR}

#: The parts every namespace may get (each role its own copy; SUMMARY_URL: the audience
#: summary's URL, a string, or null until published).
PARTS = (EVENT, RUN, QUESTIONS, POLLS, SCENE, SUMMARY_URL)
#: The public parts the rapporteurs read (their copy is the audience's).
RAPPORTEUR_PARTS = (EVENT, RUN, QUESTIONS)
# Parts only the moderator consoles receive (the takeaways: consoles and rapporteurs). AUDIT
# carries the state version: it is sent after the parts above, so a console never holds a new
# version with an old copy of the state.
MODERATOR_PARTS = (AUDIT, PRESENCE)


def event_room(event_id: int) -> str:
    """Room of every client of one event, in each namespace."""
    return f"event:{event_id}"


def stage_room(event_id: int) -> str:
    """Room of an event's stage views (confidence monitors) in /screen."""
    return f"stage:{event_id}"


def device_room(device_id: str) -> str:
    """Room of one phone's connections (several tabs share it) in /audience."""
    return f"device:{device_id}"


def snapshot_for(session: Session, event: Event, namespace: str, device_id: str | None = None,
                 stage: bool = False) -> dict:
    """The full ``state`` payload for a client connecting to ``namespace`` (``stage``: a stage
    view, which also gets the ``stage`` part); a console's also carries the ``audit`` (with the
    state version) and ``presence`` parts. Phones, projectors and rapporteurs share one copy of
    the public parts per version of the event (services/public_state.py), encoded as JSON once:
    in the payload they are JsonText (domain/json_text.py), spliced into each packet by
    sockets.JsonPacket; the client receives plain JSON."""
    now, url = utcnow(), join_url(event.code)
    public = None if namespace == MODERATOR_NS else shared_public_parts().encoded(session, event, now, url)
    state = views.snapshot(session, event, NAMESPACE_ROLE[namespace], now, url, device_id=device_id, stage=stage,
                           public=public)
    if namespace == MODERATOR_NS:
        state[AUDIT] = audit.audit_view(session, event)
        state[PRESENCE] = presence_view(event.id)
    return state


def kept_snapshot(connection: Connection, event: Row, device_id: str) -> dict | None:
    """A phone's ``state`` (as ``snapshot_for`` gives it in /audience) built from the event's Core
    row (services.events.event_row) on the Core ``connection``, if the shared public parts of the
    row's version are kept (services/public_state.py); else None, and nothing is read."""
    now, url = utcnow(), join_url(event.code)
    public = shared_public_parts().fresh(event, now, url)
    if public is None:
        return None
    return views.snapshot(connection, event, views.AUDIENCE, now, url, device_id=device_id, public=public)


def shared_public_parts() -> SharedPublicParts:
    """This process's shared copies of the public parts (made on first use)."""
    found = current_app.extensions.get("forum_live.public_parts")
    if found is None:
        found = current_app.extensions["forum_live.public_parts"] = SharedPublicParts()
    return found


def _part(session: Session, event: Event, part: str, role: str) -> dict | list:
    if part == EVENT:
        return views.event_view(event, join_url(event.code))
    if part == RUN:
        return views.run_view(event, utcnow(), private=role in (views.MODERATOR, views.RAPPORTEUR))
    if part == QUESTIONS:
        return views.questions_view(session, event, role)
    if part == POLLS:
        return views.polls_view(session, event, role)
    if part == AUDIT:
        return audit.audit_view(session, event)
    if part == SUMMARY_URL:
        return summary_url(event, join_url(event.code))
    if part == PRESENCE:
        return presence_view(event.id)
    return views.scene_view(event)


def _argument(payload):
    """The emit argument of ``payload``: a null payload (``summary_url`` before publication) is
    sent as one null argument, not as an event without arguments."""
    return (None,) if payload is None else payload


def _due(event_id: int, part: str) -> bool:
    return coalescer(current_app._get_current_object()).due_now(event_id, part)


def publish(session: Session, event: Event, parts: set[str], devices: set[str] = frozenset(),
            coalesce: set[str] = frozenset(), moderators_only: set[str] = frozenset(),
            patches: dict[str, dict] | None = None) -> None:
    """Send the changed ``parts`` of ``event`` to every namespace, ``mine`` to ``devices`` and
    ``mine_patch`` to the devices of ``patches`` (``{device_id: patch}``).

    Call only after the change is committed. The audience and the projector get the same
    public payload (built once), and so do the rapporteurs for ``run`` and ``questions``; the
    moderator's is built separately; ``audit`` and ``presence`` go to the moderators only,
    ``takeaways`` to the moderators and the rapporteurs. Parts also named in ``coalesce`` go out at most once
    per tally interval (see coalesce.py); parts named in ``moderators_only`` go to the
    moderators alone: the action decides that from the change itself (a pending question, an
    edit of a hidden one, the up-next queue), never from what this process sent before, which
    another process may have overtaken (issue 17).

    Every payload is built first; then the session's read transaction is ended (``commit``:
    nothing is written, the objects stay loaded) so that its pooled connection goes back to the
    pool before the first emit: writing to 1,000 sockets, or to Redis with several processes,
    never holds a database connection (issue 16).
    """
    emits = _payloads(session, event, parts, devices, coalesce, moderators_only)
    emits += [(MINE_PATCH, patch, device_room(device_id), AUDIENCE_NS) for device_id, patch in (patches or {}).items()]
    session.commit()
    socketio = get_socketio()
    for name, payload, room, namespace in emits:
        socketio.emit(name, payload, to=room, namespace=namespace)


def _payloads(session: Session, event: Event, parts: set[str], devices: set[str], coalesce: set[str],
              moderators_only: set[str]) -> list[tuple[str, object, str, str]]:
    """What ``publish`` sends, in order: ``(event name, emit argument, room, namespace)``.

    ``event`` may be a batch's EventRef (protocol/handling.py): it is loaded only when a part is
    built, so a batch whose tallies are not due yet sends its ``mine_patch``es without loading it."""
    ref, room = event, event_room(event.id)

    def full() -> Event:
        return ref.resolve() if hasattr(ref, "resolve") else ref
    out = []
    for part in PARTS:
        if part not in parts:
            continue
        if part in coalesce and not _due(event.id, part):
            continue
        if part in moderators_only:
            out.append((part, _part(session, full(), part, views.MODERATOR), room, MODERATOR_NS))
            continue
        public = _part(session, full(), part, views.AUDIENCE)
        moderator = public if part in (EVENT, SCENE, SUMMARY_URL) else _part(session, full(), part, views.MODERATOR)
        out.append((part, _argument(public), room, AUDIENCE_NS))
        out.append((part, _argument(public), room, SCREEN_NS))
        if part in RAPPORTEUR_PARTS:  # the rapporteurs' run holds the airtime ("now speaking" tags)
            out.append((part, _argument(moderator if part == RUN else public), room, RAPPORTEUR_NS))
        out.append((part, _argument(moderator), room, MODERATOR_NS))
    if STAGE in parts:  # speaker messages: stage views and consoles only
        payload = stage_view(session, full())
        out.append((STAGE, payload, stage_room(event.id), SCREEN_NS))
        out.append((STAGE, payload, room, MODERATOR_NS))
    if TAKEAWAYS in parts:  # consoles and rapporteurs (the room of the event in /rapporteur)
        payload = takeaways_view(session, full())
        out.append((TAKEAWAYS, payload, room, MODERATOR_NS))
        out.append((TAKEAWAYS, payload, room, RAPPORTEUR_NS))
    for part in MODERATOR_PARTS:
        if part in parts and (part not in coalesce or _due(event.id, part)):
            out.append((part, _part(session, full(), part, views.MODERATOR), room, MODERATOR_NS))
    for device_id, mine in (views.mine_views(session, full(), devices) if devices else {}).items():
        out.append((MINE, mine, device_room(device_id), AUDIENCE_NS))
    return out


def publish_presence(event_id: int) -> None:
    """Tell the consoles who is connected (after a connect or disconnect), at most once per
    tally interval per event: 300 phones joining in ten seconds are not 300 broadcasts."""
    if _due(event_id, PRESENCE):
        get_socketio().emit(PRESENCE, presence_view(event_id), to=event_room(event_id), namespace=MODERATOR_NS)
