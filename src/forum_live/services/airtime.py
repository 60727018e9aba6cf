"""Airtime per panelist: the moderator's "now speaking", and the totals (domain.airtime)."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import airtime as rules
from ..domain.errors import ForumError
from ..persistence.models import Event, FloorChange
from .run_of_show import clock_of, current_segment


def set_speaker(session: Session, event: Event, panelist_id: int | None, now: datetime) -> FloorChange:
    """"Now speaking": hand the floor of the segment on air to ``panelist_id`` (None: no
    panelist) from the segment's current elapsed time. Raises ForumError(not_found) for a
    panelist not in this event, invalid_state with no segment on air."""
    seg = current_segment(event)
    if seg is None:
        raise ForumError("invalid_state", "No segment is on air.")
    if panelist_id is not None and panelist_id not in {p.id for p in event.panelists}:
        raise ForumError("not_found", f"No panelist {panelist_id}.")
    change = FloorChange(event_id=event.id, segment_id=seg.id, panelist_id=panelist_id,
                         at_elapsed_ms=clock_of(seg).elapsed_ms(now), created_at=now)
    session.add(change)
    session.flush()
    return change


def _changes(session: Session, event: Event) -> dict[int, list[rules.FloorChange]]:
    out: dict[int, list[rules.FloorChange]] = {}
    rows = session.scalars(select(FloorChange).where(FloorChange.event_id == event.id).order_by(FloorChange.id))
    for row in rows:
        out.setdefault(row.segment_id, []).append(rules.FloorChange(row.at_elapsed_ms, row.panelist_id))
    return out


def airtime_view(session: Session, event: Event, now: datetime) -> dict:
    """Airtime at ``now``: ``{"speaking_id": panelist id holding the floor of the segment on air
    or null, "totals": [{"panelist_id", "ms"}] in panel order, "fair_share_ms"}`` (durations in ms)."""
    changes = _changes(session, event)
    per_segment = [(seg.panelist_id, changes.get(seg.id, []), clock_of(seg).elapsed_ms(now)) for seg in event.segments]
    totals = rules.total_airtime(per_segment, [p.id for p in event.panelists])
    on_air = current_segment(event)
    speaking = None
    if on_air is not None:
        speaking = rules.holder_at(on_air.panelist_id, changes.get(on_air.id, []), clock_of(on_air).elapsed_ms(now))
    return {"speaking_id": speaking,
            "totals": [{"panelist_id": p.id, "ms": totals.get(p.id, 0)} for p in event.panelists],
            "fair_share_ms": rules.fair_share_ms({p.id: totals.get(p.id, 0) for p in event.panelists})}
