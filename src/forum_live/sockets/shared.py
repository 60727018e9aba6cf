"""State that must be one across processes, kept in Redis when a Redis message queue is
configured (docs/deploy.md "What is per process"), else in this process's memory.

- console numbers: ``Console N`` labels, one N per console key and event, never two consoles
  with the same N whichever process each connects to.
"""
import threading

from flask import Flask

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


def redis_client(app: Flask):
    """The app's Redis client when FORUM_LIVE_MESSAGE_QUEUE is a Redis URL, else None."""
    queue = app.config.get("FORUM_LIVE_MESSAGE_QUEUE") or ""
    if not queue.startswith(("redis://", "rediss://", "unix://")) or redis is None:
        return None
    found = app.extensions.get("forum_live.redis")
    if found is None:
        found = app.extensions["forum_live.redis"] = redis.Redis.from_url(queue, socket_timeout=2,
                                                                           socket_connect_timeout=2)
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
