"""The timer task: moves the show on at the deadline of an auto-advance segment, and stores the
auto-close of a poll at its deadline.

The stored instants are exact whatever the task's latency: each transition is applied *at its
deadline* (services.run_of_show.advance_due_segments), so a server that was killed, stalled or
asleep catches up on start with the times an exact clock would have stored. The task sleeps
until the next deadline (at most ``FORUM_LIVE_AUTO_ADVANCE_POLL_S``, default 1 s, so changes made
meanwhile are seen), applies what is due, commits, then broadcasts.

Several processes: every process runs the task, but only the one that owns the timers
(sockets/ownership.py: a PostgreSQL advisory lock, or a Redis lock) applies anything, so each
deadline is broadcast once. When the owner dies, another takes over at its next check and
applies what was missed, at the stored deadlines. Each event is re-read under a row lock
(``SELECT ... FOR UPDATE`` on PostgreSQL) before anything is applied, so even two tasks racing
cannot apply or broadcast one deadline twice: the second finds it applied.

It runs with ``socketio.start_background_task`` (a greenlet under gevent/eventlet, a thread under
threading). ``FORUM_LIVE_AUTO_ADVANCE_TASK`` turns it on or off (default: on, except in TESTING,
where tests drive ``AutoAdvancer.run_once`` with their own clock).
"""
import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask
from sqlalchemy import or_, select

from ..domain.clock import utcnow
from ..domain.polls import OPEN
from ..extensions import db_session, get_socketio
from ..persistence.models import Event, Poll
from ..protocol.messages import POLLS, RUN
from ..services import public_state
from ..services.polls import close_due_polls
from ..services.run_of_show import advance_due_segments, next_auto_deadline
from .broadcast import publish
from .ownership import timer_ownership


def _poll_deadline(event: Event) -> datetime | None:
    """The earliest auto-close deadline of the event's open polls, or None."""
    due = [p.closes_at for p in event.polls if p.status == OPEN and p.closes_at is not None]
    return min(due, default=None)


def _next_deadline(event: Event) -> datetime | None:
    """The event's next timer deadline (auto-advance or poll auto-close), or None."""
    found = [d for d in (next_auto_deadline(event), _poll_deadline(event)) if d is not None]
    return min(found, default=None)


class AutoAdvancer:
    """Applies due auto-advances and poll auto-closes for every event with a segment on air or
    a poll open with a deadline.

    ``clock`` returns the current instant (aware UTC; injected in tests); ``poll_s`` is the
    longest sleep between two checks (seconds); ``ownership`` says whether this process owns
    the timers (``held()``; default: the app's, sockets/ownership.py).
    """

    def __init__(self, app: Flask, clock: Callable[[], datetime] = utcnow, poll_s: float = 1.0, ownership=None):
        self.app, self.clock, self.poll_s = app, clock, poll_s
        self.ownership = ownership
        self.stopped = threading.Event()
        self.running = False

    def run_once(self, now: datetime | None = None) -> datetime | None:
        """Apply every transition and poll auto-close due by ``now`` (default: the clock),
        commit, broadcast; return the next timer deadline of any event, or None."""
        now = now or self.clock()
        next_due = None
        with self.app.app_context(), db_session() as session:
            timed_polls = select(Poll.event_id).where(Poll.status == OPEN, Poll.closes_at.is_not(None))
            events = list(session.scalars(select(Event).where(
                or_(Event.current_segment_id.is_not(None), Event.id.in_(timed_polls)))))
            for event in events:
                due = _next_deadline(event)
                if due is not None and due <= now:
                    self._apply(session, event, now)
                    due = _next_deadline(event)
                if due is not None and (next_due is None or due < next_due):
                    next_due = due
        return next_due

    def _apply(self, session, event: Event, now: datetime) -> None:
        # Re-read under a row lock: another process (or this one) may have applied it meanwhile;
        # its segments and polls are read again after the lock is taken.
        session.expire_all()
        session.refresh(event, with_for_update=True)
        advanced = advance_due_segments(event, now)
        closed = close_due_polls(session, event, now)
        if not advanced and not closed:
            session.rollback()
            return
        parts = {RUN} if advanced else set()
        if closed or event.ended_at is not None:  # the end of the show also closed the open poll
            parts.add(POLLS)
        public_state.bump(session, event)  # the phones' shared copy of the segments or polls is out of date
        session.commit()
        try:
            publish(session, event, parts)
        except Exception:  # committed: screens catch up on their next snapshot
            self.app.logger.exception("timer broadcast failed")

    def owns_timers(self) -> bool:
        """True if this process owns the timers now (sockets/ownership.py); False if that
        cannot be told (the database or Redis is away: try again at the next check)."""
        ownership = self.ownership or timer_ownership(self.app)
        try:
            return ownership.held()
        except Exception:
            self.app.logger.warning("cannot tell who owns the timers; will try again", exc_info=True)
            return False

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
                next_due = None
                try:
                    if self.owns_timers():
                        next_due = self.run_once()
                except Exception:  # a failed check must not end the task
                    self.app.logger.exception("timer check failed")
                socketio.sleep(self.wait_s(next_due))
        finally:
            self.running = False
            if self.ownership is None and "forum_live.timer_ownership" in self.app.extensions:
                try:  # another process may take the timers over at once
                    timer_ownership(self.app).release()
                except Exception:
                    self.app.logger.warning("could not release the timer lock", exc_info=True)

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
