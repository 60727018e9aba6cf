"""The three namespaces end to end through Flask-SocketIO's test client, with production's tally
interval: a tally that changes within an interval of the last one arrives coalesced, later, and
the tests wait for it (Actor.wait_for) instead of reading it at once."""
import time

import pytest

from forum_live.config import DEFAULTS

TALLY_INTERVAL_MS = DEFAULTS["FORUM_LIVE_TALLY_INTERVAL_MS"]


@pytest.fixture
def app_config():
    """The production tally interval (tests/conftest.py turns coalescing off for other modules)."""
    return {"FORUM_LIVE_TALLY_INTERVAL_MS": TALLY_INTERVAL_MS}


def test_each_role_gets_a_full_snapshot_on_connect(connect):
    for role in ("moderator", "screen", "audience"):
        actor = connect(role)
        state = actor.last("state")
        assert state["role"] == role
        assert state["event"]["code"] == "ILO22"
        assert len(state["run"]["segments"]) == 9
        assert state["run"]["status"] == "not-started"
        assert state["event"]["join_url"] == "http://192.0.2.10:5000/e/ILO22"
        assert ("mine" in state) == (role == "audience")
        assert ("device_token" in state) == (role == "audience")


def test_moderator_without_the_token_is_refused(app, connect):
    sio = app.extensions["socketio"]
    for auth in ({}, {"token": "wrong"}, {"token": 123}, None):
        client = sio.test_client(app, namespace="/moderator", auth=auth)
        assert not client.is_connected("/moderator")


def test_audience_with_an_unknown_event_is_refused(app):
    client = app.extensions["socketio"].test_client(app, namespace="/audience", auth={"event": "NOPE"})
    assert not client.is_connected("/audience")


def test_starting_the_show_broadcasts_a_running_deadline_to_every_role(connect):
    mod, screen, phone = connect("moderator"), connect("screen"), connect("audience")
    for a in (mod, screen, phone):
        a.received()
    assert mod.call("timer:start") == {"ok": True}
    for a in (mod, screen, phone):
        run = a.last("run")
        assert run["status"] == "live"
        assert run["timer"]["state"] == "running"
        assert run["timer"]["deadline_ms"] == pytest.approx(run["server_now_ms"] + 8 * 60_000, abs=200)


def test_timer_controls_walk_the_run_of_show(connect):
    mod = connect("moderator")
    mod.call("timer:start")
    assert mod.call("timer:next") == {"ok": True}
    run = mod.last("run")
    assert run["current_segment_id"] == run["segments"][1]["id"]
    assert mod.call("timer:adjust", {"delta_ms": 60_000}) == {"ok": True}
    assert mod.last("run")["timer"]["adjust_ms"] == 60_000
    mod.call("timer:adjust", {"delta_ms": 60_000})
    assert mod.last("run")["timer"]["adjust_ms"] == 120_000
    assert mod.call("timer:pause") == {"ok": True}
    assert mod.last("run")["timer"]["state"] == "paused"
    assert mod.call("timer:pause")["code"] == "invalid_state"
    assert mod.call("timer:start") == {"ok": True}
    assert mod.call("timer:previous") == {"ok": True}
    run = mod.last("run")
    assert run["current_segment_id"] == run["segments"][0]["id"]
    assert run["timer"]["state"] == "paused"
    last_id = run["segments"][-1]["id"]
    assert mod.call("timer:goto", {"segment_id": last_id}) == {"ok": True}
    assert mod.call("timer:next") == {"ok": True}
    assert mod.last("run")["status"] == "ended"


def test_question_flow_pending_only_to_moderator_then_approved_and_highlighted(connect):
    mod, screen, phone, other = connect("moderator"), connect("screen"), connect("audience"), connect("audience")
    for a in (mod, screen, phone, other):
        a.received()
    ack = phone.call("question:submit", {"client_id": "q-000001", "text": "  How will a2i scale?  ",
                                         "name": "Mai", "panelist_id": None})
    assert ack["ok"] and ack["question"]["status"] == "pending" and ack["question"]["text"] == "How will a2i scale?"
    qid = ack["question"]["id"]
    assert [q["status"] for q in mod.last("questions")["items"]] == ["pending"]
    assert all(q["status"] != "pending" for p in screen.received("questions") for q in p["items"])
    assert phone.last("mine")["questions"][0]["status"] == "pending"
    assert other.received("mine") == []

    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"}) == {"ok": True}
    assert screen.last("questions")["items"][0]["id"] == qid
    assert other.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    assert other.call("question:upvote", {"question_id": qid, "on": True})["ok"]  # idempotent
    assert mod.wait_for("questions", lambda v: v["items"][0]["votes"] == 1)  # a tally: may come coalesced
    assert mod.call("question:highlight", {"question_id": qid}) == {"ok": True}
    scene = screen.last("scene")
    assert scene == {"name": "question", "prompt_id": None, "question_id": qid, "poll_id": None}
    assert mod.call("question:moderate", {"question_id": qid, "action": "answer"}) == {"ok": True}
    assert screen.wait_for("questions", lambda v: v["items"][0]["status"] == "answered")


def test_a_resubmitted_question_is_stored_once(connect):
    phone, mod = connect("audience"), connect("moderator")
    payload = {"client_id": "same-id-1", "text": "Is there one copy?"}
    first, second = phone.call("question:submit", payload), phone.call("question:submit", payload)
    assert first["duplicate"] is False and second["duplicate"] is True
    assert first["question"]["id"] == second["question"]["id"]
    mod.received()
    assert mod.call("scene:set", {"scene": "join"}) == {"ok": True}
    assert len(connect("moderator").last("state")["questions"]["items"]) == 1


def test_the_same_device_token_keeps_its_identity_across_reconnects(connect):
    phone = connect("audience")
    token = phone.last("state")["device_token"]
    ack = phone.call("question:submit", {"client_id": "keep-me-1", "text": "Do I keep my question?"})
    phone.sio.disconnect(namespace="/audience")
    again = connect("audience", device=token)
    state = again.last("state")
    assert state["device_token"] == token
    assert [q["id"] for q in state["mine"]["questions"]] == [ack["question"]["id"]]
    stranger = connect("audience", device=token + "x")  # forged: a new device
    assert stranger.last("state")["mine"]["questions"] == []


def test_poll_results_stay_hidden_from_phones_and_projector_until_revealed(connect):
    mod, screen = connect("moderator"), connect("screen")
    phones = [connect("audience") for _ in range(3)]
    poll = mod.last("state")["polls"][0]
    assert mod.call("poll:open", {"poll_id": poll["id"]}) == {"ok": True}
    option = poll["options"][1]["id"]
    for phone in phones:
        phone.received()
        assert phone.call("poll:vote", {"poll_id": poll["id"], "value": option})["ok"]
    # The tally after the third ballot (coalesced: it may come an interval later) reaches every
    # role; the public part (``ballots``) tells when it has, and no packet before it had results.
    for actor in (screen, *phones):
        packets = actor.wait_for("polls", lambda ps: ps[0]["ballots"] == 3)
        assert all(p["results"] is None for packet in packets for p in packet)
    assert mod.wait_for("polls", lambda ps: ps[0]["ballots"] == 3)[-1][0]["results"]["total"] == 3
    assert mod.call("poll:close", {"poll_id": poll["id"]}) == {"ok": True}
    assert phones[0].call("poll:vote", {"poll_id": poll["id"], "value": option})["code"] == "invalid_state"
    assert mod.call("poll:reveal", {"poll_id": poll["id"], "revealed": True}) == {"ok": True}
    results = screen.last("polls")[0]["results"]
    assert results["total"] == 3 and results["options"][1]["count"] == 3 and results["options"][1]["percent"] == 100
    assert screen.last("scene")["name"] == "poll"


def test_a_phone_changes_its_own_ballot_without_touching_others(connect):
    mod = connect("moderator")
    rating = next(p for p in mod.last("state")["polls"] if p["kind"] == "rating")
    mod.call("poll:open", {"poll_id": rating["id"]})
    a, b = connect("audience"), connect("audience")
    a.call("poll:vote", {"poll_id": rating["id"], "value": 5})
    b.call("poll:vote", {"poll_id": rating["id"], "value": 2})
    a.call("poll:vote", {"poll_id": rating["id"], "value": 4})
    # The last change (a's 5 -> 4) arrives, coalesced, with both ballots counted once.
    seen = mod.wait_for("polls", lambda ps: next(p for p in ps if p["id"] == rating["id"])["results"]["mean"] == 3.0)
    tally = next(p for p in seen[-1] if p["id"] == rating["id"])["results"]
    assert tally["total"] == 2 and tally["distribution"][3]["count"] == 1 and tally["distribution"][1]["count"] == 1
    assert a.mine()["ballots"] == {str(rating["id"]): 4}


def test_prompt_and_scene_switching_reach_the_projector(connect):
    mod, screen = connect("moderator"), connect("screen")
    prompt_id = mod.last("state")["event"]["key_questions"][0]["prompts"][1]["id"]
    assert mod.call("prompt:show", {"prompt_id": prompt_id}) == {"ok": True}
    assert screen.last("scene") == {"name": "prompt", "prompt_id": prompt_id, "question_id": None, "poll_id": None}
    assert mod.call("scene:set", {"scene": "question"})["code"] == "invalid_state"
    assert mod.call("scene:set", {"scene": "timer"}) == {"ok": True}
    assert screen.last("scene")["name"] == "timer"


def test_clock_ping_returns_server_time_in_epoch_ms(connect):
    import time
    for role in ("moderator", "screen", "audience"):
        ack = connect(role).call("clock:ping", {})
        assert ack["ok"] and abs(ack["server_ms"] - time.time() * 1000) < 5_000


def test_a_refused_connection_says_why(app):
    import socketio

    from forum_live.sockets.connect import on_moderator_connect
    with app.test_request_context("/socket.io/"):
        try:
            on_moderator_connect({"token": "wrong"})
        except socketio.exceptions.ConnectionRefusedError as exc:
            assert exc.error_args == {"message": "The moderator token is missing or wrong.",
                                      "data": {"code": "forbidden",
                                               "message": "The moderator token is missing or wrong."}}
        else:
            raise AssertionError("connection was not refused")


def test_a_vote_storm_is_coalesced_and_the_last_tally_always_arrives(connect):
    mod = connect("moderator")
    poll = mod.last("state")["polls"][0]
    mod.call("poll:open", {"poll_id": poll["id"]})
    phones = [connect("audience") for _ in range(12)]
    mod.received()
    started = time.monotonic()
    for phone in phones:
        assert phone.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][0]["id"]})["ok"]
    tallies = [p[0]["results"]["total"] for p in mod.wait_for("polls", lambda ps: ps[0]["results"]["total"] == 12)]
    took_s = time.monotonic() - started
    assert tallies == sorted(tallies) and tallies[-1] == 12  # the final tally counts every ballot
    # At most one tally per interval after the first, whatever the machine's speed: 12 votes
    # in well under a second are a handful of broadcasts, not 12.
    assert len(tallies) <= 2 + took_s * 1000 / TALLY_INTERVAL_MS, (tallies, took_s)
    assert len(tallies) < 12 or took_s * 1000 >= 10 * TALLY_INTERVAL_MS


def test_a_phone_cannot_pose_as_the_projector_without_its_key(app):
    from forum_live.identity import stage_key
    sio = app.extensions["socketio"]
    for auth in ({"event": "ILO22"}, {"event": "ILO22", "key": "wrong"}, {"event": "ILO22", "key": None},
                 {"event": "ILO22", "key": stage_key(app.config["SECRET_KEY"], "ILO22")}):
        client = sio.test_client(app, namespace="/screen", auth=auth)
        assert not client.is_connected("/screen"), auth
