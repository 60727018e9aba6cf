"""The real server in a subprocess: a panelist slot, questions and a poll; then SIGKILL and restart."""
import time

import pytest
import requests

from support.server import TOKEN, Server, clients, projector_key

pytestmark = pytest.mark.live


def _walk_the_show(make, url):
    mod = make(url, "/moderator", {"token": TOKEN})
    screen = make(url, "/screen", {"event": "ILO22"})
    phones = [make(url, "/audience", {"event": "ILO22"}) for _ in range(3)]
    state = mod.state()
    first_panelist = state["run"]["segments"][1]
    assert mod.call("timer:goto", {"segment_id": first_panelist["id"]}) == {"ok": True}
    run = screen.wait_for("run", lambda r: r["current_segment_id"] == first_panelist["id"])
    assert run["timer"]["state"] == "running"

    acks = [p.call("question:submit", {"client_id": f"live-q-{i:04d}", "text": f"Question number {i} from a phone?"})
            for i, p in enumerate(phones)]
    assert all(a["ok"] for a in acks)
    qid = acks[0]["question"]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"}) == {"ok": True}
    for p in phones[1:]:
        assert p.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    assert mod.call("question:highlight", {"question_id": qid}) == {"ok": True}
    screen.wait_for("scene", lambda s: s["name"] == "question" and s["question_id"] == qid)
    screen.wait_for("questions", lambda q: q["items"] and q["items"][0]["votes"] == 2)

    poll = state["polls"][0]
    assert mod.call("poll:open", {"poll_id": poll["id"]}) == {"ok": True}
    for i, p in enumerate(phones):
        assert p.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][i % 2]["id"]})["ok"]
    assert mod.call("poll:reveal", {"poll_id": poll["id"], "revealed": True}) == {"ok": True}
    polls = screen.wait_for("polls", lambda ps: ps and ps[0]["results"] is not None)
    assert [o["count"] for o in polls[0]["results"]["options"][:2]] == [2, 1]
    return first_panelist["id"], qid, poll["id"]


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_a_panelist_slot_with_questions_and_a_poll_on_the_real_server(server_factory, async_mode):
    server = server_factory(async_mode)
    with clients() as make:
        _walk_the_show(make, server.url)
    assert requests.get(server.url + f"/screen?key={projector_key()}", timeout=5).status_code == 200


def test_after_sigkill_and_restart_the_state_and_remaining_time_are_kept(tmp_path):
    server = Server(tmp_path, "gevent").start()
    try:
        with clients() as make:
            seg_id, qid, poll_id = _walk_the_show(make, server.url)
            mod = make(server.url, "/moderator", {"token": TOKEN})
            before = mod.state()
        server.kill()
        time.sleep(1.0)  # the slot's clock keeps running while the server is down
        server = Server(tmp_path, "gevent", port=server.port).start()
        with clients() as make:
            after = make(server.url, "/moderator", {"token": TOKEN}).state()
        assert "resumed" in server.output()
    finally:
        server.stop()
    t0, t1 = before["run"]["timer"], after["run"]["timer"]
    assert after["run"]["current_segment_id"] == seg_id and t1["state"] == "running"
    assert abs(t1["deadline_ms"] - t0["deadline_ms"]) <= 1000
    # Remaining time is the same deadline seen from a later instant: no second lost or gained.
    elapsed_wall = after["server_now_ms"] - before["server_now_ms"]
    assert abs((t0["remaining_ms"] - elapsed_wall) - t1["remaining_ms"]) <= 1000
    assert len(after["run"]["segments"]) == 9
    assert after["questions"]["highlighted_id"] == qid
    assert [q["votes"] for q in after["questions"]["items"] if q["id"] == qid] == [2]
    poll = next(p for p in after["polls"] if p["id"] == poll_id)
    assert poll["revealed"] and poll["results"]["total"] == 3


def test_a_paused_slot_stays_paused_with_the_same_time_after_a_restart(tmp_path):
    server = Server(tmp_path, "gevent").start()
    try:
        with clients() as make:
            mod = make(server.url, "/moderator", {"token": TOKEN})
            mod.state()
            mod.call("timer:start")
            time.sleep(0.3)
            mod.call("timer:pause")
            paused = mod.wait_for("run", lambda r: r["timer"]["state"] == "paused")["timer"]
        server.kill()
        server = Server(tmp_path, "gevent", port=server.port).start()
        with clients() as make:
            timer = make(server.url, "/moderator", {"token": TOKEN}).state()["run"]["timer"]
    finally:
        server.stop()
    assert timer["state"] == "paused" and timer["remaining_ms"] == paused["remaining_ms"]
