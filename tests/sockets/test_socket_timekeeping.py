"""Timekeeping over Socket.IO: stage view key and cues, blackout, rebalancing, reset, now
speaking, prompt deck, skip/auto; the auto-advance task (injected clock, and the real task)."""
from datetime import timedelta

import pytest

from forum_live import create_app
from forum_live.domain.clock import to_ms
from forum_live.identity import stage_key
from forum_live.sockets.autoadvance import AutoAdvancer, autoadvancer
from support.actors import Actor
from support.server import TOKEN
from support.wait import until
from support.wire import instant

KEY = stage_key("test-secret", "ILO22")


def _stable(state):
    run = {k: v for k, v in state["run"].items() if k not in ("server_now_ms", "projected_end_ms", "over_booked_ms")}
    return {"run": run, "scene": state["scene"], "stage": state["stage"]}


BAD = [
    ("moderator", "segment:skip", {"segment_id": 999, "skipped": True}, "not_found"),
    ("moderator", "segment:skip", {"segment_id": 1, "skipped": "yes"}, "invalid_payload"),
    ("moderator", "segment:auto", {"segment_id": 999, "on": True}, "not_found"),
    ("moderator", "plan:preview", {"strategy": "magic"}, "invalid_payload"),
    ("moderator", "plan:apply", {}, "invalid_payload"),
    ("moderator", "plan:undo", {}, "invalid_state"),
    ("moderator", "run:reset", {}, "invalid_payload"),
    ("moderator", "run:reset", {"confirm": False}, "invalid_payload"),
    ("moderator", "run:reset", {"confirm": "yes"}, "invalid_payload"),
    ("moderator", "speaker:set", {"panelist_id": 1}, "invalid_state"),     # nothing on air
    ("moderator", "speaker:set", {}, "invalid_payload"),
    ("moderator", "prompt:previous", {}, "invalid_state"),                 # the opening has no deck
    ("moderator", "stage:message", {}, "invalid_payload"),
    ("moderator", "stage:message", {"preset": "sing"}, "invalid_payload"),
    ("moderator", "stage:message", {"text": ""}, "invalid_text"),
    ("moderator", "stage:message", {"text": 5}, "invalid_payload"),
    ("moderator", "stage:blackout", {"on": "yes"}, "invalid_payload"),
    ("moderator", "stage:blackout", {"target": "projector", "on": True}, "invalid_payload"),
    ("screen", "stage:blackout", {"on": True}, "forbidden"),
    ("screen", "stage:message", {"preset": "wrap-up"}, "forbidden"),
    ("audience", "run:reset", {"confirm": True}, "forbidden"),
    ("audience", "plan:apply", {"strategy": "qa"}, "forbidden"),
]


@pytest.mark.parametrize("role,event,payload,code", BAD, ids=[f"{r}-{e}-{c}-{i}" for i, (r, e, _, c) in enumerate(BAD)])
def test_bad_timekeeping_input_is_refused_and_changes_nothing(connect, role, event, payload, code):
    before = _stable(connect("moderator").last("state"))
    ack = connect(role).call(event, payload)
    assert ack["ok"] is False and ack["code"] == code and ack["message"]
    assert _stable(connect("moderator").last("state")) == before


# ---- the stage view ----------------------------------------------------------------------------

def test_stage_page_needs_its_key(client):
    assert client.get("/stage").status_code == 403
    assert client.get("/stage?key=wrong").status_code == 403
    page = client.get(f"/stage?key={KEY}")
    assert page.status_code == 200 and b"stage.js" in page.data


@pytest.mark.parametrize("key", ["wrong", "", 5])
def test_a_stage_connection_with_a_wrong_key_is_refused(app, key):
    client = app.extensions["socketio"].test_client(app, namespace="/screen", auth={"event": "ILO22", "stage": key})
    assert not client.is_connected("/screen")


def test_messages_reach_the_stage_and_the_console_but_not_the_projector_nor_phones(connect):
    mod, stage_, projector = connect("moderator"), connect("screen", stage=KEY), connect("screen")
    phone = connect("audience")
    assert "stage" in stage_.last("state") and "stage" not in projector.last("state")
    for a in (mod, stage_, projector, phone):
        a.received()
    assert mod.call("stage:message", {"preset": "wrap-up"}) == {"ok": True}
    assert stage_.last("stage")["message"]["text"] == "Please wrap up"
    assert mod.last("stage")["message"]["preset"] == "wrap-up"
    assert projector.received("stage") == [] and phone.received("stage") == []
    assert mod.call("stage:message", {"text": "Your mic is off"}) == {"ok": True}
    assert stage_.last("stage")["message"]["text"] == "Your mic is off"
    assert mod.call("stage:flash") == {"ok": True}
    assert stage_.last("stage")["flash_ms"] is not None
    assert mod.call("stage:clear") == {"ok": True}
    assert stage_.last("stage")["message"] is None


def test_blackout_of_the_stage_view_reaches_it_and_is_kept_for_a_new_stage_view(connect):
    mod, stage_, projector = connect("moderator"), connect("screen", stage=KEY), connect("screen")
    projector.received()
    assert mod.call("stage:blackout", {"on": True}) == {"ok": True}
    assert stage_.last("stage")["stage_blackout"] is True
    assert projector.received("stage") == []
    assert connect("screen", stage=KEY).last("state")["stage"]["stage_blackout"] is True


def test_preview_is_not_an_audited_change(connect):
    mod = connect("moderator")
    version = mod.last("state")["audit"]["version"]
    assert mod.call("plan:preview", {"strategy": "qa", "version": version})["ok"]
    assert connect("moderator").last("state")["audit"]["version"] == version
    assert mod.call("plan:apply", {"strategy": "qa"})["ok"]
    assert connect("moderator").last("state")["audit"]["version"] == version + 1


# ---- run of show operations --------------------------------------------------------------------

def test_rebalance_preview_is_ack_only_then_apply_and_undo_broadcast(connect):
    mod, screen = connect("moderator"), connect("screen")
    mod.call("timer:start")
    screen.received()
    ack = mod.call("plan:preview", {"strategy": "spread"})
    assert ack["ok"] and ack["preview"]["overrun_ms"] > 9 * 60_000 and ack["preview"]["uncovered_ms"] == 0
    assert screen.received("run") == []
    applied = mod.call("plan:apply", {"strategy": "spread"})
    assert applied["ok"] and applied["applied"]["total_ms"] == sum(-c["delta_ms"] for c in ack["preview"]["changes"])
    run = screen.last("run")
    assert run["over_booked_ms"] <= 1000
    # The plan change is the consoles' (the projector neither shows it nor pays for its query).
    assert run["plan_change"] is None and mod.last("run")["plan_change"]["strategy"] == "spread"
    assert mod.call("plan:undo") == {"ok": True}
    assert mod.last("run")["plan_change"] is None and screen.received("run")
    assert mod.call("plan:apply", {"strategy": "keep"}) == {"ok": True, "applied": None}


def test_reset_needs_confirmation_and_forgets_the_run(connect):
    mod = connect("moderator")
    mod.call("timer:start")
    mod.call("timer:next")
    assert mod.call("run:reset", {"confirm": True}) == {"ok": True}
    run = mod.last("run")
    assert run["status"] == "not-started" and all(s["started_ms"] is None for s in run["segments"])


def test_now_speaking_prompt_deck_skip_and_auto(connect):
    mod = connect("moderator")
    state = mod.last("state")
    segs, panelists = state["run"]["segments"], state["event"]["panelists"]
    mod.call("timer:goto", {"segment_id": segs[6]["id"]})          # the discussion, key question 2
    assert mod.call("speaker:set", {"panelist_id": panelists[2]["id"]}) == {"ok": True}
    assert mod.last("run")["airtime"]["speaking_id"] == panelists[2]["id"]
    assert mod.call("prompt:next") == {"ok": True}
    assert mod.last("run")["segments"][6]["prompt_index"] == 1
    assert mod.call("segment:skip", {"segment_id": segs[7]["id"], "skipped": True}) == {"ok": True}
    run = mod.last("run")
    assert run["segments"][7]["skipped"] and run["next_segment_id"] == segs[8]["id"]
    assert mod.call("segment:auto", {"segment_id": segs[6]["id"], "on": True}) == {"ok": True}
    assert mod.last("run")["segments"][6]["auto_advance"] is True


# ---- auto-advance ------------------------------------------------------------------------------

def test_auto_advancer_with_an_injected_clock_applies_and_broadcasts(app, connect):
    mod, screen = connect("moderator"), connect("screen")
    first = mod.last("state")["run"]["segments"][0]
    mod.call("segment:auto", {"segment_id": first["id"], "on": True})
    mod.call("timer:start")
    deadline = instant(mod.last("run")["timer"]["deadline_ms"])
    screen.received()
    fake_now = deadline - timedelta(seconds=1)
    advancer = AutoAdvancer(app, clock=lambda: fake_now)
    assert to_ms(advancer.run_once()) == to_ms(deadline)
    assert advancer.wait_s(deadline) == pytest.approx(1.0, abs=0.002)
    assert screen.received("run") == []
    fake_now = deadline + timedelta(minutes=25)   # a laptop that slept: caught up on waking
    assert advancer.run_once() is None            # the next segment has no auto-advance
    run = screen.last("run")
    assert run["current_segment_id"] == run["segments"][1]["id"]
    assert run["segments"][1]["started_ms"] == run["segments"][0]["left_ms"] == pytest.approx(to_ms(deadline), abs=1)


def test_the_background_task_advances_on_time_under_threading(tmp_path):
    app = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}", "SECRET_KEY": "test-secret",
        "FORUM_LIVE_MODERATOR_TOKEN": TOKEN, "FORUM_LIVE_ASYNC_MODE": "threading",
        "FORUM_LIVE_AUTO_ADVANCE_TASK": True, "FORUM_LIVE_AUTO_ADVANCE_POLL_S": 0.2,
    })
    task = autoadvancer(app)
    try:
        mod = Actor(app, "/moderator", {"token": TOKEN})
        first = mod.last("state")["run"]["segments"][0]
        mod.call("segment:auto", {"segment_id": first["id"], "on": True})
        mod.call("timer:adjust", {"delta_ms": -(8 * 60_000 - 1_500)})   # 1.5 s left once started
        mod.call("timer:start")
        deadline_ms = mod.last("run")["timer"]["deadline_ms"]
        run = mod.wait_for("run", lambda r: r["current_segment_id"] != first["id"], timeout=5)[-1]
        assert run["segments"][1]["started_ms"] == deadline_ms
        assert task.running
    finally:
        task.stop()
    until(lambda: not task.running, timeout=3, what="the task stopping")
