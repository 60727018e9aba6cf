"""The timer lock (sockets/ownership.py) on a real PostgreSQL and Redis: one holder at a time, and
the next one takes it as soon as the holder's connection ends or its Redis key expires."""
import time
import uuid

import pytest
from sqlalchemy import create_engine

from forum_live.sockets.ownership import AlwaysOwner, PostgresTimerLock, RedisTimerLock, make_ownership
from scale.conftest import POSTGRES_URL, REDIS_URL, _missing


def _until(predicate, what, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what} not within {timeout}s"
        time.sleep(0.05)


@pytest.fixture
def services():
    missing = _missing()
    if missing:
        pytest.skip(missing)


def test_one_process_on_sqlite_always_owns_the_timers(tmp_path):
    class App:
        config = {"FORUM_LIVE_MESSAGE_QUEUE": None}
    assert isinstance(make_ownership(App, create_engine(f"sqlite:///{tmp_path / 'f.db'}")), AlwaysOwner)


def test_sqlite_with_a_redis_queue_uses_a_redis_lock(tmp_path):
    class App:
        config = {"FORUM_LIVE_MESSAGE_QUEUE": REDIS_URL, "FORUM_LIVE_MESSAGE_QUEUE_CHANNEL": "x"}
    assert isinstance(make_ownership(App, create_engine(f"sqlite:///{tmp_path / 'f.db'}")), RedisTimerLock)


def test_the_advisory_lock_has_one_holder_and_passes_on_when_its_connection_ends(services):
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"forum-live test {uuid.uuid4().hex}"  # not another run's lock on this database
    first, second = PostgresTimerLock(engine, name), PostgresTimerLock(engine, name)
    try:
        assert first.held() is True
        assert second.held() is False and first.held() is True   # asked again: still one holder
        first.release()  # as when the process dies; its backend ends a moment later
        _until(second.held, "the second holder taking the lock")
        assert first.held() is False
    finally:
        first.release()
        second.release()


def test_the_redis_lock_has_one_holder_and_passes_on_when_it_expires(services):
    key = f"forum-live-test-{uuid.uuid4().hex[:8]}:timer-owner"
    first, second = RedisTimerLock(REDIS_URL, key, ttl_s=0.3), RedisTimerLock(REDIS_URL, key, ttl_s=0.3)
    try:
        assert first.held() is True and second.held() is False and first.held() is True
        _until(lambda: not first.redis.exists(key), "the key expiring")  # the owner stopped renewing
        assert second.held() is True and first.held() is False
        second.release()
        assert first.held() is True
    finally:
        first.release()
        second.release()
