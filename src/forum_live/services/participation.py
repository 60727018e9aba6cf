"""Participation facts the report counts beyond what devices did: which phones joined an event,
and the most phones connected at once (issue 14, item 2).

Both are written on the connect path of up to 1,000 phones, so each is one statement that is
right with several processes on one database: a join is an insert that does nothing when the
row exists (the primary key decides, not a read first); a peak is an update that only raises the
stored number. No personal data: a device id is the same pseudonymous id questions, upvotes and
ballots carry.
"""
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..persistence.models import DeviceJoin, Event
from ..persistence.upsert import on_conflict_insert


def record_join(session: Session, event_id: int, device_id: str, now: datetime) -> None:
    """Record that phone ``device_id`` connected to event ``event_id`` (once per event and
    device: a later connection, from any process, changes nothing). Flushes; the caller commits.

    PostgreSQL and SQLite: one ``INSERT ... ON CONFLICT DO NOTHING``; another database: an insert
    in a savepoint whose duplicate-key error is swallowed.
    """
    values = {"event_id": event_id, "device_id": device_id, "first_seen_at": now}
    insert = on_conflict_insert(session)
    if insert is not None:
        session.execute(insert(DeviceJoin).values(**values).on_conflict_do_nothing())
        return
    try:
        with session.begin_nested():
            session.add(DeviceJoin(**values))
    except IntegrityError:
        pass  # joined before


def record_joins(session: Session, event_id: int, joins: dict[str, datetime]) -> None:
    """``record_join`` for each ``{device_id: first seen}`` of ``joins``, in one statement where the
    database has ``ON CONFLICT`` (an executemany), else one savepoint each. Flushes; the caller
    commits."""
    insert = on_conflict_insert(session)
    if insert is None:
        for device_id, now in joins.items():
            record_join(session, event_id, device_id, now)
        return
    if joins:
        session.execute(insert(DeviceJoin).on_conflict_do_nothing(),
                        [{"event_id": event_id, "device_id": d, "first_seen_at": t} for d, t in joins.items()])


def record_peak(session: Session, event_id: int, connected: int, now: datetime) -> int:
    """Raise event ``event_id``'s ``peak_connected`` to ``connected`` (phones connected now,
    every process counted) if that is a new maximum, noting ``now`` as when it was reached;
    return the stored peak afterwards (>= ``connected``). Flushes; the caller commits.

    The comparison is in the UPDATE's WHERE, so two processes reporting at once keep the higher.
    """
    session.execute(update(Event).where(Event.id == event_id, Event.peak_connected < connected)
                    .values(peak_connected=connected, peak_connected_at=now)
                    .execution_options(synchronize_session=False))
    return session.scalar(select(Event.peak_connected).where(Event.id == event_id)) or 0


def joined_devices(session: Session, event_id: int) -> int:
    """How many distinct phones ever connected to event ``event_id`` (recorded joins)."""
    return session.scalar(select(func.count()).select_from(DeviceJoin).where(DeviceJoin.event_id == event_id)) or 0
