"""One copy of the public parts of the connect snapshot per change of the event, shared by every
phone and projector that connects (issue 16: the snapshot was rebuilt, some twenty queries, for
each of 300 phones joining in ten seconds).

What is shared: the event's facts (``event``), the public ``questions`` and the public
``polls``, the parts every audience, projector and rapporteur snapshot holds alike, and the rows
of the segments the phones' ``run`` is computed from. The ``run`` itself (it carries the time of
the snapshot), ``scene``, ``summary_url`` and a phone's ``mine`` are built for each client.

Exactness, with any number of processes: a copy is used only while the event's stored
``public_version`` equals the version it was built at. Every change of the event's facts (a
run-of-show import, an event file applied at start), the run of show, the questions or the polls
moves that version in its own transaction (``bump``: protocol.handling.execute for the actions,
the timer task for an auto-advance or an auto-close, services.event_update), so a change
committed by another process (or another session of this one) is seen at the next connect;
nothing is remembered of what this process sent. The version is read before what it covers (the
event row is the snapshot's first read), so a copy is never older than its version. A poll's
status also depends on the time (an open poll past its deadline is closed before the timer
stores it): a copy is used only before the earliest deadline of the polls it shows open.
"""
from datetime import UTC, datetime

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from ..domain import polls as poll_rules
from ..domain.json_text import JsonText
from ..persistence.models import Event
from .views import AUDIENCE, event_view, polls_view, questions_view, read_segment_rows

_NEVER = datetime.max.replace(tzinfo=UTC)


_BUMP = (update(Event.__table__).where(Event.__table__.c.id == bindparam("event_id"))
         .values(public_version=Event.__table__.c.public_version + 1))


def bump(session: Session, event: Event) -> None:
    """Move ``event``'s public version, in the transaction of the change: one UPDATE
    ``public_version = public_version + 1`` now (concurrent changes each move it), not an ORM
    flush (issue 16: the flush of this one column cost more than the upvote it followed). The
    loaded value is expired: read again, it is the stored one."""
    bump_id(session, event.id)
    session.expire(event, ["public_version"])


def bump_id(session: Session, event_id: int) -> None:
    """``bump`` for an event known by its id only (nothing loaded to expire)."""
    session.connection().execute(_BUMP, {"event_id": event_id})


def _valid_until(event: Event) -> datetime:
    """The earliest auto-close deadline of the polls stored open (their status changes then)."""
    return min((p.closes_at for p in event.polls if p.status == poll_rules.OPEN and p.closes_at is not None),
               default=_NEVER)


class SharedPublicParts:
    """The shared copies of one process: ``parts(session, event, now, join_url)``."""

    def __init__(self):
        # (event id, join URL) -> (version, loaded_at, valid until, parts, the parts as JSON text)
        self._copies: dict[tuple[int, str], tuple[int, datetime, datetime, dict, dict]] = {}

    def parts(self, session: Session, event: Event, now: datetime, join_url: str) -> dict:
        """``{"event", "questions", "polls"}`` as the audience sees them at ``now`` (shapes in
        docs/protocol.md): the copy built at the event's stored version, else a new one. The
        dicts are shared: callers put them in a payload and never change them."""
        return self._copy(session, event, now, join_url)[3]

    def encoded(self, session: Session, event: Event, now: datetime, join_url: str) -> dict:
        """``parts`` as JSON text (domain/json_text.py), encoded once per copy: the values to put
        in a payload sent by the Socket.IO packets (sockets.JsonPacket), which splice them; and
        ``"segments"``: the event's segment rows at the copy's version (views.read_segment_rows),
        for views.snapshot to compute the phone's ``run`` from."""
        return self._copy(session, event, now, join_url)[4]

    def fresh(self, event, now: datetime, join_url: str) -> dict | None:
        """``encoded`` if the copy of ``event``'s stored version is kept, else None (nothing is
        built: ``event`` may be a Core row of the event, services.events.event_row)."""
        copy = self._kept(event, now, join_url)
        return None if copy is None else copy[4]

    def _kept(self, event, now: datetime, join_url: str) -> tuple | None:
        # The version is loaded with the event row, before anything it covers.
        copy = self._copies.get((event.id, join_url))
        if copy is not None and copy[0] == event.public_version and copy[1] == event.loaded_at and now < copy[2]:
            return copy
        return None

    def _copy(self, session: Session, event: Event, now: datetime, join_url: str) -> tuple:
        copy = self._kept(event, now, join_url)
        if copy is not None:
            return copy
        version, key = event.public_version, (event.id, join_url)
        parts = {"event": event_view(event, join_url), "questions": questions_view(session, event, AUDIENCE),
                 "polls": polls_view(session, event, AUDIENCE, now)}
        encoded = {name: JsonText.of(part) for name, part in parts.items()}
        encoded["segments"] = read_segment_rows(session, event.id)
        copy = self._copies[key] = (version, event.loaded_at, _valid_until(event), parts, encoded)
        return copy
