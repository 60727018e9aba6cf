"""The shared per-address connection count (protocol/shared.py) on a real Redis: two apps stand
for two processes; the cap holds over their sum, a slot frees when one ends, a dead process's
connections stop counting once its liveness key expired, and with Redis away each process falls
back to its own count (as one process) and writes it once Redis is back."""
import uuid

import pytest
from flask import Flask

from forum_live.protocol import shared
from scale.conftest import REDIS_URL, _missing

CAP = 3
HOME, OTHER = "192.0.2.7", "198.51.100.9"


@pytest.fixture
def channel():
    """A channel of its own (key prefix), its keys deleted afterwards."""
    missing = _missing()
    if missing:
        pytest.skip(missing)
    name = f"forum-live-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = shared.redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{name}:*"))
    if keys:
        client.delete(*keys)


def _process(channel: str, queue: str = REDIS_URL) -> Flask:
    app = Flask(__name__)
    app.config.update(FORUM_LIVE_MESSAGE_QUEUE=queue, FORUM_LIVE_MESSAGE_QUEUE_CHANNEL=channel)
    if queue == REDIS_URL:
        shared.renew_liveness(app)
    return app


def _connect(app: Flask, ip: str = HOME) -> bool:
    """What sockets.binding.bind does: claim a slot, then count the connection locally."""
    if not shared.claim_address_slot(app, ip, CAP):
        return False
    counts = shared.address_counts(app)
    counts[ip] = counts.get(ip, 0) + 1
    return True


def _disconnect(app: Flask, ip: str = HOME) -> None:
    counts = shared.address_counts(app)
    counts[ip] -= 1
    if not counts[ip]:
        del counts[ip]
    shared.release_address_slot(app, ip)


def test_the_cap_holds_over_the_processes_together_and_a_slot_frees_on_either(channel):
    a, b = _process(channel), _process(channel)
    assert [_connect(a), _connect(b), _connect(a)] == [True, True, True]
    assert (_connect(b), _connect(a)) == (False, False)          # 3 from HOME over both: full
    assert shared.address_counts(a) == {HOME: 2} and shared.address_counts(b) == {HOME: 1}  # refused: not counted
    assert _connect(b, OTHER) is True                             # another address has slots of its own
    _disconnect(a)
    assert _connect(b) is True and _connect(a) is False           # the slot freed on A is taken on B
    for app in (a, b):
        while shared.address_counts(app).get(HOME):
            _disconnect(app)
    client = shared.redis.Redis.from_url(REDIS_URL)
    assert client.hgetall(f"{channel}:address:{HOME}") == {}     # nothing left counted


def test_a_dead_processs_connections_stop_counting_once_its_liveness_expires(channel):
    a, b = _process(channel), _process(channel)
    assert [_connect(a) for _ in range(CAP)] == [True] * CAP
    assert _connect(b) is False
    client = shared.redis.Redis.from_url(REDIS_URL)
    client.delete(f"{channel}:alive:{shared.process_token(a)}")  # A died: its key expired (ALIVE_TTL_S)
    assert [_connect(b) for _ in range(CAP)] == [True] * CAP
    assert _connect(b) is False
    field = client.hgetall(f"{channel}:address:{HOME}")
    assert field == {shared.process_token(b).encode(): str(CAP).encode()}  # the dead field was dropped


def test_with_redis_away_each_process_caps_its_own_connections_and_writes_them_later(channel):
    away = _process(channel, queue="redis://127.0.0.1:1/0")       # nothing listens there
    assert [_connect(away) for _ in range(CAP + 1)] == [True] * CAP + [False]
    assert shared._stale_addresses(away) == {HOME}
    with pytest.raises(shared.redis.RedisError):
        shared.resync_addresses(away)                              # the heartbeat logs it and retries
    assert shared._stale_addresses(away) == {HOME}
    away.config["FORUM_LIVE_MESSAGE_QUEUE"] = REDIS_URL              # Redis is back
    away.extensions.pop("forum_live.redis")
    shared.renew_liveness(away)
    shared.resync_addresses(away)
    client = shared.redis.Redis.from_url(REDIS_URL)
    assert client.hgetall(f"{channel}:address:{HOME}") == {shared.process_token(away).encode(): str(CAP).encode()}
    assert shared._stale_addresses(away) == set()
    assert _connect(_process(channel)) is False                    # another process now sees them


def test_a_burst_of_connects_waits_for_a_redis_connection_instead_of_being_refused(channel, monkeypatch):
    """The 3,000-phone scale-out met redis-py's plain pool refusing new connections ("Too many
    connections") while a thousand phones connected to one process: the client is a blocking
    pool, so a burst larger than the pool waits its turn and every claim is decided by Redis."""
    import threading
    monkeypatch.setattr(shared, "REDIS_MAX_CONNECTIONS", 2)
    app = _process(channel)
    app.extensions.pop("forum_live.redis", None)
    client = shared.redis_client(app)
    assert isinstance(client.connection_pool, shared.redis.BlockingConnectionPool)
    assert client.connection_pool.max_connections == 2
    ips = [f"203.0.113.{n}" for n in range(1, 31)]
    results, lock = {}, threading.Lock()

    def claim(ip):
        admitted = shared.claim_address_slot(app, ip, CAP)
        with lock:
            results[ip] = admitted
    threads = [threading.Thread(target=claim, args=(ip,)) for ip in ips]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == dict.fromkeys(ips, True)
    assert shared._stale_addresses(app) == set()  # none fell back to counting this process alone
