"""SIGKILL the real server during the show and restart it: overtime stays overtime, and an
auto-advance that fell due while it was down is applied at its exact deadline on restart."""
import time

import pytest

from support.server import TOKEN, Server, clients

pytestmark = pytest.mark.live


def _restart(server: Server, tmp_path, down_s: float) -> Server:
    server.kill()
    time.sleep(down_s)
    return Server(tmp_path, "gevent", port=server.port).start()


def test_a_slot_in_overtime_is_still_in_overtime_with_the_same_deadline_after_sigkill(tmp_path):
    server = Server(tmp_path, "gevent").start()
    try:
        with clients() as make:
            mod = make(server.url, "/moderator", {"token": TOKEN})
            mod.state()
            assert mod.call("timer:start") == {"ok": True}
            assert mod.call("timer:adjust", {"delta_ms": -8 * 60_000}) == {"ok": True}   # 0:00 left
            time.sleep(0.5)
            before = mod.wait_for("run", lambda r: r["timer"]["adjust_ms"] == -8 * 60_000)
        server = _restart(server, tmp_path, 1.0)
        with clients() as make:
            after = make(server.url, "/moderator", {"token": TOKEN}).state()
    finally:
        server.stop()
    t0, t1 = before["timer"], after["run"]["timer"]
    assert t1["state"] == "running" and t1["deadline_ms"] == t0["deadline_ms"]
    assert t1["remaining_ms"] < -1000 and t1["phase"] in ("time-up", "overtime")
    # The overtime counted on through the kill: remaining is the deadline seen from the new now.
    assert abs(t1["remaining_ms"] - (t1["deadline_ms"] - after["run"]["server_now_ms"])) <= 1


def test_an_auto_advance_due_while_the_server_was_down_is_applied_at_its_deadline(tmp_path):
    server = Server(tmp_path, "gevent").start()
    try:
        with clients() as make:
            mod = make(server.url, "/moderator", {"token": TOKEN})
            segs = mod.state()["run"]["segments"]
            assert mod.call("segment:auto", {"segment_id": segs[0]["id"], "on": True}) == {"ok": True}
            assert mod.call("timer:adjust", {"delta_ms": -(8 * 60_000 - 2_000)}) == {"ok": True}
            assert mod.call("timer:start") == {"ok": True}
            deadline = mod.wait_for("run", lambda r: r["timer"]["state"] == "running")["timer"]["deadline_ms"]
        server = _restart(server, tmp_path, 2.5)        # down across the deadline
        with clients() as make:
            mod = make(server.url, "/moderator", {"token": TOKEN})
            run = mod.state()["run"]
            if run["current_segment_id"] == segs[0]["id"]:  # the task may run just after the snapshot
                run = mod.wait_for("run", lambda r: r["current_segment_id"] == segs[1]["id"])
    finally:
        server.stop()
    assert run["current_segment_id"] == segs[1]["id"]
    assert run["segments"][0]["left_ms"] == run["segments"][1]["started_ms"] == deadline
