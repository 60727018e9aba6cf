"""The audience summary: published by the moderator, read by anyone at /e/<code>/summary.

It shows only what the room could already see, or what the moderator chose for it: answered
questions, the results of revealed polls (open text: approved answers only) and the takeaways
marked ``for_summary``. No device id, no pending or dismissed question.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import polls as poll_rules
from ..domain import questions as q_rules
from ..domain.clock import to_ms
from ..persistence.models import Event, Question, Takeaway
from .polls import poll_results
from .questions import vote_counts


def publish_summary(event: Event, published: bool, now: datetime) -> bool:
    """Publish (``published``) or withdraw the audience summary; returns whether it changed.
    Publishing again keeps the first publication instant."""
    if published and event.summary_published_at is None:
        event.summary_published_at = now
        return True
    if not published and event.summary_published_at is not None:
        event.summary_published_at = None
        return True
    return False


def summary_url(event: Event, join_url: str) -> str | None:
    """The summary's URL (``join_url`` + ``/summary``) once published, else None."""
    return f"{join_url}/summary" if event.summary_published_at is not None else None


def summary_view(session: Session, event: Event, now: datetime) -> dict:
    """What the summary page shows: ``{"event": {"code", "title", "subtitle", "venue",
    "timezone", "scheduled_start_ms", "ended_ms"}, "published_ms", "answered": [{"id", "text",
    "name", "votes", "answered_by", "answered_ms"}] in the order answered, "polls": [{"id",
    "kind", "title", "results"}] (revealed polls, public results), "takeaways": [{"id", "text",
    "panelist", "key_question"}] oldest first}``."""
    panelists = {p.id: p.name for p in event.panelists}
    counts = vote_counts(session, event)
    answered = session.scalars(select(Question).where(Question.event_id == event.id,
                                                      Question.status == q_rules.ANSWERED)
                               .order_by(Question.answered_at, Question.id))
    kq_numbers = {kq.id: kq.position + 1 for kq in event.key_questions}
    takeaways = session.scalars(select(Takeaway).where(Takeaway.event_id == event.id, Takeaway.for_summary.is_(True))
                                .order_by(Takeaway.created_at, Takeaway.id))
    return {
        "event": {"code": event.code, "title": event.title, "subtitle": event.subtitle, "venue": event.venue,
                  "timezone": event.timezone, "scheduled_start_ms": to_ms(event.scheduled_start_at),
                  "ended_ms": to_ms(event.ended_at)},
        "published_ms": to_ms(event.summary_published_at),
        "answered": [{"id": q.id, "text": q.text, "name": q.author_name, "votes": counts.get(q.id, 0),
                      "answered_by": panelists.get(q.answered_by_id), "answered_ms": to_ms(q.answered_at)}
                     for q in answered],
        "polls": [{"id": p.id, "kind": p.kind, "title": p.title, "results": poll_results(session, p, public=True)}
                  for p in event.polls if p.revealed and p.status != poll_rules.DRAFT],
        "takeaways": [{"id": t.id, "text": t.text, "panelist": panelists.get(t.panelist_id),
                       "key_question": kq_numbers.get(t.key_question_id)} for t in takeaways],
    }
