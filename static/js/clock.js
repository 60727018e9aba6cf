// Countdown arithmetic and time formatting (pure functions; docs/protocol.md "Counting down").

import {t} from "./i18n.js";

export const PHASE_LABELS = {
  "on-time": t("On time"),
  "wrap-up": t("Wrap up"),
  "time-up": t("Time up"),
  "overtime": t("Overtime"),
};

/** Shapes that carry the phase without colour: circle, triangle, square, cross. */
export const PHASE_ICONS = {
  "on-time": "●",
  "wrap-up": "▲",
  "time-up": "■",
  "overtime": "✖",
};

export const MINUS = "\u2212";

/**
 * Remaining ms of the on-air slot at server time `now` (epoch ms): counted from the absolute
 * deadline while running, else the server's remaining_ms. Negative in overtime; null without timer.
 */
export function remainingMs(timer, now) {
  if (!timer) return null;
  if (timer.state === "running" && typeof timer.deadline_ms === "number") return timer.deadline_ms - now;
  return timer.remaining_ms;
}

/** Phase for `remaining` ms: > wrap_up on-time; > 0 wrap-up; > -grace time-up; else overtime. */
export function phaseOf(timer, remaining) {
  if (!timer || remaining === null || remaining === undefined) return "on-time";
  const grace = typeof timer.time_up_grace_ms === "number" ? timer.time_up_grace_ms : 30000;
  if (remaining > timer.wrap_up_ms) return "on-time";
  if (remaining > 0) return "wrap-up";
  if (remaining > -grace) return "time-up";
  return "overtime";
}

/** Everything a countdown display needs at server time `now`. */
export function countdown(timer, now) {
  const remaining = remainingMs(timer, now);
  const phase = phaseOf(timer, remaining);
  return {remaining, phase, label: PHASE_LABELS[phase], icon: PHASE_ICONS[phase]};
}

/**
 * "mm:ss", "h:mm:ss" from one hour, with a leading minus in overtime ("-01:23").
 * Positive values round up (0:00 shows at the deadline, not a second before); negative values
 * round toward zero, so the first second of overtime still reads 00:00.
 */
export function formatClock(ms, {minus = "-"} = {}) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "--:--";
  const negative = ms < 0 && ms <= -1000;
  const total = ms >= 0 ? Math.ceil(ms / 1000) : Math.floor(-ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body = h > 0
    ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`
    : `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return negative ? `${minus}${body}` : body;
}

/** A length for people: "45 s", "12 min", "1 h 05 min". */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return "";
  const abs = Math.abs(ms);
  if (abs < 60000) return `${Math.round(abs / 1000)} s`;
  const minutes = Math.round(abs / 60000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

const timeFormats = new Map();
// The page's locale for Intl where the page is in a screen language (French, Spanish: the same
// 24-hour clock the server's Babel writes); elsewhere en-GB, so digits stay Western on every phone.
const TIME_LOCALE = ["fr", "es"].includes(document.documentElement.lang) ? document.documentElement.lang : "en-GB";

/** "HH:MM" (or "HH:MM:SS") of an epoch-ms instant in an IANA time zone; "" for null. */
export function formatTimeOfDay(ms, timeZone, {seconds = false} = {}) {
  if (ms === null || ms === undefined) return "";
  const key = `${timeZone}|${seconds}`;
  let fmt = timeFormats.get(key);
  if (!fmt) {
    const options = {hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
    if (seconds) options.second = "2-digit";
    try {
      fmt = new Intl.DateTimeFormat(TIME_LOCALE, {...options, timeZone: timeZone || undefined});
    } catch {
      fmt = new Intl.DateTimeFormat(TIME_LOCALE, options); // unknown zone: the device's own
    }
    timeFormats.set(key, fmt);
  }
  return fmt.format(new Date(ms));
}

/** Short zone name for a label ("GMT+7"), or the IANA name when Intl cannot say. */
export function zoneLabel(timeZone, at = Date.now()) {
  try {
    const parts = new Intl.DateTimeFormat("en-GB", {timeZone, timeZoneName: "short"}).formatToParts(new Date(at));
    const name = parts.find((p) => p.type === "timeZoneName");
    return name ? name.value : timeZone;
  } catch {
    return timeZone || "";
  }
}

/**
 * The projected end of the show at server time `now`: the server's projection moved on by the
 * overtime accrued since the snapshot (docs/protocol.md).
 */
export function projectedEndMs(run, now) {
  if (!run || run.projected_end_ms === null || run.projected_end_ms === undefined) return null;
  const t = run.timer;
  const since = Math.max(0, now - run.server_now_ms);
  if (run.status === "live" && t && t.state === "running") {
    const remainingNow = remainingMs(t, now);
    return run.projected_end_ms + Math.max(0, -remainingNow) - Math.max(0, -t.remaining_ms);
  }
  // Paused on air, or waiting past the scheduled start: every second of waiting pushes the
  // end back a second (the server projects from "now" in both cases).
  const first = run.segments && run.segments[0];
  const late = run.status === "not-started" && first && run.server_now_ms >= first.planned_start_ms;
  if ((run.status === "live" && t && t.state !== "running") || late) return run.projected_end_ms + since;
  return run.projected_end_ms;
}

/** Over (positive) or under (negative) the booked slot at `now`, or null without a booked slot. */
export function overBookedMs(run, now) {
  if (!run || run.over_booked_ms === null || run.over_booked_ms === undefined) return null;
  const projected = projectedEndMs(run, now);
  return run.over_booked_ms + (projected - run.projected_end_ms);
}

/** Elapsed ms of a segment at `now`: live for the running on-air segment, else as sent. */
export function segmentElapsedMs(run, segment, now) {
  const t = run && run.timer;
  if (t && t.segment_id === segment.id && t.state === "running") {
    return Math.max(0, segment.elapsed_ms + (now - run.server_now_ms));
  }
  return segment.elapsed_ms;
}

/**
 * Call `fn(now)` about every `everyMs` while the page is visible (requestAnimationFrame, so a
 * sleeping phone spends nothing). Returns a stop function.
 */
export function everyFrame(fn, everyMs = 100) {
  let last = 0;
  let handle = 0;
  const loop = (t) => {
    if (t - last >= everyMs) {
      last = t;
      try {
        fn();
      } catch (err) {
        console.error(err);
      }
    }
    handle = requestAnimationFrame(loop);
  };
  handle = requestAnimationFrame(loop);
  return () => cancelAnimationFrame(handle);
}
