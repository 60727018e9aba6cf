"""Dates, times and numbers in the viewer's language, in the event's time zone (Babel, CLDR).

The report page uses these (the exports keep their fixed, language-neutral forms:
forum_live.domain.formats). ``ms`` is epoch milliseconds, ``tz`` an IANA zone name; each returns
"" for None.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from ..i18n import babel_locale
from .language import page_language


def _at(ms: int, tz: str) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(tz))


def day(ms: int | None, tz: str) -> str:
    """The date in full: ``Tuesday, 13 September 2022`` (en), ``mardi 13 septembre 2022`` (fr),
    ``martes, 13 de septiembre de 2022`` (es)."""
    if ms is None:
        return ""
    return format_date(_at(ms, tz).date(), format="full", locale=babel_locale(page_language()))


def short_day(ms: int | None, tz: str) -> str:
    """The date, short: ``13 Sept 2022`` (en), ``13 sept. 2022`` (fr)."""
    if ms is None:
        return ""
    return format_date(_at(ms, tz).date(), format="medium", locale=babel_locale(page_language()))


def when(ms: int | None, tz: str) -> str:
    """Date and time to the minute: ``13 Sept 2022, 14:05`` (en), ``13 sept. 2022, 14:05`` (fr)."""
    if ms is None:
        return ""
    locale = babel_locale(page_language())
    at = _at(ms, tz)
    return f"{format_date(at.date(), format='medium', locale=locale)}, {format_time(at, 'HH:mm', locale=locale)}"


def clock(ms: int | None, tz: str) -> str:
    """The wall-clock time ``14:05`` (24-hour in every screen language, as the room's run of show is)."""
    if ms is None:
        return ""
    return format_datetime(_at(ms, tz), "HH:mm", locale=babel_locale(page_language()))


def number(value: float | int | None) -> str:
    """A number with the viewer's decimal sign (``1.5`` -> ``1,5`` in French); "–" for None or 0
    is the caller's choice."""
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale(page_language()))


#: What the report template gets (``dates.day(...)`` etc.).
HELPERS = {"day": day, "short_day": short_day, "when": when, "clock": clock, "number": number}
