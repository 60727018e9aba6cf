"""Audience questions on a real database: submit, upvote, moderate, highlight."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum_live.domain.errors import ForumError
from forum_live.persistence.models import Question, Vote
from forum_live.services import questions as qs

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ask(session, event, device="dev-a", client_id="c-0001", text="How does a2i scale?", **kw):
    return qs.submit_question(session, event, device, client_id, text, kw.get("name"),
                              kw.get("panelist_id"), kw.get("now", at(1)))


def approved(session, event, **kw):
    question, _ = ask(session, event, **kw)
    return qs.moderate_question(session, event, question.id, "approve", at(2))


def test_submit_stores_a_pending_cleaned_question(session, event):
    question, created = ask(session, event, text="  How  does a2i scale?  ", name="  Mai ",
                            panelist_id=event.panelists[1].id)
    assert created is True
    assert (question.text, question.author_name, question.status, question.created_at) == (
        "How does a2i scale?", "Mai", "pending", at(1))
    assert question.panelist_id == event.panelists[1].id


def test_resubmitting_the_same_client_id_returns_the_first_question(session, event):
    first, _ = ask(session, event, text="First wording?")
    again, created = ask(session, event, text="Second wording?", now=at(3))
    assert (again.id, again.text, created) == (first.id, "First wording?", False)
    assert session.scalar(select(func.count()).select_from(Question)) == 1


def test_same_client_id_from_another_device_is_another_question(session, event):
    first, _ = ask(session, event, device="dev-a")
    other, created = ask(session, event, device="dev-b")
    assert created and other.id != first.id


@pytest.mark.parametrize(("kw", "code"), [
    ({"text": "ok"}, "invalid_text"),
    ({"text": None}, "invalid_payload"),
    ({"name": "n" * 61}, "invalid_text"),
    ({"panelist_id": 10_000}, "not_found"),
])
def test_submit_refuses_bad_input_and_stores_nothing(session, event, kw, code):
    with pytest.raises(ForumError) as err:
        ask(session, event, **kw)
    assert err.value.code == code
    assert session.scalar(select(func.count()).select_from(Question)) == 0


def test_upvote_is_one_per_device_and_can_be_withdrawn(session, event):
    q = approved(session, event)
    assert qs.set_upvote(session, event, "dev-b", q.id, True, at(3))[1] is True
    assert qs.set_upvote(session, event, "dev-b", q.id, True, at(4))[1] is False   # idempotent
    assert qs.set_upvote(session, event, "dev-c", q.id, True, at(4))[1] is True
    assert qs.vote_counts(session, event) == {q.id: 2}
    assert qs.set_upvote(session, event, "dev-b", q.id, False, at(5))[1] is True
    assert qs.set_upvote(session, event, "dev-b", q.id, False, at(6))[1] is False
    assert qs.vote_counts(session, event) == {q.id: 1}
    assert session.scalars(select(Vote.device_id)).all() == ["dev-c"]


def test_one_questions_votes_are_its_entry_in_the_events_vote_counts(session, event):
    a, b = approved(session, event), approved(session, event, client_id="c-0002", text="And what of ASEAN?")
    quiet = approved(session, event, client_id="c-0003", text="Who funds the network?")
    for device in ("dev-b", "dev-c", "dev-d"):
        qs.set_upvote(session, event, device, a.id, True, at(3))
    qs.set_upvote(session, event, "dev-b", b.id, True, at(3))
    counts = qs.vote_counts(session, event)
    assert [qs.question_votes(session, q.id) for q in (a, b, quiet)] == [counts.get(q.id, 0) for q in (a, b, quiet)]
    assert [qs.question_votes(session, q.id) for q in (a, b, quiet)] == [3, 1, 0]


@pytest.mark.parametrize("actions", [[], ["reject"]], ids=["pending", "rejected"])
def test_upvoting_a_hidden_question_is_not_found(session, event, actions):
    q, _ = ask(session, event)
    for action in actions:
        qs.moderate_question(session, event, q.id, action, at(2))
    with pytest.raises(ForumError) as err:
        qs.set_upvote(session, event, "dev-b", q.id, True, at(3))
    assert err.value.code == "not_found"


def test_an_answered_question_takes_no_upvotes(session, event):
    q = approved(session, event)
    qs.moderate_question(session, event, q.id, "answer", at(3))
    with pytest.raises(ForumError) as err:
        qs.set_upvote(session, event, "dev-b", q.id, True, at(4))
    assert err.value.code == "invalid_state"


def test_moderate_walks_the_lifecycle_and_records_when(session, event):
    q, _ = ask(session, event)
    for action, status, minute in [("approve", "approved", 2), ("answer", "answered", 3),
                                   ("approve", "approved", 4), ("reject", "rejected", 5),
                                   ("approve", "approved", 6)]:
        qs.moderate_question(session, event, q.id, action, at(minute))
        assert (q.status, q.decided_at) == (status, at(minute))


@pytest.mark.parametrize(("question_id", "action", "code"), [
    (None, "answer", "invalid_state"),      # a pending question cannot be answered
    (None, "shout", "invalid_payload"),
    (10_000, "approve", "not_found"),
])
def test_moderate_refused(session, event, question_id, action, code):
    q, _ = ask(session, event)
    with pytest.raises(ForumError) as err:
        qs.moderate_question(session, event, question_id or q.id, action, at(2))
    assert err.value.code == code
    assert (q.status, q.decided_at) == ("pending", None)


def test_highlight_puts_an_approved_question_on_the_projector(session, event):
    q = approved(session, event)
    qs.highlight_question(session, event, q.id)
    assert (event.highlighted_question_id, event.scene) == (q.id, "question")
    qs.highlight_question(session, event, None)
    assert (event.highlighted_question_id, event.scene) == (None, "timer")


@pytest.mark.parametrize("actions", [[], ["reject"]], ids=["pending", "rejected"])
def test_highlight_requires_an_approved_question(session, event, actions):
    q, _ = ask(session, event)
    for action in actions:
        qs.moderate_question(session, event, q.id, action, at(2))
    with pytest.raises(ForumError) as err:
        qs.highlight_question(session, event, q.id)
    assert err.value.code == "invalid_state"
    assert (event.highlighted_question_id, event.scene) == (None, "timer")


def test_rejecting_the_highlighted_question_clears_the_spotlight(session, event):
    q = approved(session, event)
    qs.highlight_question(session, event, q.id)
    qs.moderate_question(session, event, q.id, "reject", at(3))
    assert (event.highlighted_question_id, event.scene) == (None, "timer")


def test_rejecting_another_question_keeps_the_spotlight(session, event):
    shown = approved(session, event)
    other = approved(session, event, client_id="c-0002")
    qs.highlight_question(session, event, shown.id)
    qs.moderate_question(session, event, other.id, "reject", at(3))
    assert (event.highlighted_question_id, event.scene) == (shown.id, "question")


def test_answering_the_highlighted_question_keeps_it_on_the_projector(session, event):
    q = approved(session, event)
    qs.highlight_question(session, event, q.id)
    qs.moderate_question(session, event, q.id, "answer", at(3))
    assert (event.highlighted_question_id, event.scene) == (q.id, "question")


def test_an_upvote_refused_by_the_rate_limit_stores_nothing_and_a_replay_is_no_change(session, event):
    q = approved(session, event)

    def refuse():
        raise ForumError("rate_limited", "Too many upvotes.")
    with pytest.raises(ForumError):
        qs.set_upvote(session, event, "dev-b", q.id, True, at(3), admit=refuse)
    assert qs.question_votes(session, q.id) == 0  # refused before anything was stored
    admitted = []
    assert qs.set_upvote(session, event, "dev-b", q.id, True, at(4), admit=lambda: admitted.append(1))[1] is True
    assert qs.set_upvote(session, event, "dev-b", q.id, True, at(5), admit=refuse)[1] is False  # replay: not counted
    assert admitted == [1] and qs.question_votes(session, q.id) == 1
