"""Polls: open, close, reveal, and casting one ballot per device."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import polls as rules
from ..domain.errors import ForumError
from ..persistence.models import Ballot, Event, Poll


def get_poll(session: Session, event: Event, poll_id: int) -> Poll:
    """Return poll ``poll_id`` of ``event``; raises ForumError(not_found)."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.event_id != event.id:
        raise ForumError("not_found", f"No poll {poll_id}.")
    return poll


def open_poll(session: Session, event: Event, poll_id: int) -> Poll:
    """Open a draft or closed poll for ballots; other open polls of the event are closed, so a
    phone has one poll to answer. Raises ForumError(invalid_state) if it is already open."""
    poll = get_poll(session, event, poll_id)
    poll.status = rules.next_status(poll.status, "open")
    for other in event.polls:
        if other.id != poll.id and other.status == rules.OPEN:
            other.status = rules.CLOSED
    session.flush()
    return poll


def close_poll(session: Session, event: Event, poll_id: int) -> Poll:
    """Stop taking ballots; raises ForumError(invalid_state) if the poll is not open."""
    poll = get_poll(session, event, poll_id)
    poll.status = rules.next_status(poll.status, "close")
    session.flush()
    return poll


def reveal_poll(session: Session, event: Event, poll_id: int, revealed: bool = True) -> Poll:
    """Show (or hide again) a poll's results to phones and the projector; revealing also puts
    the results on the projector. Raises ForumError(invalid_state) for a draft poll."""
    poll = get_poll(session, event, poll_id)
    if poll.status == rules.DRAFT:
        raise ForumError("invalid_state", "Open the poll before revealing its results.")
    poll.revealed = revealed
    if revealed:
        event.scene, event.scene_poll_id = "poll", poll.id
    elif event.scene == "poll" and event.scene_poll_id == poll.id:
        event.scene = "timer"
    session.flush()
    return poll


def cast_ballot(session: Session, event: Event, device_id: str, poll_id: int, value: object,
                now: datetime) -> Ballot:
    """Store or change ``device_id``'s ballot in an open poll (one per device, by a unique
    constraint). Raises ForumError(invalid_state) for a poll not open, invalid_payload or
    invalid_text for a value the poll's kind does not take (see domain.polls.clean_ballot)."""
    poll = get_poll(session, event, poll_id)
    if poll.status != rules.OPEN:
        raise ForumError("invalid_state", "This poll is not open.")
    stored = rules.clean_ballot(poll.kind, value, [o.id for o in poll.options], poll.scale_max)
    ballot = session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.device_id == device_id))
    if ballot is None:
        ballot = Ballot(poll_id=poll.id, device_id=device_id, value=stored, cast_at=now)
        session.add(ballot)
    else:
        ballot.value, ballot.cast_at = stored, now
    session.flush()
    return ballot


def poll_results(session: Session, poll: Poll) -> dict:
    """Return the poll's tally (shape: domain.polls.tally)."""
    values = list(session.scalars(select(Ballot.value).where(Ballot.poll_id == poll.id).order_by(Ballot.id)))
    return rules.tally(poll.kind, values, [(o.id, o.label) for o in poll.options], poll.scale_max)
