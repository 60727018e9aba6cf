"""Airtime per panelist: who held the floor, measured on each segment's own clock.

A segment's floor belongs by default to its panelist (a panelist slot) or to no panelist
(opening, discussion, Q&A...). The moderator's one-key "now speaking: X" hands the floor to X
(or to nobody) from that point of the segment's clock. Positions are the segment's *elapsed*
time (pauses excluded), so a paused clock adds no airtime and a restart loses none.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class FloorChange:
    """At ``at_elapsed_ms`` of its segment's clock the floor went to ``panelist_id`` (None: nobody)."""

    at_elapsed_ms: int
    panelist_id: int | None


def holder_at(default_id: int | None, changes: list[FloorChange], elapsed_ms: int) -> int | None:
    """The panelist holding the floor at ``elapsed_ms`` of a segment (the last change at or
    before it; the segment's own panelist before any change)."""
    holder = default_id
    for change in sorted(changes, key=lambda c: c.at_elapsed_ms):
        if change.at_elapsed_ms <= elapsed_ms:
            holder = change.panelist_id
    return holder


def segment_airtime(default_id: int | None, changes: list[FloorChange], elapsed_ms: int) -> dict[int, int]:
    """Ms of floor per panelist id within one segment that has run ``elapsed_ms``. Changes are
    taken in clock order (ties: the later recorded wins); changes past ``elapsed_ms`` count 0."""
    out: dict[int, int] = {}
    cursor, holder = 0, default_id
    for change in sorted(changes, key=lambda c: c.at_elapsed_ms):
        at = min(max(change.at_elapsed_ms, 0), elapsed_ms)
        if holder is not None and at > cursor:
            out[holder] = out.get(holder, 0) + at - cursor
        cursor, holder = max(cursor, at), change.panelist_id
    if holder is not None and elapsed_ms > cursor:
        out[holder] = out.get(holder, 0) + elapsed_ms - cursor
    return out


def total_airtime(segments: list[tuple[int | None, list[FloorChange], int]], panelist_ids: list[int]) -> dict[int, int]:
    """Ms of floor per panelist over the show: ``segments`` are (default panelist, changes,
    elapsed ms); every panelist of ``panelist_ids`` appears, with 0 if they never spoke."""
    totals = {pid: 0 for pid in panelist_ids}
    for default_id, changes, elapsed in segments:
        for pid, ms in segment_airtime(default_id, changes, elapsed).items():
            totals[pid] = totals.get(pid, 0) + ms
    return totals


def fair_share_ms(totals: dict[int, int]) -> int:
    """Each panelist's fair share: the panelists' total airtime split evenly (ms, rounded)."""
    return round(sum(totals.values()) / len(totals)) if totals else 0
