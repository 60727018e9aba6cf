"""Start forum-live: ``python run.py`` serves the default event on 0.0.0.0:5000 under gevent.

Options: --host, --port, --event FILE (on an existing database: its changes are applied before
the show has started, refused after unless --replace, confirmed on the terminal or by --yes),
--database URL (or DATABASE_URL),
--async-mode {gevent,eventlet,threading}, --message-queue URL (or FORUM_LIVE_MESSAGE_QUEUE: a
Redis URL shared by several processes on one database, docs/deploy.md).
Prints the audience, projector, stage view, rapporteur, moderator and control API URLs.
"""
import argparse
import os
import sys
from pathlib import Path

# Run the code next to this file, even where another checkout is the one pip installed.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))


#: The listen backlog: connections the kernel queues before the server accepts them. 300 phones
#: may scan the QR code in the same ten seconds (1,000 in the bench): eventlet's default of 50
#: overflowed, and each dropped SYN came back after 1, 3, 7, 15 s (issue 16). The kernel caps it at
#: net.core.somaxconn (4096 on current Linux).
LISTEN_BACKLOG = 2048
#: eventlet serves at most this many requests at once (its default is 1024), and each connected
#: phone's WebSocket is one of them for as long as it stays connected.
EVENTLET_MAX_CONNECTIONS = 10_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description="Run a live moderated panel with forum-live.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--event", metavar="FILE", help="event file (TOML, docs/event-file.md); "
                        "default: the ILO Solution Forum 2022")
    parser.add_argument("--database", metavar="URL", help="SQLAlchemy database URL (also DATABASE_URL); "
                        "default: SQLite in ./instance/")
    parser.add_argument("--replace", action="store_true",
                        help="with --event on a show that has started: apply the file anyway, keeping the "
                        "questions, ballots and timings it can (asks for confirmation)")
    parser.add_argument("--yes", action="store_true", help="answer yes to --replace's confirmation")
    parser.add_argument("--new-tokens", action="store_true",
                        help="make new moderator and API tokens (the old ones stop working)")
    parser.add_argument("--async-mode", choices=("gevent", "eventlet", "threading"),
                        default=os.environ.get("FORUM_LIVE_ASYNC_MODE", "gevent"),
                        help="Socket.IO async mode (default gevent)")
    parser.add_argument("--message-queue", metavar="URL",
                        help="Redis URL shared by several server processes on one database "
                        "(also FORUM_LIVE_MESSAGE_QUEUE; docs/deploy.md)")
    return parser.parse_args(argv)


def patch_for(mode: str) -> None:
    """Monkey-patch the standard library for gevent or eventlet; must run before other imports."""
    if mode == "gevent":
        from gevent import monkey
        monkey.patch_all()
    elif mode == "eventlet":
        import eventlet
        eventlet.monkey_patch()


def confirm_replace(path: str) -> bool:
    """Ask on the terminal whether to apply ``path`` even if the show has started; False
    without a terminal (use --yes there)."""
    if not sys.stdin.isatty():
        print("forum-live: --replace asks for a confirmation on the terminal; add --yes to confirm.", file=sys.stderr)
        return False
    answer = input(f"Apply {path} to the stored event even if its show has started? Segments no longer in the "
                   "file lose their timings; questions, ballots and the other timings are kept. [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def main(argv: list[str] | None = None) -> None:
    """Start the server with the options in ``argv`` (default: sys.argv)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    patch_for(args.async_mode)

    from forum_live import create_app
    from forum_live.eventfile import EventFileError
    from forum_live.identity import view_key
    from forum_live.netinfo import lan_address
    from forum_live.persistence.migrate import DatabaseTooNew

    lan = lan_address()
    browse_host = lan if args.host in ("0.0.0.0", "::") else args.host
    base = os.environ.get("FORUM_LIVE_PUBLIC_URL") or f"http://{browse_host}:{args.port}"
    config = {"FORUM_LIVE_ASYNC_MODE": args.async_mode, "FORUM_LIVE_PUBLIC_URL": base,
              "FORUM_LIVE_NEW_TOKENS": args.new_tokens}
    if args.replace and not args.event:
        sys.exit("forum-live: --replace needs --event FILE (the event file to apply).")
    if args.event:
        config["FORUM_LIVE_EVENT_FILE"] = args.event
    if args.replace:
        if not (args.yes or confirm_replace(args.event)):
            sys.exit("forum-live: not replaced; nothing was changed.")
        config["FORUM_LIVE_EVENT_REPLACE"] = True
    if args.database:
        config["DATABASE_URL"] = args.database
    if args.message_queue:
        config["FORUM_LIVE_MESSAGE_QUEUE"] = args.message_queue
    try:
        app = create_app(config)
    except (EventFileError, DatabaseTooNew) as exc:
        sys.exit(f"forum-live: {exc}")

    code = app.config["FORUM_LIVE_EVENT_CODE"]
    moderator = app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"].plain
    api = app.config["FORUM_LIVE_API_CREDENTIAL"].plain
    organiser = app.config["FORUM_LIVE_ORGANISER_CREDENTIAL"].plain
    hidden = "<the token printed when it was made>"
    state = "loaded" if app.config["FORUM_LIVE_EVENT_CREATED"] else "resumed (state kept)"
    print(f"forum-live: event {code} {state}, async mode {args.async_mode}, database "
          f"{app.config['DATABASE_URL'].split('@')[-1]}", flush=True)
    print(f"  {app.config['FORUM_LIVE_MIGRATION'].describe()}", flush=True)
    if args.event and not app.config["FORUM_LIVE_EVENT_CREATED"]:
        changes = app.config["FORUM_LIVE_EVENT_CHANGES"]
        print(f"  {args.event}: " + (f"{len(changes)} change(s) applied to the stored event:" if changes
                                     else "the stored event already matches it."), flush=True)
        for line in changes:
            print(f"    - {line}", flush=True)
    print(f"  Audience (phones):  {base}/e/{code}   (or {base}/ and the code {code})", flush=True)
    secret = app.config["SECRET_KEY"]
    print(f"  Projector:          {base}/screen?key={view_key(secret, code, 'projector')}", flush=True)
    print(f"  Stage view:         {base}/stage?key={view_key(secret, code, 'stage')}", flush=True)
    print(f"  Rapporteur:         {base}/rapporteur?key={view_key(secret, code, 'rapporteur')}", flush=True)
    print(f"  Moderator console:  {base}/moderate?token={moderator or hidden}", flush=True)
    print(f"  Control API:        {base}/api/v1/  (Authorization: Bearer {api or hidden}; docs/api.md)", flush=True)
    print(f"  Organiser (events): {base}/admin?token={organiser or hidden}", flush=True)
    if not (moderator and api and organiser):
        print("  Tokens are kept only hashed (instance/*.sha256); signed-in consoles stay signed in.\n"
              "  Lost a token? Start with --new-tokens to make new ones (this signs every console out).",
              flush=True)
    if lan == "127.0.0.1":
        print("  Note: no network interface found; phones cannot reach this machine yet.", flush=True)
    serve(app, args.async_mode, args.host, args.port)


def serve(app, async_mode: str, host: str, port: int) -> None:
    """Serve ``app`` until stopped: Flask-SocketIO's ``socketio.run``, except under eventlet, whose
    listening socket is made here with ``LISTEN_BACKLOG`` (socketio.run gives it eventlet's 50)."""
    socketio = app.extensions["socketio"]
    if async_mode == "eventlet":
        import eventlet
        import eventlet.wsgi
        from eventlet.green import socket as green_socket

        family, *_, address = green_socket.getaddrinfo(host, port)[0]
        listener = eventlet.listen(address, family, backlog=LISTEN_BACKLOG)
        # ``app``: its wsgi_app is Flask-SocketIO's middleware, as socketio.run serves it.
        eventlet.wsgi.server(listener, app, log_output=False, max_size=EVENTLET_MAX_CONNECTIONS)
        return
    extra = {"backlog": LISTEN_BACKLOG} if async_mode == "gevent" else {}
    socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=async_mode == "threading",
                 **extra)


if __name__ == "__main__":
    main()
