"""Replacing the run of show with an imported one (a spreadsheet's rows), before the show.

``preview_import`` reads a file (services.rundown_files, domain.rundown) and checks every row
under the event file's rules (eventfile.SegmentInfo, PanelistInfo: one set of rules for the
file loader and the import), storing nothing. ``import_run_of_show`` stores rows of that shape
(the console sends back the preview's rows) after checking them again; it only flushes: the
caller (protocol action ``run:import``) versions, audits, commits and broadcasts.
"""
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from ..domain.errors import ForumError
from ..domain.rundown import ImportedRow, Rundown, parse_rundown
from ..eventfile import PanelistInfo, SegmentInfo
from ..persistence.models import Event, FloorChange, Panelist, PlanChange, Segment, StageCue, Takeaway
from .rundown_files import read_grid


def show_started(event: Event) -> bool:
    """True once the show has begun: a segment on air or ever started, or the show ended."""
    return (event.current_segment_id is not None or event.ended_at is not None
            or any(s.started_at is not None for s in event.segments))


def refuse_after_start(event: Event) -> None:
    """Raise ForumError(invalid_state) with the reason once the show has started."""
    if show_started(event):
        raise ForumError("invalid_state", "The show has started: the run of show can no longer be replaced. "
                                          "If that was a rehearsal, Reset… the run of show first.")


def _messages(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}" for err in exc.errors()]


def segment_info(row: ImportedRow) -> SegmentInfo:
    """The event file's segment for ``row``; raises pydantic.ValidationError under its rules."""
    minutes = None if row.length_ms is None else row.length_ms / 60_000
    return SegmentInfo.model_validate({
        "kind": row.kind, "title": row.title, "minutes": minutes, "panelist": row.panelist,
        "key_question": row.key_question, "auto_advance": row.auto_advance, "skip": row.skip, "notes": row.notes})


def check_rows(rundown: Rundown) -> Rundown:
    """Add to each row of ``rundown`` the errors the event file's rules find (length 0 < m <= 600
    minutes, title 1..200 characters, a known kind, notes up to 2000 characters), and to the
    file's errors those of the new panelists (PanelistInfo). Returns ``rundown``."""
    for row in rundown.rows:
        if row.errors:
            continue
        try:
            segment_info(row)
        except ValidationError as exc:
            row.errors.extend(m.replace("minutes:", "length:") for m in _messages(exc))
    for key, name in rundown.new_panelists:
        try:
            PanelistInfo(key=key, name=name)
        except ValidationError as exc:
            rundown.errors.extend(f"new panelist {name[:40]!r}: {m}" for m in _messages(exc))
    return rundown


def preview_import(event: Event, data: bytes, filename: str = "") -> Rundown:
    """Read an uploaded file into the rows the import would store, with every row's errors.

    Stores nothing. Raises ForumError(invalid_payload) for a file that cannot be read at all
    (services.rundown_files.read_grid); errors in the rows are in the returned Rundown.
    """
    grid, merged = read_grid(data, filename)
    rundown = parse_rundown(grid, [(p.key, p.name) for p in event.panelists],
                            [(k.key, k.text) for k in event.key_questions], merged)
    return check_rows(rundown)


def rundown_view(rundown: Rundown, event: Event) -> dict:
    """The JSON the console's import dialog shows and sends back: ``rows`` (as they will be
    stored: ``length_ms`` in ms), ``panelists`` (new ones, ``{key, name}``), ``errors``,
    ``notices`` and ``ok``; ``speaker_names`` gives each panelist key its name."""
    names = {p.key: p.name for p in event.panelists} | dict(rundown.new_panelists)
    return {"ok": rundown.ok, "errors": rundown.errors, "notices": rundown.notices,
            "panelists": [{"key": k, "name": n} for k, n in rundown.new_panelists],
            "speaker_names": names,
            "rows": [{"line": r.line, "title": r.title, "kind": r.kind, "length_ms": r.length_ms,
                      "speaker": r.speaker, "panelist": r.panelist, "key_question": r.key_question,
                      "notes": r.notes, "skip": r.skip, "auto_advance": r.auto_advance, "errors": r.errors}
                     for r in rundown.rows]}


def import_run_of_show(session: Session, event: Event, rows: list[dict], panelists: list[dict],
                       now: datetime) -> list[Segment]:
    """Replace ``event``'s run of show with ``rows`` and add the new ``panelists``.

    ``rows``: dicts with title, kind, length_ms, panelist (a key: the event's or a new one),
    key_question (a key or None), notes, skip, auto_advance (the preview's rows). ``panelists``:
    ``{key, name}`` to add. Every row is checked again under the event file's rules. Raises
    ForumError(invalid_state) once the show has started, ForumError(invalid_payload) naming the
    first bad row. The old segments go, with their plan changes, stage cues and airtime;
    takeaways keep their text and lose the segment tag. Only flushes.
    """
    refuse_after_start(event)
    if not rows:
        raise ForumError("invalid_payload", "The run of show needs at least one segment.")
    existing = {p.key for p in event.panelists}
    new = []
    for p in panelists:
        try:
            info = PanelistInfo(key=p.get("key"), name=p.get("name"))
        except ValidationError as exc:
            raise ForumError("invalid_payload", f"New panelist: {'; '.join(_messages(exc))}") from None
        if info.key in existing:
            raise ForumError("invalid_payload", f"The panelist key {info.key!r} is already used.")
        existing.add(info.key)
        new.append(info)
    kq_ids = {k.key: k.id for k in event.key_questions}
    specs = []
    for number, row in enumerate(rows, start=1):
        item = ImportedRow(line=number, title=row.get("title") or "", kind=row.get("kind") or "",
                           length_ms=row.get("length_ms"), panelist=row.get("panelist"),
                           key_question=row.get("key_question"), notes=row.get("notes") or "",
                           skip=bool(row.get("skip")), auto_advance=bool(row.get("auto_advance")))
        try:
            spec = segment_info(item)
        except ValidationError as exc:
            raise ForumError("invalid_payload", f"Segment {number}: {'; '.join(_messages(exc))}") from None
        if spec.panelist is not None and spec.panelist not in existing:
            raise ForumError("invalid_payload", f"Segment {number}: no panelist {spec.panelist!r}.")
        if spec.key_question is not None and spec.key_question not in kq_ids:
            raise ForumError("invalid_payload", f"Segment {number}: no key question {spec.key_question!r}.")
        specs.append((spec, item.length_ms))

    start = len(event.panelists)
    added = [Panelist(event_id=event.id, position=start + i, key=p.key, name=p.name) for i, p in enumerate(new)]
    session.add_all(added)
    session.flush()
    panelist_ids = {p.key: p.id for p in [*event.panelists, *added]}
    old_ids = [s.id for s in event.segments]
    if old_ids:
        session.execute(delete(FloorChange).where(FloorChange.segment_id.in_(old_ids)))
        session.execute(update(Takeaway).where(Takeaway.segment_id.in_(old_ids)).values(segment_id=None))
    session.execute(delete(PlanChange).where(PlanChange.event_id == event.id))
    session.execute(delete(StageCue).where(StageCue.event_id == event.id))
    event.current_segment_id = None
    session.flush()
    for seg in list(event.segments):
        session.delete(seg)
    session.flush()
    segments = [Segment(event_id=event.id, position=pos, kind=spec.kind, title=spec.title,
                        panelist_id=panelist_ids[spec.panelist] if spec.panelist else None,
                        key_question_id=kq_ids[spec.key_question] if spec.key_question else None,
                        planned_ms=length_ms, wrap_up_ms=spec.wrap_up_seconds * 1000, auto_advance=spec.auto_advance,
                        notes=spec.notes, prompt_index=0, adjust_ms=0, paused_total_ms=0,
                        left_at=now if spec.skip else None)
                for pos, (spec, length_ms) in enumerate(specs)]
    session.add_all(segments)
    session.flush()
    session.expire(event, ["segments", "panelists"])
    return segments
