"""Bad input of every kind gets a clear error ack and changes nothing."""
import pytest

LONG = "x" * 501


def _stable(state):
    """The snapshot without the fields that move with the clock."""
    run = {k: v for k, v in state["run"].items() if k not in ("server_now_ms", "projected_end_ms", "over_booked_ms")}
    return {"run": run, "questions": state["questions"], "polls": state["polls"], "scene": state["scene"]}


BAD = [
    # (role, event, payload, code)
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": ""}, "invalid_text"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "  \u200b\u202e  "}, "invalid_text"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": LONG}, "invalid_text"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "x" * 5000}, "invalid_payload"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": 42}, "invalid_payload"),
    ("audience", "question:submit", {"client_id": "short", "text": "A fine question"}, "invalid_payload"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "A fine question", "admin": True}, "invalid_payload"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "A fine question", "panelist_id": 999}, "not_found"),
    ("audience", "question:submit", {"client_id": "abcdefgh", "text": "A fine question", "panelist_id": "1"},
     "invalid_payload"),
    ("audience", "question:submit", ["not", "an", "object"], "invalid_payload"),
    ("audience", "question:submit", "text", "invalid_payload"),
    ("audience", "question:upvote", {"question_id": 999, "on": True}, "not_found"),
    ("audience", "question:upvote", {"question_id": 1, "on": "yes"}, "invalid_payload"),
    ("audience", "poll:vote", {"poll_id": 1, "value": 1}, "invalid_state"),  # still a draft
    ("audience", "poll:vote", {"poll_id": 999, "value": 1}, "not_found"),
    ("audience", "poll:vote", {"poll_id": None, "value": 1}, "invalid_payload"),
    ("audience", "timer:start", {}, "forbidden"),
    ("audience", "question:moderate", {"question_id": 1, "action": "approve"}, "forbidden"),
    ("audience", "poll:open", {"poll_id": 1}, "forbidden"),
    ("audience", "no-such-event", {}, "invalid_payload"),
    ("screen", "timer:next", {}, "forbidden"),
    ("screen", "question:submit", {"client_id": "abcdefgh", "text": "From the projector?"}, "invalid_payload"),
    ("moderator", "timer:pause", {}, "invalid_state"),
    ("moderator", "timer:previous", {}, "invalid_state"),
    ("moderator", "timer:goto", {"segment_id": 999}, "not_found"),
    ("moderator", "timer:goto", {"segment_id": "1"}, "invalid_payload"),
    ("moderator", "timer:adjust", {"delta_ms": 0}, "invalid_payload"),
    ("moderator", "timer:adjust", {"delta_ms": 10 ** 12}, "invalid_payload"),
    ("moderator", "timer:adjust", {"delta_ms": -3_600_000}, "invalid_state"),
    ("moderator", "timer:adjust", {"delta_ms": 1.5}, "invalid_payload"),
    ("moderator", "question:moderate", {"question_id": 999, "action": "approve"}, "not_found"),
    ("moderator", "question:moderate", {"question_id": 1, "action": "delete"}, "invalid_payload"),
    ("moderator", "question:highlight", {"question_id": 999}, "not_found"),
    ("moderator", "poll:close", {"poll_id": 1}, "invalid_state"),
    ("moderator", "poll:reveal", {"poll_id": 1, "revealed": True}, "invalid_state"),
    ("moderator", "poll:open", {"poll_id": 999}, "not_found"),
    ("moderator", "prompt:show", {"prompt_id": 999}, "not_found"),
    ("moderator", "scene:set", {"scene": "disco"}, "invalid_payload"),
    ("moderator", "scene:set", {"scene": "poll"}, "invalid_state"),
    ("moderator", "timer:start", {"extra": 1}, "invalid_payload"),
]


@pytest.mark.parametrize("role,event,payload,code", BAD, ids=[f"{r}-{e}-{c}-{i}" for i, (r, e, _, c) in enumerate(BAD)])
def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(connect, role, event, payload, code):
    observer = connect("moderator")
    before = _stable(observer.last("state"))
    ack = connect(role).call(event, payload)
    assert ack["ok"] is False and ack["code"] == code
    assert isinstance(ack["message"], str) and ack["message"]
    assert _stable(connect("moderator").last("state")) == before


def test_hostile_text_is_stored_as_text_not_markup(connect):
    phone, mod = connect("audience"), connect("moderator")
    text = '<script>alert("x")</script> DROP TABLE question; -- https://example.org/?a=1&b=2 مرحبا 你好 👩‍👩‍👧'
    ack = phone.call("question:submit", {"client_id": "hostile-1", "text": text})
    assert ack["ok"] and ack["question"]["text"] == text
    assert mod.last("questions")["items"][0]["text"] == text


def test_the_server_keeps_serving_after_a_handler_crashes(app, connect, monkeypatch):
    from forum_live.services import run_of_show

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(run_of_show, "start_show", boom)
    mod = connect("moderator")
    ack = mod.call("timer:start")
    assert ack["ok"] is False and ack["code"] == "internal"
    monkeypatch.undo()
    assert mod.call("timer:start") == {"ok": True}


@pytest.mark.parametrize("role", ["audience", "screen", "moderator"])
def test_an_event_named_connect_does_not_rerun_the_sign_in(connect, role):
    actor = connect(role)
    actor.received()
    ack = actor.call("connect", {"token": "wrong", "event": "NOPE"})
    assert ack["ok"] is False and ack["code"] == "invalid_payload"
    assert actor.received("state") == []
    assert actor.call("clock:ping")["ok"]
