"""Storing an upvote under the one-upvote-per-device rule, in one statement where the database
can (issue 16: each upvote of a storm of 3,000 went through an ORM unit-of-work flush)."""
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Vote
from .upsert import on_conflict_insert


def add_vote(session: Session, question_id: int, device_id: str, cast_at: datetime) -> bool:
    """Insert the device's upvote of the question unless it has one; return whether it was new.

    The unique constraint vote(question_id, device_id) decides, inside the database (``INSERT …
    ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL; elsewhere an insert in a savepoint), so two
    concurrent upvotes from one device leave one row and only one of them reports a change.
    """
    insert = on_conflict_insert(session)
    if insert is not None:
        # RETURNING tells whether a row went in (psycopg reports no rowcount for it).
        stmt = (insert(Vote.__table__).values(question_id=question_id, device_id=device_id, cast_at=cast_at)
                .on_conflict_do_nothing(index_elements=["question_id", "device_id"]).returning(Vote.__table__.c.id))
        return session.connection().execute(stmt).first() is not None
    try:
        with session.begin_nested():
            session.add(Vote(question_id=question_id, device_id=device_id, cast_at=cast_at))
        return True
    except IntegrityError:
        return False


def remove_vote(session: Session, question_id: int, device_id: str) -> None:
    """Delete the device's upvote of the question (nothing if it has none), in one statement."""
    session.execute(delete(Vote).where(Vote.question_id == question_id, Vote.device_id == device_id),
                    execution_options={"synchronize_session": False})
