"""Audience questions: submit, upvote, withdraw, and the moderator's tools (decide, edit,
merge, queue, spotlight, settings)."""
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import questions as rules
from ..domain.errors import ForumError
from ..persistence.models import Event, Panelist, Question, QuestionEdit, Vote
from ..persistence.votes import add_vote, count_votes, has_vote, question_row, remove_vote

#: The longest and shortest time per question the moderator may set (ms).
MS_PER_QUESTION_RANGE = (15_000, 30 * 60_000)


def find_submission(session: Session, event: Event, device_id: str, client_id: str) -> Question | None:
    """Return the question ``device_id`` already sent with ``client_id``, or None."""
    return session.scalar(select(Question).where(
        Question.event_id == event.id, Question.device_id == device_id, Question.client_id == client_id))


def submit_question(session: Session, event: Event, device_id: str, client_id: str, text: object,
                    name: object, panelist_id: object, now: datetime, theme: object = None,
                    screen: Callable[[str], str | None] | None = None,
                    admit: Callable[[], None] | None = None) -> tuple[Question, bool]:
    """Store a question from ``device_id``; returns ``(question, created)``.

    ``client_id`` is made on the phone: the same device sending the same client_id again gets
    its first question back (``created`` False), so a resend after a lost ack never duplicates.
    ``screen(text)`` returns why a text must be held for moderation (a word list matched) or
    None; ``admit()`` is called once the question is known to be new and valid, and raises
    ForumError(rate_limited) to refuse it (so replays and invalid texts cost no quota).
    The question is pending under pre-moderation or when screened out, else approved.
    Raises ForumError(invalid_text) for bad text or name, not_found for an unknown panelist
    or theme, invalid_state once the show has ended (unless questions were kept open for
    follow-up; a resend of a question stored before still gets it back).
    """
    existing = find_submission(session, event, device_id, client_id)
    if existing is not None:
        return existing, False
    rules.check_questions_open(event.ended_at is not None, event.questions_open_after_end)
    clean = rules.clean_question(text)
    author = rules.clean_name(name)
    chosen_theme = rules.clean_theme(theme, list(event.themes or []))
    if panelist_id is not None:
        _check_panelist(session, event, panelist_id)
    flag = screen(f"{clean}\n{author or ''}") if screen else None
    if admit is not None:
        admit()
    status = rules.initial_status(event.premoderation, flag is not None)
    question = Question(event_id=event.id, device_id=device_id, client_id=client_id, text=clean,
                        author_name=author, panelist_id=panelist_id, theme=chosen_theme, status=status,
                        flag=flag, created_at=now, decided_at=None if status == rules.PENDING else now)
    session.add(question)
    session.flush()
    return question, True


def get_question(session: Session, event: Event, question_id: int) -> Question:
    """Return question ``question_id`` of ``event``; raises ForumError(not_found)."""
    question = session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise ForumError("not_found", f"No question {question_id}.")
    return question


def vote_target(session: Session, event: Event, question_id: int):
    """The question an upvote of ``question_id`` counts for: itself, or the question it was
    merged into (a phone replaying an upvote after a merge still counts once). Returns its row
    ``(id, event_id, status, merged_into_id)`` (persistence.votes.question_row); raises
    ForumError(not_found) for a question of no question or of another event."""
    row = question_row(session, question_id)
    seen = set()
    while row is not None and row.event_id == event.id:
        seen.add(row.id)
        if row.status != rules.MERGED or row.merged_into_id is None or row.merged_into_id in seen:
            return row  # (a cycle cannot be made by merge_questions; be safe anyway)
        row = question_row(session, row.merged_into_id)
    raise ForumError("not_found", f"No question {question_id}.")


def set_upvote(session: Session, event: Event, device_id: str, question_id: int, on: bool,
               now: datetime, admit: Callable[[], None] | None = None) -> tuple[int, bool]:
    """Give (``on``) or withdraw a device's upvote: ``on`` is the wanted state, not a toggle,
    so a replay changes nothing. Returns ``(id of the question voted on, changed)``.

    Only open (approved) questions take votes: raises ForumError(not_found) for hidden ones,
    so a hidden question's existence is not revealed, and invalid_state for an answered one
    (its tally is final; a replay that changes nothing is still acked). ``admit()`` is called
    only for a change (rate limit). Core statements only, no ORM object or flush (issue 16).
    """
    question = vote_target(session, event, question_id)
    if question.status not in rules.PUBLIC_STATUSES:
        raise ForumError("not_found", f"No question {question_id}.")
    if bool(on) == has_vote(session, question.id, device_id):
        return question.id, False
    rules.check_votable(question.status)
    # Before any write: the limiter may yield (a Redis round trip; a timer started under gevent),
    # and a greenlet that yields inside an SQLite write transaction stalls every other writer.
    if admit is not None:
        admit()
    if on:
        # One statement; the unique constraint still tells a concurrent duplicate.
        return question.id, add_vote(session, question.id, device_id, now)
    remove_vote(session, question.id, device_id)
    return question.id, True


def _leave_public(event: Event, question: Question) -> None:
    """A question that is no longer shown leaves the projector's spotlight."""
    if event.highlighted_question_id == question.id:
        event.highlighted_question_id = None
        if event.scene == "question":
            event.scene = "timer"


def moderate_question(session: Session, event: Event, question_id: int, action: str, now: datetime,
                      answered_by: int | None = None) -> Question:
    """Apply ``action`` (approve, reject, answer, archive) to a question; see
    domain.questions.MODERATOR_TRANSITIONS. ``answered_by``: the panelist who answered (answer
    only; None: not recorded). A question leaving the public list also leaves the projector's
    spotlight and the up-next queue. Raises ForumError(not_found) for an unknown question or
    panelist, invalid_state for a move the lifecycle refuses.
    """
    question = get_question(session, event, question_id)
    question.status = rules.next_status(question.status, action)
    question.decided_at = now
    if question.status == rules.ANSWERED:
        if answered_by is not None:
            _check_panelist(session, event, answered_by)
        question.answered_at, question.answered_by_id = now, answered_by
    elif question.status == rules.APPROVED:
        question.answered_at = question.answered_by_id = None
    if question.status != rules.APPROVED:
        _unqueue(session, event, question)
    if question.status not in rules.PUBLIC_STATUSES:
        _leave_public(event, question)
    session.flush()
    return question


def withdraw_question(session: Session, event: Event, device_id: str, question_id: int,
                      now: datetime) -> Question:
    """The asker withdraws their own pending or approved question. Raises ForumError(not_found)
    for a question that is not this device's, invalid_state once it was answered or decided, and
    once the show has ended with questions closed (the session's questions are then final; kept
    open for follow-up, they can still be withdrawn)."""
    question = get_question(session, event, question_id)
    if question.device_id != device_id:
        raise ForumError("not_found", f"No question {question_id}.")
    rules.check_questions_open(event.ended_at is not None, event.questions_open_after_end)
    question.status = rules.next_status(question.status, "withdraw", actor="asker")
    question.decided_at = now
    _unqueue(session, event, question)
    _leave_public(event, question)
    session.flush()
    return question


def edit_question(session: Session, event: Event, question_id: int, text: object, now: datetime,
                  edited_by: str = "moderator") -> Question:
    """Replace a question's text (a typo); the text it replaces goes to the audit log
    (QuestionEdit). Raises ForumError(invalid_text) like a submission, invalid_state for a
    merged or withdrawn question (the asker's words are no longer on offer)."""
    question = get_question(session, event, question_id)
    if question.status in (rules.MERGED, rules.WITHDRAWN):
        raise ForumError("invalid_state", f"A {question.status} question cannot be edited.")
    clean = rules.clean_question(text)
    if clean != question.text:
        session.add(QuestionEdit(question_id=question.id, previous_text=question.text, new_text=clean,
                                 edited_by=edited_by, edited_at=now))
        question.text = clean
    session.flush()
    return question


def question_edits(session: Session, question_ids: list[int]) -> dict[int, list[QuestionEdit]]:
    """The audit log of ``question_ids``: ``{question_id: [edit, ...]}`` oldest first."""
    if not question_ids:
        return {}
    out: dict[int, list[QuestionEdit]] = {}
    for edit in session.scalars(select(QuestionEdit).where(QuestionEdit.question_id.in_(question_ids))
                                .order_by(QuestionEdit.id)):
        out.setdefault(edit.question_id, []).append(edit)
    return out


def merge_questions(session: Session, event: Event, source_id: int, target_id: int, now: datetime) -> set[str]:
    """Merge question ``source_id`` into ``target_id``: the source's upvotes move to the target
    (a device that upvoted both counts once), the source becomes ``merged`` and keeps its text
    (shown with the target to the moderator).

    Returns the device ids whose own part (``mine``) the merge changed, to send it to each: the
    source's asker (its question is now merged), every device that had upvoted the source (its
    upvote moved to the target, or was dropped as a second one), and the askers of questions
    merged into the source earlier (they now point at the target).

    Raises ForumError(invalid_payload) for a question merged into itself, invalid_state when
    the source is not pending/approved, the target not pending/approved/answered, or a shown
    source would be merged into a question the audience cannot see.
    """
    if source_id == target_id:
        raise ForumError("invalid_payload", "A question cannot be merged into itself.")
    source = get_question(session, event, source_id)
    target = get_question(session, event, target_id)
    if source.status not in rules.MERGEABLE_FROM:
        raise ForumError("invalid_state", f"A {source.status} question cannot be merged.")
    if target.status not in rules.MERGEABLE_INTO:
        raise ForumError("invalid_state", f"A question cannot be merged into a {target.status} one.")
    if source.status in rules.PUBLIC_STATUSES and target.status not in rules.PUBLIC_STATUSES:
        raise ForumError("invalid_state", "Approve the question you merge into first: its voters would lose it.")
    changed = {source.device_id}
    voters = set(session.scalars(select(Vote.device_id).where(Vote.question_id == target.id)))
    for vote in session.scalars(select(Vote).where(Vote.question_id == source.id)).all():
        changed.add(vote.device_id)
        if vote.device_id in voters:
            session.delete(vote)
        else:
            vote.question_id = target.id
            voters.add(vote.device_id)
    source.status, source.merged_into_id, source.decided_at = rules.MERGED, target.id, now
    # Earlier merges into the source now point at the target (no chains to follow).
    for earlier in session.scalars(select(Question).where(Question.merged_into_id == source.id)):
        earlier.merged_into_id = target.id
        changed.add(earlier.device_id)
    if event.highlighted_question_id == source.id:
        event.highlighted_question_id = target.id if target.status in rules.PUBLIC_STATUSES else None
        if event.highlighted_question_id is None and event.scene == "question":
            event.scene = "timer"
    _unqueue(session, event, source)
    session.flush()
    return changed


def highlight_question(session: Session, event: Event, question_id: int | None) -> None:
    """Put a shown question in the projector's spotlight (None clears it) and switch the
    projector to it; it leaves the up-next queue. Raises ForumError(invalid_state) for a
    question not approved yet."""
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
    _unqueue(session, event, question)
    session.flush()


def queued(session: Session, event: Event) -> list[Question]:
    """The up-next queue, first to last."""
    return list(session.scalars(select(Question).where(
        Question.event_id == event.id, Question.queue_position.is_not(None)).order_by(Question.queue_position)))


def queue_question(session: Session, event: Event, question_id: int, position: int | None) -> list[Question]:
    """Put an approved question at ``position`` (0 = first; past the end = last) of the up-next
    queue, or take it out (None). Returns the queue. Raises ForumError(invalid_state) for a
    question that is not approved, invalid_payload for a negative position."""
    question = get_question(session, event, question_id)
    order = [q for q in queued(session, event) if q.id != question.id]
    if position is not None:
        if position < 0:
            raise ForumError("invalid_payload", "position must be 0 or more.")
        if question.status != rules.APPROVED:
            raise ForumError("invalid_state", "Only approved questions can be queued.")
        order.insert(min(position, len(order)), question)
    question.queue_position = None
    for i, q in enumerate(order, start=1):
        q.queue_position = i
    session.flush()
    return order


def _unqueue(session: Session, event: Event, question: Question) -> None:
    if question.queue_position is not None:
        queue_question(session, event, question.id, None)


def highlight_next(session: Session, event: Event) -> Question:
    """Spotlight the first question of the up-next queue (it leaves the queue). Raises
    ForumError(invalid_state) when the queue is empty."""
    order = queued(session, event)
    if not order:
        raise ForumError("invalid_state", "The up-next queue is empty.")
    highlight_question(session, event, order[0].id)
    return order[0]


def keep_open_after_end(session: Session, event: Event, keep_open: bool) -> None:
    """After the end of the show, keep the audience's questions open for follow-up (True) or
    close them (False). Raises ForumError(invalid_state) before the end: while the show runs
    questions are open, and ending it decides again (timer:next's ``keep_questions_open``)."""
    if event.ended_at is None:
        raise ForumError("invalid_state", "The show has not ended: questions are open until it ends. "
                                          "Choose when ending the show.")
    event.questions_open_after_end = keep_open
    session.flush()


def update_settings(session: Session, event: Event, premoderation: bool | None = None,
                    ms_per_question: int | None = None) -> None:
    """Switch pre-moderation and set the time allowed per question (ms, 15 s to 30 min).
    Switching pre-moderation off does not approve what is already pending.
    Raises ForumError(invalid_payload) for a time out of range."""
    if premoderation is not None:
        event.premoderation = premoderation
    if ms_per_question is not None:
        low, high = MS_PER_QUESTION_RANGE
        if not low <= ms_per_question <= high:
            raise ForumError("invalid_payload", f"ms_per_question must be {low} to {high} ms.")
        event.ms_per_question = ms_per_question
    session.flush()


def _check_panelist(session: Session, event: Event, panelist_id: int) -> None:
    if session.scalar(select(Panelist.id).where(Panelist.id == panelist_id,
                                                Panelist.event_id == event.id)) is None:
        raise ForumError("not_found", f"No panelist {panelist_id} on this panel.")


def question_votes(session: Session, question_id: int) -> int:
    """Return the upvotes of one question (``vote_counts(...)[question_id]`` without grouping
    every vote of the event: an upvote's ack needs only this one number)."""
    return count_votes(session, question_id)


def vote_counts(session: Session, event: Event) -> dict[int, int]:
    """Return ``{question_id: upvotes}`` for the event's questions that have any."""
    rows = session.execute(
        select(Vote.question_id, func.count()).join(Question, Question.id == Vote.question_id)
        .where(Question.event_id == event.id).group_by(Vote.question_id))
    return dict(rows.all())
