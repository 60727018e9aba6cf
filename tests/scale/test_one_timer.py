"""Two forum-live processes on one PostgreSQL and one Redis channel run the timers once: an
auto-advance deadline and a poll's auto-close are each applied and broadcast by one process (the
owner of the timer lock, sockets/ownership.py), and when that process dies the other takes over
and fires the deadline it missed, once (issue 17, item 2)."""
import time

import psutil
import psycopg
import pytest

from support.server import TOKEN, clients
from support.wait import until

pytestmark = pytest.mark.live

CODE = "ILO22"
SETTLE_S = 1.5  # after the awaited broadcast, how long a duplicate from the other process may take


def _rows(pair, sql: str) -> list[tuple]:
    with psycopg.connect(pair["database"]) as conn:
        conn.execute(f'SET search_path TO "{pair["schema"]}"')
        return conn.execute(sql).fetchall()


def _owner(pair):
    """The server holding the timer lock: the process with the socket of the lock's backend."""
    ports = [r[0] for r in _rows(pair, "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a "
                                       "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted")]
    owners = [s for s in pair["servers"] if s.proc.poll() is None and any(
        c.laddr and c.laddr.port in ports for c in psutil.Process(s.proc.pid).net_connections("tcp"))]
    return owners


def _runs_with(client, segment_id):
    with client.lock:
        return [r for r in client.events.get("run", []) if r["current_segment_id"] == segment_id]


def _viewers(connect, servers):
    made = [connect(s.url, ns, {"event": CODE}) for s in servers for ns in ("/screen", "/audience", "/audience")]
    for v in made:
        v.state()
    return made


def _arm(console, segment_id, left_ms):
    """Auto-advance on for the on-air segment, with ``left_ms`` left on its running clock."""
    run = console.state()["run"] if not console.events.get("run") else console.events["run"][-1]
    assert console.call("segment:auto", {"segment_id": segment_id, "on": True})["ok"]
    seg = next(s for s in run["segments"] if s["id"] == segment_id)
    ack = console.call("timer:adjust", {"delta_ms": -(seg["planned_ms"] + seg["adjust_ms"] - left_ms)})
    assert ack["ok"], ack


def test_one_timer_owner_one_advance_and_one_close_per_deadline_and_a_takeover_on_death(pair):
    a, b = pair["servers"]
    until(lambda: len(_owner(pair)) == 1, 10, "one timer owner")
    with clients() as connect:
        consoles = [connect(s.url, "/moderator", {"token": TOKEN}) for s in (a, b)]
        viewers = _viewers(connect, (a, b))
        segments = consoles[0].state()["run"]["segments"]
        first, second, third = (s["id"] for s in segments[:3])

        # An auto-advance deadline: every viewer on both processes gets one run with the next segment.
        _arm(consoles[0], first, 1_500)
        assert consoles[1].call("timer:start")["ok"]
        for v in viewers:
            v.wait_for("run", lambda r: r["current_segment_id"] == second, timeout=10)
        time.sleep(SETTLE_S)
        assert [len(_runs_with(v, second)) for v in viewers] == [1] * len(viewers)

        # A poll's auto-close (5 s, the shortest): one "closed" polls broadcast per viewer.
        poll = next(p for p in consoles[0].state()["polls"] if p["kind"] == "single")
        assert consoles[1].call("poll:update", {"poll_id": poll["id"], "duration_s": 5})["ok"]
        assert consoles[1].call("poll:open", {"poll_id": poll["id"]})["ok"]

        def closed(v):
            with v.lock:
                return [ps for ps in v.events.get("polls", [])
                        if any(p["id"] == poll["id"] and p["status"] == "closed" for p in ps)]
        until(lambda: all(closed(v) for v in viewers), 10, "the auto-close on every viewer")
        time.sleep(SETTLE_S)
        assert [len(closed(v)) for v in viewers] == [1] * len(viewers)
        assert _rows(pair, f"SELECT status FROM poll WHERE id = {poll['id']}") == [("closed",)]

        # The owner dies just before the next deadline: the other takes over and fires it once,
        # at the stored deadline.
        owner = _owner(pair)[0]
        survivor = b if owner is a else a
        console = consoles[pair["servers"].index(survivor)]
        left = [v for v in viewers if v.sio.connection_url.startswith(survivor.url)]
        _arm(console, second, 1_000)
        deadline_ms = console.wait_for("run", lambda r: r["current_segment_id"] == second and r["timer"]["deadline_ms"]
                                       and r["timer"]["deadline_ms"] - time.time() * 1000 < 3_000)["timer"]["deadline_ms"]
        owner.kill()
        for v in left:
            v.wait_for("run", lambda r: r["current_segment_id"] == third, timeout=6)
        time.sleep(SETTLE_S)
        assert [len(_runs_with(v, third)) for v in left] == [1] * len(left)
        assert next(s for s in _runs_with(left[0], third)[0]["segments"] if s["id"] == third)["started_ms"] == \
            pytest.approx(deadline_ms, abs=1)
        assert _owner(pair) == [survivor]
