"""Co-moderators: versioned actions (a stale one is refused), the audit trail, who is connected."""
import pytest

from forum_live.persistence.models import ModeratorAction


def _console(connect, name=None, console="console-aaaa"):
    auth = {"console": console}
    if name:
        auth["name"] = name
    return connect("moderator", **auth)


def _same_view(state_a, state_b):
    """What both consoles show (the parts that do not move with the clock)."""
    def strip(s):
        run = {k: v for k, v in s["run"].items() if k not in ("server_now_ms", "projected_end_ms", "over_booked_ms")}
        run["timer"] = {k: v for k, v in (run["timer"] or {}).items() if k not in ("remaining_ms", "elapsed_ms")}
        run["segments"] = [{k: v for k, v in seg.items() if k != "elapsed_ms"} for seg in run["segments"]]
        return run, s["questions"], s["polls"], s["scene"], s["audit"]["version"]
    return strip(state_a) == strip(state_b)


def _fold(actor, state):
    """Apply the parts an actor received since its snapshot to that snapshot (what live.js does)."""
    for item in actor.sio.get_received(actor.namespace):
        if item["name"] in ("run", "questions", "polls", "scene", "audit", "presence"):
            state[item["name"]] = item["args"][0]
    return state


def test_a_console_snapshot_carries_the_state_version_its_identity_and_the_audit_trail(connect):
    state = _console(connect, console="console-1111").last("state")
    assert state["audit"] == {"version": 0, "entries": []}
    assert state["you"] == {"label": "Console 1", "key": "console-1111"}
    assert state["presence"]["consoles"] == [{"label": "Console 1", "key": "console-1111"}]
    for role in ("screen", "audience"):
        other = connect(role).last("state")
        assert "audit" not in other and "presence" not in other and "you" not in other


def test_two_consoles_a_conflicting_action_is_refused_and_both_end_in_the_same_state(connect):
    a, b = _console(connect, console="console-aaaa"), _console(connect, console="console-bbbb")
    state_a, state_b = a.last("state"), b.last("state")
    seen = state_b["audit"]["version"]
    # A starts the show; B, still looking at version 0, presses Next at the same moment.
    assert a.call("timer:start", {"version": state_a["audit"]["version"]}) == {"ok": True, "version": 1}
    refused = b.call("timer:next", {"version": seen})
    assert refused["ok"] is False and refused["code"] == "stale_state"
    assert "Console 1" in refused["message"] and "not done" in refused["message"]
    state_a, state_b = _fold(a, state_a), _fold(b, state_b)
    assert state_b["run"]["current_segment_id"] == state_b["run"]["segments"][0]["id"]  # Next did not happen
    assert state_a["audit"]["version"] == state_b["audit"]["version"] == 1
    assert _same_view(state_a, state_b)
    # B, now up to date, can act; A's older view is stale in turn.
    assert b.call("timer:next", {"version": state_b["audit"]["version"]})["ok"] is True
    assert a.call("timer:pause", {"version": 1})["code"] == "stale_state"
    state_a, state_b = _fold(a, state_a), _fold(b, state_b)
    assert _same_view(state_a, state_b)
    assert state_a["audit"]["version"] == 2
    assert state_a["run"]["current_segment_id"] == state_a["run"]["segments"][1]["id"]


def test_a_consoles_own_quick_second_press_is_not_a_conflict(connect):
    a = _console(connect)
    assert a.call("timer:start", {"version": 0})["ok"]
    # The second press leaves before the first one's broadcast arrived: same version, same console.
    ack = a.call("timer:adjust", {"delta_ms": 60_000, "version": 0})
    assert ack == {"ok": True, "version": 2}


def test_a_reconnecting_console_is_the_same_actor(connect):
    first = _console(connect, console="console-same")
    first.call("timer:start", {"version": 0})
    first.sio.disconnect(namespace="/moderator")
    again = _console(connect, console="console-same")
    assert again.last("state")["you"]["label"] == "Console 1"
    assert again.call("timer:pause", {"version": 0})["ok"] is True


@pytest.mark.parametrize("version", ["1", 1.5, -1, True, [1]])
def test_a_malformed_version_is_refused(connect, version):
    ack = _console(connect).call("timer:start", {"version": version})
    assert ack["ok"] is False and ack["code"] == "invalid_payload" and "version" in ack["message"]


def test_a_version_ahead_of_the_server_is_stale(connect):
    ack = _console(connect).call("timer:start", {"version": 7})
    assert ack["code"] == "stale_state"


def test_actions_without_a_version_are_not_checked_but_still_audited(connect):
    a, b = _console(connect, console="console-aaaa"), _console(connect, console="console-bbbb")
    assert a.call("timer:start") == {"ok": True}
    assert b.call("timer:adjust", {"delta_ms": 60_000}) == {"ok": True}
    audit = b.last("audit")
    assert audit["version"] == 2
    assert [(e["seq"], e["actor"], e["name"]) for e in audit["entries"]] == [
        (2, "Console 2", "timer:adjust"), (1, "Console 1", "timer:start")]


def test_a_phone_may_not_send_a_version(connect):
    ack = connect("audience").call("question:upvote", {"question_id": 1, "on": True, "version": 0})
    assert ack["code"] == "invalid_payload"


def test_refused_actions_change_nothing_and_are_not_audited(app, connect):
    a = _console(connect)
    assert a.call("timer:pause", {"version": 0})["code"] == "invalid_state"
    assert a.call("scene:set", {"scene": "karaoke", "version": 0})["code"] == "invalid_payload"
    with app.extensions["forum_live.sessions"]() as session:
        assert session.query(ModeratorAction).count() == 0


@pytest.mark.parametrize(("event", "payload", "summary"), [
    ("timer:start", {}, "Started “Opening and introductions”"),
    ("timer:adjust", {"delta_ms": -30_000}, "−0:30 on “Opening and introductions”"),
    ("scene:set", {"scene": "holding"}, "Projector: holding slide"),
    ("scene:set", {"scene": "join"}, "Projector: join (QR code)"),
])
def test_the_audit_trail_says_who_did_what_when(connect, event, payload, summary):
    a = _console(connect, name="Rie")
    if event != "timer:start":
        a.call("timer:start")
    before = a.last("state")["server_now_ms"]
    assert a.call(event, payload)["ok"]
    entry = a.last("audit")["entries"][0]
    assert (entry["actor"], entry["source"], entry["name"], entry["summary"]) == ("Rie", "console", event, summary)
    assert entry["at_ms"] >= before


def test_two_changes_on_the_same_version_at_the_same_instant_one_is_refused(connect, monkeypatch):
    """The unique (event, seq) constraint: a race that slipped past the check still loses."""
    from forum_live.services import audit
    a = _console(connect)
    assert a.call("timer:start")["ok"]
    monkeypatch.setattr(audit, "state_version", lambda session, event: 0)  # as if read before the other commit
    ack = a.call("timer:pause")
    assert ack["code"] == "stale_state"
    monkeypatch.undo()
    assert a.last("run")["timer"]["state"] == "running"


def test_consoles_see_who_is_connected(app, connect):
    mod = _console(connect, console="console-aaaa")
    phone1 = connect("audience")
    token = phone1.last("state")["device_token"]
    connect("audience", device=token)  # a second tab of the same phone
    connect("audience")
    connect("screen")
    connect("screen", view="stage")
    connect("screen", view="preview")
    _console(connect, console="console-bbbb", name="Ana")
    connect("rapporteur")
    presence = mod.last("presence")
    assert presence == {"phones": 2, "projectors": 1, "stage_views": 1, "previews": 1,
                        "consoles": [{"label": "Ana", "key": "console-bbbb"},
                                     {"label": "Console 1", "key": "console-aaaa"}],
                        "rapporteurs": 1}
    phone1.sio.disconnect(namespace="/audience")
    assert mod.last("presence")["phones"] == 2  # the other tab is still there


def test_no_projector_is_reported_as_zero_even_with_a_preview_open(connect):
    mod = _console(connect)
    preview = connect("screen", view="preview")
    assert mod.last("presence")["projectors"] == 0
    projector = connect("screen")
    assert mod.last("presence")["projectors"] == 1
    projector.sio.disconnect(namespace="/screen")
    assert mod.last("presence")["projectors"] == 0
    assert preview.sio.is_connected("/screen")


def test_a_console_keeps_its_number_after_a_server_restart_and_a_new_one_takes_a_new_number(app, connect):
    a = _console(connect, console="console-aaaa")
    b = _console(connect, console="console-bbbb")
    assert b.last("state")["you"]["label"] == "Console 2"
    assert b.call("timer:start")["ok"]  # the trail now knows console-bbbb as Console 2
    for actor in (a, b):
        actor.sio.disconnect(actor.namespace)
    app.extensions["forum_live.console_numbers"].clear()  # what a restart forgets
    assert _console(connect, console="console-cccc").last("state")["you"]["label"] == "Console 3"
    assert _console(connect, console="console-bbbb").last("state")["you"]["label"] == "Console 2"
