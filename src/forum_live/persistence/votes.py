"""Storing an upvote under the one-upvote-per-device rule, in one statement where the database
can (issue 16: each upvote of a storm of 3,000 went through an ORM unit-of-work flush)."""
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Question, Vote
from .upsert import on_conflict_insert

_QUESTION_ROW = select(Question.id, Question.event_id, Question.status, Question.merged_into_id).where(
    Question.id == bindparam("question_id"))
_HAS_VOTE = select(Vote.id).where(Vote.question_id == bindparam("question_id"), Vote.device_id == bindparam("device_id"))
_COUNT = select(func.count()).select_from(Vote).where(Vote.question_id == bindparam("question_id"))


def question_row(session: Session, question_id: int):
    """``(id, event_id, status, merged_into_id)`` of a question, or None: one Core statement,
    no ORM object (the upvote path of a storm of 3,000; issue 16)."""
    return session.connection().execute(_QUESTION_ROW, {"question_id": question_id}).first()


def has_vote(session: Session, question_id: int, device_id: str) -> bool:
    """True if the device has upvoted the question."""
    params = {"question_id": question_id, "device_id": device_id}
    return session.connection().execute(_HAS_VOTE, params).first() is not None


def count_votes(session: Session, question_id: int) -> int:
    """The upvotes of one question."""
    return session.connection().execute(_COUNT, {"question_id": question_id}).scalar_one()


_INSERTS: dict = {}


def _insert_statement(insert):
    """The dialect's ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` of a vote, built once (its
    compiled form is then cached by SQLAlchemy): RETURNING tells whether a row went in (psycopg
    reports no rowcount for it)."""
    found = _INSERTS.get(insert)
    if found is None:
        table = Vote.__table__
        found = _INSERTS[insert] = (
            insert(table).values(question_id=bindparam("question_id"), device_id=bindparam("device_id"),
                                 cast_at=bindparam("cast_at"))
            .on_conflict_do_nothing(index_elements=["question_id", "device_id"]).returning(table.c.id))
    return found


def add_vote(session: Session, question_id: int, device_id: str, cast_at: datetime) -> bool:
    """Insert the device's upvote of the question unless it has one; return whether it was new.

    The unique constraint vote(question_id, device_id) decides, inside the database (``INSERT …
    ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL; elsewhere an insert in a savepoint), so two
    concurrent upvotes from one device leave one row and only one of them reports a change.
    """
    insert = on_conflict_insert(session)
    if insert is not None:
        params = {"question_id": question_id, "device_id": device_id, "cast_at": cast_at}
        return session.connection().execute(_insert_statement(insert), params).first() is not None
    try:
        with session.begin_nested():
            session.add(Vote(question_id=question_id, device_id=device_id, cast_at=cast_at))
        return True
    except IntegrityError:
        return False


def remove_vote(session: Session, question_id: int, device_id: str) -> None:
    """Delete the device's upvote of the question (nothing if it has none), in one statement."""
    session.connection().execute(delete(Vote.__table__).where(Vote.__table__.c.question_id == question_id,
                                                              Vote.__table__.c.device_id == device_id))
