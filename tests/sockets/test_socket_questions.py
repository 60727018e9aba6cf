"""Questions over Socket.IO: exactly once, rate limits, broadcast economy, hostile texts,
withdraw, merge, edit, queue and settings."""
import json
from pathlib import Path

import pytest

HOSTILE = json.loads((Path(__file__).parents[1] / "data" / "hostile_texts.json").read_text(encoding="utf-8"))


@pytest.fixture
def app_config():
    """Generous limits, so the tests that are not about limits are not limited."""
    return {"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "1000/minute", "FORUM_LIVE_RATE_QUESTIONS_IP": "1000/minute",
            "FORUM_LIVE_RATE_VOTES_DEVICE": "1000/minute", "FORUM_LIVE_RATE_VOTES_IP": "1000/minute"}


def ask(phone, n, text=None, **kw):
    ack = phone.call("question:submit", {"client_id": f"client-{n:04d}", "text": text or f"Question number {n}?", **kw})
    assert ack["ok"], ack
    return ack["question"]["id"]


def approve(mod, qid):
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"}) == {"ok": True}


def test_hostile_corpus_is_big_and_varied_enough():
    assert len(HOSTILE) >= 40
    assert {c["expect"] for c in HOSTILE} == {"stored", "rejected"}


@pytest.mark.parametrize("case", HOSTILE, ids=[c["name"] for c in HOSTILE])
def test_each_hostile_text_is_stored_intact_or_refused_clearly(connect, case):
    phone, mod = connect("audience"), connect("moderator")
    ack = phone.call("question:submit", {"client_id": "hostile-0001", "text": case["text"]})
    state = connect("moderator").last("state")
    if case["expect"] == "rejected":
        assert ack["ok"] is False and ack["code"] == case["code"]
        assert isinstance(ack["message"], str) and len(ack["message"]) > 10
        assert state["questions"]["items"] == []
        return
    assert ack["ok"] is True, ack
    assert ack["question"]["text"] == case["stored_as"]
    approve(mod, ack["question"]["id"])
    shown = connect("audience").last("state")["questions"]["items"]
    assert [q["text"] for q in shown] == [case["stored_as"]]


def test_a_replayed_submission_is_stored_once_and_broadcast_once(connect):
    phone, mod = connect("audience"), connect("moderator")
    mod.received()
    payload = {"client_id": "outbox-0001", "text": "Sent twice over flaky Wi-Fi?"}
    acks = [phone.call("question:submit", payload) for _ in range(3)]
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert len({a["question"]["id"] for a in acks}) == 1
    assert len(mod.received("questions")) == 1
    # The same client_id from a reconnected phone (same device token) is still the same question.
    again = connect("audience", device=phone.last("state")["device_token"])
    assert again.call("question:submit", payload)["duplicate"] is True
    assert len(connect("moderator").last("state")["questions"]["items"]) == 1


def test_a_replayed_upvote_counts_once(connect):
    asker, voter, mod = connect("audience"), connect("audience"), connect("moderator")
    qid = ask(asker, 1)
    approve(mod, qid)
    payload = {"question_id": qid, "on": True, "client_id": "vote-op-0001"}
    acks = [voter.call("question:upvote", payload) for _ in range(3)]
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert [a["votes"] for a in acks] == [1, 1, 1]       # the question's upvotes, in the ack
    assert acks[0]["client_id"] == "vote-op-0001"
    assert connect("moderator").last("state")["questions"]["items"][0]["votes"] == 1
    assert connect("audience").call("question:upvote", {"question_id": qid, "on": True})["votes"] == 2
    withdrawn = voter.call("question:upvote", {"question_id": qid, "on": False})
    assert (withdrawn["duplicate"], withdrawn["votes"]) == (False, 1)
    assert connect("moderator").last("state")["questions"]["items"][0]["votes"] == 1


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "3/minute"}])
def test_a_fourth_question_in_a_minute_is_refused_with_a_wait(connect):
    phone, _mod = connect("audience"), connect("moderator")
    for n in range(3):
        ask(phone, n)
    ack = phone.call("question:submit", {"client_id": "client-0003", "text": "One question too many?"})
    assert ack["ok"] is False and ack["code"] == "rate_limited"
    assert 1_000 <= ack["retry_after_ms"] <= 60_000
    assert "3 per minute" in ack["message"] and "wait" in ack["message"]
    # A replay of an earlier question is not a new question: it still gets its ack.
    assert phone.call("question:submit", {"client_id": "client-0001", "text": "Question number 1?"})["duplicate"]
    assert ask(connect("audience"), 9)                       # another phone is not affected
    assert len(connect("moderator").last("state")["questions"]["items"]) == 4


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "3/minute"}])
def test_invalid_texts_cost_no_quota(connect):
    phone = connect("audience")
    for n in range(5):
        assert phone.call("question:submit", {"client_id": f"bad-{n:04d}", "text": "no"})["code"] == "invalid_text"
    for n in range(3):
        ask(phone, n)


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_RATE_VOTES_DEVICE": "60/minute"}])
def test_the_61st_vote_change_in_a_minute_is_refused(connect):
    asker, voter, mod = connect("audience"), connect("audience"), connect("moderator")
    qid = ask(asker, 1)
    approve(mod, qid)
    for i in range(60):
        assert voter.call("question:upvote", {"question_id": qid, "on": i % 2 == 0})["ok"]
    ack = voter.call("question:upvote", {"question_id": qid, "on": True})
    assert ack["code"] == "rate_limited" and "60 per minute" in ack["message"]
    assert voter.call("question:upvote", {"question_id": qid, "on": False})["duplicate"] is True  # no change: free


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_RATE_QUESTIONS_IP": "2/minute"}])
def test_the_per_ip_limit_catches_new_device_ids_from_one_address(app):
    def phone():
        # Flask's test client gives the socket an environ with REMOTE_ADDR 127.0.0.1.
        return app.extensions["socketio"].test_client(app, namespace="/audience", auth={"event": "ILO22"},
                                                      flask_test_client=app.test_client())

    def submit(n):
        return phone().emit("question:submit", {"client_id": f"ip-{n:06d}", "text": f"Question {n} from here?"},
                            namespace="/audience", callback=True)
    assert submit(1)["ok"] and submit(2)["ok"]
    ack = submit(3)
    assert ack["code"] == "rate_limited" and "network address" in ack["message"]


def test_pending_questions_reach_only_moderators(connect):
    mod, screen, phone, other = connect("moderator"), connect("screen"), connect("audience"), connect("audience")
    for a in (mod, screen, phone, other):
        a.received()
    qid = ask(phone, 1)
    assert len(mod.received("questions")) == 1
    assert screen.received("questions") == [] and other.received("questions") == []
    assert phone.received("questions") == [] and len(phone.received("mine")) == 1
    assert mod.call("question:edit", {"question_id": qid, "text": "Question number one?"})["ok"]
    assert screen.received("questions") == []                # an edit of a hidden question: moderators only
    approve(mod, qid)
    assert [q["id"] for q in screen.last("questions")["items"]] == [qid]
    assert [q["id"] for q in other.last("questions")["items"]] == [qid]


@pytest.mark.parametrize("how", ["reject", "withdraw", "archive", "merge"])
def test_a_question_taken_down_disappears_from_phones_and_projector_at_once(connect, how):
    mod, screen, phone, other = connect("moderator"), connect("screen"), connect("audience"), connect("audience")
    qid, keep = ask(phone, 1), ask(other, 2)
    approve(mod, qid)
    approve(mod, keep)
    assert mod.call("question:highlight", {"question_id": qid}) == {"ok": True}
    for a in (screen, other):
        a.received()
    if how == "withdraw":
        ack = phone.call("question:withdraw", {"question_id": qid})
        assert ack["ok"] and ack["question"]["status"] == "withdrawn"
    elif how == "merge":
        assert mod.call("question:merge", {"question_id": qid, "into_id": keep})["ok"]
    else:
        assert mod.call("question:moderate", {"question_id": qid, "action": how})["ok"]
    for a in (screen, other):
        assert [q["id"] for q in a.last("questions")["items"]] == [keep]
    assert screen.last("scene")["question_id"] == (keep if how == "merge" else None)
    dismissed = connect("audience").last("state")["questions"]["dismissed_count"]
    assert dismissed == (1 if how == "reject" else 0)       # only the moderator's rejections count


def test_merge_keeps_one_vote_per_device_over_the_wire(connect):
    mod = connect("moderator")
    a, b = ask(connect("audience"), 1), ask(connect("audience"), 2)
    approve(mod, a)
    approve(mod, b)
    both, only_b = connect("audience"), connect("audience")
    for voter, targets in ((both, (a, b)), (only_b, (b,))):
        for qid in targets:
            assert voter.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    assert mod.call("question:merge", {"question_id": b, "into_id": a}) == {"ok": True}
    items = {q["id"]: q for q in connect("moderator").last("state")["questions"]["items"]}
    assert (items[a]["votes"], items[a]["merged_count"], items[b]["status"]) == (2, 1, "merged")
    assert items[a]["merged"][0]["text"] == "Question number 2?"
    replay = only_b.call("question:upvote", {"question_id": b, "on": True})
    assert (replay["counted_for"], replay["duplicate"], replay["votes"]) == (a, True, 2)


def test_the_asker_sees_awaiting_moderation_then_not_shown(connect):
    phone, mod = connect("audience"), connect("moderator")
    qid = ask(phone, 1)
    assert phone.last("mine")["questions"][0]["status"] == "pending"
    assert mod.call("question:moderate", {"question_id": qid, "action": "reject"})["ok"]
    assert phone.last("mine")["questions"][0]["status"] == "rejected"


def test_premoderation_off_puts_questions_straight_on_the_wall_except_flagged_ones(connect):
    mod, screen, phone = connect("moderator"), connect("screen"), connect("audience")
    assert mod.call("questions:settings", {"premoderation": False}) == {"ok": True}
    assert screen.last("questions")["premoderation"] is False
    clean = phone.call("question:submit", {"client_id": "clean-0001", "text": "How do alliances last?"})
    rude = phone.call("question:submit", {"client_id": "rude-00001", "text": "Why is this shit so slow?"})
    assert (clean["question"]["status"], rude["question"]["status"]) == ("approved", "pending")
    items = {q["text"]: q for q in mod.last("questions")["items"]}
    assert items["Why is this shit so slow?"]["flag"].startswith("Word list:")
    assert [q["text"] for q in screen.last("questions")["items"]] == ["How do alliances last?"]


def test_similar_questions_are_offered_while_typing(connect):
    mod, phone = connect("moderator"), connect("audience")
    qid = ask(phone, 1, "What role does the private sector play in South-South cooperation?")
    ack = phone.call("question:similar", {"text": "role of the private sector in south-south cooperation"})
    assert ack == {"ok": True, "items": []}                  # still pending: not offered
    approve(mod, qid)
    ack = connect("audience").call("question:similar",
                                   {"text": "What is the private sector's role in South-South cooperation"})
    assert [i["id"] for i in ack["items"]] == [qid]
    assert connect("audience").call("question:similar", {"text": "short"})["items"] == []


def test_moderator_merge_candidates(connect):
    mod, phone = connect("moderator"), connect("audience")
    a = ask(phone, 1, "What role does the private sector play in South-South cooperation?")
    b = ask(phone, 2, "What is the role of the private sector in South South cooperation?")
    ask(phone, 3, "Who funds the ILO-China project?")
    ack = mod.call("question:candidates", {"question_id": b})
    assert [i["id"] for i in ack["items"]] == [a]


def test_queue_next_and_time_per_question_over_the_wire(connect):
    mod, screen, phone = connect("moderator"), connect("screen"), connect("audience")
    a, b = ask(phone, 1), ask(phone, 2)
    approve(mod, a)
    approve(mod, b)
    screen.received()
    assert mod.call("question:queue", {"question_id": a, "position": 0}) == {"ok": True}
    assert mod.call("question:queue", {"question_id": b, "position": 0}) == {"ok": True}
    assert mod.last("questions")["queue"] == [b, a]
    assert screen.received("questions") == []                # the queue is the moderator's business
    assert mod.call("question:next") == {"ok": True, "question_id": b}
    assert screen.last("scene")["question_id"] == b
    assert mod.last("questions")["queue"] == [a]
    assert mod.call("questions:settings", {"ms_per_question": 120_000}) == {"ok": True}
    assert mod.last("questions")["ms_per_question"] == 120_000


def test_answered_by_reaches_every_screen(connect):
    mod, screen, phone = connect("moderator"), connect("screen"), connect("audience")
    qid = ask(phone, 1)
    approve(mod, qid)
    panelist = mod.last("state")["event"]["panelists"][1]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "answer", "answered_by": panelist}) == {"ok": True}
    item = screen.last("questions")["items"][0]
    assert (item["status"], item["answered_by"]) == ("answered", panelist)
    assert isinstance(item["answered_ms"], int)


BAD = [
    ("audience", "question:withdraw", {"question_id": 999}, "not_found"),
    ("audience", "question:withdraw", {}, "invalid_payload"),
    ("audience", "question:similar", {"text": 3}, "invalid_payload"),
    ("audience", "question:upvote", {"question_id": 1, "on": True, "client_id": "x"}, "invalid_payload"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "Fine question?", "theme": "Nope"}, "not_found"),
    ("audience", "question:merge", {"question_id": 1, "into_id": 2}, "forbidden"),
    ("audience", "question:edit", {"question_id": 1, "text": "hello there"}, "forbidden"),
    ("audience", "questions:settings", {"premoderation": False}, "forbidden"),
    ("screen", "question:next", {}, "forbidden"),
    ("moderator", "question:merge", {"question_id": 1, "into_id": 1}, "invalid_payload"),
    ("moderator", "question:merge", {"question_id": 1, "into_id": 999}, "not_found"),
    ("moderator", "question:edit", {"question_id": 1, "text": "no"}, "invalid_text"),
    ("moderator", "question:queue", {"question_id": 1, "position": 0}, "invalid_state"),   # pending
    ("moderator", "question:queue", {"question_id": 1, "position": -1}, "invalid_payload"),
    ("moderator", "question:queue", {"question_id": 1}, "invalid_payload"),
    ("moderator", "question:next", {}, "invalid_state"),
    ("moderator", "question:moderate", {"question_id": 1, "action": "withdraw"}, "invalid_payload"),
    ("moderator", "question:moderate", {"question_id": 1, "action": "archive"}, "invalid_state"),
    ("moderator", "questions:settings", {}, "invalid_payload"),
    ("moderator", "questions:settings", {"ms_per_question": 1}, "invalid_payload"),
    ("moderator", "questions:settings", {"premoderation": "no"}, "invalid_payload"),
]


@pytest.mark.parametrize("role,event,payload,code", BAD, ids=[f"{r}-{e}-{c}-{i}" for i, (r, e, _, c) in enumerate(BAD)])
def test_bad_question_input_is_refused_and_changes_nothing(connect, role, event, payload, code):
    ask(connect("audience"), 1)                              # question 1, pending
    before = connect("moderator").last("state")["questions"]
    ack = connect(role).call(event, payload)
    assert ack["ok"] is False and ack["code"] == code, ack
    assert ack["message"]
    assert connect("moderator").last("state")["questions"] == before


def test_an_answered_question_takes_no_more_upvotes(connect):
    asker, voter, late, mod = connect("audience"), connect("audience"), connect("audience"), connect("moderator")
    qid = ask(asker, 1)
    approve(mod, qid)
    assert voter.call("question:upvote", {"question_id": qid, "on": True})["ok"] is True
    assert mod.call("question:moderate", {"question_id": qid, "action": "answer"}) == {"ok": True}
    refused = late.call("question:upvote", {"question_id": qid, "on": True})
    assert refused["ok"] is False and refused["code"] == "invalid_state" and "answered" in refused["message"]
    assert voter.call("question:upvote", {"question_id": qid, "on": False})["code"] == "invalid_state"
    # A replay of the vote already counted is still acked (the phone's outbox drops it).
    assert voter.call("question:upvote", {"question_id": qid, "on": True})["duplicate"] is True
    assert connect("moderator").last("state")["questions"]["items"][0]["votes"] == 1
