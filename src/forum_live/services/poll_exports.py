"""Poll exports for the moderator: results and anonymous ballots as CSV text."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import export
from ..domain import polls as rules
from ..persistence.models import Ballot, Event
from .polls import get_poll, poll_results


def results_csv(session: Session, event: Event, poll_id: int) -> tuple[str, str]:
    """Return ``(file name, CSV text)`` of the poll's results (every open-text answer, with its
    moderation status). Raises ForumError(not_found)."""
    poll = get_poll(session, event, poll_id)
    rows = export.results_rows(poll.kind, poll.title, poll_results(session, poll))
    return f"{event.code}-{poll.key}-results.csv", export.to_csv(rows)


def ballots_csv(session: Session, event: Event, poll_id: int) -> tuple[str, str]:
    """Return ``(file name, CSV text)`` of the poll's ballots, anonymous (no device id), in the
    order first cast, each value as a person reads it (option labels, not ids). Raises
    ForumError(not_found)."""
    poll = get_poll(session, event, poll_id)
    labels = {str(o.id): o.label for o in poll.options}
    rows = session.execute(select(Ballot.value, Ballot.cast_at, Ballot.moderation)
                           .where(Ballot.poll_id == poll.id).order_by(Ballot.id)).all()
    readable = []
    for value, cast_at, status in rows:
        if poll.kind in rules.CHOICE_KINDS:
            value = "; ".join(labels.get(v, v) for v in value.split(","))
        readable.append((cast_at.isoformat(timespec="seconds"), value, status))
    return f"{event.code}-{poll.key}-ballots.csv", export.to_csv(export.ballot_rows(poll.kind, readable))
