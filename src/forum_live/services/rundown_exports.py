"""The run of show as a spreadsheet that imports back (XLSX, CSV), and the whole event as an
event file (TOML, docs/event-file.md) that loads back into the same event.

The spreadsheet has the import's columns (domain.rundown.COLUMNS) and writes lengths as
``hh:mm:ss`` text, which the import reads exactly (a bare ``10:00`` would read as 10 hours).
The post-show tables (planned against actual times) are services.event_exports'.
"""
from datetime import UTC
from zoneinfo import ZoneInfo

import tomli_w

from ..persistence.models import Event
from .event_exports import csv_bytes, workbook

#: The export's header: names the import reads (domain.rundown.COLUMNS).
HEADER = ["title", "kind", "duration", "speaker", "key question", "auto-advance", "skip", "notes"]


def hms(ms: int) -> str:
    """``ms`` as ``hh:mm:ss`` (rounded to the second), the import's exact form of a length."""
    secs = round(ms / 1000)
    return f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"


def rundown_rows(event: Event) -> list[list]:
    """The run of show as rows under HEADER: planned lengths (adjustments not included),
    speakers by name, key questions by key, yes/no flags."""
    names = {p.id: p.name for p in event.panelists}
    keys = {k.id: k.key for k in event.key_questions}
    rows = [list(HEADER)]
    for seg in event.segments:
        skipped = seg.left_at is not None and seg.started_at is None
        rows.append([seg.title, seg.kind, hms(seg.planned_ms), names.get(seg.panelist_id, ""),
                     keys.get(seg.key_question_id, ""), "yes" if seg.auto_advance else "no",
                     "yes" if skipped else "no", seg.notes or ""])
    return rows


def rundown_xlsx(event: Event) -> bytes:
    """The run of show as an XLSX workbook with one sheet, "Run of show"."""
    return workbook({"rundown": rundown_rows(event)}, {"rundown": "Run of show"})


def rundown_csv(event: Event) -> bytes:
    """The run of show as CSV (UTF-8 with BOM, the exports' rules)."""
    return csv_bytes(rundown_rows(event))


def _local(instant, zone: str):
    # TOML local date-time in the event's zone, as an event file writes it.
    return instant.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)


def _drop_none(table: dict) -> dict:
    return {k: v for k, v in table.items() if v is not None}


def event_file(event: Event) -> str:
    """The whole event as event-file TOML: loading it on a fresh database (eventfile.parse_event
    and services.events.load_event) gives the same event: code, texts, times, people, key
    questions with their prompts, segments (planned lengths, skip, notes) and polls (not the
    ballots, questions or timings, which are the show's, not the plan's)."""
    panelist_keys = {p.id: p.key for p in event.panelists}
    kq_keys = {k.id: k.key for k in event.key_questions}
    data = {
        "event": _drop_none({
            "code": event.code, "title": event.title, "subtitle": event.subtitle, "venue": event.venue,
            "room": event.room or None,
            "timezone": event.timezone, "start": _local(event.scheduled_start_at, event.timezone),
            "booked_end": _local(event.booked_end_at, event.timezone) if event.booked_end_at else None,
            "organisers": list(event.organisers or []), "themes": list(event.themes or [])}),
        "moderator": {"name": event.moderator_name, "title": event.moderator_title},
        "panelists": [{"key": p.key, "name": p.name, "role": p.role, "organisation": p.organisation,
                       "talk_title": p.talk_title} for p in event.panelists],
        "key_questions": [{"key": k.key, "text": k.text, "prompts": [p.text for p in k.prompts]}
                          for k in event.key_questions],
        "segments": [_drop_none({
            "kind": s.kind, "title": s.title,
            "minutes": s.planned_ms // 60_000 if s.planned_ms % 60_000 == 0 else s.planned_ms / 60_000,
            "panelist": panelist_keys.get(s.panelist_id), "key_question": kq_keys.get(s.key_question_id),
            "wrap_up_seconds": s.wrap_up_ms // 1000, "auto_advance": bool(s.auto_advance),
            "skip": s.left_at is not None and s.started_at is None, "notes": s.notes or ""})
            for s in event.segments],
        "polls": [_drop_none({
            "key": p.key, "kind": p.kind, "title": p.title, "options": [o.label for o in p.options],
            "max_choices": p.max_choices, "scale_max": p.scale_max, "live_results": bool(p.live_results),
            "auto_close_seconds": p.duration_s}) for p in event.polls],
    }
    head = (f"# forum-live event file (docs/event-file.md), exported from the event {event.code}.\n"
            f"# Times are local to {event.timezone}.\n\n")
    return head + tomli_w.dumps(data)
