"""Editing an event in the browser (the event editor, ``/moderate/edit``): the event's facts,
the panelists, the run of show and the key questions with their sub-questions (prompts),
before and during the show.

Every change is checked under the event file's rules (eventfile's models and
``check_booked_end``: one set of rules for the file loader, the spreadsheet import and the
editor) and refused with ``ForumError("invalid_payload", fields={field: message})``: the page
shows each message next to its field. During the show: the segment on air's length acts as the
console's +/- time (run_of_show.adjust_segment); a segment that is on air or has run cannot be
removed or moved, and nothing is placed before it. Only flushes: the caller
(protocol/actions/editor.py) versions, audits, commits and broadcasts.
"""
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from ..domain.clock import to_ms
from ..domain.errors import ForumError
from ..eventfile import (
    EventInfo,
    KeyQuestionInfo,
    PanelistInfo,
    Person,
    SegmentInfo,
    check_booked_end,
    field_errors,
    local_to_utc,
)
from ..persistence.models import (
    Event,
    FloorChange,
    KeyQuestion,
    Panelist,
    PlanChange,
    Prompt,
    Question,
    Segment,
    Takeaway,
)
from .run_of_show import adjust_segment, clock_of, get_segment, set_auto_advance, skip_segment

#: The event's fields the editor changes (``edit_event``): the moderator's name and title too.
EVENT_FIELDS = ("title", "subtitle", "venue", "timezone", "start", "booked_end", "organisers", "themes",
                "moderator_name", "moderator_title", "screen_language")
PANELIST_FIELDS = ("name", "role", "organisation", "talk_title")
SEGMENT_FIELDS = ("kind", "title", "minutes", "panelist_id", "key_question_id", "auto_advance", "skip", "notes")
#: The event file's names of a segment's fields, where the editor's differ.
_SEGMENT_FILE_NAMES = {"panelist": "panelist_id", "key_question": "key_question_id"}
_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def invalid(fields: dict[str, str]) -> ForumError:
    """The refusal of an edit whose ``fields`` break the rules: ``invalid_payload`` with the
    first problem as the message and every one in ``fields`` (``{field: message}``)."""
    field, message = next(iter(fields.items()))
    return ForumError("invalid_payload", f"{field}: {message}", fields=fields)


def _check(model: type[BaseModel], data: dict, names: dict[str, str] | None = None) -> BaseModel:
    """``data`` validated by the event file's ``model``; raises ``invalid`` naming the editor's fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise invalid({(names or {}).get(k, k): v for k, v in errors.items()}) from None


def _local(value: datetime | None, timezone: str) -> str | None:
    return None if value is None else value.astimezone(ZoneInfo(timezone)).strftime(_LOCAL_FORMAT)


# ---- the editor's view --------------------------------------------------------------------------

def _has_run(event: Event, seg: Segment) -> bool:
    """True for the segment on air and those that have run: they stay where they are."""
    return seg.id == event.current_segment_id or seg.started_at is not None


def _first_free_position(event: Event) -> int:
    """The first place a segment may be put or moved to: after every segment on air or run."""
    return max((s.position + 1 for s in event.segments if _has_run(event, s)), default=0)


def _minutes_shown(event: Event, seg: Segment) -> float:
    """A segment's length in the editor, in minutes: the on-air one's with its +/- time."""
    ms = seg.planned_ms + (seg.adjust_ms if seg.id == event.current_segment_id else 0)
    return ms // 60_000 if ms % 60_000 == 0 else round(ms / 60_000, 3)


def _segment_state(event: Event, seg: Segment) -> str:
    if seg.id == event.current_segment_id:
        return "on-air"
    clock = clock_of(seg)
    if clock.skipped:
        return "skipped"
    return "done" if seg.started_at is not None else "to-come"


def editor_view(event: Event) -> dict:
    """What the editor shows and edits (shape in docs/protocol.md, ``editor:load``): the event's
    fields (``start``/``booked_end`` local to its time zone, ``YYYY-MM-DDTHH:MM``), panelists,
    key questions with their prompts (``[]`` when the only prompt is the question itself, as
    the file loader stores a question without sub-questions), segments (``minutes``: the
    on-air one's with its +/- time; ``state``: to-come | on-air | done | skipped) and
    ``first_free_position`` (where a segment may go)."""
    kq_prompts = {}
    for kq in event.key_questions:
        texts = [p.text for p in kq.prompts]
        kq_prompts[kq.id] = [] if texts == [kq.text] else texts
    return {
        "event": {"code": event.code, "title": event.title, "subtitle": event.subtitle, "venue": event.venue,
                  "room": event.room,
                  "timezone": event.timezone, "start": _local(event.scheduled_start_at, event.timezone),
                  "booked_end": _local(event.booked_end_at, event.timezone),
                  "organisers": list(event.organisers or []), "themes": list(event.themes or []),
                  "moderator_name": event.moderator_name, "moderator_title": event.moderator_title,
                  "screen_language": event.screen_language},
        "panelists": [{"id": p.id, "key": p.key, "name": p.name, "role": p.role, "organisation": p.organisation,
                       "talk_title": p.talk_title} for p in event.panelists],
        "key_questions": [{"id": k.id, "key": k.key, "number": k.position + 1, "text": k.text,
                           "prompts": kq_prompts[k.id]} for k in event.key_questions],
        "segments": [{"id": s.id, "position": s.position, "kind": s.kind, "title": s.title,
                      "minutes": _minutes_shown(event, s), "adjust_ms": s.adjust_ms, "panelist_id": s.panelist_id,
                      "key_question_id": s.key_question_id, "auto_advance": bool(s.auto_advance),
                      "skip": clock_of(s).skipped, "notes": s.notes or "", "state": _segment_state(event, s),
                      "started_ms": to_ms(s.started_at)} for s in event.segments],
        "first_free_position": _first_free_position(event),
        "show_started": any(s.started_at is not None for s in event.segments) or event.ended_at is not None,
    }


# ---- the event ----------------------------------------------------------------------------------

def _parse_local(value, field: str, required: bool, errors: dict) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = "a date and time is needed"
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        errors[field] = "a date and time, as 2026-09-13T10:30"
        return None


def edit_event(event: Event, changes: dict) -> list[str]:
    """Change the event's fields in ``changes`` (names of EVENT_FIELDS; ``start`` and
    ``booked_end`` local times in the event's time zone, after the change, as
    ``YYYY-MM-DDTHH:MM``; ``booked_end`` None or "" for none; ``organisers``/``themes`` lists of
    strings). Returns the names of the fields that changed. Raises ``invalid`` under the event
    file's rules (EventInfo, Person, check_booked_end); nothing changes then."""
    errors: dict[str, str] = {}
    zone = changes.get("timezone", event.timezone)
    stored_start = event.scheduled_start_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
    start = (_parse_local(changes["start"], "start", True, errors) if "start" in changes else stored_start)
    if "booked_end" in changes:
        booked = _parse_local(changes["booked_end"], "booked_end", False, errors)
    else:
        booked = (None if event.booked_end_at is None
                  else event.booked_end_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None))
    data = {"code": event.code, "title": changes.get("title", event.title),
            "subtitle": changes.get("subtitle", event.subtitle), "venue": changes.get("venue", event.venue),
            "room": event.room,  # the organiser's (/admin): a moderator never moves a session to another room
            "timezone": zone, "start": start, "booked_end": booked,
            "organisers": changes.get("organisers", list(event.organisers or [])),
            "themes": changes.get("themes", list(event.themes or [])),
            "screen_language": changes.get("screen_language", event.screen_language)}
    info = person = None
    try:
        info = EventInfo.model_validate(data)
    except ValidationError as exc:
        for k, v in field_errors(exc).items():
            errors.setdefault(k.split(".")[0], v)
    try:
        person = Person.model_validate({"name": changes.get("moderator_name", event.moderator_name),
                                        "title": changes.get("moderator_title", event.moderator_title)})
    except ValidationError as exc:
        errors.update({f"moderator_{k}": v for k, v in field_errors(exc).items()})
    if errors:
        raise invalid(errors)
    start_at = local_to_utc(info.start, info.timezone)
    booked_at = None if info.booked_end is None else local_to_utc(info.booked_end, info.timezone)
    try:
        check_booked_end(start_at, booked_at)
    except ValueError as exc:
        raise invalid({"booked_end": str(exc)}) from None
    new = {"title": info.title, "subtitle": info.subtitle, "venue": info.venue, "timezone": info.timezone,
           "scheduled_start_at": start_at, "booked_end_at": booked_at, "organisers": list(info.organisers),
           "themes": list(info.themes), "moderator_name": person.name, "moderator_title": person.title,
           "screen_language": info.screen_language}
    names = {"scheduled_start_at": "start", "booked_end_at": "booked_end"}
    changed = []
    for column, value in new.items():
        if getattr(event, column) != value:
            setattr(event, column, value)
            changed.append(names.get(column, column))
    return changed


# ---- panelists ----------------------------------------------------------------------------------

def _slug(text: str, taken: set[str], fallback: str) -> str:
    """A new key (the event file's ``[a-z0-9-]``) from ``text``, not in ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:32].strip("-") or fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def get_panelist(event: Event, panelist_id: int) -> Panelist:
    """Panelist ``panelist_id`` of ``event``; raises ForumError(not_found)."""
    found = next((p for p in event.panelists if p.id == panelist_id), None)
    if found is None:
        raise ForumError("not_found", f"No panelist {panelist_id} in this event.")
    return found


def _renumber(rows: list) -> None:
    for pos, row in enumerate(rows):
        row.position = pos


def _moved(rows: list, row, position: int, lowest: int = 0) -> list:
    rest = [r for r in rows if r is not row]
    rest.insert(min(max(position, lowest), len(rest)), row)
    return rest


def add_panelist(session: Session, event: Event, fields: dict) -> Panelist:
    """Add a panelist at the end (``fields``: PANELIST_FIELDS, ``name`` needed); the key is made
    from the name. Raises ``invalid`` under the event file's rules (PanelistInfo)."""
    key = _slug(fields.get("name") or "", {p.key for p in event.panelists}, "panelist")
    info = _check(PanelistInfo, {"key": key, **{k: fields.get(k) or "" for k in PANELIST_FIELDS}})
    row = Panelist(event_id=event.id, position=len(event.panelists), key=info.key, name=info.name, role=info.role,
                   organisation=info.organisation, talk_title=info.talk_title)
    session.add(row)
    session.flush()
    session.expire(event, ["panelists"])
    return row


def update_panelist(event: Event, panelist_id: int, fields: dict) -> list[str]:
    """Change panelist ``panelist_id``'s fields in ``fields`` (PANELIST_FIELDS); returns the
    names of those that changed. Raises ForumError(not_found), ``invalid``."""
    row = get_panelist(event, panelist_id)
    current = {k: getattr(row, k) for k in PANELIST_FIELDS}
    info = _check(PanelistInfo, {"key": row.key, **current, **{k: v or "" for k, v in fields.items()}})
    changed = [k for k in PANELIST_FIELDS if getattr(info, k) != current[k]]
    for k in changed:
        setattr(row, k, getattr(info, k))
    return changed


def remove_panelist(session: Session, event: Event, panelist_id: int) -> str:
    """Remove panelist ``panelist_id`` and return their name: their segments, questions and
    takeaways name nobody after it (questions go to all panelists). Raises ForumError(not_found),
    or invalid_state for the panelist of the segment on air and for one who has spoken in the
    show (their airtime belongs to the report)."""
    row = get_panelist(event, panelist_id)
    on_air = next((s for s in event.segments if s.id == event.current_segment_id), None)
    if on_air is not None and on_air.panelist_id == row.id:
        raise ForumError("invalid_state", f"{row.name} is the speaker of the segment on air ({on_air.title!r}): "
                                          "they cannot be removed now.")
    if session.scalar(select(exists().where(FloorChange.panelist_id == row.id))):
        raise ForumError("invalid_state", f"{row.name} has spoken in this show (their airtime is in the report): "
                                          "they cannot be removed. If that was a rehearsal, Reset… the run of show first.")
    for model, column in ((Question, Question.panelist_id), (Question, Question.answered_by_id),
                          (Takeaway, Takeaway.panelist_id), (Segment, Segment.panelist_id)):
        session.execute(update(model).where(column == row.id).values({column.key: None}))
    name = row.name
    rest = [p for p in event.panelists if p is not row]
    session.delete(row)
    _renumber(rest)
    session.flush()
    session.expire(event, ["panelists", "segments"])
    return name


def move_panelist(event: Event, panelist_id: int, position: int) -> Panelist:
    """Put panelist ``panelist_id`` at place ``position`` (0-based, clamped to the list)."""
    row = get_panelist(event, panelist_id)
    _renumber(_moved(list(event.panelists), row, position))
    return row


# ---- the run of show ----------------------------------------------------------------------------

def _keys(event: Event) -> tuple[dict[int, str], dict[int, str]]:
    return {p.id: p.key for p in event.panelists}, {k.id: k.key for k in event.key_questions}


def _segment_info(event: Event, fields: dict) -> SegmentInfo:
    """The event file's segment for the editor's ``fields`` (ids of the event's panelist and
    key question, or None); raises ``invalid`` naming the editor's fields."""
    panelists, questions = _keys(event)
    errors = {}
    for field, known in (("panelist_id", panelists), ("key_question_id", questions)):
        if fields.get(field) is not None and fields[field] not in known:
            errors[field] = "not one of this event's"
    if errors:
        raise invalid(errors)
    data = {k: fields.get(k) for k in ("kind", "title", "minutes", "notes")}
    data["notes"] = data["notes"] or ""
    data["title"] = data["title"] or ""
    data.update(panelist=panelists.get(fields.get("panelist_id")),
                key_question=questions.get(fields.get("key_question_id")),
                auto_advance=bool(fields.get("auto_advance")), skip=bool(fields.get("skip")))
    return _check(SegmentInfo, data, _SEGMENT_FILE_NAMES)


def add_segment(session: Session, event: Event, fields: dict, position: int | None, now: datetime) -> Segment:
    """Add a segment (``fields``: SEGMENT_FIELDS; ``kind``, ``title`` and ``minutes`` needed) at
    place ``position`` (0-based; None: the end). Raises ``invalid`` under the event file's rules
    (SegmentInfo), ForumError(invalid_state) for a place before a segment on air or run."""
    info = _segment_info(event, fields)
    segments = list(event.segments)
    lowest = _first_free_position(event)
    position = len(segments) if position is None else max(position, 0)
    if position < lowest:
        raise ForumError("invalid_state", "A new segment goes after the segment on air and those that have run.",
                         fields={"position": "after the segment on air"})
    row = Segment(event_id=event.id, position=0, kind=info.kind, title=info.title,
                  panelist_id=fields.get("panelist_id"), key_question_id=fields.get("key_question_id"),
                  planned_ms=round(info.minutes * 60_000), wrap_up_ms=info.wrap_up_seconds * 1000,
                  auto_advance=info.auto_advance, notes=info.notes, prompt_index=0, adjust_ms=0, paused_total_ms=0,
                  left_at=now if info.skip else None)
    session.add(row)
    segments.insert(min(position, len(segments)), row)
    _renumber(segments)
    session.flush()
    session.expire(event, ["segments"])
    return row


def update_segment(event: Event, segment_id: int, fields: dict, now: datetime) -> dict:
    """Change segment ``segment_id``'s fields in ``fields`` (SEGMENT_FIELDS). On the segment on
    air, a new ``minutes`` acts as +/- time (the difference to its length now goes to its
    adjustment, as the console's +/- does); a segment that has run keeps its length; ``skip``
    follows the console's rules (run_of_show.skip_segment). Returns ``{"changed": [names],
    "adjust_ms": the +/- time it made or 0}``. Raises ForumError(not_found), ``invalid``, or
    invalid_state with the reason."""
    seg = get_segment(event, segment_id)
    on_air = seg.id == event.current_segment_id
    current = {"kind": seg.kind, "title": seg.title, "minutes": _minutes_shown(event, seg),
               "panelist_id": seg.panelist_id, "key_question_id": seg.key_question_id,
               "auto_advance": bool(seg.auto_advance), "skip": clock_of(seg).skipped, "notes": seg.notes or ""}
    info = _segment_info(event, {**current, **fields})
    changed = [k for k in ("kind", "title", "notes") if getattr(info, k) != current[k]]
    for k in changed:
        setattr(seg, k, getattr(info, k))
    for field in ("panelist_id", "key_question_id"):
        if field in fields and fields[field] != current[field]:
            setattr(seg, field, fields[field])
            changed.append(field)
    if "key_question_id" in changed:
        seg.prompt_index = 0
    adjusted = 0
    new_ms = round(info.minutes * 60_000)
    if new_ms != round(current["minutes"] * 60_000):
        if on_air:
            delta = new_ms - (seg.planned_ms + seg.adjust_ms)
            try:
                adjust_segment(event, delta)
            except ForumError as exc:
                raise ForumError(exc.code, exc.message, fields={"minutes": exc.message}) from None
            adjusted = delta
        elif seg.started_at is not None:
            raise ForumError("invalid_state", f"{seg.title!r} has run: its length stays as it was, for the report.",
                             fields={"minutes": "this segment has run"})
        else:
            seg.planned_ms = new_ms
        changed.append("minutes")
    if info.auto_advance != current["auto_advance"]:
        set_auto_advance(event, seg.id, info.auto_advance)
        changed.append("auto_advance")
    if info.skip != current["skip"]:
        if seg.started_at is not None and not on_air:
            raise ForumError("invalid_state", f"{seg.title!r} has run: it cannot be skipped now.",
                             fields={"skip": "this segment has run"})
        try:
            skip_segment(event, seg.id, info.skip, now)
        except ForumError as exc:
            raise ForumError(exc.code, exc.message, fields={"skip": exc.message}) from None
        changed.append("skip")
    return {"changed": changed, "adjust_ms": adjusted}


def _refuse_if_run(event: Event, seg: Segment, verb: str) -> None:
    if seg.id == event.current_segment_id:
        raise ForumError("invalid_state", f"{seg.title!r} is on air: it cannot be {verb}. "
                                          "Move on to another segment first.")
    if seg.started_at is not None:
        raise ForumError("invalid_state", f"{seg.title!r} has run: it cannot be {verb} (it stays in the report).")


def remove_segment(session: Session, event: Event, segment_id: int) -> str:
    """Remove a segment still to come (or skipped without running) and return its title; its
    takeaways lose the segment tag, a plan change's cut on it is forgotten. Raises
    ForumError(not_found), or invalid_state for the segment on air, one that has run, or the
    last one (a run of show has at least one segment, as an event file)."""
    seg = get_segment(event, segment_id)
    _refuse_if_run(event, seg, "removed")
    if len(event.segments) == 1:
        raise ForumError("invalid_state", "The run of show needs at least one segment.")
    session.execute(update(Takeaway).where(Takeaway.segment_id == seg.id).values(segment_id=None))
    session.execute(delete(FloorChange).where(FloorChange.segment_id == seg.id))
    for change in session.scalars(select(PlanChange).where(PlanChange.event_id == event.id)):
        if str(seg.id) in (change.cuts or {}):
            change.cuts = {k: v for k, v in change.cuts.items() if k != str(seg.id)}
    title = seg.title
    rest = [s for s in event.segments if s is not seg]
    session.delete(seg)
    _renumber(rest)
    session.flush()
    session.expire(event, ["segments"])
    return title


def move_segment(event: Event, segment_id: int, position: int) -> Segment:
    """Put a segment still to come at place ``position`` (0-based, clamped to the places after
    the segment on air and those that have run). Raises ForumError(not_found), invalid_state."""
    seg = get_segment(event, segment_id)
    _refuse_if_run(event, seg, "moved")
    _renumber(_moved(list(event.segments), seg, position, _first_free_position(event)))
    return seg


# ---- key questions ------------------------------------------------------------------------------

def get_key_question(event: Event, key_question_id: int) -> KeyQuestion:
    """Key question ``key_question_id`` of ``event``; raises ForumError(not_found)."""
    found = next((k for k in event.key_questions if k.id == key_question_id), None)
    if found is None:
        raise ForumError("not_found", f"No key question {key_question_id} in this event.")
    return found


def _set_prompts(session: Session, event: Event, kq: KeyQuestion, texts: list[str]) -> None:
    """Make ``kq``'s prompts ``texts`` (the question itself when none), keeping the rows (and
    ids) of the places that stay; a prompt on the projector that goes takes the scene back to
    the timer; each segment's place in the deck stays within it."""
    texts = texts or [kq.text]
    rows = list(kq.prompts)
    for i, text in enumerate(texts):
        if i < len(rows):
            rows[i].text = text
        else:
            session.add(Prompt(key_question_id=kq.id, position=i, text=text))
    for gone in rows[len(texts):]:
        if event.scene_prompt_id == gone.id:
            event.scene_prompt_id = None
            if event.scene == "prompt":
                event.scene = "timer"
        session.flush()
        session.delete(gone)
    for seg in event.segments:
        if seg.key_question_id == kq.id:
            seg.prompt_index = min(seg.prompt_index or 0, len(texts) - 1)
    session.flush()
    session.expire(kq, ["prompts"])


def add_key_question(session: Session, event: Event, text: str, prompts: list[str]) -> KeyQuestion:
    """Add a key question with its sub-questions ``prompts`` (none: the question is its one
    prompt, as in an event file). Raises ``invalid`` under the event file's rules (KeyQuestionInfo)."""
    taken = {k.key for k in event.key_questions}
    key = _slug(f"kq-{len(taken) + 1}", taken, "kq")
    info = _check(KeyQuestionInfo, {"key": key, "text": text or "", "prompts": list(prompts)})
    row = KeyQuestion(event_id=event.id, position=len(event.key_questions), key=info.key, text=info.text)
    session.add(row)
    session.flush()
    _set_prompts(session, event, row, list(info.prompts))
    session.expire(event, ["key_questions"])
    return row


def update_key_question(session: Session, event: Event, key_question_id: int, fields: dict) -> list[str]:
    """Change a key question's ``text`` and/or ``prompts`` (its sub-questions, replaced as a
    whole); returns the names that changed. Raises ForumError(not_found), ``invalid``."""
    kq = get_key_question(event, key_question_id)
    stored = [p.text for p in kq.prompts]
    current_prompts = [] if stored == [kq.text] else stored
    info = _check(KeyQuestionInfo, {"key": kq.key, "text": fields.get("text", kq.text) or "",
                                    "prompts": list(fields.get("prompts", current_prompts) or [])})
    changed = []
    if info.text != kq.text:
        kq.text = info.text
        changed.append("text")
    if list(info.prompts) != current_prompts:
        changed.append("prompts")
    if changed:
        _set_prompts(session, event, kq, list(info.prompts))
    return changed


def remove_key_question(session: Session, event: Event, key_question_id: int) -> str:
    """Remove a key question and its prompts and return its text; segments and takeaways tagged
    with it name none after it. Raises ForumError(not_found), or invalid_state for the key
    question of the segment on air."""
    kq = get_key_question(event, key_question_id)
    on_air = next((s for s in event.segments if s.id == event.current_segment_id), None)
    if on_air is not None and on_air.key_question_id == kq.id:
        raise ForumError("invalid_state", f"This key question is on air (segment {on_air.title!r}): "
                                          "it cannot be removed now.")
    prompt_ids = [p.id for p in kq.prompts]
    if event.scene_prompt_id in prompt_ids:
        event.scene_prompt_id = None
        if event.scene == "prompt":
            event.scene = "timer"
    session.flush()
    session.execute(delete(Prompt).where(Prompt.key_question_id == kq.id))
    session.expire(kq, ["prompts"])
    for model, column in ((Takeaway, Takeaway.key_question_id), (Segment, Segment.key_question_id)):
        session.execute(update(model).where(column == kq.id).values({column.key: None}))
    text = kq.text
    rest = [k for k in event.key_questions if k is not kq]
    session.delete(kq)
    _renumber(rest)
    session.flush()
    session.expire(event, ["key_questions", "segments"])
    return text
