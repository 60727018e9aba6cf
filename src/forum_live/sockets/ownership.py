"""Which process runs the timers (auto-advance, poll auto-close): exactly one at a time.

Several processes share one database (docs/deploy.md); each runs the timer task, but only the
process that holds the *timer lock* applies what is due:

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a dedicated connection
  of its own, outside the pool. PostgreSQL releases it the moment that connection ends, so when
  the owner dies (even by SIGKILL: the kernel closes its socket) the next process to try takes
  it, within one check interval (``FORUM_LIVE_AUTO_ADVANCE_POLL_S``, 1 s). The lock's key is
  made from the schema name, so forums sharing one PostgreSQL server do not share a lock.
- another database with a Redis message queue (several processes on one SQLite file): a Redis
  key set with ``NX`` and an expiry of ``REDIS_TTL_S``, renewed by its owner at every check; a
  dead owner's key expires and another process takes it (takeover within TTL + one interval).
- otherwise (one process): this process always owns the timers.

The lock only chooses who *tries*; the firing itself is idempotent against the stored state
(sockets/autoadvance.py re-reads the event under a row lock before applying), so a lock lost
mid-check can never fire a deadline twice.
"""
import threading
import uuid

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

try:  # the "scale" extra; a Redis message queue needs it anyway
    import redis
except ImportError:  # pragma: no cover - one process without Redis
    redis = None

#: The advisory lock's name; with the schema it is hashed into the lock key (PostgreSQL's hashtext).
LOCK_NAME = "forum-live timers"
#: Seconds a Redis timer lock lives without renewal (takeover after an owner's death: at most this
#: plus one check interval).
REDIS_TTL_S = 3.0

_RENEW = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0"""
_RELEASE = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0"""


class AlwaysOwner:
    """One process: it owns the timers."""

    kind = "single process"

    def held(self) -> bool:
        """True: nothing to share."""
        return True

    def release(self) -> None:
        """Nothing to release."""


class PostgresTimerLock:
    """The timers belong to the process holding a session-level advisory lock, on a dedicated
    connection (not from the pool: a pooled connection would be reused and the lock with it)."""

    kind = "PostgreSQL advisory lock"

    def __init__(self, engine: Engine, name: str = LOCK_NAME):
        self.engine = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.name = name
        self.conn: Connection | None = None
        self.owner = False
        self.lock = threading.Lock()

    def held(self) -> bool:
        """True if this process holds the lock (taken now if free); a broken connection loses it."""
        with self.lock:
            try:
                if self.conn is None:
                    self.conn, self.owner = self.engine.connect(), False
                if self.owner:  # the lock lives as long as this connection: check it is alive
                    self.conn.execute(text("SELECT 1"))
                else:
                    self.owner = bool(self.conn.execute(
                        text("SELECT pg_try_advisory_lock(hashtext(:name || current_schema()))"),
                        {"name": self.name}).scalar())
            except Exception:
                self._drop()
                raise
            return self.owner

    def _drop(self) -> None:
        conn, self.conn, self.owner = self.conn, None, False
        if conn is not None:
            try:
                conn.invalidate()
            except Exception:
                pass

    def release(self) -> None:
        """Close the dedicated connection (PostgreSQL releases the lock with it)."""
        with self.lock:
            if self.conn is not None:
                try:
                    self.conn.close()
                finally:
                    self.conn, self.owner = None, False


class RedisTimerLock:
    """The timers belong to the process whose token is in a Redis key that it renews."""

    kind = "Redis lock"

    def __init__(self, url: str, key: str, ttl_s: float = REDIS_TTL_S):
        if redis is None:
            raise RuntimeError("a Redis message queue needs the redis package (pip install 'forum-live[scale]')")
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.key, self.ttl_ms = key, int(ttl_s * 1000)
        self.token = uuid.uuid4().hex

    def held(self) -> bool:
        """True if this process holds the key (renewed now, or taken now if free)."""
        if self.redis.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):
            return True
        return bool(self.redis.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def release(self) -> None:
        """Delete the key if it is still ours (another process may take over at once)."""
        self.redis.eval(_RELEASE, 1, self.key, self.token)


def make_ownership(app: Flask, engine: Engine):
    """The timer ownership for ``app``: PostgreSQL's advisory lock on PostgreSQL; else a Redis
    lock when a Redis message queue is configured; else AlwaysOwner (see the module docstring)."""
    queue = app.config.get("FORUM_LIVE_MESSAGE_QUEUE") or ""
    if engine.dialect.name == "postgresql":
        return PostgresTimerLock(engine)
    if queue.startswith(("redis://", "rediss://", "unix://")):
        return RedisTimerLock(queue, f"{app.config['FORUM_LIVE_MESSAGE_QUEUE_CHANNEL']}:timer-owner")
    return AlwaysOwner()


def timer_ownership(app: Flask):
    """The app's timer ownership (made on first use)."""
    found = app.extensions.get("forum_live.timer_ownership")
    if found is None:
        found = app.extensions["forum_live.timer_ownership"] = make_ownership(app, app.extensions["forum_live.engine"])
    return found
