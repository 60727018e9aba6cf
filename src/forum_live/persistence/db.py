"""Engine and session factory. SQLite gets WAL and a busy timeout; any SQLAlchemy URL works."""
from pathlib import Path

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from .models import Base

#: PostgreSQL advisory-lock key taken while creating the tables ("forum-li" as a 64-bit integer).
SCHEMA_LOCK_KEY = int.from_bytes(b"forum-li", "big") & 0x7FFF_FFFF_FFFF_FFFF


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` and the tables if missing (and an SQLite file's folder);
    on PostgreSQL, several processes may do so at once.

    SQLite: WAL journal (readers never block the writer), synchronous=NORMAL (in WAL a commit
    survives a process kill; only a power cut can lose the last commits; see docs/security.md),
    foreign keys on, 5 s busy timeout.
    """
    kwargs = {}
    sqlite_file = make_url(url).database if url.startswith("sqlite") else None
    if sqlite_file and sqlite_file != ":memory:":
        Path(sqlite_file).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 5, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Processes starting at once on one database would race to create the same tables
            # (duplicate-type errors); this lock, held until the commit, lets one create them
            # while the others wait and then find them.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        Base.metadata.create_all(conn)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    """Return a session factory; objects stay readable after commit (for broadcasting)."""
    return sessionmaker(engine, expire_on_commit=False)
