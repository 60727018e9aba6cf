"""Audience questions: their lifecycle and the rules on their text."""
from .errors import ForumError
from .text import clean_text

PENDING, APPROVED, ANSWERED, REJECTED = "pending", "approved", "answered", "rejected"
STATUSES = (PENDING, APPROVED, ANSWERED, REJECTED)
#: What the audience and the projector may see.
PUBLIC_STATUSES = (APPROVED, ANSWERED)

QUESTION_MIN_CHARS, QUESTION_MAX_CHARS = 3, 500
NAME_MAX_CHARS = 60

#: Allowed moves of the moderation queue: action -> (statuses it applies to, status it leads to).
TRANSITIONS = {
    "approve": ((PENDING, REJECTED, ANSWERED), APPROVED),
    "reject": ((PENDING, APPROVED, ANSWERED), REJECTED),
    "answer": ((APPROVED,), ANSWERED),
}


def next_status(current: str, action: str) -> str:
    """Return the status ``action`` (approve, reject, answer) leads to from ``current``.

    Raises ForumError(invalid_payload) for an unknown action and ForumError(invalid_state) for a
    move the lifecycle does not allow (e.g. answering a pending question).
    """
    if action not in TRANSITIONS:
        raise ForumError("invalid_payload", f"Unknown moderation action {action!r}.")
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ForumError("invalid_state", f"A {current} question cannot be {target}.")
    return target


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
