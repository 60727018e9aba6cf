"""``INSERT … ON CONFLICT`` where the database has it (SQLite, PostgreSQL): the one-row-per-key
rules (a ballot, an upvote, a join per device) decided inside the database in one statement."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

#: Database dialect name -> its ``insert`` construct with ``on_conflict_do_nothing`` / ``_do_update``.
ON_CONFLICT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def on_conflict_insert(session: Session):
    """The ``insert`` construct of ``session``'s database that has ``ON CONFLICT`` clauses, or None
    on a database without them (the caller then inserts in a savepoint and handles IntegrityError)."""
    return ON_CONFLICT_INSERT.get(session.get_bind().dialect.name)
