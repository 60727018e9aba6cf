"""The event's exports: tables (one XLSX workbook, or one CSV each) and a JSON archive.

The tables are built from the report (services.report.build_report), so the workbook and the
report page show the same numbers. Texts come out exactly as stored: in CSV under the poll
CSVs' rules (domain.export: UTF-8 with BOM, formula-like cells neutralised); in XLSX as string
cells, which a spreadsheet never evaluates. Ballots are anonymous (no device id); the archive
replaces device ids with per-archive numbers. What each table holds: docs/report.md.
"""
import io
import json
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import export, formats
from ..domain import polls as poll_rules
from ..domain.clock import to_ms
from ..persistence.models import Ballot, Event, FloorChange, ModeratorAction, Question, QuestionEdit, StageCue, Vote
from .audit import action_payload
from .report import build_report

#: The tables, in workbook order: file stem -> sheet title.
TABLES = {"run_of_show": "Run of show", "rebalancing": "Rebalancing", "airtime": "Airtime",
          "questions": "Questions", "polls": "Polls", "ballots": "Ballots", "takeaways": "Takeaways",
          "participation": "Participation", "activity": "Activity log"}

#: Characters XML 1.0 cannot hold (openpyxl refuses them): shown as Unicode control pictures.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def build_tables(session: Session, event: Event, now: datetime, only: tuple[str, ...] | None = None) -> dict:
    """The export tables of ``event`` at ``now``: ``{name: rows}`` in TABLES order (``only``: just
    those), each a list of rows whose first row is the header. Times are wall-clock times in
    the event's zone (named in the header), durations ``m:ss``."""
    report = build_report(session, event, now)
    tz = event.timezone
    builders = {"run_of_show": _run_of_show, "rebalancing": _rebalancing, "airtime": _airtime,
                "questions": _questions, "polls": _polls, "takeaways": _takeaways,
                "participation": _participation}
    out = {}
    for name in TABLES:
        if only is not None and name not in only:
            continue
        if name == "ballots":
            out[name] = _ballots(session, event, tz)
        elif name == "activity":
            out[name] = _activity(session, event, tz)
        else:
            out[name] = builders[name](report, tz)
    return out


def _t(ms, tz):
    return formats.local(ms, tz, "%Y-%m-%d %H:%M:%S")


def _run_of_show(report: dict, tz: str) -> list[list]:
    kq = {k["id"]: k["number"] for k in report["event"]["key_questions"]}
    rows = [["#", "segment", "kind", "panelist", "key question", f"planned start ({tz})", f"actual start ({tz})",
             "start delay", "planned length", "allotted length", "ran", "paused", "over or under", "status"]]
    for s in report["timing"]["segments"]:
        rows.append([s["position"] + 1, s["title"], s["kind"], s["panelist"] or "", kq.get(s["key_question_id"], ""),
                     _t(s["planned_start_ms"], tz), _t(s["started_ms"], tz), formats.duration(s["start_delay_ms"]),
                     formats.duration(s["planned_ms"]), formats.duration(s["allotted_ms"]),
                     formats.duration(s["ran_ms"]), formats.duration(s["paused_ms"]),
                     formats.over_under(s["overrun_ms"]), s["status"]])
    t = report["timing"]["totals"]
    rows.append(["", "Whole show", "", "", "", _t(report["timing"]["booked_start_ms"], tz), _t(t["started_ms"], tz),
                 "", formats.duration(t["planned_ms"]), formats.duration(t["allotted_ms"]), formats.duration(t["ran_ms"]),
                 formats.duration(t["paused_ms"]), "", "ended" if t["ended_ms"] is not None else "not ended"])
    return rows


def _rebalancing(report: dict, tz: str) -> list[list]:
    rows = [["step", f"applied at ({tz})", "strategy", "segment", "time taken", f"undone at ({tz})"]]
    for n, change in enumerate(report["timing"]["plan_changes"], start=1):
        for cut in change["cuts"]:
            rows.append([n, _t(change["applied_ms"], tz), change["label"], cut["title"], formats.duration(cut["ms"]),
                         _t(change["undone_ms"], tz)])
    return rows


def _airtime(report: dict, tz: str) -> list[list]:
    a = report["airtime"]
    rows = [["panelist", "airtime", "share (%)", "fair share", "against the fair share"]]
    for r in a["rows"]:
        rows.append([r["name"], formats.duration(r["ms"]), r["percent"], formats.duration(a["fair_share_ms"]),
                     formats.over_under(r["vs_fair_ms"])])
    rows.append(["All panelists", formats.duration(a["total_ms"]), 100 if a["total_ms"] else 0, "", ""])
    return rows


def _questions(report: dict, tz: str) -> list[list]:
    rows = [["id", "question", "asker's name", "to", "theme", "status", "upvotes", f"submitted ({tz})",
             f"answered ({tz})", "answered by", "merged into"]]
    for q in report["questions"]["items"]:
        rows.append([q["id"], q["text"], q["name"] or "", q["panelist"] or "", q["theme"] or "", q["status"],
                     q["votes"], _t(q["created_ms"], tz), _t(q["answered_ms"], tz), q["answered_by"] or "",
                     q["merged_into_id"] or ""])
    return rows


def _polls(report: dict, tz: str) -> list[list]:
    rows = [["poll", "kind", "status", "ballots", "item", "count", "percent", "moderation"]]
    for p in report["polls"]:
        head = [p["title"], p["kind"], p["status"], p["ballots"]]
        res = p["results"]
        if p["kind"] in poll_rules.CHOICE_KINDS:
            items = [[o["label"], o["count"], o["percent"], ""] for o in res["options"]]
        elif p["kind"] == poll_rules.RATING:
            items = [[d["value"], d["count"], d["percent"], ""] for d in res["distribution"]]
            items.append(["mean", res["mean"] if res["mean"] is not None else "", "", ""])
        elif p["kind"] == poll_rules.WORDCLOUD:
            items = [[w["text"], w["count"], "", ""] for w in res["words"]]
        else:
            items = [[a["text"], 1, "", a["status"]] for a in reversed(res["answers"])]
        rows += [head + item for item in items] or [head + ["", "", "", ""]]
    return rows


def _ballots(session: Session, event: Event, tz: str) -> list[list]:
    rows = [["poll", "ballot", f"cast at ({tz})", "value", "moderation"]]
    for poll in event.polls:
        labels = {str(o.id): o.label for o in poll.options}
        found = session.execute(select(Ballot.value, Ballot.cast_at, Ballot.moderation)
                                .where(Ballot.poll_id == poll.id).order_by(Ballot.id)).all()
        for n, (value, cast_at, status) in enumerate(found, start=1):
            if poll.kind in poll_rules.CHOICE_KINDS:
                value = "; ".join(labels.get(v, v) for v in value.split(","))
            rows.append([poll.title, n, _t(to_ms(cast_at), tz), int(value) if poll.kind == poll_rules.RATING else value,
                         status or ""])
    return rows


def _takeaways(report: dict, tz: str) -> list[list]:
    kq = {k["id"]: k["number"] for k in report["event"]["key_questions"]}
    rows = [["id", "takeaway", "key question", "panelist", "segment", "for the summary", "author",
             f"written ({tz})", f"edited ({tz})"]]
    for t in report["takeaways"]["items"]:
        rows.append([t["id"], t["text"], kq.get(t["key_question_id"], ""), t["panelist"] or "", t["segment"] or "",
                     _yes(t["for_summary"]), t["author"], _t(t["created_ms"], tz), _t(t["edited_ms"], tz)])
    return rows


def _participation(report: dict, tz: str) -> list[list]:
    p = report["participation"]

    def n(value):  # a per-device mean (2 decimals): 1.0 written as 1, as a spreadsheet reads it back
        return "" if value is None else int(value) if value == int(value) else value
    return [["measure", "value"],
            ["devices that joined", p["joined"]],
            ["peak connected", p["peak_connected"]],
            [f"peak connected at ({tz})", _t(p["peak_connected_ms"], tz)],
            ["devices that took part", p["devices"]],
            ["devices that asked", p["asking_devices"]],
            ["devices that upvoted", p["voting_devices"]],
            ["devices that voted in a poll", p["polling_devices"]],
            ["questions", p["questions"]],
            ["questions per asking device", n(p["questions_per_asking_device"])],
            ["most questions from one device", p["max_questions_per_device"]],
            ["upvotes", p["upvotes"]],
            ["upvotes per voting device", n(p["upvotes_per_voting_device"])],
            ["most upvotes from one device", p["max_upvotes_per_device"]],
            ["poll ballots", p["ballots"]],
            ["ballots per polling device", n(p["ballots_per_polling_device"])],
            ["most ballots from one device", p["max_ballots_per_device"]]]


def _activity(session: Session, event: Event, tz: str) -> list[list]:
    rows = [["#", f"at ({tz})", "who", "from", "action", "what", "payload (JSON)"]]
    for a in session.scalars(select(ModeratorAction).where(ModeratorAction.event_id == event.id)
                             .order_by(ModeratorAction.seq)):
        rows.append([a.seq, _t(to_ms(a.at), tz), a.actor, a.source, a.name, a.summary,
                     json.dumps(action_payload(a), ensure_ascii=False, sort_keys=True)])
    return rows


# ---- formats ---------------------------------------------------------------------------------

def csv_bytes(rows: list[list]) -> bytes:
    """One table as CSV bytes (domain.export.to_csv: UTF-8 with BOM, formula cells neutralised)."""
    return export.to_csv(rows).encode("utf-8")


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX cell can hold it: the control characters XML 1.0 forbids (never in a
    cleaned text; possible in an audit payload) become their Unicode control pictures (U+2400+)."""
    return _XML_ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def workbook(tables: dict, titles: dict | None = None) -> bytes:
    """The tables as one XLSX workbook (a sheet per table, header row bold and frozen; sheet
    titles from ``titles``, by default TABLES). Text is written as string cells, so ``=1+1``
    stays text; numbers stay numbers."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in tables.items():
        ws = wb.create_sheet((titles or TABLES)[name])
        ws.freeze_panes = "A2"
        for i, row in enumerate(rows):
            ws.append([_cell(ws, value, bold if i == 0 else None) for value in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(ws, value, font):
    """A value for ``ws.append``: plain values where openpyxl keeps them as they are (numbers,
    text not starting with "=" and not an error code), a string cell otherwise (openpyxl would make
    "=…" a formula and "#N/A" an error value)."""
    if value == "" and font is None:
        return None  # an empty cell is not written at all (as an empty CSV field reads back)
    if isinstance(value, str):
        value = xlsx_text(value)
        if font is None and not value.startswith("=") and value not in ERROR_CODES:
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        if font is None:
            return value
        cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    return cell


def archive(session: Session, event: Event, now: datetime) -> dict:
    """The JSON archive of the whole event: the report's numbers plus every stored fact, in ms
    and epoch ms, texts as stored, device ids replaced by numbers (``device-1``…) that are the
    same across questions, upvotes and ballots within this archive."""
    report = build_report(session, event, now)
    aliases: dict[str, str] = {}

    def alias(device_id: str) -> str:
        return aliases.setdefault(device_id, f"device-{len(aliases) + 1}")

    questions = list(session.scalars(select(Question).where(Question.event_id == event.id).order_by(Question.id)))
    ids = [q.id for q in questions]
    edits = (session.scalars(select(QuestionEdit).where(QuestionEdit.question_id.in_(ids)).order_by(QuestionEdit.id))
             if ids else [])
    votes = session.execute(select(Vote.question_id, Vote.device_id, Vote.cast_at)
                            .join(Question, Question.id == Vote.question_id)
                            .where(Question.event_id == event.id).order_by(Vote.id)).all()
    cue = session.get(StageCue, event.id)
    return {
        "format": "forum-live event archive", "format_version": 1, "exported_ms": to_ms(now),
        "event": {**report["event"], "premoderation": event.premoderation, "ms_per_question": event.ms_per_question,
                  "key_questions": [{"id": kq.id, "number": kq.position + 1, "text": kq.text,
                                     "prompts": [p.text for p in kq.prompts]} for kq in event.key_questions]},
        "report": {k: report[k] for k in ("draft", "generated_ms", "summary_published_ms", "participation")}
        | {"timing": {k: v for k, v in report["timing"].items() if k != "chart"},
           "airtime": {k: v for k, v in report["airtime"].items() if k != "chart"},
           "question_counts": report["questions"]["counts"]},
        "floor_changes": [{"segment_id": f.segment_id, "panelist_id": f.panelist_id, "at_elapsed_ms": f.at_elapsed_ms,
                           "created_ms": to_ms(f.created_at)}
                          for f in session.scalars(select(FloorChange).where(FloorChange.event_id == event.id)
                                                   .order_by(FloorChange.id))],
        "questions": [{"id": q.id, "device": alias(q.device_id), "text": q.text, "name": q.author_name,
                       "panelist_id": q.panelist_id, "theme": q.theme, "status": q.status, "flag": q.flag,
                       "created_ms": to_ms(q.created_at), "decided_ms": to_ms(q.decided_at),
                       "answered_ms": to_ms(q.answered_at), "answered_by_id": q.answered_by_id,
                       "merged_into_id": q.merged_into_id} for q in questions],
        "question_edits": [{"question_id": e.question_id, "previous_text": e.previous_text, "new_text": e.new_text,
                            "edited_by": e.edited_by, "edited_ms": to_ms(e.edited_at)} for e in edits],
        "upvotes": [{"question_id": qid, "device": alias(dev), "cast_ms": to_ms(at)} for qid, dev, at in votes],
        "polls": [_poll_archive(session, p, report, alias) for p in event.polls],
        "takeaways": report["takeaways"]["items"],
        "stage_cue": None if cue is None else {"message": cue.message, "preset": cue.message_preset,
                                               "message_ms": to_ms(cue.message_at), "blackout": cue.stage_blackout},
        "activity": [{"seq": a.seq, "at_ms": to_ms(a.at), "actor": a.actor, "source": a.source, "name": a.name,
                      "summary": a.summary, "payload": action_payload(a)}
                     for a in session.scalars(select(ModeratorAction).where(ModeratorAction.event_id == event.id)
                                              .order_by(ModeratorAction.seq))],
    }


def _poll_archive(session: Session, poll, report: dict, alias) -> dict:
    reported = next(p for p in report["polls"] if p["id"] == poll.id)
    ballots = session.execute(select(Ballot.device_id, Ballot.value, Ballot.moderation, Ballot.cast_at)
                              .where(Ballot.poll_id == poll.id).order_by(Ballot.id)).all()
    return {"id": poll.id, "key": poll.key, "kind": poll.kind, "title": poll.title, "status": reported["status"],
            "revealed": poll.revealed, "scale_max": poll.scale_max, "max_choices": poll.max_choices,
            "options": [{"id": o.id, "label": o.label} for o in poll.options],
            "opened_ms": to_ms(poll.opened_at), "results": reported["results"],
            "ballots": [{"device": alias(d), "value": poll_rules.wire_value(poll.kind, v), "moderation": m,
                         "cast_ms": to_ms(at)} for d, v, m, at in ballots]}
