"""Reading a run of show from a spreadsheet's cells: the rules, as pure functions.

The input is a grid: a list of rows, each a list of cell values as a reader gives them (CSV:
strings; XLSX through openpyxl: ``str``, ``int``, ``float``, ``bool``, ``datetime``, ``time``,
``timedelta`` or ``None``). The first non-empty row is the header. The output is every row as it
will be stored, each with its own errors: a value that cannot be read is an error on its row,
never a silent 0 or default (Ontime #971 read "60" as 0). The length and title limits are the
event file's (forum_live.eventfile.SegmentInfo), checked by the service that stores the rows.

Columns (header names case-insensitive; ``_``, ``-`` and spaces alike; synonyms in COLUMNS):
title (required); start, end, duration (a length: duration, or end - start, or the next row's
start - start); speaker (matched to a panelist by name); notes; skip; auto-advance; kind;
key question (its key or number). Unknown columns are ignored and reported.

Lengths (``read_length_ms``): ``10`` is 10 minutes, ``1:30`` is 1 h 30 min, ``00:01:30`` is
1 min 30 s, ``90s``, ``10 min``, ``1.5 h`` say their unit; a number cell is minutes; an Excel
time cell (``1:30`` typed into a cell) is read as hours:minutes like the text; a date is refused.
Booleans (``read_flag``): TRUE/FALSE, yes/no, y/n, 1/0, on/off, x, Excel's own booleans; empty is no.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

#: Field -> header names that mean it (normalised: lower case, single spaces).
COLUMNS = {
    "title": ("title", "segment", "item", "topic", "segment title"),
    "start": ("start", "start time", "starts", "begin", "from"),
    "end": ("end", "end time", "ends", "until", "to"),
    "duration": ("duration", "length", "minutes", "mins", "min", "time allotted", "allotted"),
    "speaker": ("speaker", "speakers", "panelist", "panellist", "presenter", "who"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "skip": ("skip", "skipped"),
    "auto_advance": ("auto advance", "autoadvance", "auto", "auto next"),
    "kind": ("kind", "type"),
    "key_question": ("key question", "kq", "question"),
}
_FIELD_OF = {name: fld for fld, names in COLUMNS.items() for name in names}

#: The longest run of show an import may hold (rows with a title), and the widest header.
MAX_ROWS = 500
MAX_COLUMNS = 40

_TRUE = {"true", "yes", "y", "1", "on", "x", "✓", "wahr", "oui", "sí", "si", "ja"}
_FALSE = {"false", "no", "n", "0", "off", "", "falsch", "non", "nein"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "h.e.", "he"}
_UNITS = {"s": 1000, "sec": 1000, "secs": 1000, "second": 1000, "seconds": 1000,
          "m": 60_000, "min": 60_000, "mins": 60_000, "minute": 60_000, "minutes": 60_000, "'": 60_000,
          "h": 3_600_000, "hr": 3_600_000, "hrs": 3_600_000, "hour": 3_600_000, "hours": 3_600_000}
_NUMBER_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([a-z']*)$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_DAY_MS = 86_400_000


@dataclass(frozen=True)
class Unreadable:
    """A cell the reader could not give a value for (e.g. a formula saved without its value):
    an error on its row, whatever the column."""

    reason: str


class CellError(ValueError):
    """A cell whose value cannot be read under this module's rules (the message says why)."""


@dataclass
class ImportedRow:
    """One row of the run of show as it will be stored.

    ``line``: the spreadsheet row number (1-based, the header counted); ``length_ms`` None when
    unreadable; ``panelist``: the key of the matched (or new) panelist, None for no speaker;
    ``key_question``: a key question's key or None; ``errors``: why the row cannot be stored.
    """

    line: int
    title: str = ""
    kind: str = "discussion"
    length_ms: int | None = None
    speaker: str = ""
    panelist: str | None = None
    key_question: str | None = None
    notes: str = ""
    skip: bool = False
    auto_advance: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class Rundown:
    """A parsed run of show: ``rows`` in order, ``new_panelists`` (key, name) the speakers that
    match no panelist (added on import), ``errors`` about the whole file (no header, no title
    column...), ``notices`` (ignored columns). It can be stored when ``ok``."""

    rows: list[ImportedRow] = field(default_factory=list)
    new_panelists: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file and every row are free of errors and there is at least one row."""
        return not self.errors and bool(self.rows) and not any(r.errors for r in self.rows)


def normal_header(text: object) -> str:
    """A header cell as compared: lower case, ``_``/``-`` as spaces, single spaces, no ``:``/``*``."""
    out = re.sub(r"[_\-]+", " ", str(text or "")).strip().lower().rstrip(":*").strip()
    out = re.sub(r"\s*\(.*\)$", "", out)  # "duration (min)"
    return re.sub(r"\s+", " ", out)


def normal_name(text: str) -> str:
    """A person's name as matched: NFKC, case-folded, single spaces, a leading honorific dropped."""
    words = unicodedata.normalize("NFKC", text).casefold().replace(".", ". ").split()
    if len(words) > 1 and words[0].rstrip(".") in {h.rstrip(".") for h in _HONORIFICS}:
        words = words[1:]
    return " ".join(w.rstrip(".") if w.endswith(".") and len(w) > 2 else w for w in words)


def is_empty(value: object) -> bool:
    """True for a cell with nothing in it (None, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _ms_of_time(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1000 + value.microsecond // 1000


def read_length_ms(value: object) -> int:
    """A segment's length in ms from a cell (rules in the module docstring).

    Raises CellError for an empty cell, a date, a boolean, a negative or unreadable value.
    """
    if is_empty(value):
        raise CellError("no length")
    if isinstance(value, bool):
        raise CellError(f"{value} is not a length")
    if isinstance(value, datetime | date):
        raise CellError(f"{value:%Y-%m-%d} is a date, not a length")
    if isinstance(value, timedelta):
        ms = round(value.total_seconds() * 1000)
    elif isinstance(value, time):
        # "1:30" typed into an Excel cell is stored as 01:30:00: the same 1 h 30 min as the text.
        ms = _ms_of_time(value)
    elif isinstance(value, int | float):
        ms = round(value * 60_000)
    else:
        ms = _length_text(str(value))
    if ms < 0:
        raise CellError(f"{value!s} is negative")
    return ms


def _length_text(raw: str) -> int:
    text = raw.strip().lower()
    clock = _CLOCK.match(text)
    if clock:
        first, second, third = clock.groups()
        if third is None:  # h:mm
            return (int(first) * 60 + int(second)) * 60_000
        return ((int(first) * 60 + int(second)) * 60 + int(third)) * 1000
    number = _NUMBER_UNIT.match(text)
    if number and number.group(2) in ("", *_UNITS):
        unit = _UNITS.get(number.group(2), 60_000)
        return round(float(number.group(1).replace(",", ".")) * unit)
    raise CellError(f"cannot read {raw.strip()[:40]!r} as a length (write 10, 1:30 or 00:01:30)")


def read_time_of_day_ms(value: object) -> int:
    """A start or end time as ms after midnight, from ``10:30``, ``10:30:00``, ``10.30``, an
    ISO date-time text, a time or date-time cell, or an Excel day fraction (0 <= x < 1).
    Raises CellError otherwise (a bare date, a number of minutes, unreadable text)."""
    if isinstance(value, bool) or is_empty(value):
        raise CellError("no time")
    if isinstance(value, datetime):
        return _ms_of_time(value.time())
    if isinstance(value, time):
        return _ms_of_time(value)
    if isinstance(value, date):
        raise CellError(f"{value:%Y-%m-%d} is a date without a time of day")
    if isinstance(value, int | float):
        if 0 <= value < 1:
            return round(value * _DAY_MS)
        raise CellError(f"{value} is not a time of day")
    text = str(value).strip()
    match = re.match(r"^(\d{1,2})[:.h]([0-5]\d)(?::([0-5]\d))?\s*([ap]\.?m\.?)?$", text.lower())
    if match:
        hour, minute, second, half = match.groups()
        hour = int(hour)
        if half:
            if not 1 <= hour <= 12:
                raise CellError(f"{text!r} is not a time of day")
            hour = hour % 12 + (12 if half.startswith("p") else 0)
        if hour > 23:
            raise CellError(f"{text!r} is not a time of day")
        return ((hour * 60 + int(minute)) * 60 + int(second or 0)) * 1000
    try:
        return _ms_of_time(datetime.fromisoformat(text).time()) if len(text) > 10 else _no_time(text)
    except ValueError:
        raise CellError(f"cannot read {text[:40]!r} as a time of day (write 10:30)") from None


def _no_time(text: str) -> int:
    raise CellError(f"{text[:40]!r} is not a time of day (write 10:30)")


def read_flag(value: object) -> bool:
    """A yes/no cell (rules in the module docstring); raises CellError for anything else."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"cannot read {str(value).strip()[:40]!r} as yes or no")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def guess_kind(title: str, has_speaker: bool) -> str:
    """The segment kind when the file has no kind column: a speaker's slot is ``panelist``;
    otherwise from the title (opening/welcome, Q&A/questions, closing/wrap-up, poll), else
    ``discussion``."""
    if has_speaker:
        return "panelist"
    low = title.casefold()
    for kind, words in (("opening", ("opening", "welcome", "introduction")), ("qa", ("q&a", "q & a", "questions")),
                        ("closing", ("closing", "wrap", "close")), ("poll", ("poll",))):
        if any(w in low for w in words):
            return kind
    return "discussion"


def new_key(name: str, taken: set[str]) -> str:
    """A panelist key (``[a-z0-9-]{1,40}``) for ``name``, not in ``taken`` (which it extends)."""
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", normal_name(name))
                  .encode("ascii", "ignore").decode().lower()).strip("-")[:36] or "panelist"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _header(grid: list[list]) -> tuple[int | None, dict[int, str], list[str], list[str]]:
    """(index of the header row, column -> field, errors, notices)."""
    for index, row in enumerate(grid):
        if all(is_empty(v) for v in row):
            continue
        columns, errors, notices, seen = {}, [], [], {}
        if len(row) > MAX_COLUMNS and any(not is_empty(v) for v in row[MAX_COLUMNS:]):
            errors.append(f"The header has more than {MAX_COLUMNS} columns.")
        for col, cell in enumerate(row[:MAX_COLUMNS]):
            if is_empty(cell):
                continue
            fld = _FIELD_OF.get(normal_header(cell))
            if fld is None:
                notices.append(f"Column {_text(cell)[:40]!r} is not one forum-live reads; it is ignored.")
            elif fld in seen:
                errors.append(f"Two columns mean {fld.replace('_', ' ')}: {seen[fld]!r} and {_text(cell)!r}.")
            else:
                seen[fld] = _text(cell)
                columns[col] = fld
        if "title" not in seen:
            errors.append("No title column: the first row must name the columns (title, duration, speaker, ...).")
        if not {"duration", "end", "start"} & set(seen):
            errors.append("No duration, end or start column: each segment needs a length.")
        return index, columns, errors, notices
    return None, {}, ["The file is empty."], []


def parse_rundown(grid: list[list], panelists: list[tuple[str, str]], key_questions: list[tuple[str, str]],
                  merged_rows: frozenset[int] = frozenset()) -> Rundown:
    """Read ``grid`` (rows of cells, the first non-empty one the header) into a Rundown.

    ``panelists``: the event's (key, name) pairs, matched by ``normal_name``; a speaker matching
    none becomes a new panelist (one per distinct name). ``key_questions``: (key, text) pairs in
    order; a key question cell names one by key or by number (1-based). ``merged_rows``: grid
    indexes (0-based) covered by a vertically merged cell, which are errors (the value would be
    read on the first row only). Empty rows are skipped; more than MAX_ROWS rows is a file error.
    """
    out = Rundown()
    head, columns, out.errors, out.notices = _header(grid)
    if head is None or out.errors:
        return out
    by_name = {normal_name(name): key for key, name in panelists}
    taken = {key for key, _ in panelists}
    kq_keys = {key.casefold(): key for key, _ in key_questions}
    starts: list[int | None] = []
    for index in range(head + 1, len(grid)):
        row = grid[index]
        cells = {fld: row[col] if col < len(row) else None for col, fld in columns.items()}
        if all(is_empty(v) for v in cells.values()):
            continue
        if len(out.rows) >= MAX_ROWS:
            out.errors.append(f"More than {MAX_ROWS} rows: a run of show this long is not a panel session.")
            out.rows = []
            return out
        item = ImportedRow(line=index + 1)
        for fld, value in list(cells.items()):
            if isinstance(value, Unreadable):
                item.errors.append(f"{fld.replace('_', '-')}: {value.reason}")
                cells[fld] = None
        if index in merged_rows:
            item.errors.append("merged cells: unmerge them and fill in each row")
        item.title = _text(cells.get("title"))
        if not item.title:
            item.errors.append("no title")
        start = _cell(item, cells, "start", read_time_of_day_ms)
        end = _cell(item, cells, "end", read_time_of_day_ms)
        if not is_empty(cells.get("duration")):
            item.length_ms = _cell(item, cells, "duration", read_length_ms)
        elif start is not None and end is not None:
            item.length_ms = (end - start) % _DAY_MS or None
            if item.length_ms is None:
                item.errors.append("end is the same as start")
        starts.append(start)
        item.notes = _text(cells.get("notes"))
        item.skip = bool(_cell(item, cells, "skip", read_flag, empty=False))
        item.auto_advance = bool(_cell(item, cells, "auto_advance", read_flag, empty=False))
        item.speaker = _text(cells.get("speaker"))
        if item.speaker:
            wanted = normal_name(item.speaker)
            if wanted not in by_name:
                by_name[wanted] = new_key(item.speaker, taken)
                out.new_panelists.append((by_name[wanted], item.speaker))
            item.panelist = by_name[wanted]
        kind = _text(cells.get("kind")).casefold()
        item.kind = kind.replace("q&a", "qa") if kind else guess_kind(item.title, bool(item.speaker))
        kq = _text(cells.get("key_question"))
        if kq:
            if kq.isdigit() and 1 <= int(kq) <= len(key_questions):
                item.key_question = key_questions[int(kq) - 1][0]
            elif kq.casefold() in kq_keys:
                item.key_question = kq_keys[kq.casefold()]
            else:
                item.errors.append(f"key question {kq[:40]!r} is not one of this event's "
                                   f"(1 to {len(key_questions)}, or its key)")
        out.rows.append(item)
    _lengths_from_starts(out.rows, starts)
    if not out.rows:
        out.errors.append("No rows under the header.")
    return out


def _cell(item: ImportedRow, cells: dict, fld: str, read, empty=None):
    value = cells.get(fld)
    if is_empty(value):
        return empty
    try:
        return read(value)
    except CellError as exc:
        item.errors.append(f"{fld.replace('_', '-')}: {exc}")
        return None


def _lengths_from_starts(rows: list[ImportedRow], starts: list[int | None]) -> None:
    """A row with a start but no duration or end lasts until the next row's start."""
    for i, item in enumerate(rows):
        if item.length_ms is not None or any(e.startswith(("duration", "end", "start")) for e in item.errors):
            continue
        following = starts[i + 1] if i + 1 < len(starts) else None
        if starts[i] is not None and following is not None:
            item.length_ms = (following - starts[i]) % _DAY_MS or None
        if item.length_ms is None:
            item.errors.append("no length: give a duration, an end, or the next row's start")
