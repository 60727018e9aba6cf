"""The moderation queue's lifecycle, and the rules on a question's text and author name."""
import pytest

from forum_live.domain.errors import ForumError
from forum_live.domain.questions import (
    ANSWERED,
    APPROVED,
    ARCHIVED,
    MERGED,
    PENDING,
    REJECTED,
    STATUSES,
    WITHDRAWN,
    check_votable,
    clean_name,
    clean_question,
    clean_theme,
    initial_status,
    next_status,
    top_order_key,
)

# The lifecycle as a transition table: every (actor, action) from every status leads to a
# status, or None when the lifecycle refuses it (invalid_state).
TRANSITIONS = [
    # actor,      action,    from,      to
    ("moderator", "approve", PENDING, APPROVED),
    ("moderator", "approve", APPROVED, None),
    ("moderator", "approve", ANSWERED, APPROVED),    # reopen an answered question
    ("moderator", "approve", ARCHIVED, APPROVED),    # bring back an archived one
    ("moderator", "approve", REJECTED, APPROVED),    # undo a rejection
    ("moderator", "approve", WITHDRAWN, None),       # the asker took it back: final
    ("moderator", "approve", MERGED, None),          # lives on in the question it joined
    ("moderator", "reject", PENDING, REJECTED),
    ("moderator", "reject", APPROVED, REJECTED),     # the moderator withdraws an approval
    ("moderator", "reject", ANSWERED, REJECTED),
    ("moderator", "reject", ARCHIVED, None),
    ("moderator", "reject", REJECTED, None),
    ("moderator", "reject", WITHDRAWN, None),
    ("moderator", "reject", MERGED, None),
    ("moderator", "answer", PENDING, None),          # a question must be shown before it is answered
    ("moderator", "answer", APPROVED, ANSWERED),
    ("moderator", "answer", ANSWERED, None),
    ("moderator", "answer", ARCHIVED, None),
    ("moderator", "answer", REJECTED, None),
    ("moderator", "answer", WITHDRAWN, None),
    ("moderator", "answer", MERGED, None),
    ("moderator", "archive", PENDING, None),         # undecided: approve or reject it first
    ("moderator", "archive", APPROVED, ARCHIVED),
    ("moderator", "archive", ANSWERED, ARCHIVED),
    ("moderator", "archive", ARCHIVED, None),
    ("moderator", "archive", REJECTED, None),
    ("moderator", "archive", WITHDRAWN, None),
    ("moderator", "archive", MERGED, None),
    ("asker", "withdraw", PENDING, WITHDRAWN),
    ("asker", "withdraw", APPROVED, WITHDRAWN),      # an approved question can still be withdrawn
    ("asker", "withdraw", ANSWERED, None),
    ("asker", "withdraw", ARCHIVED, None),
    ("asker", "withdraw", REJECTED, None),
    ("asker", "withdraw", WITHDRAWN, None),
    ("asker", "withdraw", MERGED, None),
]
ACTIONS = {"moderator": ("approve", "reject", "answer", "archive"), "asker": ("withdraw",)}


def test_transition_table_covers_every_action_and_status():
    rows = [(actor, a, s) for actor, a, s, _ in TRANSITIONS]
    assert len(rows) == len(set(rows))
    assert set(rows) == {(actor, a, s) for actor, actions in ACTIONS.items() for a in actions for s in STATUSES}


@pytest.mark.parametrize(("actor", "action", "current", "target"), [row for row in TRANSITIONS if row[3]])
def test_allowed_move_leads_to_its_target(actor, action, current, target):
    assert next_status(current, action, actor) == target


@pytest.mark.parametrize(("actor", "action", "current"), [row[:3] for row in TRANSITIONS if not row[3]])
def test_disallowed_move_is_invalid_state(actor, action, current):
    with pytest.raises(ForumError) as err:
        next_status(current, action, actor)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize(("action", "actor"), [
    ("delete", "moderator"), ("", "moderator"), ("APPROVE", "moderator"), (None, "moderator"),
    ("withdraw", "moderator"),   # the moderator rejects; withdrawing is the asker's
    ("approve", "asker"), ("reject", "asker"), ("approve", "audience"),
])
def test_action_the_actor_does_not_have_is_invalid_payload(action, actor):
    with pytest.raises(ForumError) as err:
        next_status(PENDING, action, actor)
    assert err.value.code == "invalid_payload"


@pytest.mark.parametrize(("premoderation", "flagged", "status"), [
    (True, False, PENDING), (True, True, PENDING), (False, False, APPROVED), (False, True, PENDING)])
def test_initial_status_follows_premoderation_and_the_word_list(premoderation, flagged, status):
    assert initial_status(premoderation, flagged) == status


def _q(id_, votes, created, status=APPROVED, answered=None):
    return {"id": id_, "votes": votes, "created_ms": created, "status": status, "answered_ms": answered}


LIST = [_q(1, 3, 100), _q(2, 5, 200), _q(3, 3, 100), _q(4, 0, 300, ANSWERED, 900),
        _q(5, 3, 50), _q(6, 1, 300, ANSWERED, 800), _q(7, 0, 300)]


def test_the_top_order_is_open_first_then_votes_then_oldest_then_id():
    """The order the questions view is sent in (phones and the console show it as sent)."""
    ids = [2, 5, 1, 3, 7, 6, 4]           # ties always fall the same way
    assert [q["id"] for q in sorted(LIST, key=top_order_key)] == ids
    assert [q["id"] for q in sorted(reversed(LIST), key=top_order_key)] == ids


THEMES = ["Skills development", "Social protection in ASEAN"]


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("  ", None),
                                                ("Skills development", "Skills development")])
def test_clean_theme_accepts_the_events_themes(raw, expected):
    assert clean_theme(raw, THEMES) == expected


@pytest.mark.parametrize(("raw", "code"), [("Skills", "not_found"), ("skills development", "not_found"),
                                           (3, "invalid_payload")])
def test_clean_theme_refuses_others(raw, code):
    with pytest.raises(ForumError) as err:
        clean_theme(raw, THEMES)
    assert err.value.code == code


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


@pytest.mark.parametrize(("status", "takes_votes"), [
    (APPROVED, True), (ANSWERED, False), (PENDING, False)])
def test_only_open_questions_take_upvotes(status, takes_votes):
    if takes_votes:
        check_votable(status)
    else:
        with pytest.raises(ForumError) as err:
            check_votable(status)
        assert err.value.code == "invalid_state"
