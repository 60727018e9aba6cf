"""Configuration: defaults, then FORUM_LIVE_* environment variables (and DATABASE_URL), then the
``test_config`` given to create_app. Secrets are generated once and kept in the instance folder."""
import math
import os
import secrets
from pathlib import Path

from .identity import Credential

ASYNC_MODES = ("gevent", "eventlet", "threading")

#: Every setting and its default; the type of a default is the type the setting takes (a string
#: from the environment is converted to it, see ``convert``). Each is described, with its unit,
#: in docs/deploy.md "Settings" (a test checks the table lists every key).
DEFAULTS = {
    "FORUM_LIVE_ASYNC_MODE": None,          # gevent | eventlet | threading: no default, must be set (run.py: gevent)
    "FORUM_LIVE_EVENT_FILE": None,          # None: the shipped default event
    "FORUM_LIVE_EVENT_REPLACE": False,      # --replace: apply the event file even after the show started
    "FORUM_LIVE_PUBLIC_URL": None,          # base of the join URL, e.g. http://192.168.1.20:5000
    "FORUM_LIVE_SECRET_KEY": None,          # None: generated at first start, kept in the instance folder
    "FORUM_LIVE_MODERATOR_TOKEN": None,     # None: generated at first start, kept hashed in the instance folder
    "FORUM_LIVE_API_TOKEN": None,           # None: generated at first start, kept hashed in the instance folder
    "FORUM_LIVE_ORGANISER_TOKEN": None,     # None: generated at first start, kept hashed in the instance folder (/admin)
    "FORUM_LIVE_NEW_TOKENS": False,         # True: new moderator, API and organiser tokens at this start (--new-tokens)
    "FORUM_LIVE_MAX_MESSAGE_BYTES": 64 * 1024,  # bytes: the largest Socket.IO packet or long-polling request
    # Flood control: Socket.IO connections one address may hold (phones behind one NAT share one).
    "FORUM_LIVE_MAX_CONNECTIONS_PER_IP": 50,
    # Control API rate limit per client address (Flask-Limiter notation, "; " between limits).
    "FORUM_LIVE_API_RATE_LIMIT": "10 per second; 300 per minute",
    # Audience questions: rate limits ("N/minute", the limits library's notation) per device
    # and per IP address, and the profanity word lists (glin-profanity language names).
    "FORUM_LIVE_RATE_QUESTIONS_DEVICE": "3/minute",
    "FORUM_LIVE_RATE_QUESTIONS_IP": "30/minute",
    "FORUM_LIVE_RATE_VOTES_DEVICE": "60/minute",
    "FORUM_LIVE_RATE_VOTES_IP": "600/minute",
    "FORUM_LIVE_RATE_SIMILAR_DEVICE": "40/minute",
    "FORUM_LIVE_RATE_SIMILAR_IP": "400/minute",
    "FORUM_LIVE_PROFANITY_LANGUAGES": "english,french,spanish,portuguese,chinese,thai,arabic,hindi",
    # ms: a tally (poll results, question upvotes) is broadcast at most once per interval per
    # event, always including the last change (sockets/coalesce.py); 0 broadcasts every change.
    "FORUM_LIVE_TALLY_INTERVAL_MS": 250,
    # The auto-advance task (sockets/autoadvance.py): None runs it except under TESTING (tests
    # drive it with their own clock); it looks again at least every POLL_S seconds.
    "FORUM_LIVE_AUTO_ADVANCE_TASK": None,
    "FORUM_LIVE_AUTO_ADVANCE_POLL_S": 1.0,
    # Several server processes on one database: a Redis URL (redis://127.0.0.1:6379/0) through
    # which every process relays its broadcasts to the phones connected to the others
    # (Flask-SocketIO's message queue); the channel separates several forums on one Redis.
    "FORUM_LIVE_MESSAGE_QUEUE": None,
    "FORUM_LIVE_MESSAGE_QUEUE_CHANNEL": "forum-live",
    # Reverse proxies in front (nginx: 1): the phone's address is then taken from the last
    # X-Forwarded-For entry they add, so per-IP rate limits see phones, not the proxy.
    "FORUM_LIVE_PROXIES": 0,
    # Database connections per process (not SQLite): kept open, and opened beyond them at a peak.
    # P processes need up to P x (POOL_SIZE + MAX_OVERFLOW + 1) (the timer lock's own) connections.
    "FORUM_LIVE_DB_POOL_SIZE": 5,
    "FORUM_LIVE_DB_MAX_OVERFLOW": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}
#: The type of a setting whose default is None and that is not text.
TYPES = {"FORUM_LIVE_AUTO_ADVANCE_TASK": bool}
#: Read from the environment only (they are needed before the settings are): where the
#: database is, and the instance folder (create_app reads it to make the app).
ENV_ONLY = ("DATABASE_URL", "FORUM_LIVE_INSTANCE_PATH")
#: Every FORUM_LIVE_* setting may come from the environment (Flask's own keys may not).
ENV_KEYS = tuple(key for key in DEFAULTS if key.startswith("FORUM_LIVE_"))
#: Not settings: facts create_app computes at start and keeps in app.config (the event's code,
#: whether it was loaded or resumed, what --event changed, the migration done, the tokens' credentials).
DERIVED = ("FORUM_LIVE_EVENT_CODE", "FORUM_LIVE_EVENT_CREATED", "FORUM_LIVE_EVENT_CHANGES", "FORUM_LIVE_MIGRATION",
           "FORUM_LIVE_MODERATOR_CREDENTIAL", "FORUM_LIVE_API_CREDENTIAL", "FORUM_LIVE_ORGANISER_CREDENTIAL")

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def setting_type(key: str) -> type:
    """The type setting ``key`` takes: its default's (``TYPES`` for a None default, else str)."""
    default = DEFAULTS[key]
    return TYPES.get(key, str) if default is None else type(default)


def convert(key: str, value: object) -> object:
    """Return ``value`` (a string from the environment, or a test_config value) as setting
    ``key``'s type: int, float, bool (1/true/yes/on, 0/false/no/off) or text; None stays None.
    Numbers must be finite and not negative. Raises ValueError naming the setting for a value
    that does not convert, so a bad environment stops the start with a clear message."""
    kind = setting_type(key)
    if value is None or kind is str:
        return value
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in _TRUE + _FALSE:
            raise ValueError(f"{key}={value!r}: expected yes or no (one of {', '.join(_TRUE + _FALSE)})")
        return text in _TRUE
    wanted = "a whole number" if kind is int else "a number"
    if isinstance(value, bool) or (kind is int and isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"{key}={value!r}: expected {wanted}")
    try:
        number = kind(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValueError(f"{key}={value!r}: expected {wanted}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{key}={value!r}: expected {wanted}, not negative")
    return number


def instance_secret(instance_path: str, name: str, nbytes: int = 24) -> str:
    """Return the secret stored in ``instance_path/name``, creating it (mode 0600) at first use.

    Several processes starting at once on one instance folder all get the same secret: the
    file appears whole or not at all (written aside, then hard-linked into place, which fails
    if another process got there first; that process's secret is then read and used).
    """
    path = Path(instance_path) / name
    if path.exists():
        value = path.read_text("utf-8").strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    aside = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    try:
        os.link(aside, path)
    except FileExistsError:
        existing = path.read_text("utf-8").strip()
        if existing:
            return existing
        os.replace(aside, path)  # an empty file (a crash while writing it): ours takes its place
    finally:
        aside.unlink(missing_ok=True)
    return value


def load_credential(instance_path: str, name: str, given: str | None, rotate: bool = False) -> Credential:
    """The credential for token ``name``: ``given`` (from the environment; nothing is written),
    else the digest kept in ``instance_path/name.sha256``, else a new random token whose digest
    is kept (its plain text is shown once, at this start). ``rotate`` forces a new token. A token
    kept in plain text by an older version is hashed and its file removed."""
    if given:
        return Credential.from_plain(given)
    folder = Path(instance_path)
    digest_file, legacy = folder / f"{name}.sha256", folder / name
    if not rotate and digest_file.exists():
        return Credential(bytes.fromhex(digest_file.read_text("ascii").strip()))
    plain = legacy.read_text("utf-8").strip() if legacy.exists() and not rotate else ""
    credential = Credential.from_plain(plain or secrets.token_urlsafe(18))
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(digest_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(credential.digest.hex() + "\n")
    legacy.unlink(missing_ok=True)
    return credential


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``test_config`` (in that order),
    each setting converted to its type (see ``convert``; raises ValueError for a bad value)."""
    app.config.update(DEFAULTS)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = convert(key, os.environ[key])
    app.config["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'forum-live.db'}")
    if test_config:
        app.config.update(test_config)
    for key in ENV_KEYS:
        app.config[key] = convert(key, app.config[key])
    # Served over HTTPS (behind a TLS proxy): the console's session cookie is Secure too.
    if str(app.config.get("FORUM_LIVE_PUBLIC_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config.get("FORUM_LIVE_SECRET_KEY") or instance_secret(
            app.instance_path, "secret_key", 32)
    rotate = app.config["FORUM_LIVE_NEW_TOKENS"]
    app.config["FORUM_LIVE_MODERATOR_CREDENTIAL"] = load_credential(
        app.instance_path, "moderator_token", app.config.get("FORUM_LIVE_MODERATOR_TOKEN"), rotate)
    app.config["FORUM_LIVE_API_CREDENTIAL"] = load_credential(
        app.instance_path, "api_token", app.config.get("FORUM_LIVE_API_TOKEN"), rotate)
    app.config["FORUM_LIVE_ORGANISER_CREDENTIAL"] = load_credential(
        app.instance_path, "organiser_token", app.config.get("FORUM_LIVE_ORGANISER_TOKEN"), rotate)
    languages = app.config["FORUM_LIVE_PROFANITY_LANGUAGES"]
    if isinstance(languages, str):
        languages = [lang.strip().lower() for lang in languages.split(",") if lang.strip()]
    app.config["FORUM_LIVE_PROFANITY_LANGUAGES"] = tuple(languages)
    mode = app.config.get("FORUM_LIVE_ASYNC_MODE")
    if mode not in ASYNC_MODES:
        raise ValueError(f"FORUM_LIVE_ASYNC_MODE must be set explicitly to one of {ASYNC_MODES}, not {mode!r}")
