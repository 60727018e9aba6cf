"""Audience questions: their lifecycle, the order the server sends them in, and the rules on
their text. (The phone's other list orders and the console's "how many fit" are the browser's
rules: static/js/question-order.js and static/js/qa-fit.js, tested in tests/e2e/test_browser_rules.py.)"""
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


def top_order_key(q: dict) -> tuple:
    """Sort key of the "top" order, the one the questions view is sent in, for items
    ``{"id", "votes", "created_ms", "status"}``: open questions before answered ones, then most
    votes first, then oldest first, then the id, so ties keep one stable order on every screen.
    The server owns this order: phones and the console show "top" as sent (docs/protocol.md
    "Orders")."""
    return (q.get("status") == ANSWERED, -q["votes"], q["created_ms"], q["id"])


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
