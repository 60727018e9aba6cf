"""Audience questions: their lifecycle, the order they are listed in, the rules on their text,
and how many of them fit in the time left for Q&A."""
from .errors import ForumError
from .text import clean_text

PENDING, APPROVED, ANSWERED, ARCHIVED = "pending", "approved", "answered", "archived"
REJECTED, WITHDRAWN, MERGED = "rejected", "withdrawn", "merged"
STATUSES = (PENDING, APPROVED, ANSWERED, ARCHIVED, REJECTED, WITHDRAWN, MERGED)
#: What the audience and the projector may see.
PUBLIC_STATUSES = (APPROVED, ANSWERED)
#: What takes upvotes: an answered question's tally is final (it sorts after the open ones).
VOTABLE_STATUSES = (APPROVED,)
#: Statuses a question can be merged from (the asker's words are still open) and into.
MERGEABLE_FROM = (PENDING, APPROVED)
MERGEABLE_INTO = (PENDING, APPROVED, ANSWERED)

QUESTION_MIN_CHARS, QUESTION_MAX_CHARS = 3, 500
NAME_MAX_CHARS = 60

#: Moderator actions: action -> (statuses it applies to, status it leads to).
#: ``approve`` also reopens an answered or archived question and undoes a rejection;
#: ``reject`` is the moderator's dismissal (counted publicly), ``archive`` sets a question aside
#: without judging it (not counted). Merged and withdrawn questions are final.
MODERATOR_TRANSITIONS = {
    "approve": ((PENDING, REJECTED, ANSWERED, ARCHIVED), APPROVED),
    "reject": ((PENDING, APPROVED, ANSWERED), REJECTED),
    "answer": ((APPROVED,), ANSWERED),
    "archive": ((APPROVED, ANSWERED), ARCHIVED),
}
#: The asker's own action: a question still open can be withdrawn (not counted as dismissed).
ASKER_TRANSITIONS = {
    "withdraw": ((PENDING, APPROVED), WITHDRAWN),
}
#: Both tables, for documentation and tests: actor -> action -> (sources, target).
TRANSITIONS = {"moderator": MODERATOR_TRANSITIONS, "asker": ASKER_TRANSITIONS}

#: List orders offered to the audience (and the console).
ORDERS = ("top", "newest", "answered")


def next_status(current: str, action: str, actor: str = "moderator") -> str:
    """Return the status ``action`` by ``actor`` ("moderator" or "asker") leads to from ``current``.

    Raises ForumError(invalid_payload) for an action the actor does not have and
    ForumError(invalid_state) for a move the lifecycle does not allow (e.g. answering a
    pending question, withdrawing an answered one).
    """
    table = TRANSITIONS.get(actor, {})
    if action not in table:
        raise ForumError("invalid_payload", f"Unknown moderation action {action!r}.")
    sources, target = table[action]
    if current not in sources:
        raise ForumError("invalid_state", f"A {current} question cannot be {target}.")
    return target


def check_votable(status: str) -> None:
    """Refuse a change of upvote on a question in ``status``: only open (approved) questions
    take upvotes. Raises ForumError(invalid_state) for an answered one (the caller has already
    refused hidden ones with not_found)."""
    if status not in VOTABLE_STATUSES:
        raise ForumError("invalid_state", "This question has been answered: it no longer takes upvotes.")


#: What a phone is told when it asks after the end of the show (questions not kept open).
CLOSED_AFTER_END = "The session has ended: questions are closed."


def questions_open(ended: bool, kept_open_after_end: bool) -> bool:
    """Whether the audience may send new questions: always until the show has ended; after its
    end only if the moderator kept questions open for follow-up."""
    return not ended or kept_open_after_end


def check_questions_open(ended: bool, kept_open_after_end: bool) -> None:
    """Refuse a new question once the show has ended, unless questions were kept open for
    follow-up. Raises ForumError(invalid_state) with CLOSED_AFTER_END."""
    if not questions_open(ended, kept_open_after_end):
        raise ForumError("invalid_state", CLOSED_AFTER_END)


def initial_status(premoderation: bool, flagged: bool) -> str:
    """Status of a new question: pending under pre-moderation or when the text was flagged
    (a word list matched), else approved at once."""
    return PENDING if premoderation or flagged else APPROVED


def sort_key(order: str):
    """Return the sort key of ``order`` for items ``{"id", "votes", "created_ms", "answered_ms"}``.

    top: open questions before answered ones, then most votes first, then oldest first; newest:
    newest first; answered: most recently answered first. Every order ends with the id, so ties
    keep one stable order on every screen. Items also carry ``status`` (for top).
    Raises ForumError(invalid_payload) for an unknown order.
    """
    if order == "top":
        return lambda q: (q.get("status") == ANSWERED, -q["votes"], q["created_ms"], q["id"])
    if order == "newest":
        return lambda q: (-q["created_ms"], -q["id"])
    if order == "answered":
        return lambda q: (-(q.get("answered_ms") or 0), -q["id"])
    raise ForumError("invalid_payload", f"Unknown order {order!r}.")


def sort_questions(items: list[dict], order: str) -> list[dict]:
    """Return ``items`` in ``order`` (see sort_key); ``answered`` keeps only answered ones."""
    if order == "answered":
        items = [q for q in items if q["status"] == ANSWERED]
    return sorted(items, key=sort_key(order))


def qa_remaining_ms(segments: list[dict], current_id: int | None, timer_remaining_ms: int | None) -> int:
    """Time left for audience Q&A, in ms: the on-air Q&A segment's remaining time (never below
    zero) plus the full length (planned + adjust) of every Q&A segment not started yet.

    ``segments``: the run view's segments (``kind``, ``id``, ``planned_ms``, ``adjust_ms``,
    ``started_ms``, ``left_ms``); ``timer_remaining_ms``: the on-air timer's remaining time.
    A Q&A segment that was started and left counts as done.
    """
    total = 0
    for seg in segments:
        if seg["kind"] != "qa":
            continue
        if seg["id"] == current_id:
            total += max(0, timer_remaining_ms or 0)
        elif seg.get("started_ms") is None:
            total += max(0, seg["planned_ms"] + seg.get("adjust_ms", 0))
    return total


def questions_that_fit(remaining_ms: int, ms_per_question: int, queued: int) -> int:
    """How many of ``queued`` questions fit in ``remaining_ms`` at ``ms_per_question`` each
    (whole questions only). Raises ForumError(invalid_payload) for a non-positive length."""
    if ms_per_question <= 0:
        raise ForumError("invalid_payload", "The time per question must be positive.")
    return max(0, min(queued, remaining_ms // ms_per_question))


def clean_question(text: object) -> str:
    """Return a question's cleaned text (3 to 500 characters); raises ForumError otherwise."""
    return clean_text(text, field="Question", min_len=QUESTION_MIN_CHARS,
                      max_len=QUESTION_MAX_CHARS, multiline=True)


def clean_name(name: object) -> str | None:
    """Return a cleaned display name, or None for anonymous (None, or nothing visible left
    after cleaning, e.g. only spaces or zero-width characters)."""
    if name is None:
        return None
    cleaned = clean_text(name, field="Name", min_len=0, max_len=NAME_MAX_CHARS)
    return cleaned or None


def clean_theme(theme: object, themes: list[str]) -> str | None:
    """Return ``theme`` if it is one of the event's ``themes`` (None or blank: no theme).

    Raises ForumError(invalid_payload) for a non-string, not_found for a theme the event
    does not have.
    """
    if theme is None or (isinstance(theme, str) and not theme.strip()):
        return None
    if not isinstance(theme, str):
        raise ForumError("invalid_payload", "Theme must be text.")
    if theme not in themes:
        raise ForumError("not_found", "That theme is not one of this event's themes.")
    return theme
