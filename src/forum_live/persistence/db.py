"""Engine and session factory. SQLite gets WAL and a busy timeout; any SQLAlchemy URL works."""
from pathlib import Path

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from .migrate import upgrade_database


def make_engine(url: str, migrate: bool = True, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """Create an engine for ``url`` (and an SQLite file's folder) and, unless ``migrate`` is
    False, bring its schema up to date (migrate.upgrade_database: created, or upgraded with
    Alembic; several processes may start at once on one PostgreSQL). Raises
    migrate.DatabaseTooNew for a database made by a newer release.

    SQLite: WAL journal (readers never block the writer), synchronous=NORMAL (in WAL a commit
    survives a process kill; only a power cut can lose the last commits; see docs/security.md),
    foreign keys on, 5 s busy timeout.

    ``pool_size`` / ``max_overflow``: connections this process keeps open / may open beyond them
    at a peak (FORUM_LIVE_DB_POOL_SIZE, FORUM_LIVE_DB_MAX_OVERFLOW; not SQLite, whose pool is
    SQLAlchemy's own per-file one). Size them against PostgreSQL's max_connections: docs/deploy.md.
    """
    kwargs = {}
    sqlite_file = make_url(url).database if url.startswith("sqlite") else None
    if sqlite_file and sqlite_file != ":memory:":
        Path(sqlite_file).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 5, "check_same_thread": False}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    if migrate:
        upgrade_database(engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    """Return a session factory; objects stay readable after commit (for broadcasting)."""
    return sessionmaker(engine, expire_on_commit=False)
