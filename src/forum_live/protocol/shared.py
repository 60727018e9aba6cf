"""State that must be one across processes, kept in Redis when a Redis message queue is
configured (docs/deploy.md "What is per process"), else in this process's memory.

- console numbers: ``Console N`` labels, one N per console key and event, never two consoles
  with the same N whichever process each connects to;
- presence: each process writes its own connections to an event (protocol/presence.py) to a
  Redis hash, one field per process, whenever it counts them; a count merges the fields of the
  processes still alive (each renews a key of its own every ``HEARTBEAT_S``; a dead process's
  connections drop out of the count within ``ALIVE_TTL_S``);
- the per-address connection cap: each process writes how many connections it holds from an
  address to that address's Redis hash, one field per process (its own count, never an
  increment, so a lost write is mended by the next); a new connection is let in while the live
  processes' fields sum to less than the cap (``claim_address_slot``; a dead process's field is
  ignored once its liveness key expired and deleted at the next claim for that address).
"""
import json
import threading
import uuid
from collections.abc import Callable

from flask import Flask

from ..extensions import get_socketio

try:  # the "scale" extra; a Redis message queue needs it anyway
    import redis
except ImportError:  # pragma: no cover - one process without Redis
    redis = None

# KEYS[1]: the event's hash of console key -> N (and "__top": the highest N given).
# ARGV: the console key, its N from the audit trail (0: none), the highest N in the trail.
_CONSOLE_NUMBER = """local n = redis.call('hget', KEYS[1], ARGV[1])
if n then return tonumber(n) end
local top = tonumber(redis.call('hget', KEYS[1], '__top') or '0')
n = tonumber(ARGV[2])
if n == 0 then n = math.max(top, tonumber(ARGV[3])) + 1 end
redis.call('hset', KEYS[1], ARGV[1], n)
if n > top then redis.call('hset', KEYS[1], '__top', n) end
redis.call('expire', KEYS[1], ARGV[4])
return n"""
#: Seconds the numbers stay in Redis after the last console connected (the audit trail keeps
#: them across a longer pause: a console known there gets its N back).
NUMBERS_TTL_S = 7 * 24 * 3600
_LOCK = threading.Lock()
#: Seconds a process's presence counts without a renewal of its liveness key (see HEARTBEAT_S).
ALIVE_TTL_S = 5
#: Seconds between two renewals of a process's liveness key.
HEARTBEAT_S = 1.5


#: Connections this process's Redis client opens at most; a greenlet that finds them all in use
#: waits for one (up to REDIS_WAIT_S), instead of redis-py's plain pool refusing it with
#: "Too many connections" (seen in the 3,000-phone scale-out: 157 refusals of the connection
#: cap's script while a thousand phones connected to one process).
REDIS_MAX_CONNECTIONS = 50
REDIS_WAIT_S = 2


def redis_client(app: Flask):
    """The app's Redis client when FORUM_LIVE_MESSAGE_QUEUE is a Redis URL, else None: a
    blocking pool of at most REDIS_MAX_CONNECTIONS connections, 2 s socket timeouts."""
    queue = app.config.get("FORUM_LIVE_MESSAGE_QUEUE") or ""
    if not queue.startswith(("redis://", "rediss://", "unix://")) or redis is None:
        return None
    found = app.extensions.get("forum_live.redis")
    if found is None:
        pool = redis.BlockingConnectionPool.from_url(queue, max_connections=REDIS_MAX_CONNECTIONS,
                                                     timeout=REDIS_WAIT_S, socket_timeout=2, socket_connect_timeout=2)
        found = app.extensions["forum_live.redis"] = redis.Redis(connection_pool=pool)
    return found


def console_number(app: Flask, event_id: int, key: str, known: int | None, floor: int) -> int:
    """The N of ``Console N`` for console ``key`` of event ``event_id``: the one it was given
    before (by any process), else ``known`` (its N in the audit trail), else one more than any N
    given or in the trail (``floor``: the trail's highest). Raises redis.RedisError if Redis
    is configured and away (the caller refuses the connection; the console retries)."""
    client = redis_client(app)
    if client is not None:
        channel = app.config["FORUM_LIVE_MESSAGE_QUEUE_CHANNEL"]
        return int(client.eval(_CONSOLE_NUMBER, 1, f"{channel}:console-numbers:{event_id}", key, known or 0, floor,
                               NUMBERS_TTL_S))
    numbers = app.extensions.setdefault("forum_live.console_numbers", {})
    with _LOCK:
        mine = numbers.setdefault(event_id, {})
        if key not in mine:
            mine[key] = known or max([floor, *mine.values()]) + 1
        return mine[key]


# KEYS[1]: an address's hash of process token -> that process's connections from the address.
# ARGV: this process's token, its count from the address after the change, the cap (-1: no check,
# just write), the liveness keys' prefix, the hash's TTL. Returns -1 when refused (nothing
# written), else the live processes' total after the change.
_ADDRESS_SLOT = """local others = 0
local fields = redis.call('hgetall', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    if redis.call('exists', ARGV[4] .. fields[i]) == 1 then others = others + tonumber(fields[i + 1])
    else redis.call('hdel', KEYS[1], fields[i]) end
  end
end
local mine = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
if cap >= 0 and others + mine > cap then return -1 end
if mine > 0 then redis.call('hset', KEYS[1], ARGV[1], mine) else redis.call('hdel', KEYS[1], ARGV[1]) end
redis.call('expire', KEYS[1], ARGV[5])
return others + mine"""
#: Seconds an address's hash stays in Redis after the last connect or disconnect from it (a
#: safety net for hashes nobody touches again; a live process's field is rewritten on each change).
ADDRESS_TTL_S = 24 * 3600


def address_counts(app: Flask) -> dict:
    """This process's live connections per client address, ``{ip: count}`` (kept by
    sockets.binding beside the registry of connections; an address with none is absent)."""
    return app.extensions.setdefault("forum_live.connections_per_address", {})


def _address_slot(app: Flask, client, ip: str, mine: int, cap: int) -> int:
    channel = app.config["FORUM_LIVE_MESSAGE_QUEUE_CHANNEL"]
    return int(client.eval(_ADDRESS_SLOT, 1, f"{channel}:address:{ip}", process_token(app), mine, cap,
                           f"{channel}:alive:", ADDRESS_TTL_S))


def claim_address_slot(app: Flask, ip: str, cap: int) -> bool:
    """May one more connection from ``ip`` be let in under ``cap``
    (FORUM_LIVE_MAX_CONNECTIONS_PER_IP)? Without Redis: this process's count from ``ip`` is
    below ``cap``. With Redis: the live processes' counts (this one's plus one) stay within
    ``cap``, and this process's field then holds its count plus one (the caller counts the
    connection locally at once). Redis away: logged, and this process's own count decides
    (the cap is then per process again, as with one process); the field is rewritten later."""
    mine = address_counts(app).get(ip, 0) + 1
    client = redis_client(app)
    if client is None:
        return mine <= cap
    try:
        admitted = _address_slot(app, client, ip, mine, cap) >= 0
    except redis.RedisError:
        app.logger.warning("connection cap: Redis is away; counting this process's connections only", exc_info=True)
        _stale_addresses(app).add(ip)
        return mine <= cap
    _stale_addresses(app).discard(ip)
    return admitted


def release_address_slot(app: Flask, ip: str) -> None:
    """Write this process's count from ``ip`` (after a connection ended) to Redis, if
    configured. Redis away: logged; the heartbeat writes it again (``resync_addresses``)."""
    client = redis_client(app)
    if client is None:
        return
    try:
        _address_slot(app, client, ip, address_counts(app).get(ip, 0), -1)
        _stale_addresses(app).discard(ip)
    except redis.RedisError:
        app.logger.warning("connection cap: cannot write this process's count to Redis", exc_info=True)
        _stale_addresses(app).add(ip)


def _stale_addresses(app: Flask) -> set:
    """Addresses whose count this process failed to write to Redis (written again at each beat)."""
    return app.extensions.setdefault("forum_live.stale_addresses", set())


def resync_addresses(app: Flask) -> None:
    """Write this process's current count of each address whose last write failed; raises
    redis.RedisError (the heartbeat logs it and tries again at the next beat)."""
    client = redis_client(app)
    stale = _stale_addresses(app)
    if client is None:
        return
    for ip in list(stale):
        _address_slot(app, client, ip, address_counts(app).get(ip, 0), -1)
        stale.discard(ip)


def process_token(app: Flask) -> str:
    """This app's (process's) id in the shared state: random, made on first use."""
    return app.extensions.setdefault("forum_live.process_token", uuid.uuid4().hex)


def _alive_key(app: Flask, token: str) -> str:
    return f"{app.config['FORUM_LIVE_MESSAGE_QUEUE_CHANNEL']}:alive:{token}"


def renew_liveness(app: Flask) -> None:
    """Renew this process's liveness key (a no-op without Redis); raises redis.RedisError."""
    client = redis_client(app)
    if client is not None:
        client.set(_alive_key(app, process_token(app)), 1, ex=ALIVE_TTL_S)


def shared_presence(app: Flask, event_id: int, local: dict, merge: Callable[[list[dict]], dict]) -> dict:
    """``merge`` of this process's ``local`` presence with every live process's (Redis), or of
    ``local`` alone without Redis or when Redis is away (logged)."""
    client = redis_client(app)
    if client is None:
        return merge([local])
    token = process_token(app)
    key = f"{app.config['FORUM_LIVE_MESSAGE_QUEUE_CHANNEL']}:presence:{event_id}"
    try:
        pipe = client.pipeline()
        pipe.hset(key, token, json.dumps(local))
        pipe.set(_alive_key(app, token), 1, ex=ALIVE_TTL_S)
        pipe.hgetall(key)
        stored = pipe.execute()[-1]
        others = [(t.decode(), v) for t, v in stored.items() if t.decode() != token]
        alive = client.mget([_alive_key(app, t) for t, _ in others]) if others else []
        parts, dead = [local], []
        for (other, value), is_alive in zip(others, alive):
            if is_alive:
                parts.append(json.loads(value))
            else:
                dead.append(other)
        if dead:
            client.hdel(key, *dead)
        return merge(parts)
    except redis.RedisError:
        app.logger.warning("presence: Redis is away; counting this process's connections only", exc_info=True)
        return merge([local])


def start_heartbeat(app: Flask) -> None:
    """With Redis: start the background task that renews this process's liveness key every
    HEARTBEAT_S and writes again the address counts whose write failed (a Redis error is
    logged and retried at the next beat)."""
    if redis_client(app) is None:
        return
    socketio = get_socketio(app)

    def beat():
        while True:
            try:
                renew_liveness(app)
                resync_addresses(app)
            except redis.RedisError:
                app.logger.warning("presence: cannot renew this process's liveness in Redis", exc_info=True)
            socketio.sleep(HEARTBEAT_S)
    socketio.start_background_task(beat)
