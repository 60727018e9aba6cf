"""Audience questions: submit, upvote, and the moderation queue's decisions."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import questions as rules
from ..domain.errors import ForumError
from ..persistence.models import Event, Panelist, Question, Vote


def submit_question(session: Session, event: Event, device_id: str, client_id: str, text: object,
                    name: object, panelist_id: object, now: datetime) -> tuple[Question, bool]:
    """Store a question from ``device_id``; returns ``(question, created)``.

    ``client_id`` is made on the phone: the same device sending the same client_id again gets
    its first question back (``created`` False), so a resend after a lost ack never duplicates.
    Raises ForumError(invalid_text) for bad text or name, not_found for an unknown panelist.
    """
    existing = session.scalar(select(Question).where(
        Question.event_id == event.id, Question.device_id == device_id, Question.client_id == client_id))
    if existing is not None:
        return existing, False
    clean = rules.clean_question(text)
    author = rules.clean_name(name)
    if panelist_id is not None:
        if session.scalar(select(Panelist.id).where(Panelist.id == panelist_id,
                                                    Panelist.event_id == event.id)) is None:
            raise ForumError("not_found", f"No panelist {panelist_id} on this panel.")
    question = Question(event_id=event.id, device_id=device_id, client_id=client_id, text=clean,
                        author_name=author, panelist_id=panelist_id, status=rules.PENDING, created_at=now)
    session.add(question)
    session.flush()
    return question, True


def get_question(session: Session, event: Event, question_id: int) -> Question:
    """Return question ``question_id`` of ``event``; raises ForumError(not_found)."""
    question = session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise ForumError("not_found", f"No question {question_id}.")
    return question


def set_upvote(session: Session, event: Event, device_id: str, question_id: int, on: bool,
               now: datetime) -> bool:
    """Give (``on``) or withdraw a device's upvote; idempotent. Returns whether anything changed.

    Only shown questions (approved or answered) take votes: raises ForumError(not_found) for
    others, so a hidden question's existence is not revealed.
    """
    question = get_question(session, event, question_id)
    if question.status not in rules.PUBLIC_STATUSES:
        raise ForumError("not_found", f"No question {question_id}.")
    vote = session.scalar(select(Vote).where(Vote.question_id == question_id, Vote.device_id == device_id))
    if on and vote is None:
        session.add(Vote(question_id=question_id, device_id=device_id, cast_at=now))
    elif not on and vote is not None:
        session.delete(vote)
    else:
        return False
    session.flush()
    return True


def moderate_question(session: Session, event: Event, question_id: int, action: str,
                      now: datetime) -> Question:
    """Apply ``action`` (approve, reject, answer) to a question; see domain.questions.TRANSITIONS.

    A question leaving the public list also leaves the projector's spotlight.
    """
    question = get_question(session, event, question_id)
    question.status = rules.next_status(question.status, action)
    question.decided_at = now
    if question.status == rules.REJECTED and event.highlighted_question_id == question.id:
        event.highlighted_question_id = None
        if event.scene == "question":
            event.scene = "timer"
    session.flush()
    return question


def highlight_question(session: Session, event: Event, question_id: int | None) -> None:
    """Put a shown question in the projector's spotlight (None clears it) and switch the
    projector to it. Raises ForumError(invalid_state) for a question not approved yet."""
    if question_id is None:
        event.highlighted_question_id = None
        if event.scene == "question":
            event.scene = "timer"
        return
    question = get_question(session, event, question_id)
    if question.status not in rules.PUBLIC_STATUSES:
        raise ForumError("invalid_state", "Approve the question before showing it.")
    event.highlighted_question_id = question.id
    event.scene = "question"
    session.flush()


def vote_counts(session: Session, event: Event) -> dict[int, int]:
    """Return ``{question_id: upvotes}`` for the event's questions that have any."""
    rows = session.execute(
        select(Vote.question_id, func.count()).join(Question, Question.id == Vote.question_id)
        .where(Question.event_id == event.id).group_by(Vote.question_id))
    return dict(rows.all())
