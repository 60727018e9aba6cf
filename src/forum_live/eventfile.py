"""Reading an event file (TOML): the run of show, people, key questions and polls of one panel.

The format is documented in docs/event-file.md; this module is its schema. Local times in the
file are read in the event's time zone and turned into aware UTC datetimes at once.
"""
import re
import tomllib
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .domain.agenda import SEGMENT_KINDS
from .domain.polls import KINDS as POLL_KINDS
from .i18n import SCREEN_LANGUAGES

DEFAULT_EVENT = "ilo-solution-forum-2022.toml"
#: The years an event's start and booked end may be in (a typo such as 0001 or 9999 is refused).
FIRST_YEAR, LAST_YEAR = 2000, 2999


class EventFileError(ValueError):
    """An event file that cannot be read or does not follow docs/event-file.md."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class EventInfo(_Strict):
    code: str
    title: str = Field(min_length=1, max_length=200)
    subtitle: str = Field("", max_length=300)
    venue: str = Field("", max_length=200)
    # The room within the venue (several events on one server are listed and filtered by it).
    room: str = Field("", max_length=100)
    timezone: str
    # strict: a bare date (no time of day) is refused instead of read as midnight.
    start: datetime = Field(strict=True)
    booked_end: datetime | None = Field(None, strict=True)
    organisers: list[str] = []
    themes: list[str] = []
    # The language of the projector and the stage view (the phones follow each phone's own).
    screen_language: str = "en"

    @field_validator("screen_language")
    @classmethod
    def _screen_language(cls, value: str) -> str:
        if value not in SCREEN_LANGUAGES:
            raise ValueError(f"screen_language must be one of {', '.join(SCREEN_LANGUAGES)}, not {value[:20]!r}")
        return value

    @field_validator("start", "booked_end")
    @classmethod
    def _plausible_year(cls, value: datetime | None) -> datetime | None:
        # A mistyped year (0001, 9999) would be stored, relabel a real show as a rehearsal, or
        # overflow when turned into UTC: a panel happens between these years.
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}, not {value.year}")
        return value

    @field_validator("room")
    @classmethod
    def _room_name(cls, value: str) -> str:
        # A room is in its projector's link (/room/<room>/screen): "." or "/" alone would be no name.
        if value and not any(c.isalnum() for c in value):
            raise ValueError("a room's name needs at least one letter or digit")
        return value

    @field_validator("code")
    @classmethod
    def _upper_code(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9]{3,12}", value):
            raise ValueError("the code is 3 to 12 letters or digits (A-Z, 0-9), without spaces")
        # Codes are looked up upper-cased (services.events.get_event): store them that way too.
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Person(_Strict):
    name: str = Field(min_length=1, max_length=120)
    title: str = Field("", max_length=200)


class PanelistInfo(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    name: str = Field(min_length=1, max_length=120)
    role: str = Field("", max_length=120)
    organisation: str = Field("", max_length=200)
    talk_title: str = Field("", max_length=200)


class KeyQuestionInfo(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    text: str = Field(min_length=1, max_length=500)
    prompts: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(default_factory=list)


class SegmentInfo(_Strict):
    kind: Literal[SEGMENT_KINDS]  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    minutes: float = Field(gt=0, le=600, strict=True)  # strict: `minutes = true` is refused
    panelist: str | None = None
    key_question: str | None = None
    wrap_up_seconds: int = Field(120, ge=0, le=3600)
    auto_advance: bool = Field(False, strict=True)
    skip: bool = Field(False, strict=True)
    notes: str = Field("", max_length=2000)


class PollInfo(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    kind: Literal[POLL_KINDS]  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=300)
    # An option's label is stored in a 200-character column (PostgreSQL enforces it).
    options: list[Annotated[str, Field(min_length=1, max_length=200)]] = []
    max_choices: int | None = Field(None, ge=1, le=12)
    scale_max: int = Field(5, ge=2, le=10)
    live_results: bool = Field(False, strict=True)  # strict: "yes" is refused, not read as true
    auto_close_seconds: int | None = Field(None, ge=5, le=3600, strict=True)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> "PollInfo":
        choice = self.kind in ("single", "multiple")
        if choice and not 2 <= len(self.options) <= 12:
            raise ValueError(f"a {self.kind}-choice poll needs 2 to 12 options")
        if not choice and self.options:
            raise ValueError(f"a {self.kind} poll has no options")
        if self.max_choices is not None and (self.kind != "multiple" or self.max_choices > len(self.options)):
            raise ValueError("max_choices is for multiple-choice polls, at most the number of options")
        return self


class EventSpec(_Strict):
    """A whole event file, validated; instants in ``start_at``/``booked_end_at`` are UTC."""

    event: EventInfo
    moderator: Person
    panelists: list[PanelistInfo] = []
    key_questions: list[KeyQuestionInfo] = []
    segments: list[SegmentInfo] = Field(min_length=1)
    polls: list[PollInfo] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> "EventSpec":
        panelists = {p.key for p in self.panelists}
        questions = {q.key for q in self.key_questions}
        for seg in self.segments:
            if seg.panelist is not None and seg.panelist not in panelists:
                raise ValueError(f"segment {seg.title!r} names unknown panelist {seg.panelist!r}")
            if seg.key_question is not None and seg.key_question not in questions:
                raise ValueError(f"segment {seg.title!r} names unknown key question {seg.key_question!r}")
        for table, items in (("panelists", self.panelists), ("key_questions", self.key_questions),
                             ("polls", self.polls)):
            seen = set()
            for item in items:
                if item.key in seen:
                    raise ValueError(f"{table}: the key {item.key!r} is used twice")
                seen.add(item.key)
        check_booked_end(self.start_at, self.booked_end_at)
        return self

    def _local(self, value: datetime) -> datetime:
        return local_to_utc(value, self.event.timezone)

    @property
    def start_at(self) -> datetime:
        """The scheduled start as an aware UTC datetime."""
        return self._local(self.event.start)

    @property
    def booked_end_at(self) -> datetime | None:
        """The end of the booked slot as an aware UTC datetime, or None."""
        return None if self.event.booked_end is None else self._local(self.event.booked_end)


def local_to_utc(value: datetime, timezone: str) -> datetime:
    """``value`` (a local time in ``timezone``, or already aware) as an aware UTC datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(UTC)


def check_booked_end(start_at: datetime, booked_end_at: datetime | None) -> None:
    """The booked slot's rule (the file loader's and the editor's): raises ValueError when
    ``booked_end_at`` is not after ``start_at``."""
    if booked_end_at is not None and booked_end_at <= start_at:
        raise ValueError("booked_end must be after start")


def field_errors(exc: ValidationError) -> dict[str, str]:
    """``{field: message}`` of a validation error of one of this module's models (the first
    message per field; an item of a list as ``prompts.1``; ``(item)`` for a rule on the whole
    item), for errors shown next to the field (the browser's event editor)."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = err["loc"]
        field = ".".join(str(p) for p in loc[:2]) if len(loc) > 1 and isinstance(loc[1], int) else (
            str(loc[0]) if loc else "(item)")
        out.setdefault(field, err["msg"].removeprefix("Value error, "))
    return out


def parse_event(text: str, source: str = "<event file>") -> EventSpec:
    """Parse TOML ``text`` into an EventSpec; raises EventFileError naming ``source`` and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EventFileError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return EventSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors())
        raise EventFileError(f"{source}: {problems}") from exc


def load_event_file(path: str | Path | None = None) -> EventSpec:
    """Read the event file at ``path``, or the shipped default event if None."""
    if path is None:
        text = resources.files("forum_live.events").joinpath(DEFAULT_EVENT).read_text("utf-8")
        return parse_event(text, DEFAULT_EVENT)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise EventFileError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_event(text, str(path))
