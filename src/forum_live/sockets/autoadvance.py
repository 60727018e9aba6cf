"""Auto-advance: a background task moves the show on at the deadline of an auto-advance segment.

The stored instants are exact whatever the task's latency: each transition is applied *at its
deadline* (services.run_of_show.advance_due_segments), so a server that was killed, stalled or
asleep catches up on start with the times an exact clock would have stored. The task sleeps
until the next deadline (at most ``FORUM_LIVE_AUTO_ADVANCE_POLL_S``, default 1 s, so changes made
meanwhile are seen), applies what is due, commits, then broadcasts.

It runs with ``socketio.start_background_task`` (a greenlet under gevent/eventlet, a thread under
threading). ``FORUM_LIVE_AUTO_ADVANCE_TASK`` turns it on or off (default: on, except in TESTING,
where tests drive ``AutoAdvancer.run_once`` with their own clock).
"""
import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask
from sqlalchemy import select

from ..domain.clock import utcnow
from ..extensions import db_session, get_socketio
from ..persistence.models import Event
from ..protocol.messages import POLLS, RUN
from ..services.run_of_show import advance_due_segments, next_auto_deadline
from .broadcast import publish


class AutoAdvancer:
    """Applies due auto-advances for every event with a segment on air.

    ``clock`` returns the current instant (aware UTC; injected in tests); ``poll_s`` is the
    longest sleep between two checks (seconds).
    """

    def __init__(self, app: Flask, clock: Callable[[], datetime] = utcnow, poll_s: float = 1.0):
        self.app, self.clock, self.poll_s = app, clock, poll_s
        self.stopped = threading.Event()
        self.running = False

    def run_once(self, now: datetime | None = None) -> datetime | None:
        """Apply every transition due by ``now`` (default: the clock), commit, broadcast; return
        the next auto-advance deadline of any event, or None."""
        now = now or self.clock()
        next_due = None
        with self.app.app_context(), db_session() as session:
            events = list(session.scalars(select(Event).where(Event.current_segment_id.is_not(None))))
            for event in events:
                if advance_due_segments(event, now):
                    session.commit()
                    try:  # the end of the show also closed the open poll
                        publish(session, event, {RUN, POLLS} if event.ended_at is not None else {RUN})
                    except Exception:  # committed: screens catch up on their next snapshot
                        self.app.logger.exception("auto-advance broadcast failed")
                due = next_auto_deadline(event)
                if due is not None and (next_due is None or due < next_due):
                    next_due = due
        return next_due

    def wait_s(self, next_due: datetime | None) -> float:
        """Seconds to sleep before the next check: until ``next_due``, at most ``poll_s``."""
        if next_due is None:
            return self.poll_s
        return min(self.poll_s, max(0.0, (next_due - self.clock()).total_seconds()))

    def loop(self) -> None:
        """The background task: check, sleep, until ``stop``."""
        socketio = get_socketio(self.app)
        self.running = True
        try:
            while not self.stopped.is_set():
                try:
                    next_due = self.run_once()
                except Exception:  # a failed check must not end the task
                    self.app.logger.exception("auto-advance check failed")
                    next_due = None
                socketio.sleep(self.wait_s(next_due))
        finally:
            self.running = False

    def start(self) -> None:
        """Start the background task."""
        get_socketio(self.app).start_background_task(self.loop)

    def stop(self) -> None:
        """Ask the task to end after its current sleep."""
        self.stopped.set()


def autoadvancer(app: Flask) -> AutoAdvancer:
    """The app's AutoAdvancer (made on first use)."""
    found = app.extensions.get("forum_live.autoadvance")
    if found is None:
        poll = app.config["FORUM_LIVE_AUTO_ADVANCE_POLL_S"]
        found = app.extensions["forum_live.autoadvance"] = AutoAdvancer(app, poll_s=poll)
    return found


def init_app(app: Flask) -> None:
    """Start the auto-advance task unless turned off (see the module docstring)."""
    enabled = app.config["FORUM_LIVE_AUTO_ADVANCE_TASK"]
    if enabled is None:
        enabled = not app.config.get("TESTING")
    if enabled:
        autoadvancer(app).start()
