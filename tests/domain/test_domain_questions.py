"""The moderation queue's lifecycle, and the rules on a question's text and author name."""
import pytest

from forum_live.domain.errors import ForumError
from forum_live.domain.questions import (
    ANSWERED, APPROVED, PENDING, REJECTED, STATUSES, clean_name, clean_question, next_status)

# Every action from every status: the status it leads to, or None when the lifecycle refuses it.
TRANSITIONS = [
    ("approve", PENDING, APPROVED),
    ("approve", APPROVED, None),
    ("approve", ANSWERED, APPROVED),   # reopen an answered question
    ("approve", REJECTED, APPROVED),   # undo a rejection
    ("reject", PENDING, REJECTED),
    ("reject", APPROVED, REJECTED),
    ("reject", ANSWERED, REJECTED),
    ("reject", REJECTED, None),
    ("answer", PENDING, None),         # a question must be shown before it is answered
    ("answer", APPROVED, ANSWERED),
    ("answer", ANSWERED, None),
    ("answer", REJECTED, None),
]


def test_transition_table_covers_every_action_and_status():
    assert {(a, s) for a, s, _ in TRANSITIONS} == {
        (a, s) for a in ("approve", "reject", "answer") for s in STATUSES}


@pytest.mark.parametrize(("action", "current", "target"), [row for row in TRANSITIONS if row[2]])
def test_allowed_moderation_move_leads_to_its_target(action, current, target):
    assert next_status(current, action) == target


@pytest.mark.parametrize(("action", "current"), [row[:2] for row in TRANSITIONS if not row[2]])
def test_disallowed_moderation_move_is_invalid_state(action, current):
    with pytest.raises(ForumError) as err:
        next_status(current, action)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize("action", ["delete", "", "APPROVE", None])
def test_unknown_moderation_action_is_invalid_payload(action):
    with pytest.raises(ForumError) as err:
        next_status(PENDING, action)
    assert err.value.code == "invalid_payload"


@pytest.mark.parametrize(("raw", "expected"), [
    ("  What next?  ", "What next?"),
    ("Why?", "Why?"),
    ("abc", "abc"),                     # the 3-character minimum
    ("x" * 500, "x" * 500),             # the 500-character maximum
    ("First line\n  second   line ", "First line\nsecond line"),
])
def test_clean_question_keeps_lines_and_trims(raw, expected):
    assert clean_question(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [
    ("ab", "invalid_text"),
    ("  a\u200b  ", "invalid_text"),
    ("x" * 501, "invalid_text"),
    (None, "invalid_payload"),
    (42, "invalid_payload"),
])
def test_clean_question_refuses(raw, code):
    with pytest.raises(ForumError) as err:
        clean_question(raw)
    assert err.value.code == code


@pytest.mark.parametrize(("raw", "expected"), [
    (None, None),
    ("", None),
    ("   ", None),
    (" Somchai  P. ", "Somchai P."),
    ("y" * 60, "y" * 60),
])
def test_clean_name_blank_is_anonymous(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [("y" * 61, "invalid_text"), (7, "invalid_payload")])
def test_clean_name_refuses(raw, code):
    with pytest.raises(ForumError) as err:
        clean_name(raw)
    assert err.value.code == code
