"""Question tools on a real database: pre-moderation, screening, rate-limit hook, withdraw,
edit audit log, merge (one vote per device), up-next queue, answered-by, settings."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum_live.domain.errors import ForumError
from forum_live.persistence.models import Question, QuestionEdit, Vote
from forum_live.services import questions as qs
from forum_live.services.screening import screen_text

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ask(session, event, n=0, device=None, text=None, **kw):
    question, _ = qs.submit_question(session, event, device or f"dev-{n}", f"client-{n:04d}",
                                     text or f"Question number {n}?", kw.pop("name", None),
                                     kw.pop("panelist_id", None), at(n), **kw)
    return question


def shown(session, event, n=0, **kw):
    question = ask(session, event, n, **kw)
    return qs.moderate_question(session, event, question.id, "approve", at(n))


def votes_of(session, question_id):
    return sorted(session.scalars(select(Vote.device_id).where(Vote.question_id == question_id)))


@pytest.mark.parametrize(("premoderation", "text", "status", "flagged"), [
    (True, "How does a2i scale?", "pending", False),
    (False, "How does a2i scale?", "approved", False),
    (False, "How does this shit scale?", "pending", True),      # the word list holds it back
    (True, "How does this shit scale?", "pending", True),
])
def test_new_question_status_follows_premoderation_and_screening(session, event, premoderation, text, status,
                                                                 flagged):
    qs.update_settings(session, event, premoderation=premoderation)
    question = ask(session, event, text=text, screen=screen_text)
    assert question.status == status
    assert (question.flag is not None) == flagged
    assert question.text == text                                # never censored or dropped


def test_screening_reads_the_name_too(session, event):
    qs.update_settings(session, event, premoderation=False)
    assert ask(session, event, name="shithead", screen=screen_text).status == "pending"


def test_admit_is_asked_only_for_a_new_valid_question(session, event):
    calls = []
    ask(session, event, admit=lambda: calls.append(1))
    ask(session, event, admit=lambda: calls.append(1))          # a replay: same device and client_id
    with pytest.raises(ForumError):
        ask(session, event, 1, text="no", admit=lambda: calls.append(1))
    assert calls == [1]


def test_a_refusing_admit_stores_nothing(session, event):
    def refuse():
        raise ForumError("rate_limited", "Too many.")
    with pytest.raises(ForumError) as err:
        ask(session, event, admit=refuse)
    assert err.value.code == "rate_limited"
    assert session.scalar(select(func.count()).select_from(Question)) == 0


def test_theme_must_be_one_of_the_events(session, event):
    assert ask(session, event, theme=event.themes[1]).theme == event.themes[1]
    with pytest.raises(ForumError) as err:
        ask(session, event, 1, theme="Space travel")
    assert err.value.code == "not_found"


@pytest.mark.parametrize("start", ["pending", "approved"])
def test_the_asker_withdraws_an_open_question_and_it_leaves_the_projector(session, event, start):
    q = ask(session, event) if start == "pending" else shown(session, event)
    if start == "approved":
        qs.highlight_question(session, event, q.id)
    qs.withdraw_question(session, event, "dev-0", q.id, at(5))
    assert (q.status, event.highlighted_question_id, event.scene) == ("withdrawn", None, "timer")


def test_only_the_asker_withdraws_and_not_once_answered(session, event):
    q = shown(session, event)
    with pytest.raises(ForumError) as err:
        qs.withdraw_question(session, event, "dev-other", q.id, at(5))
    assert err.value.code == "not_found"
    qs.moderate_question(session, event, q.id, "answer", at(6))
    with pytest.raises(ForumError) as err:
        qs.withdraw_question(session, event, "dev-0", q.id, at(7))
    assert err.value.code == "invalid_state"


def test_edit_keeps_every_earlier_text_in_the_audit_log(session, event):
    q = ask(session, event, text="How dose a2i scael?")
    qs.edit_question(session, event, q.id, "How does a2i scael?", at(2))
    qs.edit_question(session, event, q.id, "  How does a2i scale?  ", at(3))
    qs.edit_question(session, event, q.id, "How does a2i scale?", at(4))     # no change: not logged
    log = qs.question_edits(session, [q.id])[q.id]
    assert q.text == "How does a2i scale?"
    assert [(e.previous_text, e.new_text, e.edited_at) for e in log] == [
        ("How dose a2i scael?", "How does a2i scael?", at(2)), ("How does a2i scael?", "How does a2i scale?", at(3))]


@pytest.mark.parametrize(("text", "code"), [("ab", "invalid_text"), ("x" * 501, "invalid_text")])
def test_edit_follows_the_submission_rules(session, event, text, code):
    q = ask(session, event)
    with pytest.raises(ForumError) as err:
        qs.edit_question(session, event, q.id, text, at(2))
    assert err.value.code == code
    assert session.scalar(select(func.count()).select_from(QuestionEdit)) == 0


def test_merge_unites_votes_and_counts_each_device_once(session, event):
    target, source = shown(session, event, 0), shown(session, event, 1)
    for device in ("a", "b"):
        qs.set_upvote(session, event, device, target.id, True, at(2))
    for device in ("b", "c", "d"):                                   # b upvoted both
        qs.set_upvote(session, event, device, source.id, True, at(2))
    changed = qs.merge_questions(session, event, source.id, target.id, at(3))
    assert votes_of(session, target.id) == ["a", "b", "c", "d"]
    assert changed == {"dev-1", "b", "c", "d"}  # the source's asker and voters: their mine changed
    assert votes_of(session, source.id) == []
    assert (source.status, source.merged_into_id, source.text) == ("merged", target.id, "Question number 1?")


def test_an_upvote_replayed_after_a_merge_counts_for_the_merged_question_once(session, event):
    target, source = shown(session, event, 0), shown(session, event, 1)
    qs.set_upvote(session, event, "b", target.id, True, at(2))
    qs.merge_questions(session, event, source.id, target.id, at(3))
    counted, changed = qs.set_upvote(session, event, "b", source.id, True, at(4))
    assert (counted, changed) == (target.id, False)
    counted, changed = qs.set_upvote(session, event, "c", source.id, True, at(4))
    assert (counted, changed) == (target.id, True)
    assert votes_of(session, target.id) == ["b", "c"]


def test_merging_into_a_question_that_was_merged_into_leaves_no_chain(session, event):
    a, b, c = shown(session, event, 0), shown(session, event, 1), shown(session, event, 2)
    qs.merge_questions(session, event, a.id, b.id, at(3))
    changed = qs.merge_questions(session, event, b.id, c.id, at(4))
    assert (a.merged_into_id, b.merged_into_id) == (c.id, c.id)
    assert changed == {"dev-1", "dev-0"}  # a's asker too: a now points at c


def test_merge_moves_the_spotlight_to_the_target(session, event):
    target, source = shown(session, event, 0), shown(session, event, 1)
    qs.highlight_question(session, event, source.id)
    qs.merge_questions(session, event, source.id, target.id, at(3))
    assert (event.highlighted_question_id, event.scene) == (target.id, "question")


@pytest.mark.parametrize(("source_state", "target_state", "code"), [
    ("approved", "approved", None),
    ("pending", "pending", None),
    ("pending", "answered", None),
    ("approved", "pending", "invalid_state"),    # its voters would lose sight of it
    ("answered", "approved", "invalid_state"),
    ("rejected", "approved", "invalid_state"),
    ("approved", "rejected", "invalid_state"),
    ("self", "self", "invalid_payload"),
])
def test_merge_rules(session, event, source_state, target_state, code):
    def make(n, state):
        q = ask(session, event, n)
        for action in {"approved": ["approve"], "answered": ["approve", "answer"], "rejected": ["reject"]}.get(state, []):
            qs.moderate_question(session, event, q.id, action, at(n))
        return q
    source = make(0, source_state)
    target = source if source_state == "self" else make(1, target_state)
    if code is None:
        qs.merge_questions(session, event, source.id, target.id, at(3))
        assert source.status == "merged"
    else:
        with pytest.raises(ForumError) as err:
            qs.merge_questions(session, event, source.id, target.id, at(3))
        assert err.value.code == code


def test_up_next_queue_insert_move_remove(session, event):
    a, b, c = shown(session, event, 0), shown(session, event, 1), shown(session, event, 2)
    ids = lambda: [q.id for q in qs.queued(session, event)]  # noqa: E731
    qs.queue_question(session, event, a.id, 0)
    qs.queue_question(session, event, b.id, 99)               # past the end: last
    qs.queue_question(session, event, c.id, 0)
    assert ids() == [c.id, a.id, b.id]
    qs.queue_question(session, event, b.id, 0)                # drag to the top
    assert ids() == [b.id, c.id, a.id]
    qs.queue_question(session, event, c.id, None)
    assert ids() == [b.id, a.id]
    assert [q.queue_position for q in (b, a)] == [1, 2]


def test_highlight_next_takes_the_head_of_the_queue(session, event):
    a, b = shown(session, event, 0), shown(session, event, 1)
    qs.queue_question(session, event, b.id, 0)
    qs.queue_question(session, event, a.id, 1)
    assert qs.highlight_next(session, event).id == b.id
    assert (event.highlighted_question_id, [q.id for q in qs.queued(session, event)]) == (b.id, [a.id])
    qs.highlight_next(session, event)
    with pytest.raises(ForumError) as err:
        qs.highlight_next(session, event)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize("action", ["answer", "reject", "archive"])
def test_a_decided_question_leaves_the_queue(session, event, action):
    q = shown(session, event)
    qs.queue_question(session, event, q.id, 0)
    qs.moderate_question(session, event, q.id, action, at(3))
    assert q.queue_position is None


def test_only_approved_questions_are_queued(session, event):
    q = ask(session, event)
    with pytest.raises(ForumError) as err:
        qs.queue_question(session, event, q.id, 0)
    assert err.value.code == "invalid_state"


def test_answered_by_is_stored_and_cleared_on_reopen(session, event):
    q = shown(session, event)
    panelist = event.panelists[2]
    qs.moderate_question(session, event, q.id, "answer", at(3), answered_by=panelist.id)
    assert (q.status, q.answered_by_id, q.answered_at) == ("answered", panelist.id, at(3))
    qs.moderate_question(session, event, q.id, "approve", at(4))
    assert (q.answered_by_id, q.answered_at) == (None, None)
    with pytest.raises(ForumError) as err:
        qs.moderate_question(session, event, q.id, "answer", at(5), answered_by=99_999)
    assert err.value.code == "not_found"


@pytest.mark.parametrize(("ms", "ok"), [(15_000, True), (14_999, False), (1_800_000, True), (1_800_001, False)])
def test_time_per_question_range(session, event, ms, ok):
    if ok:
        qs.update_settings(session, event, ms_per_question=ms)
        assert event.ms_per_question == ms
    else:
        with pytest.raises(ForumError):
            qs.update_settings(session, event, ms_per_question=ms)
