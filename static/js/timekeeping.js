// Console timekeeping: now speaking (airtime and fair share), stage cues and blackout, the
// prompt deck, auto-advance and skip per segment, overrun rebalancing with preview and undo,
// the reset after a rehearsal, and the shortcuts B, 0-9, [ ], ? (help).
import {$, h, isTyping, keyedList, setAttr, setText, toast} from "./dom.js";
import {t} from "./i18n.js";
import {formatClock, formatDuration, formatTimeOfDay, MINUS, overBookedMs, projectedEndMs} from "./live.js";

let live = null;
let cmd = async () => null;

/** Wire the console's timekeeping controls; returns {render(state, part), tick(state, now)}. */
export function initTimekeeping(liveConnection, command) {
  live = liveConnection;
  cmd = command;
  wireCues();
  wirePlan();
  wireKeys();
  $("#btn-prompt-prev").addEventListener("click", (e) => cmd("prompt:previous", {}, e.currentTarget));
  $("#btn-prompt-next").addEventListener("click", (e) => cmd("prompt:next", {}, e.currentTarget));
  return {render, tick};
}

function render(state, part) {
  const all = part === "state" || part === "refresh";
  if (all || part === "run") {
    renderSpeakers(state);
    renderDeck(state);
    renderPlanActions(state);
  }
  if (all || part === "stage") renderCues(state);
  if (all || part === "scene") renderBlackout(state);
  if (all || part === "run" || part === "scene") renderDeck(state);
}

function tick(state, now) {
  tickSpeakers(state, now);
  tickPlanActions(state, now);
}

const tz = () => (live.state ? live.state.event.timezone : undefined);
const hm = (ms) => formatTimeOfDay(ms, tz());
const onAir = (state) => {
  const tm = state.run.timer;
  return tm && state.run.status === "live" ? state.run.segments.find((s) => s.id === tm.segment_id) : null;
};

// ---- run of show rows: auto-advance and skip --------------------------------------------------

/** The two toggles of a run-of-show row (created once per row). */
export function segmentToggles(segmentId) {
  const auto = h("button", {type: "button", class: "btn btn-toggle btn-auto", "aria-pressed": "false", text: t("Auto")});
  const skip = h("button", {type: "button", class: "btn btn-toggle btn-skip", "aria-pressed": "false", text: t("Skip")});
  auto.addEventListener("click", () => cmd("segment:auto",
    {segment_id: segmentId, on: auto.getAttribute("aria-pressed") !== "true"}, auto));
  skip.addEventListener("click", () => cmd("segment:skip",
    {segment_id: segmentId, skipped: skip.getAttribute("aria-pressed") !== "true"}, skip));
  return [auto, skip];
}

/** Refresh a row's toggles from segment `s` of `run`. */
export function updateSegmentToggles(tr, s, run) {
  const auto = tr.querySelector(".btn-auto");
  const skip = tr.querySelector(".btn-skip");
  setAttr(auto, "aria-pressed", String(!!s.auto_advance));
  auto.title = s.auto_advance ? t("{segment}: moves on by itself at 0:00 (click to turn off)", {segment: s.title})
    : t("{segment}: waits for Next at 0:00 (click to move on by itself)", {segment: s.title});
  auto.setAttribute("aria-label", t("Auto-advance {segment}", {segment: s.title}));
  setAttr(skip, "aria-pressed", String(!!s.skipped));
  skip.setAttribute("aria-label", t("Skip {segment}", {segment: s.title}));
  const current = run.current_segment_id === s.id;
  skip.disabled = current || (s.started_ms !== null && !s.skipped);
  skip.title = skip.disabled ? t("Only a segment still to come can be skipped") : s.skipped ? t("Bring it back") : t("Leave it out of the show");
}

// ---- now speaking: airtime and fair share ------------------------------------------------------

function renderSpeakers(state) {
  const grid = $("#speakers-grid");
  const panelists = state.event.panelists || [];
  const items = [...panelists.map((p, i) => ({key: String(p.id), id: p.id, n: i + 1, name: p.name})),
    {key: "none", id: null, n: 0, name: t("Nobody")}];
  keyedList(grid, items, (x) => x.key, (x) => {
    const btn = h("button", {type: "button", class: "btn speaker", "aria-pressed": "false"},
      h("span", {class: "kbd", text: String(x.n)}),
      h("span", {class: "speaker-name", text: shortName(x.name)}),
      h("span", {class: "speaker-time num"}),
      h("span", {class: "speaker-bar", "aria-hidden": "true"}, h("span", {class: "speaker-fill"}), h("span", {class: "speaker-fair"})));
    btn.title = x.id ? t("Now speaking: {name}", {name: x.name}) : t("Now speaking: no panelist (moderator or audience)");
    btn.dataset.name = x.name;
    btn.setAttribute("aria-label", x.id ? t("Now speaking: {name}", {name: x.name}) : t("Now speaking: nobody"));
    btn.addEventListener("click", () => cmd("speaker:set", {panelist_id: x.id}, btn));
    return btn;
  }, (btn, x) => {
    const a = state.run.airtime;
    setAttr(btn, "aria-pressed", String(!!a && state.run.status === "live" && a.speaking_id === x.id));
    btn.disabled = state.run.status !== "live";
  });
}

/** A panelist's surname, to tell panelists apart where room is short (buttons, question cards). */
export function shortName(name) {
  // "Prof Phudit Tejavivaddhana" -> "Tejavivaddhana": surnames tell panelists apart on a button.
  const parts = name.split(/\s+/).filter((w) => !/^(mr|ms|mrs|dr|prof)\.?$/i.test(w));
  return parts.length > 1 ? parts.slice(1).join(" ") : parts.join(" ") || name;
}

/** Airtime per panelist at `now`: the snapshot's totals plus the running speaker's time since. */
function airtimeAt(state, now) {
  const run = state.run;
  const a = run.airtime;
  if (!a) return null;
  const tm = run.timer;
  const since = tm && run.status === "live" && tm.state === "running" ? Math.max(0, now - run.server_now_ms) : 0;
  const totals = new Map(a.totals.map((x) => [x.panelist_id, x.ms + (x.panelist_id === a.speaking_id ? since : 0)]));
  const sum = [...totals.values()].reduce((x, y) => x + y, 0);
  return {totals, fair: totals.size ? sum / totals.size : 0};
}

function tickSpeakers(state, now) {
  const at = airtimeAt(state, now);
  if (!at) return;
  const scale = Math.max(at.fair * 1.5, ...at.totals.values(), 60000);
  for (const btn of $("#speakers-grid").children) {
    const id = btn.dataset.key === "none" ? null : Number(btn.dataset.key);
    if (id === null) {
      setText(btn.querySelector(".speaker-time"), "");
      btn.querySelector(".speaker-bar").hidden = true;
      continue;
    }
    const ms = at.totals.get(id) || 0;
    setText(btn.querySelector(".speaker-time"), formatClock(ms));
    btn.querySelector(".speaker-fill").style.width = `${(100 * ms) / scale}%`;
    btn.querySelector(".speaker-fair").style.left = `${(100 * at.fair) / scale}%`;
    btn.classList.toggle("is-over-share", at.fair > 0 && ms > at.fair * 1.25);
  }
  const speaking = state.run.airtime.speaking_id;
  const who = speaking ? (state.event.panelists || []).find((p) => p.id === speaking) : null;
  setText($("#speakers-now"), state.run.status !== "live" ? "–"
    : who ? `${shortName(who.name)} ${formatClock(at.totals.get(speaking) || 0)}` : t("no panelist"));
  setText($("#speakers-note"), at.fair > 0 ? `Fair share so far: ${formatClock(at.fair)} each (│ on the bars)` : "No airtime yet");
  tickMiniMeter(state, at, scale, speaking);
  for (const btn of $("#speakers-grid").children) {
    const id = btn.dataset.key === "none" ? null : Number(btn.dataset.key);
    if (id !== null) btn.title = `Now speaking: ${btn.dataset.name} (airtime ${formatClock(at.totals.get(id) || 0)})`;
  }
}

/** The mini fair-share meter: one bar per panelist, the dashed line at the fair share. */
function tickMiniMeter(state, at, scale, speaking) {
  const meter = $("#mini-meter");
  const panelists = state.event.panelists || [];
  if (meter.children.length !== panelists.length + 1) {
    meter.replaceChildren(...panelists.map(() => h("span", {class: "mini-bar"})), h("span", {class: "mini-fair"}));
  }
  const height = 16;
  panelists.forEach((p, i) => {
    const bar = meter.children[i];
    const ms = at.totals.get(p.id) || 0;
    bar.style.height = `${Math.max(1, Math.round((height * ms) / scale))}px`;
    bar.classList.toggle("is-over-share", at.fair > 0 && ms > at.fair * 1.25);
    bar.classList.toggle("is-speaking", p.id === speaking);
  });
  meter.lastElementChild.style.bottom = `${Math.round((height * at.fair) / scale)}px`;
}

// ---- prompt deck -------------------------------------------------------------------------------

function renderDeck(state) {
  const seg = onAir(state) || (state.run.status === "not-started" && state.run.timer
    ? state.run.segments.find((s) => s.id === state.run.timer.segment_id) : null);
  const kq = seg && seg.key_question_id ? state.event.key_questions.find((k) => k.id === seg.key_question_id) : null;
  const index = kq ? Math.min(seg.prompt_index || 0, kq.prompts.length - 1) : -1;
  const deckId = kq ? kq.prompts[index].id : null;
  for (const li of document.querySelectorAll("#prompts .kq.is-current .prompt")) {
    const on = Number(li.dataset.promptId) === deckId;
    li.classList.toggle("is-deck", on);
    setAttr(li, "aria-current", on ? "step" : null);
  }
  $("#btn-prompt-prev").disabled = !kq || index <= 0;
  $("#btn-prompt-next").disabled = !kq || index >= kq.prompts.length - 1;
}

// ---- stage cues and blackout ------------------------------------------------------------------

function wireCues() {
  const airtimeDialog = $("#airtime-dialog");
  $("#btn-airtime").addEventListener("click", () => airtimeDialog.showModal());
  const dialog = $("#cues-dialog");
  $("#btn-cues").addEventListener("click", () => dialog.showModal());
  $("#cue-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("#cue-text");
    const text = input.value.trim();
    if (!text) return;
    const ack = await cmd("stage:message", {text}, e.submitter || null);
    if (ack) input.value = "";
  });
  $("#btn-cue-clear").addEventListener("click", (e) => cmd("stage:clear", {}, e.currentTarget));
  $("#btn-cue-flash").addEventListener("click", (e) => cmd("stage:flash", {}, e.currentTarget));
  $("#btn-blackout-stage").addEventListener("click", (e) => {
    const cue = live.state && live.state.stage;
    cmd("stage:blackout", {on: !(cue && cue.stage_blackout)}, e.currentTarget);
  });
}

// The projector's blackout is its "blackout" scene; B toggles it and then brings back the scene
// the room saw before (or the timer, if that scene has nothing to show any more).
let sceneBeforeBlackout = "timer";

async function toggleProjectorBlackout() {
  const scene = live.state.scene.name;
  if (scene !== "blackout") {
    sceneBeforeBlackout = scene;
    return cmd("scene:set", {scene: "blackout"});
  }
  const back = sceneBeforeBlackout === "blackout" ? "timer" : sceneBeforeBlackout;
  try {
    return await live.emit("scene:set", {scene: back});
  } catch {
    return cmd("scene:set", {scene: "timer"});
  }
}

function renderBlackout(state) {
  $("#blackout-badge").hidden = state.scene.name !== "blackout";
}

function renderCues(state) {
  const cue = state.stage;
  if (!cue) return;
  keyedList($("#cue-presets"), cue.presets, (p) => p.key, (p) => {
    const btn = h("button", {type: "button", class: "btn btn-small cue-preset", "aria-pressed": "false", text: p.text});
    btn.addEventListener("click", () => cmd("stage:message", {preset: p.key}, btn));
    return btn;
  }, (btn, p) => setAttr(btn, "aria-pressed", String(!!cue.message && cue.message.preset === p.key)));
  setText($("#cue-now"), cue.message ? `The stage view shows: “${cue.message.text}”` : "No message on the stage view.");
  $("#cue-now").classList.toggle("has-message", !!cue.message);
  $("#cue-dot").hidden = !cue.message && !cue.stage_blackout;
  $("#btn-cue-clear").disabled = !cue.message;
  const sb = $("#btn-blackout-stage");
  setAttr(sb, "aria-pressed", String(cue.stage_blackout));
  setText(sb, cue.stage_blackout ? t("Stage is black: show it") : t("Black out stage"));
}

// ---- rebalancing: preview, apply, undo ---------------------------------------------------------

let strategy = "spread";
let previewTimer = 0;

function wirePlan() {
  const dialog = $("#rebalance-dialog");
  $("#btn-rebalance").addEventListener("click", () => {
    dialog.showModal();
    refreshPreview();
    previewTimer = setInterval(refreshPreview, 5000); // the overrun moves while a slot runs late
  });
  dialog.addEventListener("close", () => clearInterval(previewTimer));
  $("#btn-rebalance-cancel").addEventListener("click", () => dialog.close());
  for (const btn of dialog.querySelectorAll(".strategy")) {
    btn.addEventListener("click", () => {
      strategy = btn.dataset.strategy;
      refreshPreview();
    });
  }
  $("#btn-rebalance-apply").addEventListener("click", async (e) => {
    const ack = await cmd("plan:apply", {strategy}, e.currentTarget);
    if (!ack) return;
    dialog.close();
    if (ack.applied) toast(`Applied: ${ack.applied.label.toLowerCase()} (${MINUS}${formatDuration(ack.applied.total_ms)}). Undo is under the run of show.`, {kind: "ok"});
  });
  $("#btn-undo-plan").addEventListener("click", (e) => cmd("plan:undo", {}, e.currentTarget));

  const reset = $("#reset-dialog");
  $("#btn-reset").addEventListener("click", () => {
    $("#reset-warn").hidden = !(live.state && live.state.run.status === "live");
    reset.showModal();
    $("#btn-reset-cancel").focus();
  });
  $("#btn-reset-cancel").addEventListener("click", () => reset.close());
  $("#btn-reset-confirm").addEventListener("click", async (e) => {
    const ack = await cmd("run:reset", {confirm: true}, e.currentTarget);
    if (ack) {
      reset.close();
      toast(t("The run of show is reset to its plan."), {kind: "ok"});
    }
  });
}

async function refreshPreview() {
  for (const btn of document.querySelectorAll("#rebalance-dialog .strategy")) {
    setAttr(btn, "aria-checked", String(btn.dataset.strategy === strategy));
  }
  const ack = await cmd("plan:preview", {strategy});
  if (!ack) return;
  const p = ack.preview;
  setText($("#rebalance-lead"), p.overrun_ms > 0
    ? t("The show is projected to end {over} after the booked slot. No segment goes below {min}; only segments still to come change.", {over: formatDuration(p.overrun_ms), min: formatDuration(p.min_segment_ms)})
    : t("The show is projected to end within the booked slot: nothing to win back."));
  keyedList($("#preview-body"), p.changes.length ? p.changes : [{segment_id: 0}], (c) => String(c.segment_id),
    () => h("tr", {}, h("td", {class: "pv-title"}), h("td", {class: "num pv-before"}), h("td", {class: "num pv-after"}), h("td", {class: "num pv-delta"})),
    (tr, c) => {
      if (!c.segment_id) {
        setText(tr.querySelector(".pv-title"), p.strategy === "keep" ? "No segment changes." : "No segment can give time.");
        for (const cls of [".pv-before", ".pv-after", ".pv-delta"]) setText(tr.querySelector(cls), "");
        return;
      }
      setText(tr.querySelector(".pv-title"), c.title);
      setText(tr.querySelector(".pv-before"), formatClock(c.before_ms));
      setText(tr.querySelector(".pv-after"), formatClock(c.after_ms));
      setText(tr.querySelector(".pv-delta"), `${MINUS}${formatClock(-c.delta_ms)}`);
    });
  const over = p.over_booked_ms;
  setText($("#preview-outcome"), `${p.strategy === "keep" ? "The show ends" : "Then the show ends"} ${hm(p.projected_end_ms)}: `
    + (over > 0 ? `${formatDuration(over)} over the booked slot.` : over < 0 ? `${formatDuration(-over)} to spare.` : "on the booked end."));
  $("#preview-outcome").dataset.kind = over > 0 ? "over" : "ok";
  $("#btn-rebalance-apply").textContent = p.strategy === "keep" ? "Keep the plan" : "Apply";
}

function renderPlanActions(state) {
  const change = state.run.plan_change;
  const undo = $("#btn-undo-plan");
  undo.hidden = !change;
  if (change) setText(undo, `Undo: ${change.label.toLowerCase()} (${MINUS}${formatDuration(change.total_ms)})`);
}

function tickPlanActions(state, now) {
  const run = state.run;
  const over = overBookedMs(run, now);
  const btn = $("#btn-rebalance");
  const show = run.status !== "ended" && over !== null && over > 0;
  btn.hidden = !show;
  if (show) setText(btn, t("Rebalance {over} over…", {over: formatDuration(over)}));
  projectedEndMs(run, now); // keeps the same arithmetic as the alert above
}

// ---- keys: B, 0-9, [ ], ? ------------------------------------------------------------------------


function wireKeys() {
  const help = $("#help-dialog");
  $("#btn-keys").addEventListener("click", () => help.showModal());
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || e.repeat) return;
    if (e.key === "?") {
      if (help.open) help.close();
      else help.showModal();
      e.preventDefault();
      return;
    }
    if (document.querySelector("dialog[open]") || !live.state) return;
    const state = live.state;
    if (e.key === "b" || e.key === "B") {
      toggleProjectorBlackout();
    } else if (/^[0-9]$/.test(e.key)) {
      const n = Number(e.key);
      const p = n === 0 ? null : (state.event.panelists || [])[n - 1];
      if (n !== 0 && !p) return;
      cmd("speaker:set", {panelist_id: p ? p.id : null});
    } else if (e.key === "]") {
      cmd("prompt:next", {});
    } else if (e.key === "[") {
      cmd("prompt:previous", {});
    } else {
      return;
    }
    e.preventDefault();
  });
}
