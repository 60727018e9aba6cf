"""Times and durations as the report and the exports print them (event's time zone).

Negative durations use the minus sign U+2212, never "-": a cell starting with "-" would be
taken for a formula by a spreadsheet (and neutralised with an apostrophe in CSV).
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MINUS = "\u2212"


def duration(ms: int | None) -> str:
    """``ms`` as ``m:ss`` or ``h:mm:ss`` (rounded to the second; U+2212 when negative; "" for None)."""
    if ms is None:
        return ""
    secs = round(abs(ms) / 1000)
    body = f"{secs // 3600}:{secs // 60 % 60:02d}:{secs % 60:02d}" if secs >= 3600 else f"{secs // 60}:{secs % 60:02d}"
    return (MINUS if ms < 0 and secs else "") + body


def over_under(ms: int | None) -> str:
    """An overrun as words: ``1:00 over``, ``9:20 under``, ``on time`` (under a second); "" for None."""
    if ms is None:
        return ""
    if round(abs(ms) / 1000) == 0:
        return "on time"
    return f"{duration(abs(ms))} {'over' if ms > 0 else 'under'}"


def local(ms: int | None, tz: str, fmt: str = "%H:%M:%S") -> str:
    """Epoch ms as a wall-clock time in zone ``tz`` (strftime ``fmt``); "" for None."""
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(tz)).strftime(fmt)


def long_date(ms: int | None, tz: str) -> str:
    """``Tuesday 13 September 2022`` in zone ``tz`` (English names; no leading zero); "" for None."""
    if ms is None:
        return ""
    at = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(tz))
    return f"{at:%A} {at.day} {at:%B %Y}"
