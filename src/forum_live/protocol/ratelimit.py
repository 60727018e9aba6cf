"""Rate limits per device and per IP for phones' questions, upvotes and similarity look-ups,
with the ``limits`` library (moving window). In memory with one process; in Redis when a Redis
message queue is configured (keys ``<channel>:limits:...``), so a limit holds across processes.

Limits are strings such as ``"3/minute"`` (limits' notation) in the config:
``FORUM_LIVE_RATE_<KIND>_DEVICE`` and ``FORUM_LIVE_RATE_<KIND>_IP`` for KIND in QUESTIONS,
VOTES, SIMILAR. The per-IP limits are higher than the per-device ones: phones behind one
address (a hotspot, a NAT'd venue network) must not lock each other out, while a script that
clears its device cookie still meets a ceiling.
"""
import logging
import math
import time

from flask import Flask
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from ..domain.errors import ForumError

KINDS = {"questions": "questions", "votes": "upvotes", "similar": "similar-question look-ups"}


class SweptMemoryStorage(MemoryStorage):
    """limits' in-memory storage with its expired entries swept every ``SWEEP_S`` seconds.

    limits' own MemoryStorage sweeps every key every 10 ms while hits arrive: with 1,000 phones
    (2,000 keys, a device and an address each) that sweep took a tenth of the server's CPU in an
    upvote storm (issue 16). The sweep only frees memory: the moving window is decided from each
    entry's time (``acquire_entry``, ``get_moving_window``), so a slower sweep changes no decision.
    It overrides MemoryStorage's private ``__schedule_expiry`` (tests/services/test_rate_limit_storage.py
    fails if limits renames it).

    The sweep runs inline, in the hit that finds it due, and never through a timer thread: under
    gevent both ``Thread.is_alive()`` of a live timer (a non-blocking lock try that fails) and
    ``Thread.start()`` switch to other greenlets, and a hit runs inside a batch's write transaction
    (protocol/batching.py: a batched action must not yield after writing). With SQLite another
    greenlet's write then waited in SQLite's busy handler, which blocks the whole process, until
    its 5 s timeout failed it with "database is locked" (the reconnect herd of bench/herd.py: a
    5 s stall of every phone and an ``internal`` ack).
    """

    SWEEP_S = 5.0
    _sweep_at = 0.0  # time.monotonic() of the next sweep

    def _MemoryStorage__schedule_expiry(self) -> None:  # the name MemoryStorage calls (name-mangled)
        now = time.monotonic()
        if now >= self._sweep_at:
            self._sweep_at = now + self.SWEEP_S
            self._MemoryStorage__expire_events()


class RateLimits:
    """The app's limits: ``admit(kind, device_id, ip)`` counts one action or refuses it."""

    def __init__(self, config: dict):
        queue = config.get("FORUM_LIVE_MESSAGE_QUEUE") or ""
        if queue.startswith(("redis://", "rediss://", "unix://")):
            storage = RedisStorage(queue, key_prefix=f"{config['FORUM_LIVE_MESSAGE_QUEUE_CHANNEL']}:limits")
        else:
            storage = SweptMemoryStorage()
        self.limiter = MovingWindowRateLimiter(storage)
        self.rules: dict[str, tuple[RateLimitItem, RateLimitItem]] = {}
        for kind in KINDS:
            key = f"FORUM_LIVE_RATE_{kind.upper()}"
            self.rules[kind] = (parse(str(config[f"{key}_DEVICE"])), parse(str(config[f"{key}_IP"])))

    def admit(self, kind: str, device_id: str, ip: str | None) -> None:
        """Count one ``kind`` action of ``device_id`` from ``ip``, or raise
        ForumError(rate_limited) with ``retry_after_ms`` when either limit is reached (then
        nothing is counted). If the shared storage (Redis) is away, the action is admitted
        (logged): a venue keeps its questions while Redis restarts."""
        per_device, per_ip = self.rules[kind]
        checks = [(per_device, ("device", kind, device_id))]
        if ip:
            checks.append((per_ip, ("ip", kind, ip)))
        try:
            refused = next(((item, ids) for item, ids in checks if not self.limiter.test(item, *ids)), None)
            reset = self.limiter.get_window_stats(refused[0], *refused[1]).reset_time if refused else None
        except ForumError:
            raise
        except Exception:  # the shared storage (Redis) is away: let the room go on, unlimited
            logging.getLogger(__name__).warning("rate limits unavailable; admitting", exc_info=True)
            return
        if refused:
            item, ids = refused
            wait_s = max(1, math.ceil(reset - time.time()))
            who = "this phone" if ids[0] == "device" else "this network address"
            raise ForumError("rate_limited",
                             f"Too many {KINDS[kind]} from {who}: at most {item.amount} per "
                             f"{_window(item)}. Please wait {wait_s} s and try again.",
                             retry_after_ms=wait_s * 1000)
        try:
            for item, ids in checks:
                self.limiter.hit(item, *ids)
        except Exception:
            logging.getLogger(__name__).warning("rate limits unavailable; not counted", exc_info=True)


def _window(item: RateLimitItem) -> str:
    seconds = item.get_expiry()
    if seconds == 60:
        return "minute"
    if seconds == 3600:
        return "hour"
    return f"{seconds} s"


def rate_limits(app: Flask) -> RateLimits:
    """The app's RateLimits (made on first use from its config)."""
    found = app.extensions.get("forum_live.rate_limits")
    if found is None:
        found = app.extensions["forum_live.rate_limits"] = RateLimits(app.config)
    return found
