"""Overrun rebalancing on the stored run of show: preview a strategy, apply it, undo it.

The rules are in domain.rebalance; here they meet the segments. A proposal takes time only
from segments still to come (after the one on air, never started, not skipped) and stores the
cuts as adjustments, with a PlanChange row so the last change can be undone.
"""
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import rebalance as rules
from ..domain.agenda import plan
from ..domain.clock import to_ms
from ..domain.errors import ForumError
from ..domain.timer import IDLE
from ..persistence.models import Event, PlanChange
from .run_of_show import clock_of, current_segment, get_segment, store_clock


def event_plan(event: Event, now: datetime):
    """The domain Plan of ``event`` at ``now`` (planned starts, projected end, booked slot)."""
    clocks = [clock_of(s) for s in event.segments]
    on_air = current_segment(event)
    started = [s.started_at for s in event.segments if s.started_at is not None]
    left = [s.left_at for s in event.segments if s.left_at is not None and s.started_at is not None]
    return plan(clocks, on_air.position if on_air else None, now, event.scheduled_start_at,
                event.booked_end_at, ended=event.ended_at is not None,
                first_started_at=min(started, default=None), last_left_at=max(left, default=None))


def candidates(event: Event) -> list[rules.Candidate]:
    """The segments a rebalancing may shorten: after the one on air (all before the show),
    never started and not skipped."""
    on_air = current_segment(event)
    first = 0 if on_air is None else on_air.position + 1
    out = []
    for seg in event.segments[first:]:
        clock = clock_of(seg)
        if clock.state == IDLE:
            out.append(rules.Candidate(seg.id, seg.kind, clock.length_ms))
    return out


def _proposal(event: Event, strategy: str, now: datetime) -> tuple[rules.Proposal, object]:
    if strategy not in rules.STRATEGIES:
        raise ForumError("invalid_payload", f"Unknown strategy {strategy!r}; one of {', '.join(rules.STRATEGIES)}.")
    if event.ended_at is not None:
        raise ForumError("invalid_state", "The show has ended.")
    p = event_plan(event, now)
    if p.over_booked_ms is None:
        raise ForumError("invalid_state", "This event has no booked end to rebalance against.")
    return rules.propose(strategy, p.over_booked_ms, candidates(event)), p


def preview_rebalance(event: Event, strategy: str, now: datetime) -> dict:
    """What ``strategy`` would do now, without changing anything (wire shape in docs/protocol.md,
    ``plan:preview``): the overrun, each segment's length before and after, and the projected
    end and overrun after it. Raises ForumError(invalid_payload) for an unknown strategy,
    invalid_state after the show or without a booked end."""
    proposal, p = _proposal(event, strategy, now)
    changes = []
    for seg in event.segments:
        cut = proposal.cuts.get(seg.id)
        if cut:
            before = clock_of(seg).length_ms
            changes.append({"segment_id": seg.id, "title": seg.title, "before_ms": before,
                            "after_ms": before - cut, "delta_ms": -cut})
    return {
        "strategy": strategy, "label": rules.STRATEGY_LABELS[strategy],
        "overrun_ms": proposal.overrun_ms, "covered_ms": proposal.covered_ms,
        "uncovered_ms": proposal.uncovered_ms, "min_segment_ms": rules.MIN_SEGMENT_MS,
        "changes": changes,
        "projected_end_ms": to_ms(p.projected_end - timedelta(milliseconds=proposal.covered_ms)),
        "over_booked_ms": p.over_booked_ms - proposal.covered_ms,
    }


def apply_rebalance(session: Session, event: Event, strategy: str, now: datetime) -> PlanChange | None:
    """Apply ``strategy`` as previewed at ``now`` (recomputed here, so it matches the live
    overrun) and record it for undo. Returns the PlanChange, or None when nothing changes
    (``keep``, or no overrun). Errors as in ``preview_rebalance``."""
    proposal, _ = _proposal(event, strategy, now)
    if not proposal.cuts:
        return None
    for segment_id, cut in proposal.cuts.items():
        seg = get_segment(event, segment_id)
        store_clock(seg, clock_of(seg).adjust(-cut))
    change = PlanChange(event_id=event.id, strategy=strategy,
                        cuts={str(k): v for k, v in proposal.cuts.items()}, applied_at=now)
    session.add(change)
    session.flush()
    return change


def last_change(session: Session, event: Event) -> PlanChange | None:
    """The last applied plan change not yet undone, or None."""
    return session.scalar(select(PlanChange).where(PlanChange.event_id == event.id, PlanChange.undone_at.is_(None))
                          .order_by(PlanChange.id.desc()).limit(1))


def undo_rebalance(session: Session, event: Event, now: datetime) -> PlanChange:
    """Give back the time the last plan change took. Raises ForumError(invalid_state) when there
    is nothing to undo."""
    change = last_change(session, event)
    if change is None:
        raise ForumError("invalid_state", "There is no plan change to undo.")
    for segment_id, cut in change.cuts.items():
        seg = get_segment(event, int(segment_id))
        store_clock(seg, clock_of(seg).adjust(cut))
    change.undone_at = now
    session.flush()
    return change


def plan_change_view(change: PlanChange | None) -> dict | None:
    """The undoable change for the console: ``{"id", "strategy", "label", "applied_ms",
    "total_ms"}``, or None."""
    if change is None:
        return None
    return {"id": change.id, "strategy": change.strategy, "label": rules.STRATEGY_LABELS[change.strategy],
            "applied_ms": to_ms(change.applied_at), "total_ms": sum(change.cuts.values())}
