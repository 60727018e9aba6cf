"""Instants and the wire's epoch milliseconds. Every datetime here is timezone-aware UTC."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Return the current instant as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def to_ms(instant: datetime | None) -> int | None:
    """Convert an aware datetime to epoch milliseconds (None stays None).

    Raises ValueError for a naive datetime, which would silently take the machine's zone.
    """
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError("naive datetime: every instant must carry a time zone")
    return round(instant.timestamp() * 1000)


def from_ms(epoch_ms: int) -> datetime:
    """Convert epoch milliseconds to an aware UTC datetime."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)


def ms_between(earlier: datetime, later: datetime) -> int:
    """Return ``later - earlier`` in whole milliseconds (negative if later is earlier)."""
    return round((later - earlier).total_seconds() * 1000)
