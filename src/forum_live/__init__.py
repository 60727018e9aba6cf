"""forum-live: run a live moderated panel (run of show, speaker timer, prompts, audience Q&A, polls)."""
import os

from flask import Flask
from flask_socketio import SocketIO
from sqlalchemy.exc import IntegrityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import sockets, web
from .config import load_config
from .domain.clock import utcnow
from .eventfile import EventFileError, load_event_file
from .paths import ROOT
from .persistence.db import make_engine, make_session_factory
from .persistence.migrate import upgrade_database
from .services.event_update import EventStarted, apply_event_file
from .services.events import load_event
from .services.screening import check_languages

__all__ = ["ROOT", "create_app"]


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: config, database, the event loaded, blueprints and Socket.IO namespaces.

    ``test_config`` overrides any setting (``INSTANCE_PATH``: where the SQLite database and the
    generated secrets live, default ``./instance`` at the repository root); ``FORUM_LIVE_ASYNC_MODE`` (gevent, eventlet or
    threading) must be set explicitly. Raises EventFileError for a bad event file,
    ValueError for a missing or unknown async mode, and persistence.migrate.DatabaseTooNew for a
    database made by a newer release (it is left untouched).
    """
    instance = ((test_config or {}).get("INSTANCE_PATH") or os.environ.get("FORUM_LIVE_INSTANCE_PATH")
                or str(ROOT / "instance"))
    app = Flask(__name__, instance_path=os.path.abspath(instance), template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    load_config(app, test_config)
    check_languages(app.config["FORUM_LIVE_PROFANITY_LANGUAGES"])

    engine = make_engine(app.config["DATABASE_URL"], migrate=False, pool_size=app.config["FORUM_LIVE_DB_POOL_SIZE"],
                         max_overflow=app.config["FORUM_LIVE_DB_MAX_OVERFLOW"])
    # Created, or upgraded to this release's schema (an SQLite file is copied aside first).
    app.config["FORUM_LIVE_MIGRATION"] = upgrade_database(engine)
    sessions = make_session_factory(engine)
    app.extensions["forum_live.engine"] = engine
    app.extensions["forum_live.sessions"] = sessions

    spec = load_event_file(app.config["FORUM_LIVE_EVENT_FILE"])
    # An event file named at start (--event) is applied to the stored event too (what changed is
    # listed in FORUM_LIVE_EVENT_CHANGES); the shipped default is only ever loaded once.
    code, created, changes = _load_event(sessions, spec, apply=app.config["FORUM_LIVE_EVENT_FILE"] is not None,
                                         replace=bool(app.config["FORUM_LIVE_EVENT_REPLACE"]))
    app.config["FORUM_LIVE_EVENT_CODE"], app.config["FORUM_LIVE_EVENT_CREATED"] = code, created
    app.config["FORUM_LIVE_EVENT_CHANGES"] = changes

    # One SocketIO per app (not a module global): each test app gets its own server and
    # handlers are registered explicitly here, not by import side effects.
    socketio = SocketIO(
        app, async_mode=app.config["FORUM_LIVE_ASYNC_MODE"],
        max_http_buffer_size=app.config["FORUM_LIVE_MAX_MESSAGE_BYTES"],
        cors_allowed_origins=None,  # same origin only
        # Several processes: every broadcast goes through Redis to the phones of every process.
        message_queue=app.config["FORUM_LIVE_MESSAGE_QUEUE"],
        channel=app.config["FORUM_LIVE_MESSAGE_QUEUE_CHANNEL"],
        serializer=sockets.JsonPacket,
        # No copy of the cookie session per connection: no Socket.IO handler writes the session,
        # and a connect reads the request's own (issue 16: memory per phone).
        manage_session=False,
    )
    app.extensions["socketio"] = socketio
    proxies = int(app.config["FORUM_LIVE_PROXIES"] or 0)
    if proxies:
        # Outside Flask-SocketIO's middleware, so Socket.IO connections get the phone's address too.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    web.init_app(app)
    sockets.init_app(app, socketio)
    return app


def _load_event(sessions, spec, apply: bool = False, replace: bool = False) -> tuple[str, bool, list[str]]:
    """Load the event file's event unless stored; return ``(code, created, changes)``.

    ``apply``: an event already stored is updated to the file (services.event_update:
    ``changes`` lists what changed; refused with EventFileError once the show has started,
    unless ``replace``).

    Several processes starting at once on one database may both find no event and both insert
    it: the unique event code lets one insert win, and the loser (IntegrityError) finds the
    winner's event on its second look.
    """
    for attempt in (1, 2):
        with sessions() as session:
            try:
                event, created = load_event(session, spec)
                changes = []
                if apply and not created:
                    try:
                        changes = apply_event_file(session, event, spec, utcnow(), replace=replace)
                    except EventStarted as exc:
                        session.rollback()
                        raise EventFileError(f"--event: {exc}") from None
                session.commit()
                return event.code, created, changes
            except IntegrityError:
                session.rollback()
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")
