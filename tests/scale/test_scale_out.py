"""Three forum-live processes behind nginx, sharing PostgreSQL and a Redis message queue: every
broadcast reaches the phones of every process (once), and every vote is counted once."""
import time

import psycopg
import pytest
import requests

from support.server import TOKEN, clients

pytestmark = pytest.mark.live

CODE = "ILO22"


def _count(cluster, sql: str) -> int:
    with psycopg.connect(cluster["database"]) as conn:
        conn.execute(f'SET search_path TO "{cluster["schema"]}"')
        return conn.execute(sql).fetchone()[0]


def _poll(payload, poll_id):
    return next((p for p in payload if p["id"] == poll_id), None)


def test_processes_started_at_once_share_one_event_one_secret_and_answer_through_nginx(cluster):
    servers = cluster["servers"]
    assert _count(cluster, "SELECT count(*) FROM event") == 1
    for s in servers:
        assert requests.get(s.url + "/healthz", timeout=5).json() == {"ok": True, "event": CODE}
    page = requests.get(cluster["nginx_url"] + f"/e/{CODE}", timeout=5)
    assert page.status_code == 200 and "fl_device" in page.cookies
    # A device token made by one process is honoured by the others (one shared secret key).
    with clients() as connect:
        first = connect(servers[0].url, "/audience", {"event": CODE})
        token = first.state()["device_token"]
        for s in servers[1:]:
            assert connect(s.url, "/audience", {"event": CODE, "device": token}).state()["device_token"] == token


def test_every_broadcast_reaches_phones_on_every_process_once_and_votes_count_once(cluster):
    servers, via_nginx = cluster["servers"], cluster["nginx_url"]
    with clients() as connect:
        console = connect(servers[0].url, "/moderator", {"token": TOKEN})
        projector = connect(servers[2].url, "/screen", {"event": CODE})
        phones = [connect(s.url, "/audience", {"event": CODE}) for s in servers for _ in range(2)]
        phones += [connect(via_nginx, "/audience", {"event": CODE}) for _ in range(2)]
        # A browser starts with HTTP long-polling and upgrades: nginx must keep it on one process.
        from support.server import LiveClient
        browser_like = LiveClient(via_nginx, "/audience", {"event": CODE}, transports=None)
        phones.append(browser_like)
        everyone = [*phones, projector]
        for c in everyone:
            c.state()
        tokens = [p.state()["device_token"] for p in phones]

        # A moderator action on process 1 reaches every phone on every process, exactly once.
        assert console.call("timer:start")["ok"]
        for c in everyone:
            c.wait_for("run", lambda r: r["timer"]["state"] == "running")
        time.sleep(0.5)  # a duplicate delivery would have arrived by now
        for c in everyone:
            assert len([r for r in c.events.get("run", []) if r["timer"]["state"] == "running"]) == 1

        poll_id = next(p["id"] for p in console.state()["polls"] if p["kind"] == "single")
        options = [o["id"] for o in next(p for p in console.state()["polls"] if p["id"] == poll_id)["options"]]
        assert console.call("poll:open", {"poll_id": poll_id})["ok"]
        assert console.call("poll:reveal", {"poll_id": poll_id, "revealed": True})["ok"]
        for c in everyone:
            c.wait_for("polls", lambda ps: (_poll(ps, poll_id) or {}).get("status") == "open")

        # Every phone votes on its own process.
        for i, phone in enumerate(phones):
            assert phone.call("poll:vote", {"poll_id": poll_id, "value": options[i % len(options)]})["ok"]
        # The first phone comes back on another process (same device) and changes its ballot,
        # and sends that same change to a third process: still one ballot for that device.
        second_tab = connect(servers[1].url, "/audience", {"event": CODE, "device": tokens[0]})
        assert second_tab.call("poll:vote", {"poll_id": poll_id, "value": options[-1]})["ok"]
        third_tab = connect(servers[2].url, "/audience", {"event": CODE, "device": tokens[0]})
        assert third_tab.call("poll:vote", {"poll_id": poll_id, "value": options[-1]})["ok"]

        total = len(phones)
        assert _count(cluster, f"SELECT count(*) FROM ballot WHERE poll_id = {poll_id}") == total

        def final(payload):
            results = (_poll(payload, poll_id) or {}).get("results") or {}
            counts = {o["id"]: o["count"] for o in results.get("options", [])}
            return results.get("total") == total and counts.get(options[-1]) == (
                sum(1 for i in range(1, total) if options[i % len(options)] == options[-1]) + 1)
        for c in [*everyone, console]:
            c.wait_for("polls", final, timeout=10)
        # The device's own part follows it to its tab on another process (device rooms via Redis).
        # (a ballot sends what changed, ``mine_patch``: docs/protocol.md)
        phones[0].wait_for("mine_patch", lambda m: (m.get("ballots") or {}).get(str(poll_id)) == options[-1])

        # A question asked on process 2 reaches the console on process 1; once approved, every phone.
        asker = phones[2]
        ack = asker.call("question:submit", {"client_id": "scale-test-0001", "text": "Does it scale out?",
                                             "name": None, "panelist_id": None})
        assert ack["ok"]
        qid = ack["question"]["id"]
        console.wait_for("questions", lambda q: any(i["id"] == qid and i["status"] == "pending" for i in q["items"]))
        assert console.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        for c in everyone:
            c.wait_for("questions", lambda q: any(i["id"] == qid for i in q["items"]))
        # Upvotes from phones on every process are counted once each, retries included.
        for phone in phones:
            assert phone.call("question:upvote", {"question_id": qid, "on": True})["ok"]
        assert second_tab.call("question:upvote", {"question_id": qid, "on": True})["ok"]
        for c in everyone:
            c.wait_for("questions", lambda q: any(i["id"] == qid and i["votes"] == total for i in q["items"]))
        assert _count(cluster, f"SELECT count(*) FROM vote WHERE question_id = {qid}") == total
        browser_like.close()
