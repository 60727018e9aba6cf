"""Storing a ballot under the one-ballot-per-device rule, atomically, on any database."""
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Ballot
from .upsert import on_conflict_insert


def upsert_ballot(session: Session, poll_id: int, device_id: str, value: str, moderation: str | None,
                  cast_at: datetime) -> Ballot:
    """Insert the device's ballot, or update it if the device already has one; return it.

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
        stmt = insert(Ballot).values(poll_id=poll_id, device_id=device_id, **values)
        session.execute(stmt.on_conflict_do_update(index_elements=["poll_id", "device_id"],
                                                   set_={k: stmt.excluded[k] for k in values}))
    else:
        try:
            with session.begin_nested():
                session.add(Ballot(poll_id=poll_id, device_id=device_id, **values))
        except IntegrityError:
            session.execute(update(Ballot).where(Ballot.poll_id == poll_id, Ballot.device_id == device_id)
                            .values(**values))
    return session.scalar(select(Ballot).where(Ballot.poll_id == poll_id, Ballot.device_id == device_id)
                          .execution_options(populate_existing=True))
