"""The post-session report's rules: timing against the plan, question counts, participation.

Pure functions of plain values (ms and lists of dicts), standard library only; the service
(services/report.py) reads the database and hands them over. Durations are in ms; instants are
epoch ms (None: it did not happen).
"""
from collections import Counter

from .questions import ANSWERED, APPROVED, ARCHIVED, MERGED, PENDING, REJECTED, STATUSES, WITHDRAWN

#: Question statuses in the order the report lists them.
STATUS_ORDER = (PENDING, APPROVED, ANSWERED, ARCHIVED, REJECTED, MERGED, WITHDRAWN)
#: Still open after the show, to follow up: never answered, never dismissed, not merged or withdrawn.
FOLLOW_UP_STATUSES = (APPROVED, PENDING, ARCHIVED)
#: How many questions "top by votes" lists.
TOP_QUESTIONS = 10

assert set(STATUS_ORDER) == set(STATUSES)


def segment_timing(seg: dict) -> dict:
    """One row of the timing table, from a run-view segment (``services.views.run_view``).

    ``seg`` has ``planned_start_ms``, ``planned_ms``, ``adjust_ms``, ``started_ms``, ``left_ms``,
    ``elapsed_ms``, ``skipped``. Returns ``{"allotted_ms"`` (planned + adjustments, i.e. after
    +/- minutes and rebalancing), ``"start_delay_ms"`` (actual minus planned start; None if it
    never ran), ``"ran_ms"`` (its clock's time, pauses excluded; None if it never ran),
    ``"paused_ms"`` (time on air with the clock stopped: wall time from start to leaving minus
    ``ran_ms``; None while on air or never run), ``"overrun_ms"`` (ran minus allotted: negative
    is under; None if it never ran), ``"status"`` (ran | skipped | not run | on air)}``.
    """
    allotted = seg["planned_ms"] + seg["adjust_ms"]
    started, left = seg["started_ms"], seg["left_ms"]
    if seg["skipped"]:
        status = "skipped"
    elif started is None:
        status = "not run"
    elif left is None:
        status = "on air"
    else:
        status = "ran"
    ran = seg["elapsed_ms"] if started is not None else None
    paused = max(0, left - started - ran) if started is not None and left is not None else None
    return {
        "allotted_ms": allotted,
        "start_delay_ms": started - seg["planned_start_ms"] if started is not None else None,
        "ran_ms": ran,
        "paused_ms": paused,
        "overrun_ms": ran - allotted if ran is not None else None,
        "status": status,
    }


def timing_totals(segments: list[dict], booked_start_ms: int, booked_end_ms: int | None,
                  ended_ms: int | None, now_ms: int) -> dict:
    """The whole show against its plan and its booked slot.

    ``segments``: run-view segments; ``booked_start_ms`` / ``booked_end_ms``: the slot (the
    schedule's, shifted to the actual start for a rehearsal, as run_view does); ``ended_ms``:
    when the show ended (None: not yet, measured to ``now_ms``). Returns ``{"planned_ms"`` (sum
    of planned lengths), ``"allotted_ms"`` (sum after adjustments, skipped segments left out),
    ``"ran_ms"`` (sum of the segments' clocks), ``"paused_ms"``, ``"started_ms"`` (first start or
    None), ``"ended_ms"``, ``"on_air_ms"`` (first start to the end or to now: wall time),
    ``"booked_ms"`` (slot length or None), ``"over_booked_ms"`` (the end, or now, minus the
    booked end: positive is over; None without a booked end or before the start)}``.
    """
    rows = [segment_timing(s) for s in segments]
    starts = [s["started_ms"] for s in segments if s["started_ms"] is not None]
    first = min(starts, default=None)
    until = ended_ms if ended_ms is not None else now_ms
    return {
        "planned_ms": sum(s["planned_ms"] for s in segments),
        "allotted_ms": sum(r["allotted_ms"] for s, r in zip(segments, rows) if not s["skipped"]),
        "ran_ms": sum(r["ran_ms"] or 0 for r in rows),
        "paused_ms": sum(r["paused_ms"] or 0 for r in rows),
        "started_ms": first,
        "ended_ms": ended_ms,
        "on_air_ms": until - first if first is not None else None,
        "booked_ms": booked_end_ms - booked_start_ms if booked_end_ms is not None else None,
        "over_booked_ms": until - booked_end_ms if booked_end_ms is not None and first is not None else None,
    }


def status_counts(statuses: list[str]) -> dict:
    """Questions per status: every status of STATUS_ORDER (0 if none), plus ``"submitted"``
    (all of them) and ``"shown"`` (approved or answered: what the audience saw)."""
    counts = Counter(statuses)
    out = {s: counts.get(s, 0) for s in STATUS_ORDER}
    out["submitted"] = len(statuses)
    out["shown"] = out[APPROVED] + out[ANSWERED]
    return out


def top_by_votes(items: list[dict], limit: int = TOP_QUESTIONS) -> list[dict]:
    """The shown questions (approved or answered) with the most upvotes, at most ``limit``;
    ties: the older first (then the id). ``items``: ``{"id", "status", "votes", "created_ms"}``.
    Questions with no upvote are left out."""
    shown = [q for q in items if q["status"] in (APPROVED, ANSWERED) and q["votes"] > 0]
    return sorted(shown, key=lambda q: (-q["votes"], q["created_ms"], q["id"]))[:limit]


def follow_up(items: list[dict]) -> list[dict]:
    """Questions left open after the show (FOLLOW_UP_STATUSES), most upvoted first, then oldest."""
    return sorted((q for q in items if q["status"] in FOLLOW_UP_STATUSES),
                  key=lambda q: (-q["votes"], q["created_ms"], q["id"]))


def group_counts(items: list[dict], key: str, order: list) -> list[dict]:
    """Questions per value of ``key`` (a panelist id, a theme), in ``order``, then None last:
    ``[{"key", "asked", "answered"}]``; ``asked`` counts every submitted question except
    withdrawn and merged ones (their words live on elsewhere, or were taken back)."""
    out = []
    for value in [*order, None]:
        group = [q for q in items if q.get(key) == value and q["status"] not in (WITHDRAWN, MERGED)]
        if value is None and not group:
            continue
        out.append({"key": value, "asked": len(group), "answered": sum(q["status"] == ANSWERED for q in group)})
    return out


def participation(askers: list[str], voters: list[str], ballot_devices: list[str]) -> dict:
    """Activity per device, from device ids, one entry per question, per upvote and per ballot.

    Returns ``{"devices"`` (distinct devices that did anything), ``"asking_devices"``,
    ``"questions"``, ``"questions_per_asking_device"`` (float, 2 decimals, or None),
    ``"max_questions_per_device"``, the same for upvotes (``"voting_devices"``, ``"upvotes"``,
    ``"upvotes_per_voting_device"``, ``"max_upvotes_per_device"``) and for poll ballots
    (``"polling_devices"``, ``"ballots"``, ``"ballots_per_polling_device"``,
    ``"max_ballots_per_device"``)}``. No device id leaves this function.
    """
    def side(ids: list[str], who: str, what: str) -> dict:
        counts = Counter(ids)
        return {f"{who}_devices": len(counts), what: len(ids),
                f"{what}_per_{who}_device": round(len(ids) / len(counts), 2) if counts else None,
                f"max_{what}_per_device": max(counts.values(), default=0)}
    return {"devices": len(set(askers) | set(voters) | set(ballot_devices)),
            **side(askers, "asking", "questions"), **side(voters, "voting", "upvotes"),
            **side(ballot_devices, "polling", "ballots")}


def group_takeaways(items: list[dict], key: str, order: list) -> list[dict]:
    """Takeaways grouped by ``key`` (``key_question_id`` or ``panelist_id``) in ``order``, then
    those without one: ``[{"key", "items"}]``, each group oldest first; empty groups left out."""
    out = []
    for value in [*order, None]:
        group = sorted((t for t in items if t.get(key) == value), key=lambda t: (t["created_ms"], t["id"]))
        if group:
            out.append({"key": value, "items": group})
    return out
