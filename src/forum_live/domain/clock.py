"""Instants and the wire's epoch milliseconds. Every datetime here is timezone-aware UTC."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current instant as an aware UTC datetime."""
    return datetime.now(UTC)


def to_ms(instant: datetime | None) -> int | None:
    """Convert an aware datetime to epoch milliseconds (None stays None).

    Raises ValueError for a naive datetime, which would silently take the machine's zone.
    """
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError("naive datetime: every instant must carry a time zone")
    return round(instant.timestamp() * 1000)


def ms_between(earlier: datetime, later: datetime) -> int:
    """Return ``later - earlier`` in whole milliseconds (negative if later is earlier)."""
    return round((later - earlier).total_seconds() * 1000)


def format_clock(ms: int | None) -> str:
    """A countdown as people read it: ``09:41``, ``1:05:00``, ``-00:12`` in overtime, ``--:--``
    for None. Counts up to the next whole second while positive (09:40.2 shows 09:41), as the
    screens do (static/js/clock.js formatClock)."""
    if ms is None:
        return "--:--"
    negative = ms <= -1000
    total = -(-ms // 1000) if ms >= 0 else (-ms) // 1000
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    body = f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
    return f"-{body}" if negative else body
