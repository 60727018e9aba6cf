"""Schema migrations (persistence.migrate, Alembic): a database of an older release opens with
all its data; the models and the revisions describe one schema; a newer release's database is
refused untouched."""
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from forum_live import create_app
from forum_live.persistence.db import make_engine
from forum_live.persistence.migrate import BASELINE, DatabaseTooNew, alembic_config, head_revision, upgrade_database
from forum_live.persistence.models import Base, Event, Segment
from forum_live.services import participation
from forum_live.services.run_of_show import clock_of

DATA = Path(__file__).resolve().parents[1] / "data"
RELEASE_0_1 = DATA / "forum-0.1.0.db"
ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> dict[str, list[dict]]:
    """Every row of every table of an SQLite file, read with the standard library (no models)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        return {t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')] for t in tables}
    finally:
        conn.close()


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


@pytest.fixture
def release_0_1(tmp_path) -> Path:
    """A copy of the database release 0.1.0 made (tests/data/make_release_0_1_database.py)."""
    path = tmp_path / "forum.db"
    shutil.copyfile(RELEASE_0_1, path)
    return path


def test_a_database_of_release_0_1_opens_with_every_row_and_the_running_slot_intact(release_0_1, tmp_path):
    manifest = json.loads(RELEASE_0_1.with_suffix(".json").read_text())
    before = _rows(release_0_1)
    assert {t: len(r) for t, r in before.items()} == manifest["rows"]
    assert min(manifest["rows"][t] for t in ("question", "vote", "ballot", "segment")) > 0

    app = create_app({"TESTING": True, "FORUM_LIVE_ASYNC_MODE": "threading", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{release_0_1}"})

    result = app.config["FORUM_LIVE_MIGRATION"]
    assert (result.legacy, result.to_revision, result.backup) == (
        True, head_revision(), Path(f"{release_0_1}.before-{head_revision()}"))
    assert app.config["FORUM_LIVE_EVENT_CREATED"] is False  # the stored event, not a new one
    after = _rows(release_0_1)
    for table, rows in before.items():  # every old column of every row is as it was
        assert [{k: row[k] for k in old} for old, row in zip(rows, after[table])] == rows, table
        assert len(after[table]) == len(rows), table
    assert _rows(result.backup) == before  # the copy set aside is the old database
    sessions = app.extensions["forum_live.sessions"]
    with sessions() as session:
        segment = session.get(Segment, manifest["running_segment_id"])
        now = datetime.fromtimestamp(manifest["now_ms"] / 1000, UTC)
        wire = clock_of(segment).wire(now)
        assert (wire["state"], wire["deadline_ms"], wire["remaining_ms"]) == (
            "running", manifest["running_deadline_ms"], manifest["running_deadline_ms"] - manifest["now_ms"])
        assert session.scalar(select(Event.current_segment_id)) == segment.id
    app.extensions["forum_live.engine"].dispose()


def test_the_baseline_is_exactly_the_schema_release_0_1_made(release_0_1):
    engine = make_engine(f"sqlite:///{release_0_1}")
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


def test_models_and_migrations_agree_with_no_pending_autogenerate_diff(empty_url_each):
    """Every revision from an empty database gives the models' schema, on SQLite and PostgreSQL
    (the start-up shortcut for an empty database, create_all then stamp, relies on it)."""
    engine = create_engine(empty_url_each)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        assert _schema_diff(engine) == []
        with engine.begin() as conn:  # and back down: every revision can be undone
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_an_empty_database_is_created_at_the_newest_revision(empty_url_each):
    engine = make_engine(empty_url_each, migrate=False)
    try:
        result = upgrade_database(engine)
        assert (result.created, result.to_revision) == (True, head_revision())
        assert upgrade_database(engine).changed is False  # a second start changes nothing
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


def test_a_database_of_a_newer_release_is_refused_and_left_untouched(empty_url_each):
    engine = make_engine(empty_url_each)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        with pytest.raises(DatabaseTooNew, match="9999_from_the_future.*newer release.*not changed"):
            upgrade_database(engine)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "9999_from_the_future"
    finally:
        engine.dispose()


def test_run_py_refuses_a_newer_database_with_a_clear_message_and_no_traceback(tmp_path):
    path = tmp_path / "forum.db"
    make_engine(f"sqlite:///{path}").dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "--async-mode", "threading", "--port", "0",
                           "--database", f"sqlite:///{path}"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "FORUM_LIVE_INSTANCE_PATH": str(tmp_path)})
    assert proc.returncode != 0
    assert "forum-live: the database is at schema revision '9999_from_the_future'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_baseline_revision_is_the_first_and_there_is_one_head():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()][-1] == BASELINE


def test_an_event_of_release_0_1_gets_participation_counted_from_zero(release_0_1):
    """Revision 0005: the stored event has no joins and a peak of 0, and counts from then on."""
    engine = make_engine(f"sqlite:///{release_0_1}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM device_join")).scalar() == 0
            assert conn.execute(text("SELECT peak_connected, peak_connected_at FROM event")).all() == [(0, None)]
        with Session(engine) as session:
            event_id = session.scalar(select(Event.id))
            now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
            participation.record_join(session, event_id, "a-phone", now)
            assert participation.record_peak(session, event_id, 1, now) == 1
            session.commit()
            assert participation.joined_devices(session, event_id) == 1
    finally:
        engine.dispose()
