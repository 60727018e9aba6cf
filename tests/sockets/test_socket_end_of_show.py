"""The end of the show: the open poll closes, new questions are refused (unless the moderator
keeps them open for follow-up), and phones are told (``run.questions_open``)."""
from datetime import timedelta

import pytest

from forum_live.sockets.autoadvance import AutoAdvancer
from support.server import TOKEN
from support.wire import instant

CLOSED = "The session has ended: questions are closed."


def _question(n):
    return {"client_id": f"after-end-{n:04d}", "text": f"A follow-up question number {n}?"}


LAST = 9  # the default event's closing segment is the ninth: ids are 1..9 on a fresh database


def _end(mod, **payload):
    """Go to the last segment and press Next: the show ends."""
    assert mod.call("timer:goto", {"segment_id": LAST})["ok"]
    return mod.call("timer:next", {"from_segment_id": LAST, **payload})


@pytest.fixture
def open_poll(connect):
    """The moderator's console with the default event's first poll open and one ballot in it."""
    mod = connect("moderator")
    state = mod.last("state")
    assert state["run"]["segments"][-1]["id"] == LAST
    poll = state["polls"][0]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    assert connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][0]["id"]})["ok"]
    return mod, poll


def test_the_end_of_the_show_closes_the_open_poll_and_the_questions(connect, open_poll):
    mod, poll = open_poll
    phone, projector = connect("audience"), connect("screen")
    assert phone.last("state")["run"]["questions_open"] is True
    assert phone.call("question:submit", _question(1))["ok"]  # before the end: open
    assert _end(mod) == {"ok": True}
    for client in (phone, projector):
        run = client.last("run")
        assert (run["status"], run["questions_open"]) == ("ended", False)
        shown = next(p for p in client.last("polls") if p["id"] == poll["id"])
        assert (shown["status"], shown["ballots"]) == ("closed", 1)  # closed, its ballot kept
    refused = phone.call("question:submit", _question(2))
    assert (refused["ok"], refused["code"], refused["message"]) == (False, "invalid_state", CLOSED)
    state = connect("moderator").last("state")
    assert len(state["questions"]["items"]) == 1  # the refused question was not stored
    assert state["audit"]["entries"][0]["summary"] == "Ended the show"
    # A question sent before the end and resent after it (a lost ack) is still acked as itself.
    again = phone.call("question:submit", _question(1))
    assert again["ok"] and again["duplicate"] is True


def test_a_vote_after_the_end_is_refused_as_the_poll_is_closed(connect, open_poll):
    mod, poll = open_poll
    assert _end(mod)["ok"]
    ack = connect("audience").call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][1]["id"]})
    assert (ack["ok"], ack["code"]) == (False, "invalid_state")


def test_ending_with_questions_kept_open_for_follow_up(connect):
    mod, phone = connect("moderator"), connect("audience")
    assert _end(mod, keep_questions_open=True) == {"ok": True}
    run = phone.last("run")
    assert (run["status"], run["questions_open"]) == ("ended", True)
    assert phone.call("question:submit", _question(1))["ok"]
    assert connect("audience").last("state")["run"]["questions_open"] is True
    assert connect("moderator").last("state")["audit"]["entries"][0]["summary"] == (
        "Ended the show, questions kept open for follow-up")


def test_the_moderator_closes_and_reopens_follow_up_questions_after_the_end(connect):
    mod, phone = connect("moderator"), connect("audience")
    assert _end(mod, keep_questions_open=True)["ok"]
    phone.received()
    assert mod.call("questions:follow-up", {"open": False}) == {"ok": True}
    assert phone.last("run")["questions_open"] is False
    assert phone.call("question:submit", _question(1))["code"] == "invalid_state"
    assert mod.call("questions:follow-up", {"open": True}) == {"ok": True}
    assert phone.last("run")["questions_open"] is True
    assert phone.call("question:submit", _question(2))["ok"]
    entries = connect("moderator").last("state")["audit"]["entries"]
    assert [e["summary"] for e in entries[:2]] == ["Kept questions open for follow-up",
                                                   "Closed questions (the show has ended)"]


def test_a_question_cannot_be_withdrawn_once_the_show_ended_with_questions_closed(connect):
    mod, phone = connect("moderator"), connect("audience")
    first = phone.call("question:submit", _question(1))["question"]["id"]
    second = phone.call("question:submit", _question(2))["question"]["id"]
    assert _end(mod)["ok"]
    refused = phone.call("question:withdraw", {"question_id": first})
    assert (refused["ok"], refused["code"], refused["message"]) == (False, "invalid_state", CLOSED)
    mine = connect("audience", device=phone.last("state")["device_token"]).last("state")["mine"]
    assert [q["status"] for q in mine["questions"]] == ["pending", "pending"]  # nothing changed
    # Kept open for follow-up, the asker may still take a question back.
    assert mod.call("questions:follow-up", {"open": True})["ok"]
    assert phone.call("question:withdraw", {"question_id": second})["question"]["status"] == "withdrawn"


@pytest.mark.parametrize("payload", [{}, {"open": "yes"}, {"open": 1}, {"open": True, "extra": 1}])
def test_follow_up_refuses_a_bad_payload(connect, payload):
    mod = connect("moderator")
    assert _end(mod)["ok"]
    ack = mod.call("questions:follow-up", payload)
    assert (ack["ok"], ack["code"]) == (False, "invalid_payload")


def test_follow_up_before_the_end_is_refused_and_changes_nothing(connect):
    mod = connect("moderator")
    mod.call("timer:start")
    version = connect("moderator").last("state")["audit"]["version"]
    ack = mod.call("questions:follow-up", {"open": False})
    assert (ack["ok"], ack["code"]) == (False, "invalid_state") and "not ended" in ack["message"]
    state = connect("moderator").last("state")
    assert (state["audit"]["version"], state["run"]["questions_open"]) == (version, True)


def test_follow_up_is_a_moderator_action(connect):
    for role in ("audience", "screen"):
        ack = connect(role).call("questions:follow-up", {"open": True})
        assert (ack["ok"], ack["code"]) == (False, "forbidden")


def test_reopening_the_show_or_resetting_it_opens_the_questions_again(connect):
    mod, phone = connect("moderator"), connect("audience")
    assert _end(mod)["ok"]
    assert mod.call("timer:previous")["ok"]  # back to the last segment: the show is on again
    assert phone.last("run")["questions_open"] is True
    assert phone.call("question:submit", _question(1))["ok"]
    assert mod.call("timer:next")["ok"]      # ended again, without keep_questions_open: closed
    assert phone.last("run")["questions_open"] is False
    assert mod.call("run:reset", {"confirm": True})["ok"]
    assert phone.last("run")["questions_open"] is True


def test_keep_questions_open_on_a_next_that_does_not_end_the_show_changes_nothing_else(connect):
    mod = connect("moderator")
    mod.call("timer:start")
    assert mod.call("timer:next", {"keep_questions_open": True})["ok"]
    run = mod.last("run")
    assert (run["status"], run["questions_open"]) == ("live", True)
    assert mod.call("timer:next", {"keep_questions_open": "yes"})["code"] == "invalid_payload"


def test_an_auto_advance_that_ends_the_show_closes_the_poll_and_the_questions(app, connect, open_poll):
    mod, poll = open_poll
    mod.call("segment:auto", {"segment_id": LAST, "on": True})
    mod.call("timer:goto", {"segment_id": LAST})
    deadline = instant(mod.last("run")["timer"]["deadline_ms"])
    phone = connect("audience")
    phone.received()
    AutoAdvancer(app, clock=lambda: deadline + timedelta(seconds=1)).run_once()
    run = phone.last("run")
    assert (run["status"], run["questions_open"]) == ("ended", False)
    assert next(p for p in phone.last("polls") if p["id"] == poll["id"])["status"] == "closed"
    assert phone.call("question:submit", _question(1))["code"] == "invalid_state"


def test_the_control_api_next_can_keep_questions_open(app):
    api_token = app.config["FORUM_LIVE_API_CREDENTIAL"].plain
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token}"}
    console = app.extensions["socketio"].test_client(app, namespace="/moderator", auth={"token": TOKEN})
    assert console.emit("timer:goto", {"segment_id": LAST}, namespace="/moderator", callback=True)["ok"]
    response = client.post("/api/v1/next", headers=headers, json={"keep_questions_open": True})
    assert response.status_code == 200 and response.get_json() == {"ok": True}
    phone = app.extensions["socketio"].test_client(app, namespace="/audience", auth={"event": "ILO22"})
    run = phone.get_received("/audience")[0]["args"][0]["run"]
    assert (run["status"], run["questions_open"]) == ("ended", True)
