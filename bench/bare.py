"""The bare server: python-socketio alone, the stack's own limit to compare forum-live with.

It speaks the part of forum-live's wire protocol that the benchmark uses (same namespaces,
event names, rooms and recipients, payloads of the same shape and size taken from
``state-sample.json``, the same 250 ms coalescing of tallies) but keeps everything in memory:
no database, no validation, no views. Whatever forum-live spends beyond this is the cost of
the application itself.

Run: ``python -m bench.bare --port 5801 --async-mode gevent`` (gevent, eventlet or threading,
served as Flask-SocketIO serves forum-live in that mode).
"""
import argparse
import sys


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5801)
    parser.add_argument("--async-mode", choices=("gevent", "eventlet", "threading"), default="gevent")
    parser.add_argument("--tally-interval-ms", type=int, default=250)
    return parser.parse_args(argv)


def main(argv=None):
    """Serve the bare server until killed."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.async_mode == "gevent":
        from gevent import monkey
        monkey.patch_all()
    elif args.async_mode == "eventlet":
        import eventlet
        eventlet.monkey_patch()
    app = make_app(args.async_mode, args.tally_interval_ms / 1000)
    serve(app, args.host, args.port, args.async_mode)


def make_app(async_mode: str, interval_s: float):
    """The WSGI app: Socket.IO on /socket.io, a phone page on /e/<code>, /healthz."""
    import copy
    import json
    import secrets
    import threading
    import time
    from pathlib import Path

    import socketio

    sample = json.loads((Path(__file__).with_name("state-sample.json")).read_text("utf-8"))
    sio = socketio.Server(async_mode=async_mode, cors_allowed_origins=None)
    lock = threading.Lock()
    run = copy.deepcopy(sample["run"])
    polls = copy.deepcopy(sample["polls"])
    ballots: dict[int, dict[str, object]] = {p["id"]: {} for p in polls}
    questions: list[dict] = []
    upvotes: dict[int, set] = {}
    devices: dict[str, str] = {}  # sid -> device id
    pending: set[str] = set()
    last_sent: dict[str, float] = {}
    room = "event:1"
    page = _phone_page(len(json.dumps(sample["event"])))

    def polls_part():
        out = []
        for p in polls:
            counts = {}
            for v in ballots[p["id"]].values():
                counts[v] = counts.get(v, 0) + 1
            total = sum(counts.values())
            results = {"total": total, "options": [
                {"id": o["id"], "label": o["label"], "count": counts.get(o["id"], 0),
                 "percent": round(100 * counts.get(o["id"], 0) / total) if total else 0}
                for o in p.get("options", [])]}
            out.append({**p, "results": results})
        return out

    def questions_part(role="audience"):
        shown = ("approved", "answered") if role != "moderator" else ("approved", "answered", "pending", "rejected")
        items = [{k: v for k, v in q.items() if k != "device"} | {"votes": len(upvotes[q["id"]])}
                 for q in questions if q["status"] in shown]
        items.sort(key=lambda q: (-q["votes"], q["id"]))
        return {"items": items, "highlighted_id": None, "dismissed_count": 0}

    parts = {"run": lambda: run, "polls": polls_part, "questions": questions_part, "scene": lambda: sample["scene"]}

    def broadcast(*names):
        for name in names:
            with lock:
                public = copy.deepcopy(parts[name]())
                moderator = questions_part("moderator") if name == "questions" else public
            sio.emit(name, public, to=room, namespace="/audience")
            sio.emit(name, public, to=room, namespace="/screen")
            sio.emit(name, moderator, to=room, namespace="/moderator")

    def coalesced(name):
        with lock:
            if name in pending:
                return
            wait = last_sent.get(name, float("-inf")) + interval_s - time.monotonic()
            if wait > 0:
                pending.add(name)
            else:
                last_sent[name] = time.monotonic()
        if wait > 0:
            sio.start_background_task(flush_later, name, wait)
        else:
            broadcast(name)

    def flush_later(name, wait):
        sio.sleep(wait)
        with lock:
            pending.discard(name)
            last_sent[name] = time.monotonic()
        broadcast(name)

    def snapshot(role, device=None):
        state = {**sample, "role": role, "run": run, "polls": polls_part(), "questions": questions_part(role),
                 "server_now_ms": int(time.time() * 1000)}
        if device:
            state["mine"] = {"questions": [], "votes": [], "ballots": {}}
            state["device_token"] = device
        return state

    def connect(role):
        def on_connect(sid, environ, auth=None):
            device = (auth or {}).get("device") or secrets.token_urlsafe(16)
            sio.enter_room(sid, room, namespace=f"/{role}")
            if role == "audience":
                devices[sid] = device
                sio.enter_room(sid, f"device:{device}", namespace="/audience")
            sio.emit("state", snapshot(role, device if role == "audience" else None), to=sid,
                     namespace=f"/{role}")
        return on_connect

    for role in ("audience", "screen", "moderator"):
        sio.on("connect", connect(role), namespace=f"/{role}")
        sio.on("clock:ping", lambda sid, *a: {"ok": True, "server_ms": int(time.time() * 1000)},
               namespace=f"/{role}")

    def send_mine(sid):
        """The device's own part, as forum-live sends it after each of its changes."""
        device = devices[sid]
        with lock:
            mine = {"questions": [{k: q[k] for k in ("id", "text", "status", "created_ms")}
                                  for q in questions if q["device"] == device],
                    "votes": sorted(qid for qid, who in upvotes.items() if device in who),
                    "ballots": {str(pid): b[device] for pid, b in ballots.items() if device in b}}
        sio.emit("mine", mine, to=f"device:{device}", namespace="/audience")

    @sio.on("poll:vote", namespace="/audience")
    def vote(sid, data):
        with lock:
            ballots[data["poll_id"]][devices[sid]] = data["value"]
        coalesced("polls")
        send_mine(sid)
        return {"ok": True, "poll_id": data["poll_id"], "value": data["value"]}

    @sio.on("question:submit", namespace="/audience")
    def submit(sid, data):
        with lock:
            q = {"id": len(questions) + 1, "text": data["text"], "name": data.get("name"), "panelist_id": None,
                 "status": "pending", "created_ms": int(time.time() * 1000), "device": devices[sid]}
            questions.append(q)
            upvotes[q["id"]] = set()
        broadcast("questions")
        send_mine(sid)
        return {"ok": True, "question": {"id": q["id"], "client_id": data["client_id"], "text": q["text"],
                                         "status": "pending", "created_ms": q["created_ms"]}, "duplicate": False}

    @sio.on("question:upvote", namespace="/audience")
    def upvote(sid, data):
        with lock:
            (upvotes[data["question_id"]].add if data["on"] else upvotes[data["question_id"]].discard)(devices[sid])
        coalesced("questions")
        send_mine(sid)
        return {"ok": True, "question_id": data["question_id"], "on": data["on"]}

    @sio.on("timer:start", namespace="/moderator")
    def start(sid, data=None):
        run["status"] = "live"
        broadcast("run")
        return {"ok": True}

    @sio.on("timer:adjust", namespace="/moderator")
    def adjust(sid, data):
        with lock:
            run["timer"] = {**run["timer"], "adjust_ms": run["timer"]["adjust_ms"] + data["delta_ms"]}
        broadcast("run")
        return {"ok": True}

    @sio.on("poll:open", namespace="/moderator")
    def open_poll(sid, data):
        with lock:
            for p in polls:
                p["status"] = "open" if p["id"] == data["poll_id"] else ("closed" if p["status"] == "open"
                                                                          else p["status"])
        broadcast("polls", "scene")
        return {"ok": True}

    @sio.on("poll:reveal", namespace="/moderator")
    def reveal(sid, data):
        with lock:
            for p in polls:
                if p["id"] == data["poll_id"]:
                    p["revealed"] = data["revealed"]
        broadcast("polls", "scene")
        return {"ok": True}

    @sio.on("question:moderate", namespace="/moderator")
    def moderate(sid, data):
        with lock:
            q = next(q for q in questions if q["id"] == data["question_id"])
            q["status"] = {"approve": "approved", "reject": "rejected", "answer": "answered"}[data["action"]]
            mine = {"questions": [{k: q[k] for k in ("id", "text", "status", "created_ms")}], "votes": [],
                    "ballots": {}}
        broadcast("questions", "scene")
        sio.emit("mine", mine, to=f"device:{q['device']}", namespace="/audience")  # (votes left out)
        return {"ok": True}

    def pages(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true, "event": "ILO22"}']
        if path.startswith("/e/"):
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Set-Cookie", f"fl_device={secrets.token_urlsafe(24)}; HttpOnly; Path=/"),
                                      ("Cache-Control", "no-store")])
            return [page]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return socketio.WSGIApp(sio, pages)


def _phone_page(size: int) -> bytes:
    """A static page about the size of forum-live's phone page (4.5 KB)."""
    filler = "x" * max(0, 4500 - 200)
    return (f"<!doctype html><html><head><meta charset=utf-8><title>bare</title></head>"
            f"<body><p>{filler}</p><!-- {size} --></body></html>").encode()


def serve(app, host: str, port: int, async_mode: str) -> None:
    """Serve ``app`` as Flask-SocketIO's ``socketio.run`` serves forum-live in ``async_mode``."""
    if async_mode == "gevent":
        from gevent import pywsgi
        from geventwebsocket.handler import WebSocketHandler
        pywsgi.WSGIServer((host, port), app, handler_class=WebSocketHandler, log=None).serve_forever()
    elif async_mode == "eventlet":
        import eventlet
        import eventlet.wsgi
        eventlet.wsgi.server(eventlet.listen((host, port)), app, log_output=False)
    else:
        from werkzeug.serving import run_simple
        run_simple(host, port, app, threaded=True)


if __name__ == "__main__":
    main()
