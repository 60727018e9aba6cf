"""The bench stays runnable: ``python -m bench run`` with 50 phones, every scenario, against the
bare server and forum-live under gevent, completes, and every phone joined, got every event, had
its ballot and upvotes counted, and came back after the server's restart (the reconnect herd) with
every queued action counted once. Timing is the bench's to judge, never this test's."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from bench.servers import PostgresSchema
from support.server import free_port

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
PHONES = 50
UPVOTES = 3
ASKERS = 5
TARGETS = ("bare-gevent", "forum-gevent")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> dict:
    """One small bench run: its JSON (see bench/__main__.py report)."""
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "bench.json"
    port = free_port()  # the bench takes this port and the next, one per target
    cmd = [sys.executable, "-m", "bench", "run", "--phones", str(PHONES), "--workers", "2",
           "--targets", "bare:gevent,forum:gevent", "--scenarios", "join,fanout,vote,questions,herd",
           "--rounds", "3", "--gap", "0.2", "--vote-window", "0.5", "--askers", str(ASKERS),
           "--upvotes", str(UPVOTES), "--port", str(port), "--workdir", str(tmp / "work"), "--json", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text("utf-8"))


def _result(run: dict, target: str) -> dict:
    return next(r for r in run["results"] if r["target"] == target)


def test_the_bench_measures_every_target_it_was_given(bench_run):
    assert [r["target"] for r in bench_run["results"]] == list(TARGETS)
    assert {row["target"] for row in bench_run["targets"]} == {"forum-gevent"}


@pytest.mark.parametrize("target", TARGETS)
def test_every_phone_joins_and_gets_every_fan_out_event(bench_run, target):
    r = _result(bench_run, target)
    assert (r["join"]["joined"], r["join"]["error_count"]) == (PHONES, 0), r["join"]["errors"]
    assert r["fanout"]["phones_with_every_event"] == PHONES
    assert r["fanout"]["projector_ms"]["count"] == r["fanout"]["actions"]


@pytest.mark.parametrize("target", TARGETS)
def test_every_ballot_is_acked_and_counted(bench_run, target):
    vote = _result(bench_run, target)["vote"]
    assert vote["ballots_sent"] == vote["ballots_acked"] == vote["counted_projector"] == PHONES
    assert vote["phones_still_connected"] == PHONES
    if target.startswith("forum-"):
        assert vote["counted_moderator"] == PHONES


@pytest.mark.parametrize("target", TARGETS)
def test_every_question_and_upvote_is_acked_and_counted(bench_run, target):
    q = _result(bench_run, target)["questions"]
    assert q["questions_acked"] == q["questions_asked"] == ASKERS
    assert q["upvotes_sent"] == q["upvotes_acked"] == q["upvotes_counted_projector"] == PHONES * UPVOTES
    assert q["phones_still_connected"] == PHONES


@pytest.mark.parametrize("target", TARGETS)
def test_every_phone_reconnects_after_the_restart_and_gets_a_new_snapshot(bench_run, target):
    herd = _result(bench_run, target)["herd"]
    assert herd["armed"] == herd["phones"] == PHONES
    assert herd["resnapshotted"] == PHONES, herd["errors"]
    assert herd["phones_still_connected"] == PHONES
    assert herd["projector_resnapshotted"]


def test_every_action_queued_during_the_restart_is_counted_once(bench_run):
    """forum-live only: the bare server comes back empty. Each phone queued a ballot or an upvote,
    the askers also a question; some were in flight at the SIGTERM, some resent after their ack."""
    herd = _result(bench_run, "forum-gevent")["herd"]
    assert herd["queued"] == PHONES + ASKERS
    assert herd["counted_by_kind"] == herd["queued_by_kind"] == {
        "ballot": PHONES // 2, "upvote": PHONES - PHONES // 2, "question": ASKERS}
    assert (herd["lost"], herd["doubled"]) == (0, 0)
    assert (herd["acked"], herd["pending"], herd["refused_count"]) == (herd["queued"], 0, 0), herd["refused"]
    ack_lost = sum(1 for i in range(PHONES) if i % 10 in (5, 8))  # bench/herd.py arm: one item each here
    assert herd["ack_lost_resent"] == ack_lost
    assert herd["resends_acked_as_duplicate"] >= ack_lost // 2   # their upvotes (odd phones) say so
    assert herd["in_flight_sent"] == sum(1 for i in range(PHONES) if i % 10 in (0, 3))


def test_the_scale_out_bench_makes_its_postgresql_database_when_missing():
    """``bench scaleout`` runs on a server where its database (forum_bench) was never made."""
    base = os.environ.get("FORUM_LIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        psycopg.connect(base, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {base}: {exc}")
    name = f"forum_bench_test_{uuid.uuid4().hex[:8]}"
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        schema = PostgresSchema(url)          # makes the database, then its schema
        schema.drop()
        PostgresSchema(url).drop()            # and uses it as it is the next time
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone()[0] == name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
