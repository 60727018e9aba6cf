"""Coalesced broadcasts: at most one broadcast of a busy part (a tally) per event per interval.

A vote storm of 1,000 ballots in two seconds must not become 1,000 broadcasts to 1,000 phones.
The voter gets its ack at once; everyone else gets the latest tally at most every
``FORUM_LIVE_TALLY_INTERVAL_MS`` (default 250 ms, about four a second), always including the
last change: a flush reads the database after it is scheduled, so no committed vote is left out.
A flush sends through the app's publisher (protocol.publisher: sockets.broadcast.publish).
"""
import threading
import time

from flask import Flask

from ..extensions import db_session, get_socketio
from ..persistence.models import Event
from ..protocol.publisher import publish


class Coalescer:
    """Schedules broadcasts of ``(event_id, part)`` no closer than ``interval_s`` apart."""

    def __init__(self, app: Flask, interval_s: float):
        self.app, self.interval_s = app, interval_s
        self.lock = threading.Lock()
        self.pending: set[tuple[int, str]] = set()
        self.last_sent: dict[tuple[int, str], float] = {}

    def due_now(self, event_id: int, part: str) -> bool:
        """Return True if ``part`` may be broadcast now (and note it as sent); otherwise make
        sure one delayed broadcast is scheduled and return False."""
        key = (event_id, part)
        with self.lock:
            if key in self.pending:
                return False
            wait = self.last_sent.get(key, float("-inf")) + self.interval_s - time.monotonic()
            if wait <= 0:
                self.last_sent[key] = time.monotonic()
                return True
            self.pending.add(key)
        get_socketio(self.app).start_background_task(self._flush_later, key, wait)
        return False

    def _flush_later(self, key: tuple[int, str], wait: float) -> None:
        socketio = get_socketio(self.app)
        socketio.sleep(wait)
        with self.lock:
            self.pending.discard(key)  # a change committed from now on schedules another flush
            self.last_sent[key] = time.monotonic()
        with self.app.app_context():
            try:
                with db_session() as session:
                    event = session.get(Event, key[0])
                    publish(session, event, {key[1]})
            except Exception:
                self.app.logger.exception("coalesced broadcast of %s failed", key)


def coalescer(app: Flask) -> Coalescer:
    """The app's Coalescer (made on first use)."""
    found = app.extensions.get("forum_live.coalescer")
    if found is None:
        interval = app.config["FORUM_LIVE_TALLY_INTERVAL_MS"] / 1000
        found = app.extensions["forum_live.coalescer"] = Coalescer(app, interval)
    return found
