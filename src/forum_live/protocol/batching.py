"""Group commit for the audience's storm actions (an upvote, a ballot): the requests that arrive
together are written in one transaction and acked together once it is committed.

Measured in issue 16's upvote storm (3,000 upvotes from 1,000 phones within 2 s), what each
upvote cost beyond its own few statements was the transaction around it: checking out a pooled
connection, loading the event row (SQLAlchemy's ORM load of ~30 columns was the largest single
cost, more than the upvote's statements), moving the public version, the commit, the broadcast.
Upvotes arrived faster than one process could pay that, so the acks queued for seconds. Here
the first request that finds no batch being written becomes the batch's *leader*: it lets the
requests already received run up to this point (one cooperative yield), takes every request
queued (up to ``MAX_BATCH``), runs each action in one session (one event load per event, each
item's own statements), moves each event's public version once, commits once, broadcasts each
event's merged outcome once, and wakes the others with their acks. The next request queued
leads the next batch. With no crowd a batch is one request: the same work as before.

Rules for a batched action (``Action.batched``, protocol/registry.py): audience actions only
(never versioned or audited); its function raises ForumError only before its first write (its
writes are one statement each, so an item refused leaves nothing in the shared transaction); and
it must not yield between writing and returning except where the database tolerates it (the rate
limiter's Redis round trip happens with PostgreSQL only: a Redis limiter means several
processes, which means PostgreSQL; with SQLite a batch is written by one greenlet without
yielding). An unexpected error rolls the whole batch back and every item in it is acked
``internal`` ("nothing was changed, please try again"): nothing acknowledged is ever lost.

This is the database's classic group commit (PostgreSQL's ``commit_delay``), done in the
application because here the per-transaction cost is in Python, not in the log flush.
"""
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

#: At most this many requests share a transaction (a bound on the leader's time and on the ack
#: delay of the first one queued).
MAX_BATCH = 200


@dataclass
class Item:
    """One queued request: what to run, and (once done) its ack."""

    entry: object
    data: object
    conn: object
    now: datetime
    ack: dict | None = None
    lead: bool = False
    woken: threading.Event = field(default_factory=threading.Event)


class Batcher:
    """One process's queue of batched requests: ``submit(item) -> ack``.

    ``run_batch(items)`` does the work of a batch and sets every item's ``ack`` (it must not
    raise); ``pause()`` yields once to the other requests ready to run (``socketio.sleep(0)``).
    Thread- and greenlet-safe: ``threading`` primitives, patched under gevent and eventlet."""

    def __init__(self, run_batch: Callable[[list[Item]], None], pause: Callable[[], None]):
        self._run_batch, self._pause = run_batch, pause
        self._lock = threading.Lock()
        self._queue: list[Item] = []
        self._busy = False  # a leader is writing a batch

    def submit(self, item: Item) -> dict:
        """Queue ``item``, wait until its batch is committed, return its ack."""
        with self._lock:
            self._queue.append(item)
            lead = not self._busy
            self._busy = True
        if not lead:
            item.woken.wait()
            if not item.lead:
                return item.ack
        self._lead()
        return item.ack

    def _lead(self) -> None:
        self._pause()  # requests already received queue up behind this one
        with self._lock:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
        try:
            self._run_batch(batch)
        finally:
            with self._lock:
                successor = self._queue[0] if self._queue else None
                if successor is None:
                    self._busy = False
                else:
                    successor.lead = True
            for done in batch:
                done.woken.set()
            if successor is not None:
                successor.woken.set()
