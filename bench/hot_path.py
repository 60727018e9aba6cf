"""Server CPU per action, in process: ``python -m bench.hot_path [--phones 200]``.

Drives the real handler path (Flask-SocketIO's test client: payload, validation, the
transaction, the audit, the broadcast) on a fresh SQLite database and prints the process CPU
time per upvote, per ballot and per phone join (page + connect), in ms. No network and no
other process, so it is steady on a busy machine (CPU time, not wall time): use it to compare
two versions of the code; the swarm bench (``python -m bench run``) gives the numbers beside bare.
"""
import argparse
import tempfile
import time

from forum_live import create_app

TOKEN = "hot-path-moderator-token-0123456789"


def _app(folder: str):
    return create_app({
        "TESTING": True, "INSTANCE_PATH": f"{folder}/instance", "DATABASE_URL": f"sqlite:///{folder}/forum.db",
        "SECRET_KEY": "hot-path", "FORUM_LIVE_MODERATOR_TOKEN": TOKEN, "FORUM_LIVE_ASYNC_MODE": "threading",
        "FORUM_LIVE_PUBLIC_URL": "http://192.0.2.10:5000", "FORUM_LIVE_TALLY_INTERVAL_MS": 250,
        "FORUM_LIVE_MAX_CONNECTIONS_PER_IP": 100_000, "FORUM_LIVE_RATE_VOTES_IP": "100000/minute",
        "FORUM_LIVE_RATE_QUESTIONS_IP": "100000/minute"})


def _client(app, namespace: str, auth: dict):
    return app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)


def _call(client, namespace: str, event: str, payload: dict) -> dict:
    ack = client.emit(event, payload, namespace=namespace, callback=True)
    if not (isinstance(ack, dict) and ack.get("ok")):
        raise RuntimeError(f"{event} refused: {ack!r}")
    return ack


def _cpu_ms_each(fn, count: int) -> float:
    start = time.process_time()
    fn()
    return 1000 * (time.process_time() - start) / count


def measure(phones: int) -> dict:
    """``{"upvote_ms", "ballot_ms", "join_ms"}``: process CPU ms per action for ``phones`` phones
    (3 upvotes and 3 ballots each; ``phones`` joins)."""
    app = _app(tempfile.mkdtemp(prefix="forum-hot-path-"))
    mod = _client(app, "/moderator", {"token": TOKEN})
    state = mod.get_received("/moderator")[0]["args"][0]
    clients = [_client(app, "/audience", {"event": "ILO22"}) for _ in range(phones)]
    qids = []
    for i in range(10):
        ack = _call(clients[i], "/audience", "question:submit",
                    {"client_id": f"hot{i:05d}", "text": f"Question {i} on jobs"})
        qids.append(ack["question"]["id"])
        _call(mod, "/moderator", "question:moderate", {"question_id": qids[-1], "action": "approve"})
    poll = next(p for p in state["polls"] if p.get("options"))
    _call(mod, "/moderator", "poll:open", {"poll_id": poll["id"]})
    options = [o["id"] for o in poll["options"]]

    def upvotes():
        for k in range(3):
            for i, c in enumerate(clients):
                _call(c, "/audience", "question:upvote",
                      {"question_id": qids[(i + k) % len(qids)], "on": True, "client_id": f"up{i}-{k}-hot"})

    def ballots():
        for k in range(3):
            for i, c in enumerate(clients):
                _call(c, "/audience", "poll:vote", {"poll_id": poll["id"], "value": options[(i + k) % len(options)]})

    def joins():
        http = app.test_client()
        for _ in range(phones):
            if http.get("/e/ILO22").status_code != 200:
                raise RuntimeError("the phone page did not load")
            _client(app, "/audience", {"event": "ILO22"})

    return {"upvote_ms": _cpu_ms_each(upvotes, 3 * phones), "ballot_ms": _cpu_ms_each(ballots, 3 * phones),
            "join_ms": _cpu_ms_each(joins, phones)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    args = parser.parse_args(argv)
    for name, value in measure(args.phones).items():
        print(f"{name:10s} {value:7.3f}")


if __name__ == "__main__":
    main()
