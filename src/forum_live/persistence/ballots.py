"""Storing a ballot under the one-ballot-per-device rule, atomically, on any database."""
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Ballot
from .upsert import on_conflict_insert

_COLUMNS = ("value", "moderation", "cast_at")
_UPSERTS: dict = {}


def _upsert_statement(insert):
    """The dialect's ``INSERT … ON CONFLICT (poll_id, device_id) DO UPDATE … RETURNING``, built
    once (SQLAlchemy then caches its compiled form: issue 16)."""
    found = _UPSERTS.get(insert)
    if found is None:
        table = Ballot.__table__
        stmt = insert(table).values(poll_id=bindparam("poll_id"), device_id=bindparam("device_id"),
                                    **{k: bindparam(k) for k in _COLUMNS})
        found = _UPSERTS[insert] = (
            stmt.on_conflict_do_update(index_elements=["poll_id", "device_id"],
                                       set_={k: stmt.excluded[k] for k in _COLUMNS})
            .returning(table.c.id, table.c.value, table.c.moderation))
    return found


def upsert_ballot(session: Session, poll_id: int, device_id: str, value: str, moderation: str | None,
                  cast_at: datetime):
    """Insert the device's ballot, or update it if the device already has one; return its row
    ``(id, value, moderation)`` as stored (Core, no ORM object: the ballot path of a vote storm).

    The unique constraint ballot(poll_id, device_id) decides, inside the database, so two
    concurrent first ballots from one device leave one row: on SQLite and PostgreSQL with
    ``INSERT … ON CONFLICT (poll_id, device_id) DO UPDATE`` (the second waits for the first and
    updates its row); elsewhere by inserting in a savepoint and updating on IntegrityError.
    Not a savepoint on SQLite: pysqlite opens no transaction before a SAVEPOINT, so its RELEASE
    commits on its own and a later rollback could not undo the ballot (measured).
    """
    values = {"value": value, "moderation": moderation, "cast_at": cast_at}
    insert = on_conflict_insert(session)
    if insert is not None:
        params = {"poll_id": poll_id, "device_id": device_id, **values}
        return session.connection().execute(_upsert_statement(insert), params).one()
    else:
        try:
            with session.begin_nested():
                session.add(Ballot(poll_id=poll_id, device_id=device_id, **values))
        except IntegrityError:
            session.execute(update(Ballot).where(Ballot.poll_id == poll_id, Ballot.device_id == device_id)
                            .values(**values))
    return session.execute(select(Ballot.id, Ballot.value, Ballot.moderation)
                           .where(Ballot.poll_id == poll_id, Ballot.device_id == device_id)).one()
