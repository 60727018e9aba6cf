"""Bring a database's schema up to date at start, with Alembic (src/forum_live/migrations).

Three cases, decided on one connection (under a PostgreSQL advisory lock, so several processes
starting at once on one database migrate it once):

- an empty database: the models' tables are created and stamped at the newest revision
  (Alembic's cookbook, "Building an Up to Date Database from Scratch"; the test suite checks
  that the models and the revisions make the same schema);
- a database made by release 0.1.0 (tables, no ``alembic_version``): stamped at the baseline
  revision, whose schema is exactly 0.1.0's, then upgraded;
- a versioned database: upgraded to the newest revision; one at a revision this code does not
  know (made by a newer release) is refused with DatabaseTooNew and left untouched.

Before an SQLite file is changed it is copied aside, consistently (SQLite's online backup),
as ``<file>.before-<newest revision>`` (by default ``instance/forum-live.db.before-…``).
"""
import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from .models import Base

#: Where the revisions live (inside the package, so an installed forum-live can migrate).
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
#: The revision whose schema is release 0.1.0's (the last release made without migrations).
BASELINE = "0001_baseline"
#: PostgreSQL advisory-lock key taken while migrating ("forum-li" as a 64-bit integer).
SCHEMA_LOCK_KEY = int.from_bytes(b"forum-li", "big") & 0x7FFF_FFFF_FFFF_FFFF


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer forum-live than this one."""


@dataclass(frozen=True)
class MigrationResult:
    """What ``upgrade_database`` did: ``from_revision`` None for an empty or 0.1.0 database
    (``legacy`` True for the latter), ``to_revision`` the newest, ``backup`` the SQLite copy
    made first (or None)."""

    from_revision: str | None
    to_revision: str
    created: bool = False
    legacy: bool = False
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        """Whether the schema was created or upgraded (False: it was already up to date)."""
        return self.created or self.from_revision != self.to_revision

    def describe(self) -> str:
        """One line for the start-up output."""
        if self.created:
            return f"database created at schema {self.to_revision}"
        if not self.changed:
            return f"database schema {self.to_revision} (up to date)"
        start = "0.1.0 (before migrations)" if self.legacy else self.from_revision
        kept = f"; copy of the old file kept at {self.backup}" if self.backup else ""
        return f"database upgraded from schema {start} to {self.to_revision}{kept}"


def alembic_config() -> Config:
    """An Alembic Config for the package's revisions (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


@functools.cache
def _tables_for(dialect: str) -> MetaData:
    """The models' tables, copied once per database kind, for ``create_all``.

    On a database with ALTER (PostgreSQL) SQLAlchemy adds the ``use_alter`` foreign keys apart and
    marks them so on the constraint objects, after which a CREATE TABLE on SQLite in the same
    process leaves them out: a process that used both (the test suite) made SQLite databases
    without the event's four foreign keys. A copy per kind keeps each kind's DDL whole.
    """
    copy = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def head_revision() -> str:
    """The newest revision this code knows."""
    return _script().get_current_head()


def upgrade_database(engine: Engine) -> MigrationResult:
    """Create or upgrade ``engine``'s schema to the newest revision (see the module docstring).

    Raises DatabaseTooNew, with what to do, for a database at an unknown revision; any error of
    a revision propagates after its transaction is rolled back (the file is as before).
    """
    head = head_revision()
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy and drop tables: with foreign keys enforced, dropping a table
            # others point to would fail or cascade (Alembic's batch docs). The pragma cannot
            # change inside a transaction, so it is set first and restored at the end.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                result = _upgrade(conn, head, engine.url.database if sqlite else None)
            if sqlite:
                bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:  # a revision left rows pointing nowhere: say so rather than run on
                    raise RuntimeError(f"schema upgrade left broken references: {bad[:5]}")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    return result


def _upgrade(conn: Connection, head: str, sqlite_file: str | None) -> MigrationResult:
    """The migration itself, inside the caller's transaction."""
    context = MigrationContext.configure(conn)
    current = context.get_current_revision()
    if current is None:
        if not inspect(conn).has_table("event"):
            _tables_for(conn.dialect.name).create_all(conn)
            context.stamp(_script(), head)
            return MigrationResult(None, head, created=True)
        legacy = True
    else:
        legacy = False
        try:
            known = _script().get_revision(current) is not None
        except Exception:  # alembic raises ResolutionError/CommandError for an unknown id
            known = False
        if not known:
            raise DatabaseTooNew(
                f"the database is at schema revision {current!r}, which this forum-live does not know "
                f"(its newest is {head!r}): it was made by a newer release. Run that release, or "
                f"upgrade forum-live; the database was not changed.")
        if current == head:
            return MigrationResult(current, head)
    backup = _backup_sqlite(conn, sqlite_file, head) if sqlite_file and sqlite_file != ":memory:" else None
    if legacy:
        context.stamp(_script(), BASELINE)
    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    return MigrationResult(current, head, legacy=legacy, backup=backup)


def _backup_sqlite(conn: Connection, sqlite_file: str, head: str) -> Path:
    """Copy the SQLite database aside (online backup: consistent even with a WAL) before it changes."""
    target = Path(f"{sqlite_file}.before-{head}")
    dst = sqlite3.connect(target)
    try:
        conn.connection.driver_connection.backup(dst)
    finally:
        dst.close()
    return target
