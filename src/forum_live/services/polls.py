"""Polls: authoring, the lifecycle (open, close, auto-close, reveal, reset), one ballot per
device, open-text moderation, and results."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from ..domain import polls as rules
from ..domain.clock import utcnow
from ..domain.errors import ForumError
from ..persistence.ballots import upsert_ballot
from ..persistence.models import Ballot, Event, Poll, PollOption
from ..profanity import is_profane


def get_poll(session: Session, event: Event, poll_id: int) -> Poll:
    """Return poll ``poll_id`` of ``event``; raises ForumError(not_found)."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.event_id != event.id:
        raise ForumError("not_found", f"No poll {poll_id}.")
    return poll


@dataclass(frozen=True)
class BallotPoll:
    """What a ballot needs of its poll (``ballot_poll``): read-only."""

    id: int
    event_id: int
    kind: str
    status: str
    closes_at: datetime | None
    scale_max: int
    max_choices: int | None
    option_ids: tuple[int, ...]


_BALLOT_POLL = (select(Poll.id, Poll.event_id, Poll.kind, Poll.status, Poll.closes_at, Poll.scale_max,
                       Poll.max_choices, PollOption.id.label("option_id"))
                .outerjoin(PollOption, PollOption.poll_id == Poll.id)
                .where(Poll.id == bindparam("poll_id")).order_by(PollOption.position))


def ballot_poll(session: Session, event: Event, poll_id: int) -> BallotPoll:
    """Poll ``poll_id`` of ``event`` as a ballot needs it, in one statement of rows (issue 16: the
    ORM load of the poll and of its options was half a ballot's server time); raises
    ForumError(not_found) for no poll or another event's."""
    rows = session.execute(_BALLOT_POLL, {"poll_id": poll_id}).all()
    if not rows or rows[0].event_id != event.id:
        raise ForumError("not_found", f"No poll {poll_id}.")
    first = rows[0]
    return BallotPoll(first.id, first.event_id, first.kind, first.status, first.closes_at, first.scale_max,
                      first.max_choices, tuple(r.option_id for r in rows if r.option_id is not None))


def status_of(poll: Poll | BallotPoll, now: datetime) -> str:
    """The poll's status at ``now`` (an open poll past its auto-close deadline is closed)."""
    return rules.effective_status(poll.status, poll.closes_at, now)


def ballot_count(session: Session, poll: Poll) -> int:
    """How many devices have a ballot in ``poll``."""
    return session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id))


# ---- authoring -------------------------------------------------------------------------------

def create_poll(session: Session, event: Event, kind: str, title: object, options: list,
                max_choices: int | None = None, scale_max: int = 5, live_results: bool = False,
                duration_s: int | None = None) -> Poll:
    """Add a draft poll at the end of the event's polls (console authoring during the session).

    Rules: domain.polls.check_definition; raises ForumError(invalid_payload / invalid_text).
    """
    title, labels = rules.check_definition(kind, title, options, max_choices, scale_max, duration_s)
    position = session.scalar(select(func.max(Poll.position)).where(Poll.event_id == event.id))
    keys = set(session.scalars(select(Poll.key).where(Poll.event_id == event.id)))
    n = len(keys) + 1
    while f"poll-{n}" in keys:
        n += 1
    poll = Poll(event_id=event.id, position=(position if position is not None else -1) + 1, key=f"poll-{n}",
                kind=kind, title=title, scale_max=scale_max, max_choices=max_choices, status=rules.DRAFT,
                revealed=False, live_results=live_results, duration_s=duration_s)
    session.add(poll)
    session.flush()
    session.add_all(PollOption(poll_id=poll.id, position=i, label=label) for i, label in enumerate(labels))
    session.flush()
    session.refresh(event, ["polls"])
    return poll


_UNSET = object()


def update_poll(session: Session, event: Event, poll_id: int, *, title=_UNSET, options=_UNSET, kind=_UNSET,
                max_choices=_UNSET, scale_max=_UNSET, live_results=_UNSET, duration_s=_UNSET) -> Poll:
    """Edit a poll; fields left out keep their value.

    The title, live results and auto-close can change at any time (auto-close applies from the
    next opening). Option labels can be reworded at any time (ballots point at option ids); the
    kind, the number of options, the maximum of choices and the scale only while the poll has
    no ballots (reset it first), so no ballot ever changes meaning. Raises ForumError
    (invalid_payload / invalid_text for a bad definition, invalid_state as said).
    """
    poll = get_poll(session, event, poll_id)
    new = {
        "kind": poll.kind if kind is _UNSET else kind,
        "title": poll.title if title is _UNSET else title,
        "options": [o.label for o in poll.options] if options is _UNSET else list(options),
        "max_choices": poll.max_choices if max_choices is _UNSET else max_choices,
        "scale_max": poll.scale_max if scale_max is _UNSET else scale_max,
        "duration_s": poll.duration_s if duration_s is _UNSET else duration_s,
    }
    if new["kind"] != rules.MULTIPLE and kind is not _UNSET and max_choices is _UNSET:
        new["max_choices"] = None
    if new["kind"] not in rules.CHOICE_KINDS and kind is not _UNSET and options is _UNSET:
        new["options"] = []
    clean_title, labels = rules.check_definition(new["kind"], new["title"], new["options"], new["max_choices"],
                                                 new["scale_max"], new["duration_s"])
    structural = (new["kind"] != poll.kind or len(labels) != len(poll.options)
                  or new["max_choices"] != poll.max_choices or new["scale_max"] != poll.scale_max)
    if structural and ballot_count(session, poll):
        raise ForumError("invalid_state", "This poll has ballots: reset it before changing its kind, "
                                          "its number of options, its maximum of choices or its scale.")
    poll.title, poll.kind, poll.max_choices, poll.scale_max = clean_title, new["kind"], new["max_choices"], new["scale_max"]
    poll.duration_s = new["duration_s"]
    if live_results is not _UNSET:
        poll.live_results = bool(live_results)
    if len(labels) == len(poll.options):
        for option, label in zip(poll.options, labels):
            option.label = label
    else:
        for option in poll.options:
            session.delete(option)
        session.flush()
        session.add_all(PollOption(poll_id=poll.id, position=i, label=label) for i, label in enumerate(labels))
    session.flush()
    session.refresh(poll, ["options"])
    return poll


def delete_poll(session: Session, event: Event, poll_id: int) -> None:
    """Delete a draft poll that has no ballots; raises ForumError(invalid_state) otherwise."""
    poll = get_poll(session, event, poll_id)
    if poll.status != rules.DRAFT or ballot_count(session, poll):
        raise ForumError("invalid_state", "Only a draft poll without ballots can be deleted.")
    if event.scene_poll_id == poll.id:
        event.scene_poll_id = None
        if event.scene == "poll":
            event.scene = "timer"
    session.flush()
    for option in poll.options:
        session.delete(option)
    session.delete(poll)
    session.flush()
    session.refresh(event, ["polls"])


# ---- lifecycle -------------------------------------------------------------------------------

def open_poll(session: Session, event: Event, poll_id: int, now: datetime | None = None) -> Poll:
    """Open a draft or closed poll for ballots at ``now`` (default: the current time); with an
    auto-close duration, its deadline is ``now + duration_s``. Other open polls of the event are
    closed, so a phone has one poll to answer. Reopening hides revealed results again (people
    must not vote while seeing them; a live-results poll shows them anyway: docs/protocol.md).
    Raises ForumError(invalid_state) if already open."""
    now = now or utcnow()
    poll = get_poll(session, event, poll_id)
    poll.status = rules.next_status(status_of(poll, now), "open")
    poll.revealed = False
    poll.opened_at = now
    poll.closes_at = now + timedelta(seconds=poll.duration_s) if poll.duration_s else None
    for other in event.polls:
        if other.id != poll.id and other.status == rules.OPEN:
            other.status, other.closes_at = rules.CLOSED, None
    session.flush()
    return poll


def close_poll(session: Session, event: Event, poll_id: int, now: datetime | None = None) -> Poll:
    """Stop taking ballots; raises ForumError(invalid_state) if the poll is not open."""
    now = now or utcnow()
    poll = get_poll(session, event, poll_id)
    poll.status = rules.next_status(status_of(poll, now), "close")
    poll.closes_at = None
    session.flush()
    return poll


def close_due_polls(session: Session, event: Event, now: datetime) -> list[Poll]:
    """Store the auto-close of every open poll of ``event`` whose deadline has passed at ``now``;
    return them (the caller broadcasts). Idempotent."""
    due = [p for p in event.polls if p.status == rules.OPEN and p.closes_at is not None and p.closes_at <= now]
    for poll in due:
        poll.status, poll.closes_at = rules.CLOSED, None
    session.flush()
    return due


def close_open_polls(session: Session, event: Event, now: datetime) -> list[Poll]:
    """Close every poll of ``event`` still open at ``now`` (the end of the show), each as a
    moderator's close does (close_poll); one past its deadline is stored closed as auto-close
    would. Returns the polls closed (the caller broadcasts)."""
    closed = close_due_polls(session, event, now)
    for poll in event.polls:
        if status_of(poll, now) == rules.OPEN:
            closed.append(close_poll(session, event, poll.id, now))
    return closed


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


def reset_poll(session: Session, event: Event, poll_id: int, confirm: bool) -> list[str]:
    """Delete every ballot of the poll and make it a draft again (hidden, not on the projector).

    ``confirm`` must be True (the console asks first): a reset cannot be undone. Returns the
    device ids whose ballot was deleted. Raises ForumError(invalid_payload) without the
    confirmation.
    """
    poll = get_poll(session, event, poll_id)
    if confirm is not True:
        raise ForumError("invalid_payload", "Resetting deletes every ballot: confirm it (confirm: true).")
    devices = list(session.scalars(select(Ballot.device_id).where(Ballot.poll_id == poll.id)))
    session.execute(delete(Ballot).where(Ballot.poll_id == poll.id))
    poll.status, poll.revealed, poll.opened_at, poll.closes_at = rules.DRAFT, False, None, None
    if event.scene == "poll" and event.scene_poll_id == poll.id:
        event.scene = "timer"
    session.flush()
    return devices


# ---- ballots ---------------------------------------------------------------------------------

def cast_ballot(session: Session, event: Event, device_id: str, poll_id: int, value: object,
                now: datetime, poll: BallotPoll | None = None):
    """Store or change ``device_id``'s ballot in an open poll; returns its stored row
    ``(id, value, moderation)`` (persistence.ballots.upsert_ballot).

    One ballot per device per poll is the database's unique constraint: the ballot is inserted,
    and if the device already has one (cast earlier, or a moment ago by a concurrent request
    from the same device) that row is updated instead (persistence.ballots.upsert_ballot), so a
    device never counts twice and no other device's row is touched. An open-text answer
    goes (back) to the moderation queue. Raises ForumError(invalid_state) for a poll not open,
    invalid_payload or invalid_text for a value the poll's kind does not take (see
    domain.polls.clean_ballot) or a profane word-cloud answer. ``poll``: ``ballot_poll``'s read of
    the poll, if the caller has it (else read here); raises ForumError(not_found) for no poll.
    """
    poll = poll if poll is not None and poll.id == poll_id else ballot_poll(session, event, poll_id)
    if status_of(poll, now) != rules.OPEN:
        raise ForumError("invalid_state", "This poll is not open.")
    stored = rules.clean_ballot(poll.kind, value, list(poll.option_ids), poll.scale_max, poll.max_choices)
    if poll.kind == rules.WORDCLOUD and is_profane(stored):
        raise ForumError("invalid_text", "Not allowed in the word cloud: the answer has a word on its list of "
                                         "offensive words. Please choose another.")
    moderation = rules.PENDING if poll.kind == rules.TEXT else None
    ballot = upsert_ballot(session, poll.id, device_id, stored, moderation, now)
    session.flush()
    return ballot


def withdraw_ballot(session: Session, event: Event, device_id: str, poll_id: int, now: datetime) -> bool:
    """Delete ``device_id``'s ballot in an open poll; returns whether there was one (withdrawing
    twice is harmless). Raises ForumError(invalid_state) for a poll not open."""
    poll = ballot_poll(session, event, poll_id)
    if status_of(poll, now) != rules.OPEN:
        raise ForumError("invalid_state", "This poll is not open.")
    deleted = session.execute(delete(Ballot).where(Ballot.poll_id == poll.id, Ballot.device_id == device_id))
    session.flush()
    return deleted.rowcount > 0


def moderate_answer(session: Session, event: Event, ballot_id: int, action: str) -> Ballot:
    """Approve or reject an open-text answer (``action``: approve | reject); only approved
    answers are ever shown to phones and the projector. Raises ForumError(not_found) for an
    unknown answer, invalid_payload for an unknown action."""
    if action not in rules.MODERATION_ACTIONS:
        raise ForumError("invalid_payload", "The action is approve or reject.")
    ballot = session.get(Ballot, ballot_id)
    poll = session.get(Poll, ballot.poll_id) if ballot is not None else None
    if poll is None or poll.event_id != event.id or poll.kind != rules.TEXT:
        raise ForumError("not_found", f"No open-text answer {ballot_id}.")
    ballot.moderation = rules.MODERATION_ACTIONS[action]
    session.flush()
    return ballot


# ---- results ---------------------------------------------------------------------------------

def poll_results(session: Session, poll: Poll, public: bool = False) -> dict:
    """Return the poll's tally (shape: domain.polls.tally). Open-text answers: every answer
    with its moderation status, or only approved ones if ``public``; newest first. The other
    kinds are counted in the database (one row per distinct ballot value), not ballot by ballot."""
    options = [(o.id, o.label) for o in poll.options]
    if poll.kind == rules.TEXT:
        rows = session.execute(select(Ballot.id, Ballot.value, Ballot.moderation)
                               .where(Ballot.poll_id == poll.id).order_by(Ballot.id)).all()
        answers = [(i, v, m) for i, v, m in reversed(rows) if not public or m == rules.APPROVED]
        return rules.tally(poll.kind, [v for _, v, _ in rows], options, poll.scale_max, answers)
    counted = session.execute(select(Ballot.value, func.count()).where(Ballot.poll_id == poll.id)
                              .group_by(Ballot.value).order_by(func.min(Ballot.id))).all()
    return rules.tally_counted(poll.kind, [(v, n) for v, n in counted], options, poll.scale_max)
