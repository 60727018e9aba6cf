"""The organiser's events (/admin): several events on one server, listed, made, archived, deleted.

An event made here gets its own code and its own moderator token (kept only as a SHA-256 digest
in ``event.moderator_digest``; the plain token is returned once, to be shown once). Its projector,
stage and rapporteur keys are HMACs of its code (forum_live.identity.view_key), so they are its
own too. Events are made from an event file's data (forum_live.eventfile: one set of rules for
the file loader and this page), whichever way the organiser starts: blank, a shipped template, a
copy of another event, or an uploaded event file.
"""
import hashlib
import secrets
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..domain.errors import ForumError
from ..eventfile import EventFileError, EventInfo, EventSpec
from ..persistence.models import (
    Ballot,
    DeviceJoin,
    Event,
    FloorChange,
    KeyQuestion,
    ModeratorAction,
    Panelist,
    PlanChange,
    Poll,
    PollOption,
    Prompt,
    Question,
    QuestionEdit,
    Segment,
    StageCue,
    Takeaway,
    Vote,
)
from .events import load_event
from .rundown import show_started
from .rundown_exports import event_file

#: Event states as the organiser's page lists them.
STATES = ("upcoming", "live", "ended", "archived")
#: Characters of generated event codes: no 0/O, 1/I/L, so a code read aloud or off a slide is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
#: Ways to start a new event.
SOURCES = ("blank", "template", "copy", "file")


@dataclass(frozen=True)
class EventRow:
    """One line of the organiser's list: ``day`` is the local date of the scheduled start in the
    event's time zone, ``start``/``end`` local datetimes (``end``: booked end, else None)."""

    code: str
    title: str
    room: str
    timezone: str
    day: date
    start: datetime
    end: datetime | None
    state: str
    own_token: bool
    start_event: bool


def event_state(event: Event) -> str:
    """``archived`` (the organiser put it away), ``ended``, ``live`` (the show started and has
    not ended) or ``upcoming``."""
    if event.archived_at is not None:
        return "archived"
    if event.ended_at is not None:
        return "ended"
    return "live" if show_started(event) else "upcoming"


def list_events(session: Session, start_code: str, *, day: date | None = None, room: str | None = None,
                archived: bool = False) -> list[EventRow]:
    """The server's events by scheduled start, filtered by local ``day`` and ``room`` (exact,
    case-insensitive); the archived events instead of the others with ``archived``. ``start_code``: the event loaded at
    start (marked, it cannot be deleted)."""
    rows = []
    for event in session.scalars(select(Event).order_by(Event.scheduled_start_at, Event.code)):
        zone = ZoneInfo(event.timezone)
        start = event.scheduled_start_at.astimezone(zone)
        row = EventRow(code=event.code, title=event.title, room=event.room, timezone=event.timezone,
                       day=start.date(), start=start,
                       end=event.booked_end_at.astimezone(zone) if event.booked_end_at else None,
                       state=event_state(event), own_token=event.moderator_digest is not None,
                       start_event=event.code == start_code)
        if (row.state == "archived") != archived:
            continue
        if day is not None and row.day != day:
            continue
        if room and row.room.casefold() != room.strip().casefold():
            continue
        rows.append(row)
    return rows


def rooms_and_days(session: Session) -> tuple[list[str], list[date]]:
    """Every room named by an event (sorted, case kept as first written) and every local day with
    an event, for the page's filters."""
    rooms: dict[str, str] = {}
    days: set[date] = set()
    for event in session.scalars(select(Event)):
        if event.room:
            rooms.setdefault(event.room.casefold(), event.room)
        days.add(event.scheduled_start_at.astimezone(ZoneInfo(event.timezone)).date())
    return sorted(rooms.values(), key=str.casefold), sorted(days)


def room_event(session: Session, room: str) -> Event | None:
    """The event a room's projector shows now: the live one in ``room`` (case-insensitive; the
    latest started if several are), else the next upcoming one (earliest scheduled start), else
    the one that ended last; never an archived event. None for a room without events."""
    wanted = room.strip().casefold()
    if not wanted:
        return None
    events = [e for e in session.scalars(select(Event).where(Event.archived_at.is_(None)))
              if e.room.strip().casefold() == wanted]
    by_state: dict[str, list[Event]] = {}
    for event in events:
        by_state.setdefault(event_state(event), []).append(event)
    if by_state.get("live"):
        return max(by_state["live"], key=lambda e: max((s.started_at for s in e.segments if s.started_at),
                                                       default=e.scheduled_start_at))
    if by_state.get("upcoming"):
        return min(by_state["upcoming"], key=lambda e: (e.scheduled_start_at, e.code))
    if by_state.get("ended"):
        return max(by_state["ended"], key=lambda e: e.ended_at)
    return None


def templates() -> dict[str, str]:
    """The shipped event files that can start a new event: ``{file name: title}``
    (src/forum_live/events/*.toml)."""
    found = {}
    for item in sorted(resources.files("forum_live.events").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            found[item.name] = tomllib.loads(item.read_text("utf-8"))["event"]["title"]
    return found


def _template_data(name: str) -> dict:
    if name not in templates():
        raise ForumError("unknown_template", f"There is no template {name[:60]!r}.")
    return tomllib.loads(resources.files("forum_live.events").joinpath(name).read_text("utf-8"))


def blank_data(timezone: str) -> dict:
    """The smallest event there is: a title to change, one 60-minute discussion segment, no
    panelists yet (the organiser or its moderator adds them)."""
    return {"event": {"code": "NEW", "title": "New panel", "timezone": timezone,
                      "start": datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)},
            "moderator": {"name": "Moderator"},
            "segments": [{"kind": "discussion", "title": "Panel discussion", "minutes": 60}]}


def source_data(session: Session, source: str, *, template: str | None = None, copy_of: str | None = None,
                upload: bytes | None = None, upload_name: str = "event file", timezone: str = "UTC") -> dict:
    """The event-file data a new event starts from (a dict as tomllib reads an event file).

    ``source``: ``blank`` (``blank_data(timezone)``), ``template`` (a shipped file, ``template``
    its name, in ``timezone``), ``copy`` (the plan of event ``copy_of``: people, key questions, run of show,
    polls; never its questions, ballots or timings), ``file`` (``upload``: UTF-8 TOML bytes).
    Raises ForumError(invalid) for an unknown source, unreadable upload or unknown event or
    template; EventFileError (with the field) for a file that breaks docs/event-file.md.
    """
    if source == "blank":
        return blank_data(timezone)
    if source == "template":
        data = _template_data(template or "")
        # A template's code and time zone are placeholders: the new event gets its own code, and
        # the server's event's time zone (an expo's sessions share one).
        data["event"].pop("code", None)
        data["event"]["timezone"] = timezone
        return data
    if source == "copy":
        original = session.scalar(select(Event).where(Event.code == (copy_of or "").strip().upper()))
        if original is None:
            raise ForumError("unknown_event", f"There is no event with the code {(copy_of or '')[:20]!r} to copy.")
        return tomllib.loads(event_file(original))
    if source == "file":
        if not upload:
            raise ForumError("invalid", "Choose an event file (.toml) to upload.")
        try:
            text = upload.decode("utf-8")
        except UnicodeDecodeError:
            raise ForumError("invalid", f"{upload_name[:80]}: not a text file (an event file is UTF-8 TOML).") from None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise EventFileError(f"{upload_name[:80]}: not valid TOML: {exc}") from exc
    raise ForumError("invalid", f"Unknown way to make an event: {str(source)[:20]!r}.")


def _new_code(session: Session) -> str:
    taken = set(session.scalars(select(Event.code)))
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def new_token() -> tuple[str, str]:
    """A new moderator token and its hex SHA-256 (what is stored): ``(plain, digest)``."""
    plain = secrets.token_urlsafe(18)
    return plain, hashlib.sha256(plain.encode()).hexdigest()


def create_event(session: Session, data: dict, now: datetime, *, code: str | None = None, title: str | None = None,
                 room: str | None = None, start: datetime | None = None) -> tuple[Event, str]:
    """Store a new event made from event-file ``data`` with the organiser's overrides, and give
    it its own moderator token. Returns ``(event, plain token)``: the token is shown once.

    ``code``: the new event's code (3-12 letters or digits), else a new random one of
    ``CODE_LENGTH`` (the file's own code is used only for ``file`` data when no code is given);
    ``title``, ``room``: replace the file's; ``start``: a naive local datetime in the event's time
    zone replacing the file's start (the booked end moves with it, keeping the slot's length).
    Raises ForumError(code_taken) for a code in use, EventFileError naming the field for data that
    breaks docs/event-file.md (nothing is stored then).
    """
    data = {**data, "event": dict(data.get("event") or {})}
    info = data["event"]
    if code is not None and code.strip():
        info["code"] = code.strip()
    elif not info.get("code") or session.scalar(select(Event.id).where(Event.code == str(info["code"]).upper())):
        info["code"] = _new_code(session)
    if title is not None and title.strip():
        info["title"] = title.strip()
    if room is not None:
        info["room"] = room.strip()
    if start is not None:
        old = info.get("start")
        info["start"] = start
        if isinstance(old, datetime) and isinstance(info.get("booked_end"), datetime):
            old_naive, end_naive = old.replace(tzinfo=None), info["booked_end"].replace(tzinfo=None)
            try:
                info["booked_end"] = start + (end_naive - old_naive)
            except OverflowError:
                raise EventFileError("event.start: too far in the future") from None
    try:
        spec = EventSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: "
                             f"{err['msg'].removeprefix('Value error, ')}" for err in exc.errors())
        raise EventFileError(problems) from exc
    if session.scalar(select(Event.id).where(Event.code == spec.event.code)) is not None:
        raise ForumError("code_taken", f"The code {spec.event.code} is already used by another event: choose another.")
    event, created = load_event(session, spec)
    if not created:  # pragma: no cover - checked just above, in the same transaction
        raise ForumError("code_taken", f"The code {spec.event.code} is already used by another event: choose another.")
    plain, digest = new_token()
    event.moderator_digest = digest
    session.flush()
    return event, plain


def new_moderator_token(session: Session, event: Event) -> str:
    """Give ``event`` a new moderator token (the old one, or the server's, no longer opens its
    console; consoles signed in with it are signed out). Returns the plain token, to be shown once."""
    plain, digest = new_token()
    event.moderator_digest = digest
    session.flush()
    return plain


def set_room(session: Session, event: Event, room: str) -> None:
    """Put ``event`` in ``room`` (trimmed; "" for none) under the event file's rule (at most 100
    characters, a letter or digit). Raises ForumError(invalid) naming the rule."""
    room = (room or "").strip()
    try:
        EventInfo.model_validate({"code": event.code, "title": event.title, "timezone": event.timezone,
                                  "start": event.scheduled_start_at.replace(tzinfo=None), "room": room})
    except ValidationError as exc:
        problems = "; ".join(err["msg"].removeprefix("Value error, ") for err in exc.errors() if err["loc"] == ("room",))
        raise ForumError("invalid", f"Room: {problems or 'not a room name'}.") from None
    event.room = room
    session.flush()


def archive_event(session: Session, event: Event, now: datetime, archived: bool = True) -> None:
    """Archive ``event`` (hidden from the organiser's list, kept whole) or bring it back.
    Raises ForumError(invalid_state) while its show is live."""
    if archived and event_state(event) == "live":
        raise ForumError("invalid_state", f"{event.code} is live: end its show before archiving it.")
    event.archived_at = now if archived else None
    session.flush()


def delete_event(session: Session, event: Event, start_code: str) -> None:
    """Delete ``event`` and everything stored for it (questions, votes, ballots, takeaways, the
    activity log). Raises ForumError(invalid_state) while it is live, and for the server's own
    event (``start_code``: it would be loaded again at the next start)."""
    if event.code == start_code:
        raise ForumError("invalid_state", f"{event.code} is the event this server was started with: it cannot be "
                                          "deleted while the server runs it (archive it instead).")
    if event_state(event) == "live":
        raise ForumError("invalid_state", f"{event.code} is live: end its show before deleting it.")
    eid = event.id
    session.execute(update(Event).where(Event.id == eid).values(
        current_segment_id=None, scene_prompt_id=None, scene_poll_id=None, highlighted_question_id=None))
    questions = select(Question.id).where(Question.event_id == eid).scalar_subquery()
    polls = select(Poll.id).where(Poll.event_id == eid).scalar_subquery()
    key_questions = select(KeyQuestion.id).where(KeyQuestion.event_id == eid).scalar_subquery()
    session.execute(update(Question).where(Question.event_id == eid).values(merged_into_id=None))
    session.execute(delete(Vote).where(Vote.question_id.in_(questions)))
    session.execute(delete(QuestionEdit).where(QuestionEdit.question_id.in_(questions)))
    session.execute(delete(Question).where(Question.event_id == eid))
    session.execute(delete(Ballot).where(Ballot.poll_id.in_(polls)))
    session.execute(delete(PollOption).where(PollOption.poll_id.in_(polls)))
    session.execute(delete(Poll).where(Poll.event_id == eid))
    for model in (Takeaway, FloorChange, PlanChange, StageCue, DeviceJoin, ModeratorAction):
        session.execute(delete(model).where(model.event_id == eid))
    session.execute(delete(Segment).where(Segment.event_id == eid))
    session.execute(delete(Prompt).where(Prompt.key_question_id.in_(key_questions)))
    session.execute(delete(KeyQuestion).where(KeyQuestion.event_id == eid))
    session.execute(delete(Panelist).where(Panelist.event_id == eid))
    session.execute(delete(Event).where(Event.id == eid))
    session.expunge(event)
    session.flush()


__all__ = ["CODE_ALPHABET", "SOURCES", "STATES", "EventRow", "archive_event", "blank_data", "create_event",
           "delete_event", "event_state", "list_events", "new_moderator_token", "new_token", "room_event", "rooms_and_days",
           "set_room", "source_data", "templates"]
