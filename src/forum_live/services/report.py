"""The post-session report: every number of /moderate/report and of the exports, built from
the stored facts in one pass (rules in domain.report, chart geometry in domain.charts).

Reuses what the room saw: run_view for the run of show (planned starts, rehearsal shift),
airtime_view for airtime and the fair share, poll_results for the tallies, vote_counts for
upvotes; so the report's numbers are the console's, the projector's and the phones'.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import charts, formats
from ..domain import polls as poll_rules
from ..domain import report as rules
from ..domain.clock import to_ms
from ..domain.rebalance import STRATEGY_LABELS
from ..persistence.models import Ballot, Event, PlanChange, Question, Takeaway, Vote
from .airtime import airtime_view
from .participation import joined_devices
from .polls import poll_results, status_of
from .questions import vote_counts
from .views import run_view

NO_PANELIST, NO_KEY_QUESTION, NO_THEME = "No panelist", "No key question", "No theme"


def build_report(session: Session, event: Event, now: datetime) -> dict:
    """The whole report of ``event`` at ``now`` (a draft while the show is not over).

    Shape: ``{"event", "draft", "generated_ms", "summary_published_ms", "timing", "airtime",
    "questions", "polls", "participation", "takeaways"}``; every duration in ms, every instant
    in epoch ms; texts exactly as stored. The parts are documented by their builders below.
    """
    run = run_view(event, now)
    panelists = {p.id: p.name for p in event.panelists}
    return {
        "event": _header(event),
        "draft": event.ended_at is None,
        "generated_ms": to_ms(now),
        "summary_published_ms": to_ms(event.summary_published_at),
        "timing": _timing(session, event, run, panelists),
        "airtime": _airtime(session, event, now),
        "questions": _questions(session, event, panelists),
        "polls": [poll_report(session, poll, now) for poll in event.polls],
        "participation": _participation(session, event),
        "takeaways": _takeaways(session, event, panelists),
    }


def _header(event: Event) -> dict:
    return {"code": event.code, "title": event.title, "subtitle": event.subtitle, "venue": event.venue,
            "timezone": event.timezone, "scheduled_start_ms": to_ms(event.scheduled_start_at),
            "booked_end_ms": to_ms(event.booked_end_at), "ended_ms": to_ms(event.ended_at),
            "moderator": {"name": event.moderator_name, "title": event.moderator_title},
            "organisers": list(event.organisers), "themes": list(event.themes),
            "panelists": [{"id": p.id, "name": p.name, "role": p.role, "organisation": p.organisation,
                           "talk_title": p.talk_title} for p in event.panelists],
            "key_questions": [{"id": kq.id, "number": kq.position + 1, "text": kq.text}
                              for kq in event.key_questions]}


def _timing(session: Session, event: Event, run: dict, panelists: dict) -> dict:
    """``{"segments": [run-view segment + domain.report.segment_timing + "panelist"],
    "totals": domain.report.timing_totals, "plan_changes": [...], "rehearsal", "chart"}``."""
    booked_start = run["segments"][0]["planned_start_ms"] if run["segments"] else to_ms(event.scheduled_start_at)
    segments = []
    for seg in run["segments"]:
        segments.append({**seg, **rules.segment_timing(seg), "panelist": panelists.get(seg["panelist_id"])})
    totals = rules.timing_totals(run["segments"], booked_start, run["booked_end_ms"], to_ms(event.ended_at),
                                 run["server_now_ms"])
    titles = {s.id: s.title for s in event.segments}
    changes = []
    for change in session.scalars(select(PlanChange).where(PlanChange.event_id == event.id).order_by(PlanChange.id)):
        changes.append({
            "id": change.id, "strategy": change.strategy, "label": STRATEGY_LABELS.get(change.strategy, change.strategy),
            "applied_ms": to_ms(change.applied_at), "undone_ms": to_ms(change.undone_at),
            "total_ms": sum(change.cuts.values()),
            "cuts": [{"segment_id": int(k), "title": titles.get(int(k), f"segment {k}"), "ms": v}
                     for k, v in sorted(change.cuts.items(), key=lambda kv: _position(event, int(kv[0])))],
        })
    chart_rows = [{"label": s["title"], "planned_start_ms": s["planned_start_ms"], "planned_ms": s["planned_ms"],
                   "started_ms": s["started_ms"],
                   "ended_ms": (s["left_ms"] or run["server_now_ms"]) if s["started_ms"] is not None else None}
                  for s in segments]
    return {"segments": segments, "totals": totals, "plan_changes": changes, "rehearsal": run["rehearsal"],
            "booked_start_ms": booked_start, "booked_end_ms": run["booked_end_ms"],
            "chart": charts.timeline(chart_rows, booked_start, run["booked_end_ms"])}


def _position(event: Event, segment_id: int) -> int:
    return next((s.position for s in event.segments if s.id == segment_id), 10_000)


def _airtime(session: Session, event: Event, now: datetime) -> dict:
    """``{"rows": [{"panelist_id", "name", "ms", "vs_fair_ms", "percent"}], "total_ms",
    "fair_share_ms", "chart"}``: ``vs_fair_ms`` is the airtime minus the fair share (positive:
    more than the fair share), ``percent`` the share of all panelists' airtime (whole %)."""
    view = airtime_view(session, event, now)
    names = {p.id: p.name for p in event.panelists}
    totals = [row["ms"] for row in view["totals"]]
    percents = poll_rules.percentages(totals)
    fair = view["fair_share_ms"]
    rows = [{"panelist_id": row["panelist_id"], "name": names[row["panelist_id"]], "ms": row["ms"],
             "vs_fair_ms": row["ms"] - fair, "percent": pct} for row, pct in zip(view["totals"], percents)]
    chart = charts.hbars([{"label": r["name"], "value": r["ms"], "text": formats.duration(r["ms"])} for r in rows],
                         reference=fair)
    return {"rows": rows, "total_ms": sum(totals), "fair_share_ms": fair, "chart": chart}


def question_items(session: Session, event: Event, panelists: dict) -> list[dict]:
    """Every question of ``event`` (all statuses), oldest first: ``{"id", "text", "name",
    "status", "votes", "panelist_id", "panelist", "theme", "created_ms", "decided_ms",
    "answered_ms", "answered_by_id", "answered_by", "merged_into_id"}``."""
    counts = vote_counts(session, event)
    rows = session.scalars(select(Question).where(Question.event_id == event.id).order_by(Question.id))
    return [{"id": q.id, "text": q.text, "name": q.author_name, "status": q.status, "votes": counts.get(q.id, 0),
             "panelist_id": q.panelist_id, "panelist": panelists.get(q.panelist_id), "theme": q.theme,
             "created_ms": to_ms(q.created_at), "decided_ms": to_ms(q.decided_at),
             "answered_ms": to_ms(q.answered_at), "answered_by_id": q.answered_by_id,
             "answered_by": panelists.get(q.answered_by_id), "merged_into_id": q.merged_into_id} for q in rows]


def _questions(session: Session, event: Event, panelists: dict) -> dict:
    """``{"counts": domain.report.status_counts, "upvotes", "top", "follow_up", "by_panelist":
    [{"key", "label", "asked", "answered", "answered_by"}], "by_theme": [{"key", "label",
    "asked", "answered"}], "items"}``; ``answered_by`` counts the answers a panelist gave."""
    items = question_items(session, event, panelists)
    order = [p.id for p in event.panelists]
    by_panelist = rules.group_counts(items, "panelist_id", order)
    answers = {pid: sum(1 for q in items if q["status"] == "answered" and q["answered_by_id"] == pid) for pid in order}
    for row in by_panelist:
        row["label"] = panelists[row["key"]] if row["key"] is not None else "All panelists (none chosen)"
        row["answered_by"] = answers.get(row["key"]) if row["key"] is not None else None
    by_theme = rules.group_counts(items, "theme", list(event.themes))
    for row in by_theme:
        row["label"] = row["key"] if row["key"] is not None else NO_THEME
    return {"counts": rules.status_counts([q["status"] for q in items]), "upvotes": sum(q["votes"] for q in items),
            "top": rules.top_by_votes(items), "follow_up": rules.follow_up(items),
            "by_panelist": by_panelist, "by_theme": by_theme, "items": items}


def poll_report(session: Session, poll, now: datetime) -> dict:
    """One poll as the report shows it: ``{"id", "key", "kind", "title", "status", "revealed",
    "opened_ms", "ballots", "results"`` (services.polls.poll_results, every open-text answer
    with its moderation status), ``"answers_by_status"`` (open text: {pending, approved,
    rejected}), ``"chart"`` (domain.charts.hbars; word clouds: the 15 most frequent words)}``."""
    results = poll_results(session, poll)
    if poll.kind in poll_rules.CHOICE_KINDS:
        rows = [{"label": o["label"], "value": o["count"], "text": f"{o['count']} · {o['percent']} %"}
                for o in results["options"]]
    elif poll.kind == poll_rules.RATING:
        rows = [{"label": str(d["value"]), "value": d["count"], "text": f"{d['count']} · {d['percent']} %"}
                for d in results["distribution"]]
    elif poll.kind == poll_rules.WORDCLOUD:
        rows = [{"label": w["text"], "value": w["count"], "text": str(w["count"])} for w in results["words"][:15]]
    else:
        rows = []
    by_status = None
    if poll.kind == poll_rules.TEXT:
        by_status = {s: sum(1 for a in results["answers"] if a["status"] == s)
                     for s in (poll_rules.PENDING, poll_rules.APPROVED, poll_rules.REJECTED)}
    return {"id": poll.id, "key": poll.key, "kind": poll.kind, "title": poll.title, "status": status_of(poll, now),
            "revealed": poll.revealed, "opened_ms": to_ms(poll.opened_at), "ballots": results["total"],
            "results": results, "answers_by_status": by_status,
            "chart": charts.hbars(rows) if rows else None}


def _participation(session: Session, event: Event) -> dict:
    """domain.report.participation of the event's questions, upvotes and ballots, plus
    ``"joined"`` (distinct phones that ever connected: services.participation.joined_devices),
    ``"peak_connected"`` (the most phones connected at once, every process counted) and
    ``"peak_connected_ms"`` (when that peak was first reached, epoch ms; None: no phone yet)."""
    askers = list(session.scalars(select(Question.device_id).where(Question.event_id == event.id)))
    voters = list(session.scalars(select(Vote.device_id).join(Question, Question.id == Vote.question_id)
                                  .where(Question.event_id == event.id)))
    poll_ids = [p.id for p in event.polls]
    ballots = list(session.scalars(select(Ballot.device_id).where(Ballot.poll_id.in_(poll_ids)))) if poll_ids else []
    peak, peak_at = session.execute(select(Event.peak_connected, Event.peak_connected_at)
                                    .where(Event.id == event.id)).one()
    return {**rules.participation(askers, voters, ballots), "joined": joined_devices(session, event.id),
            "peak_connected": peak, "peak_connected_ms": to_ms(peak_at)}


def takeaway_items(session: Session, event: Event) -> list[dict]:
    """Every takeaway of ``event``, oldest first: ``{"id", "text", "segment_id", "panelist_id",
    "key_question_id", "for_summary", "author", "created_ms", "edited_ms"}``."""
    rows = session.scalars(select(Takeaway).where(Takeaway.event_id == event.id).order_by(Takeaway.id))
    return [{"id": t.id, "text": t.text, "segment_id": t.segment_id, "panelist_id": t.panelist_id,
             "key_question_id": t.key_question_id, "for_summary": t.for_summary, "author": t.author,
             "created_ms": to_ms(t.created_at), "edited_ms": to_ms(t.edited_at)} for t in rows]


def _takeaways(session: Session, event: Event, panelists: dict) -> dict:
    """``{"items", "by_key_question": [{"key", "label", "number", "text", "items"}], "by_panelist":
    [{"key", "label", "items"}]}`` (``label`` in English; ``number`` and ``text`` the key question's,
    None for the group without one)."""
    items = takeaway_items(session, event)
    segments = {s.id: s.title for s in event.segments}
    for t in items:
        t["segment"] = segments.get(t["segment_id"])
        t["panelist"] = panelists.get(t["panelist_id"])
    kq_label = {kq.id: f"Key question {kq.position + 1}: {kq.text}" for kq in event.key_questions}
    by_kq = rules.group_takeaways(items, "key_question_id", [kq.id for kq in event.key_questions])
    numbers = {kq.id: (kq.position + 1, kq.text) for kq in event.key_questions}
    for g in by_kq:
        g["label"] = kq_label.get(g["key"], NO_KEY_QUESTION)
        g["number"], g["text"] = numbers.get(g["key"], (None, None))  # for the report to word in its language
    by_panelist = rules.group_takeaways(items, "panelist_id", [p.id for p in event.panelists])
    for g in by_panelist:
        g["label"] = panelists.get(g["key"], NO_PANELIST)
    return {"items": items, "by_key_question": by_kq, "by_panelist": by_panelist}
