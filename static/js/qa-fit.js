// How many audience questions fit in the time left for Q&A (docs/protocol.md "How many
// questions fit"): the console's rule, counted against its own clock every frame. This module
// is its one owner, tested in Chromium by tests/e2e/test_browser_rules.py.
import {countdown} from "./clock.js";

/**
 * Time left for Q&A (ms) at server time ``now``: the on-air ``qa`` segment's remaining time
 * (never below 0) plus the full length (``planned_ms + adjust_ms``) of every ``qa`` segment
 * not started yet; a Q&A segment that was started and left counts as done. ``run`` is the run
 * view (``segments``, ``current_segment_id``, ``timer``).
 */
export function qaRemainingMs(run, now) {
  let total = 0;
  for (const seg of run.segments) {
    if (seg.kind !== "qa") continue;
    if (seg.id === run.current_segment_id && run.timer) total += Math.max(0, countdown(run.timer, now).remaining);
    else if (seg.started_ms === null) total += Math.max(0, seg.planned_ms + (seg.adjust_ms || 0));
  }
  return total;
}

/** Whole questions of ``perMs`` each that fit in ``leftMs`` (never below 0; ``perMs`` > 0). */
export function fitInTime(leftMs, perMs) {
  return Math.max(0, Math.floor(leftMs / perMs));
}

/** How many of ``count`` questions fit in ``leftMs`` at ``perMs`` each. */
export function questionsThatFit(leftMs, perMs, count) {
  return Math.min(count, fitInTime(leftMs, perMs));
}
