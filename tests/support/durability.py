"""Kill the server with SIGKILL while phones send questions, upvotes and ballots; after a
restart every acknowledged item must be stored exactly once. Used by a test (once) and by the
benchmark suite (repeatedly)."""
import gc
import random
import threading
import time
import warnings
from pathlib import Path

from sqlalchemy import create_engine, text

from .server import TOKEN, LiveClient, Server

# The storm is one phone sending as fast as acks come back: lift the per-device rate limits.
UNLIMITED = {f"FORUM_LIVE_RATE_{what}_{who}": "100000/minute"
             for what in ("QUESTIONS", "VOTES") for who in ("DEVICE", "IP")}


def run_kill_trial(tmp_path: Path, seed: int, items: int = 500, phones: int = 5) -> dict:
    """One trial: returns counts ``{"acked_questions", "acked_votes", "acked_ballots", ...}`` and
    raises AssertionError if an acknowledged item is missing or duplicated after the restart."""
    rng = random.Random(seed)
    server = Server(tmp_path, "gevent", env=UNLIMITED).start()
    try:
        mod = LiveClient(server.url, "/moderator", {"token": TOKEN})
        state = mod.state()
        poll = state["polls"][0]
        assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
        seed_phone = LiveClient(server.url, "/audience", {"event": "ILO22"})
        targets = []
        for i in range(3):
            ack = seed_phone.call("question:submit", {"client_id": f"seed-{seed}-{i}", "text": f"Seed question {i}?"})
            assert mod.call("question:moderate", {"question_id": ack["question"]["id"], "action": "approve"})["ok"]
            targets.append(ack["question"]["id"])
        mod.close()
        seed_phone.close()

        # Each phone is sequential, so at most one request per phone is in doubt when the server
        # dies: sent, perhaps stored, never acknowledged. It may or may not have taken effect.
        acked = {"questions": [], "votes": [], "ballots": [], "in_doubt": []}
        lock = threading.Lock()
        per_phone = items // phones

        threads = [threading.Thread(target=_worker, args=(server.url, n, per_phone, seed, targets, poll, acked, lock),
                                    daemon=True) for n in range(phones)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 2.0))
        server.kill()
        for t in threads:
            t.join(15)
        # Clients whose server died mid-call leave their sockets to the garbage collector
        # (python-socketio does not close them on a broken connection): collect them here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        server = Server(tmp_path, "gevent", port=server.port, env=UNLIMITED).start()
        return _check(server.database, acked)
    finally:
        server.stop()


def _worker(url, n, count, seed, targets, poll, acked, lock):
    """One phone: questions, upvotes and ballot changes, recording each acknowledged one."""
    try:
        client = LiveClient(url, "/audience", {"event": "ILO22"})
        device = client.state()["device_token"]
    except Exception:
        return
    for i in range(count):
        kind = i % 3
        if kind == 0:
            cid = f"kill-{seed}-{n}-{i:05d}"
            item, event, payload = ("questions", (device, cid)), "question:submit", {
                "client_id": cid, "text": f"Phone {n} question {i}?"}
        elif kind == 1:
            qid, on = targets[i % len(targets)], (i // 3) % 2 == 0
            item, event, payload = ("votes", (device, qid, on)), "question:upvote", {"question_id": qid, "on": on}
        else:
            option = poll["options"][i % len(poll["options"])]["id"]
            item, event, payload = ("ballots", (device, option)), "poll:vote", {"poll_id": poll["id"], "value": option}
        try:
            ack = client.call(event, payload, timeout=3)
        except Exception:  # the server is gone: everything acknowledged so far must survive
            with lock:
                acked["in_doubt"].append(item)
            break
        if ack.get("ok"):
            with lock:
                acked[item[0]].append(item[1])
    try:
        client.close()
    except Exception:
        pass


def _device_id(token: str) -> str:
    # The signed token's payload is the device id (itsdangerous URLSafeSerializer, base64 JSON).
    import base64
    import json
    payload = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _check(database: str, acked: dict) -> dict:
    in_doubt: dict[str, list] = {}
    for kind, value in acked.get("in_doubt", []):
        in_doubt.setdefault(kind, []).append(value)
    engine = create_engine(database)
    with engine.connect() as conn:
        maybe = {(d, c) for d, c in in_doubt.get("questions", [])}
        for device, cid in acked["questions"]:
            n = conn.execute(text("SELECT count(*) FROM question WHERE device_id = :d AND client_id = :c"),
                             {"d": _device_id(device), "c": cid}).scalar()
            assert n == 1, f"acknowledged question {cid} stored {n} times"
        for device, cid in maybe:
            n = conn.execute(text("SELECT count(*) FROM question WHERE device_id = :d AND client_id = :c"),
                             {"d": _device_id(device), "c": cid}).scalar()
            assert n <= 1, f"unacknowledged question {cid} stored {n} times"
        last_vote = {(device, qid): {on} for device, qid, on in acked["votes"]}
        for device, qid, on in in_doubt.get("votes", []):
            last_vote.setdefault((device, qid), {False}).add(on)  # never acked: absent is fine too
        for (device, qid), allowed in last_vote.items():
            n = conn.execute(text("SELECT count(*) FROM vote WHERE device_id = :d AND question_id = :q"),
                             {"d": _device_id(device), "q": qid}).scalar()
            assert n in {1 if on else 0 for on in allowed}, f"vote of {device[:8]} on {qid}: {n} rows, acks allow {allowed}"
        last_ballot = {device: {option} for device, option in acked["ballots"]}
        for device, option in in_doubt.get("ballots", []):
            last_ballot.setdefault(device, {None}).add(option)
        for device, allowed in last_ballot.items():
            rows = conn.execute(text("SELECT value FROM ballot WHERE device_id = :d"), {"d": _device_id(device)}).all()
            stored = rows[0][0] if rows else None
            assert len(rows) <= 1 and stored in {None if o is None else str(o) for o in allowed}, (
                f"ballot of {device[:8]}: {rows}, acks allow {allowed}")
    engine.dispose()
    return {"acked_questions": len(acked["questions"]), "acked_votes": len(acked["votes"]),
            "acked_ballots": len(acked["ballots"]), "in_doubt": len(acked.get("in_doubt", []))}
