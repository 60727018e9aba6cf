"""Polls over Socket.IO: hidden results never reach phones or the projector before reveal, bad
ballots are refused and store nothing, and the console's poll commands."""
import json
import time

import pytest

SECRET_WORD = "Zanzibarite"


def _poll(mod, kind):
    return next(p for p in mod.last("state")["polls"] if p["kind"] == kind)


def _create(mod, kind, **fields):
    body = {"kind": kind, "title": f"A {kind} poll?", **fields}
    ack = mod.call("poll:create", body)
    assert ack["ok"], ack
    return next(p for p in mod.last("polls") if p["id"] == ack["poll_id"])


KIND_VOTES = {
    "single": lambda p, i: p["options"][i % 2]["id"],
    "multiple": lambda p, i: [p["options"][0]["id"], p["options"][1 + i % 2]["id"]],
    "rating": lambda p, i: 1 + i % 5,
    "wordcloud": lambda p, i: f"{SECRET_WORD}{'' if i else 's'}",
    "text": lambda p, i: f"{SECRET_WORD} answer {i}",
}
DEFINITIONS = {"single": {"options": ["Alpha", "Beta", "Gamma"]},
               "multiple": {"options": ["Alpha", "Beta", "Gamma"], "max_choices": 2},
               "rating": {"scale_max": 10}, "wordcloud": {}, "text": {}}


@pytest.mark.parametrize("kind", KIND_VOTES)
def test_hidden_results_never_reach_phones_or_the_projector_before_reveal(connect, kind):
    mod, screen = connect("moderator"), connect("screen")
    phones = [connect("audience") for _ in range(3)]
    poll = _create(mod, kind, **DEFINITIONS[kind])
    assert mod.call("poll:open", {"poll_id": poll["id"]}) == {"ok": True}
    assert mod.call("poll:show", {"poll_id": poll["id"]}) == {"ok": True}
    for i, phone in enumerate(phones):
        assert phone.call("poll:vote", {"poll_id": poll["id"], "value": KIND_VOTES[kind](poll, i)})["ok"]
    late = connect("audience")  # a phone joining now gets a snapshot: hidden too
    observers = [screen, late, *phones]
    packets = [(o, p) for o in observers for p in o.received()]
    assert any(isinstance(p, list) for _, p in packets)  # polls broadcasts did arrive
    for observer, packet in packets:
        polls = packet if isinstance(packet, list) else packet.get("polls", [])
        for p in polls if isinstance(polls, list) else []:
            if p["id"] == poll["id"]:
                assert p["results"] is None and 0 <= p["ballots"] <= 3
        raw = json.dumps(packet, ensure_ascii=False)
        if packet is not None and isinstance(packet, dict) and "ballots" in packet and observer in phones:
            continue  # a phone's own `mine` holds its own answer, and only its own
        assert SECRET_WORD not in raw, (observer.namespace, raw[:200])
    assert mod.last("polls")[-1]["results"]["total"] == 3
    last_on_screen = [p for o, p in packets if o is screen and isinstance(p, list)][-1]
    assert next(p for p in last_on_screen if p["id"] == poll["id"])["ballots"] == 3  # the public count

    assert mod.call("poll:close", {"poll_id": poll["id"]}) == {"ok": True}
    assert all(p["results"] is None for p in screen.last("polls") if p["id"] == poll["id"])
    assert mod.call("poll:reveal", {"poll_id": poll["id"], "revealed": True}) == {"ok": True}
    shown = next(p for p in screen.last("polls") if p["id"] == poll["id"])
    assert shown["results"]["total"] == 3


def test_a_phones_own_mine_holds_only_its_own_answer(connect):
    mod = connect("moderator")
    poll = _poll(mod, "wordcloud")
    mod.call("poll:open", {"poll_id": poll["id"]})
    a, b = connect("audience"), connect("audience")
    a.call("poll:vote", {"poll_id": poll["id"], "value": "Hope"})
    b.call("poll:vote", {"poll_id": poll["id"], "value": "Trust"})
    assert a.mine()["ballots"] == {str(poll["id"]): "Hope"}
    assert "Hope" not in json.dumps(b.received())


BAD_BALLOTS = {
    "unknown option": ("single", lambda p: 999_999, "invalid_payload", "options"),
    "an option of another poll": ("single", lambda p: p["other_option"], "invalid_payload", "options"),
    "too many choices": ("multiple", lambda p: [o["id"] for o in p["options"]], "invalid_payload", "at most 2"),
    "the same choice twice": ("multiple", lambda p: [p["options"][0]["id"]] * 2, "invalid_payload", "once"),
    "wrong type: a word for a choice": ("single", lambda p: "Alpha", "invalid_payload", "options"),
    "wrong type: a float rating": ("rating", lambda p: 3.5, "invalid_payload", "value"),
    "wrong type: a rating as text": ("rating", lambda p: "3", "invalid_payload", "whole number"),
    "wrong type: an object": ("wordcloud", lambda p: {"text": "Hope"}, "invalid_payload", "value"),
    "rating out of range: 0": ("rating", lambda p: 0, "invalid_payload", "1 to 10"),
    "rating out of range: 11": ("rating", lambda p: 11, "invalid_payload", "1 to 10"),
    "a 10 kB word": ("wordcloud", lambda p: "w" * 10_240, "invalid_text", "too long"),
    "a 10 kB answer": ("text", lambda p: "t " * 5_120, "invalid_text", "too long"),
    # The phone shows the message by the box: it says what was wrong with this answer.
    "a profane word": ("wordcloud", lambda p: "shit", "invalid_text", "a word on its list of offensive words"),
    "four words": ("wordcloud", lambda p: "decent work for all", "invalid_text", "Too many words: that is 4."),
}


@pytest.mark.parametrize(("kind", "value", "code", "says"), BAD_BALLOTS.values(), ids=BAD_BALLOTS.keys())
def test_a_bad_ballot_gets_a_clear_error_and_stores_nothing(connect, kind, value, code, says):
    mod, phone = connect("moderator"), connect("audience")
    other = _poll(mod, "single")["options"][0]["id"]
    poll = _create(mod, kind, **DEFINITIONS[kind])
    poll["other_option"] = other
    mod.call("poll:open", {"poll_id": poll["id"]})
    ack = phone.call("poll:vote", {"poll_id": poll["id"], "value": value(poll)})
    assert ack["ok"] is False and ack["code"] == code and says in ack["message"], ack
    fresh = connect("moderator").last("state")
    assert next(p for p in fresh["polls"] if p["id"] == poll["id"])["ballots"] == 0


@pytest.mark.parametrize(("payload", "says"), [
    ({"device_id": "someone-else"}, "device_id"),
    ({"device": "someone-else"}, "device"),
])
def test_a_ballot_naming_another_device_is_refused(connect, payload, says):
    mod = connect("moderator")
    poll = _poll(mod, "rating")
    mod.call("poll:open", {"poll_id": poll["id"]})
    ack = connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": 3, **payload})
    assert ack["ok"] is False and ack["code"] == "invalid_payload" and says in ack["message"]
    assert connect("moderator").last("state")["polls"][1]["ballots"] == 0


@pytest.mark.parametrize("setup", [[], ["poll:open", "poll:close"]], ids=["draft", "closed"])
def test_a_ballot_in_a_poll_not_open_is_refused(connect, setup):
    mod = connect("moderator")
    poll = _poll(mod, "rating")
    for step in setup:
        mod.call(step, {"poll_id": poll["id"]})
    ack = connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": 3})
    assert (ack["ok"], ack["code"], ack["message"]) == (False, "invalid_state", "This poll is not open.")


def test_a_phone_withdraws_its_ballot(connect):
    mod, phone = connect("moderator"), connect("audience")
    poll = _poll(mod, "rating")
    mod.call("poll:open", {"poll_id": poll["id"]})
    phone.call("poll:vote", {"poll_id": poll["id"], "value": 4})
    assert phone.call("poll:withdraw", {"poll_id": poll["id"]}) == {"ok": True, "poll_id": poll["id"], "withdrawn": True}
    assert phone.mine()["ballots"] == {}
    assert mod.last("polls")[1]["results"]["total"] == 0


def test_the_console_creates_edits_and_deletes_a_poll(connect):
    mod, phone = connect("moderator"), connect("audience")
    poll = _create(mod, "multiple", options=["A", "B", "C"], max_choices=2, duration_s=90, live_results=True)
    assert (poll["status"], poll["max_choices"], poll["duration_s"], poll["live_results"]) == ("draft", 2, 90, True)
    assert all(p["id"] != poll["id"] for p in phone.last("polls"))  # drafts stay off phones
    assert mod.call("poll:update", {"poll_id": poll["id"], "title": "Pick two", "max_choices": None}) == {"ok": True}
    edited = next(p for p in mod.last("polls") if p["id"] == poll["id"])
    assert (edited["title"], edited["max_choices"], edited["duration_s"]) == ("Pick two", None, 90)
    assert mod.call("poll:update", {"poll_id": poll["id"], "title": None})["code"] == "invalid_payload"
    assert mod.call("poll:delete", {"poll_id": poll["id"]}) == {"ok": True}
    assert all(p["id"] != poll["id"] for p in mod.last("polls"))


@pytest.mark.parametrize(("body", "code"), [
    ({"kind": "single", "title": "Q?", "options": ["only one"]}, "invalid_payload"),
    ({"kind": "single", "title": "Q?", "options": [str(i) for i in range(13)]}, "invalid_payload"),
    ({"kind": "quiz", "title": "Q?"}, "invalid_payload"),
    ({"kind": "rating", "title": "", "scale_max": 5}, "invalid_text"),
    ({"kind": "rating", "title": "Q?", "scale_max": 11}, "invalid_payload"),
    ({"kind": "rating", "title": "Q?", "duration_s": 2}, "invalid_payload"),
    ({"kind": "multiple", "title": "Q?", "options": ["a", "b"], "max_choices": 3}, "invalid_payload"),
])
def test_a_bad_poll_definition_is_refused(connect, body, code):
    mod = connect("moderator")
    ack = mod.call("poll:create", body)
    assert ack["ok"] is False and ack["code"] == code
    assert len(connect("moderator").last("state")["polls"]) == 3


def test_reset_asks_for_confirmation_and_clears_the_phones_ballots(connect):
    mod, phone = connect("moderator"), connect("audience")
    poll = _poll(mod, "rating")
    mod.call("poll:open", {"poll_id": poll["id"]})
    phone.call("poll:vote", {"poll_id": poll["id"], "value": 2})
    assert mod.call("poll:reset", {"poll_id": poll["id"], "confirm": False})["code"] == "invalid_payload"
    assert mod.call("poll:reset", {"poll_id": poll["id"]})["code"] == "invalid_payload"
    assert mod.call("poll:reset", {"poll_id": poll["id"], "confirm": True}) == {"ok": True, "deleted": 1}
    assert phone.mine()["ballots"] == {}
    assert next(p for p in mod.last("polls") if p["id"] == poll["id"])["status"] == "draft"


def test_open_text_answers_reach_others_only_once_approved(connect):
    mod, screen, phone = connect("moderator"), connect("screen"), connect("audience")
    poll = _create(mod, "text", live_results=True)
    mod.call("poll:open", {"poll_id": poll["id"]})
    phone.call("poll:vote", {"poll_id": poll["id"], "value": "Fund the networks"})
    assert phone.mine()["answer_status"] == {str(poll["id"]): "pending"}
    public = next(p for p in screen.last("polls") if p["id"] == poll["id"])
    assert public["results"]["answers"] == [] and public["ballots"] == 1
    answer = next(p for p in mod.last("polls") if p["id"] == poll["id"])["results"]["answers"][0]
    assert mod.call("poll:answer", {"ballot_id": answer["id"], "action": "approve"}) == {"ok": True}
    public = next(p for p in screen.last("polls") if p["id"] == poll["id"])
    assert [a["text"] for a in public["results"]["answers"]] == ["Fund the networks"]
    assert phone.mine()["answer_status"] == {str(poll["id"]): "approved"}


def test_auto_close_is_stored_and_broadcast_at_the_deadline(app, connect):
    from datetime import timedelta

    from forum_live.domain.clock import utcnow
    from forum_live.extensions import db_session
    from forum_live.persistence.models import Poll
    from forum_live.sockets.autoadvance import AutoAdvancer

    mod, screen = connect("moderator"), connect("screen")
    poll = _poll(mod, "rating")
    mod.call("poll:open", {"poll_id": poll["id"]})
    closes_at = utcnow() + timedelta(milliseconds=300)
    with app.app_context(), db_session() as s:  # a deadline nearer than the 5 s minimum
        s.get(Poll, poll["id"]).closes_at = closes_at
        s.commit()
    screen.received()
    task = AutoAdvancer(app, poll_s=0.2)  # the timer task (off under TESTING unless started)
    task.start()
    try:
        def status(packet):
            return next(p for p in packet if p["id"] == poll["id"])["status"]
        assert [status(packet) for packet in screen.wait_for("polls", lambda ps: status(ps) == "closed")] == ["closed"]
        assert utcnow() >= closes_at  # broadcast at the deadline, not before
    finally:
        task.stop()
    assert connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": 3})["code"] == "invalid_state"


def test_opening_with_auto_close_sends_the_deadline(connect):
    mod, phone = connect("moderator"), connect("audience")
    poll = _create(mod, "rating", duration_s=60)
    before = time.time() * 1000
    mod.call("poll:open", {"poll_id": poll["id"]})
    sent = next(p for p in phone.last("polls") if p["id"] == poll["id"])
    assert before + 59_000 <= sent["closes_ms"] <= time.time() * 1000 + 60_000
