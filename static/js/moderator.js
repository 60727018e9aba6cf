// The moderator console: run the timer and the run of show, prompts, questions, polls, scene.
import {$, h, isTyping, keyedList, setAttr, setText, toast} from "./dom.js";
import {t} from "./i18n.js";
import {
  connectLive, countdown, everyFrame, formatClock, formatDuration, formatTimeOfDay, MINUS,
  overBookedMs, projectedEndMs, segmentElapsedMs, zoneLabel,
} from "./live.js";
import {moderatorPolls} from "./moderator-polls.js";
import {consoleAuth, initPreview, initRename, renderActivity, renderPresence} from "./comod.js";
import {setupQuestions} from "./moderator-questions.js";
import {initTimekeeping, segmentToggles, updateSegmentToggles} from "./timekeeping.js";
import {initReport} from "./moderator-report.js";
import {initImport} from "./moderator-import.js";
import {initConsoleTakeaways} from "./console-takeaways.js";

const SCENE_NAMES = {timer: t("Timer"), prompt: t("Prompt"), question: t("Question"), poll: t("Poll"), join: t("Join"),
  holding: t("Holding"), blackout: t("Blackout")};

const live = connectLive({
  namespace: "/moderator",
  auth: consoleAuth, // who this console is in the activity log
  indicator: $("#indicator-slot"),
  offline: "reject", // a command must not fire seconds later, after a reconnect
  versioned: true, // every command says which state version it was made on (co-moderators)
  onRender: render,
});
window.forumLive = live; // for debugging and browser tests
initPreview();
initRename(live);
const polls = moderatorPolls(live, (event, payload, button) => command(event, payload, button));
const questions = setupQuestions({live, command});
const timekeeping = initTimekeeping(live, (...args) => command(...args));
const report = initReport(live, (...args) => command(...args));
const importer = initImport(live, (...args) => command(...args));
const takeaways = initConsoleTakeaways(live, document.body.dataset.eventCode);

/**
 * Send a command; errors go to a toast. `button` is busy while waiting: a second press is
 * ignored. It is not disabled, so a keyboard user keeps the focus (and its ring) on it.
 */
async function command(event, payload = {}, button = null) {
  if (button) {
    if (button.classList.contains("is-busy")) return null;
    button.classList.add("is-busy");
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await live.emit(event, payload);
  } catch (err) {
    toast(err.message);
    return null;
  } finally {
    if (button) {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-busy");
      if (live.state) render(live.state, "refresh");
    }
  }
}

/**
 * The segment the operator saw on air when pressing a key or button. A change shown less than
 * SETTLE_MS ago has not been seen yet (no one reacts that fast): a press that quick was aimed
 * at the segment shown before it, e.g. a double click on Next.
 */
const SETTLE_MS = 400;
/** How long after its ack an on-air change still counts as this console's own (ms). */
const OWN_CHANGE_MS = 1500;
const onAir = {
  shown: undefined, previous: null, changedAt: 0,
  note(id) {
    if (id === this.shown) return;
    if (this.shown !== undefined) {
      this.previous = this.shown;
      // This console's own Start or Go counts as seen, also when its broadcast comes in just
      // after the ack (a Space then N at once was read as a double press and N was dropped).
      const own = this.asked > 0 || performance.now() < this.ownUntil;
      this.changedAt = own ? 0 : performance.now();
      if (this.asked) this.changedWhileAsked = true;
      else this.ownUntil = 0; // only the one change the command made is its own
    }
    this.shown = id;
  },
  asked: 0, // this console's Start / Go commands in flight
  ownUntil: 0, // until then (performance.now() ms) the next on-air change is this console's own
  changedWhileAsked: false,
  /** Run a Start or Go command: the change it makes was asked for here, so it counts as seen. */
  async ask(promise) {
    this.asked += 1;
    this.changedWhileAsked = false;
    try {
      return await promise;
    } finally {
      this.asked -= 1;
      this.changedAt = 0;
      // Acked before its broadcast came in: the change still to come is this command's.
      this.ownUntil = this.changedWhileAsked ? 0 : performance.now() + OWN_CHANGE_MS;
    }
  },
  believed() {
    if (this.shown === undefined) return undefined;
    return performance.now() - this.changedAt < SETTLE_MS ? this.previous : this.shown;
  },
};
window.forumLive.onAir = onAir; // browser tests wait until an on-air change counts as seen

function render(state, part) {
  if (part === "clock") return;
  if (state.run) onAir.note(state.run.current_segment_id ?? null);
  const all = part === "state" || part === "refresh";
  if (all || part === "event") { // "event": the event editor changed it
    setText($("#event-title"), state.event.title);
    setText($("#wallclock-zone"), zoneLabel(state.event.timezone));
    setText($("#ros-zone"), t("Times in {zone} ({offset})", {zone: state.event.timezone, offset: zoneLabel(state.event.timezone)}));
  }
  if (all || part === "run") {
    renderTimer(state);
    renderRunOfShow(state);
    keepOnAirInView(state.run);
  }
  if (all || part === "run" || part === "scene") renderPrompts(state);
  if (all || part === "questions" || part === "scene") questions.render(state);
  if (all || part === "polls" || part === "scene") polls.render(state);
  if (all || part === "scene" || part === "questions" || part === "polls") renderScene(state);
  if (all || part === "presence") renderPresence(state);
  if (all || part === "audit") renderActivity(state);
  timekeeping.render(state, part);
  report.render(state, part);
  importer.render(state, part);
  takeaways.render(state, part);
  tick();
}

// ---- helpers ------------------------------------------------------------------------------

const tz = () => (live.state ? live.state.event.timezone : undefined);
const panelist = (state, id) => (state.event.panelists || []).find((p) => p.id === id) || null;
const timerSegment = (state) => {
  const tm = state.run && state.run.timer;
  return tm ? state.run.segments.find((s) => s.id === tm.segment_id) || null : null;
};
const hm = (ms) => formatTimeOfDay(ms, tz());

// ---- timer --------------------------------------------------------------------------------

function renderTimer(state) {
  const run = state.run;
  const tm = run.timer;
  const seg = timerSegment(state);
  const segs = run.segments;
  const start = $("#btn-start");
  const pause = $("#btn-pause");
  const next = $("#btn-next");
  let startLabel = t("Start");
  if (run.status === "not-started") startLabel = t("Start show");
  else if (tm && tm.state === "paused") startLabel = t("Resume");
  start.firstChild.textContent = `${startLabel} `;
  start.disabled = !tm || tm.state === "running" || run.status === "ended";
  pause.disabled = !tm || tm.state !== "running";
  // Next ends the show when no segment is left to put on air (skipped ones are passed over).
  const ends = run.status === "live" && run.next_segment_id == null;
  next.dataset.ends = String(ends);
  next.firstChild.textContent = ends ? `${t("End show ▶")} ` : `${t("Next ▶")} `;
  next.disabled = run.status === "ended";
  const followUp = $("#timer-followup");
  followUp.hidden = run.status !== "ended";
  setText($("#followup-text"), run.questions_open ? "Questions stay open for follow-up." : "Questions are closed.");
  setText($("#btn-followup"), run.questions_open ? "Close questions" : "Reopen for follow-up");
  $("#btn-prev").disabled = run.status === "not-started";
  $("#btn-minus").disabled = !tm || run.status !== "live";
  $("#btn-plus").disabled = !tm || run.status !== "live";

  if (!seg) {
    setText($("#timer-seg"), run.status === "ended" ? "The show has ended." : "No segment.");
    setText($("#timer-speaker"), "");
    return;
  }
  const index = segs.findIndex((s) => s.id === seg.id);
  const prefix = run.status === "not-started" ? t("First up") : `${index + 1}/${segs.length}`;
  setText($("#timer-seg"), `${prefix} · ${seg.title}`);
  const p = seg.panelist_id ? panelist(state, seg.panelist_id) : null;
  setText($("#timer-speaker"), p ? `${p.name} · ${p.organisation}` : "");
}

function tick() {
  const state = live.state;
  if (!state) return;
  const now = live.serverNow();
  setText($("#wallclock"), formatTimeOfDay(now, state.event.timezone, {seconds: true}));
  const run = state.run;
  const tm = run.timer;
  const panel = $("#timer-panel");
  if (!tm) {
    setText($("#timer-big"), "--:--");
    panel.dataset.phase = "none";
    setText($("#timer-phase-label"), run.status === "ended" ? t("Ended") : "");
    setText($("#timer-phase-icon"), "");
    setText($("#timer-state"), "");
    setText($("#timer-meta"), "");
  } else {
    const c = countdown(tm, now);
    panel.dataset.phase = c.phase;
    panel.dataset.state = tm.state;
    setText($("#timer-big"), formatClock(c.remaining, {minus: MINUS}));
    setText($("#timer-phase-icon"), c.icon);
    setText($("#timer-phase-label"), c.label);
    const stateLabel = run.status === "not-started" ? t("Not started") : tm.state === "paused" ? t("❚❚ Paused")
      : tm.state === "idle" ? t("Ready") : t("▶ Running");
    setText($("#timer-state"), stateLabel);
    const length = tm.planned_ms + tm.adjust_ms;
    const adjust = tm.adjust_ms ? ` (${tm.adjust_ms > 0 ? "+" : MINUS}${formatClock(Math.abs(tm.adjust_ms))})` : "";
    const elapsed = length - c.remaining;
    setText($("#timer-meta"),
      t("Length {length}{adjust} · elapsed {elapsed}", {length: formatClock(tm.planned_ms), adjust, elapsed: formatClock(Math.max(0, elapsed))}));
  }
  tickRunOfShow(state, now);
  polls.tick();
  questions.tick(state, now);
  timekeeping.tick(state, now);
}
everyFrame(tick, 100);

// ---- run of show ----------------------------------------------------------------------------

function renderRunOfShow(state) {
  const run = state.run;
  keyedList($("#ros-body"), run.segments, (s) => s.id, (s) => {
    const go = h("button", {type: "button", class: "btn btn-small btn-go", text: t("Go")});
    go.addEventListener("click", () => onAir.ask(command("timer:goto", {segment_id: s.id}, go)));
    return h("tr", {},
      h("td", {class: "c-start num"}),
      h("td", {class: "c-title"}, h("span", {class: "ros-title"}), h("span", {class: "ros-speaker"})),
      h("td", {class: "c-len num"}, h("span", {class: "ros-planned"}), h("span", {class: "ros-adjust"})),
      h("td", {class: "c-actual num"}),
      h("td", {class: "c-elapsed num"}),
      h("td", {class: "c-opts"}, ...segmentToggles(s.id)),
      h("td", {class: "c-go"}, go));
  }, (tr, s) => {
    const current = run.current_segment_id === s.id;
    const done = !current && s.left_ms !== null && s.started_ms !== null;
    tr.classList.toggle("is-current", current);
    tr.classList.toggle("is-done", done);
    tr.classList.toggle("is-skipped", !!s.skipped);
    setAttr(tr, "aria-current", current ? "step" : null);
    setText(tr.querySelector(".c-start"), hm(s.planned_start_ms));
    setText(tr.querySelector(".ros-title"), s.title);
    const p = s.panelist_id ? panelist(state, s.panelist_id) : null;
    setText(tr.querySelector(".ros-speaker"), p ? p.name : "");
    tr.querySelector(".c-title").title = p ? `${s.title} · ${p.name}` : s.title;
    setText(tr.querySelector(".ros-planned"), formatClock(s.planned_ms));
    setText(tr.querySelector(".ros-adjust"), s.adjust_ms
      ? `${s.adjust_ms > 0 ? "+" : MINUS}${formatClock(Math.abs(s.adjust_ms))}` : "");
    setText(tr.querySelector(".c-actual"), s.started_ms ? hm(s.started_ms) : "");
    updateSegmentToggles(tr, s, run);
    const go = tr.querySelector(".btn-go");
    go.setAttribute("aria-label", t("Go to {segment}", {segment: s.title}));
    go.disabled = current && run.timer && run.timer.state === "running";
  });
}

/**
 * The run of show scrolls inside its panel on a small window: keep the segment on air in view,
 * with the one before it at the top. Only when the segment on air changes (or the panel's size),
 * so the moderator can scroll to look ahead in between.
 */
let rosInView = undefined;
function keepOnAirInView(run) {
  const box = $("#ros-scroll");
  const key = run.current_segment_id ?? null;
  if (key === rosInView || !box.clientHeight) return;
  rosInView = key;
  const rows = [...$("#ros-body").children];
  const i = rows.findIndex((tr) => tr.dataset.key === String(key));
  if (i < 0) return;
  const head = box.querySelector("thead").getBoundingClientRect().height;
  const top = rows[Math.max(0, i - 1)].getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  box.scrollTop = top - head;
}
new ResizeObserver(() => {
  rosInView = undefined;
  if (live.state) keepOnAirInView(live.state.run);
}).observe($("#ros-scroll"));

function tickRunOfShow(state, now) {
  const run = state.run;
  const rows = $("#ros-body").children;
  for (const tr of rows) {
    const s = run.segments.find((x) => String(x.id) === tr.dataset.key);
    if (!s) continue;
    const elapsed = segmentElapsedMs(run, s, now);
    const cell = tr.querySelector(".c-elapsed");
    setText(cell, s.started_ms ? formatClock(elapsed) : "");
    cell.classList.toggle("is-over", elapsed > s.planned_ms + s.adjust_ms);
  }
  setText($("#end-planned"), hm(run.planned_end_ms));
  const projected = projectedEndMs(run, now);
  setText($("#end-projected"), hm(projected));
  setText($("#end-booked"), run.booked_end_ms ? hm(run.booked_end_ms) : t("not set"));
  $("#ros-rehearsal").hidden = !run.rehearsal; // times shifted to the actual start (domain.agenda)
  renderAlerts(state, now, projected);
}

function renderAlerts(state, now, projected) {
  const run = state.run;
  const alerts = [];
  // Once ended, nothing forward-looking: the plan's overrun no longer matters.
  if (run.status !== "ended" && run.planned_over_booked_ms > 0 && run.booked_end_ms) {
    alerts.push({kind: "warn", key: "plan",
      text: t("The plan ends {end}, {over} after the booked slot ({booked}).", {end: hm(run.planned_end_ms), over: formatDuration(run.planned_over_booked_ms), booked: hm(run.booked_end_ms)})});
  }
  const over = overBookedMs(run, now);
  if (run.status === "live" && over !== null) {
    if (over > 0) {
      alerts.push({kind: "danger", key: "live",
        text: t("Projected end {end}, {over} over the booked slot.", {end: hm(projected), over: formatDuration(over)})});
    } else {
      alerts.push({kind: "ok", key: "live",
        text: t("Projected end {end}, {spare} to spare in the booked slot.", {end: hm(projected), spare: formatDuration(-over)})});
    }
  } else if (run.status === "ended") {
    alerts.push({kind: "info", key: "ended", text: t("The show ended at {time}.", {time: hm(run.projected_end_ms)})});
  }
  keyedList($("#ros-alerts"), alerts, (a) => a.key,
    (a) => h("p", {class: "alert", role: a.kind === "danger" ? "alert" : "status"},
      h("span", {class: "alert-icon", "aria-hidden": "true"}), h("span", {class: "alert-text"})),
    (el, a) => {
      el.dataset.kind = a.kind;
      setText(el.querySelector(".alert-icon"), a.kind === "ok" ? "✓" : a.kind === "info" ? "■" : "▲");
      setText(el.querySelector(".alert-text"), a.text);
    });
}

// ---- prompts ------------------------------------------------------------------------------

function renderPrompts(state) {
  const box = $("#prompts");
  const seg = timerSegment(state);
  const kqs = state.event.key_questions || [];
  const shown = state.scene.name === "prompt" ? state.scene.prompt_id : null;
  const kq = seg && seg.key_question_id ? kqs.find((k) => k.id === seg.key_question_id) : null;
  const others = kqs.filter((k) => k !== kq);
  const key = `${kq ? kq.id : "none"}`;
  if (box.dataset.kq !== key) {
    box.dataset.kq = key;
    const none = kqs.length === 0 ? t("This event has no key questions: add them in the event editor (✎).")
      : seg ? t("This segment has no key question. All key questions:") : t("No segment on air.");
    box.replaceChildren(...[
      kq ? promptGroup(kq, true) : h("p", {class: "empty", text: none}),
      others.length ? h("details", {class: "prompts-more", open: !kq},
        h("summary", {text: kq ? t("Other key questions") : t("Key questions")}),
        others.map((k) => promptGroup(k, false))) : null].filter(Boolean));
  }
  for (const li of box.querySelectorAll(".prompt")) {
    const on = Number(li.dataset.promptId) === shown;
    li.classList.toggle("is-shown", on);
    const btn = li.querySelector("button");
    setAttr(btn, "aria-pressed", String(on));
    setText(btn, on ? t("On projector") : t("Show"));
    btn.title = on ? t("This prompt is on the projector") : t("Show this prompt on the projector");
  }
}

function promptGroup(kq, current) {
  return h("div", {class: `kq${current ? " is-current" : ""}`},
    h("p", {class: "kq-title"}, h("strong", {text: t("Key question {number}", {number: kq.number})}), " ", h("span", {text: kq.text})),
    h("ol", {class: "prompt-list"}, kq.prompts.map((pr) => {
      const btn = h("button", {type: "button", class: "btn btn-small", "aria-pressed": "false", text: t("Show")});
      btn.addEventListener("click", () => command("prompt:show", {prompt_id: pr.id}, btn));
      return h("li", {class: "prompt", dataset: {promptId: String(pr.id)}},
        h("span", {class: "prompt-text", text: pr.text}), btn);
    })));
}

function clip(text, n) {
  const chars = Array.from(text);
  return chars.length > n ? `${chars.slice(0, n - 1).join("")}…` : text;
}

// ---- scene --------------------------------------------------------------------------------

for (const btn of document.querySelectorAll(".scene-btn")) {
  btn.addEventListener("click", () => command("scene:set", {scene: btn.dataset.scene}, btn));
}

function renderScene(state) {
  const scene = state.scene;
  const hasQuestion = !!state.questions.highlighted_id;
  const needs = {prompt: scene.prompt_id, question: hasQuestion ? 1 : null, poll: scene.poll_id};
  const hints = {prompt: t("Show a prompt first (Key question prompts)."), question: t("Highlight a question first."),
    poll: t("Show a poll first (Polls).")};
  for (const btn of document.querySelectorAll(".scene-btn")) {
    const name = btn.dataset.scene;
    setAttr(btn, "aria-pressed", String(scene.name === name));
    const missing = name in needs && !needs[name];
    btn.disabled = missing;
    btn.title = missing ? hints[name] : t("Show the scene “{scene}” on the projector", {scene: SCENE_NAMES[name]});
  }
  let what = SCENE_NAMES[scene.name] || scene.name;
  if (scene.name === "prompt" && scene.prompt_id) {
    for (const kq of state.event.key_questions) {
      const i = kq.prompts.findIndex((p) => p.id === scene.prompt_id);
      if (i >= 0) what = t("Key question {number}, prompt {n}: {text}", {number: kq.number, n: i + 1, text: clip(kq.prompts[i].text, 70)});
    }
  } else if (scene.name === "question") {
    const q = state.questions.items.find((x) => x.id === state.questions.highlighted_id);
    what = q ? t("Question: {text}", {text: clip(q.text, 70)}) : t("Question (none highlighted)");
  } else if (scene.name === "poll") {
    const p = state.polls.find((x) => x.id === scene.poll_id);
    what = p ? (p.revealed ? t("Poll: {title} (results)", {title: clip(p.title, 60)}) : t("Poll: {title} (vote now)", {title: clip(p.title, 60)})) : t("Poll");
  } else if (scene.name === "timer") {
    what = state.run.status === "live" ? t("Timer with speaker") : t("Event title and join QR code");
  } else if (scene.name === "join") {
    what = t("Join QR code, URL and event code");
  } else if (scene.name === "holding") {
    what = t("Holding slide: event title and organisers");
  } else if (scene.name === "blackout") {
    what = t("BLACKOUT: the projector shows nothing");
  }
  setText($("#scene-now"), what);
  $("#scene-now").title = t("The projector shows: {what}", {what});
}

// ---- keyboard -----------------------------------------------------------------------------


function press(button) {
  if (!button.disabled) {
    button.classList.add("is-keyed");
    setTimeout(() => button.classList.remove("is-keyed"), 180);
    button.click();
  }
}

// A dialog opened from the keyboard (T, ?) has no element to give the focus back to when it
// closes: Chromium then leaves it on the closed dialog's text box until a later layout, and a
// key pressed right after Esc (3: "now speaking") went to that hidden box and was lost. So a
// closing dialog hands the focus back to the page.
for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("close", () => {
    if (dialog.contains(document.activeElement)) document.activeElement.blur();
  });
}

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
  // Space on a button reached with the keyboard (focus ring shown) presses that button, not
  // start/pause as well; after a mouse click (no focus ring) Space stays start/pause.
  if ((e.key === " " || e.key === "Spacebar") && e.target instanceof Element
      && e.target.matches(":focus-visible") && e.target.closest("button, a[href], summary, [role='tab']")) return;
  if (document.querySelector("dialog[open]")) return; // a dialog has the keyboard
  const state = live.state;
  if (!state) return;
  let handled = true;
  switch (e.key) {
    case " ":
    case "Spacebar": {
      if (e.repeat) break;
      const tm = state.run.timer;
      press(tm && tm.state === "running" ? $("#btn-pause") : $("#btn-start"));
      break;
    }
    case "n":
    case "N":
      if (!e.repeat) press($("#btn-next"));
      break;
    case "p":
    case "P":
      if (!e.repeat) press($("#btn-prev"));
      break;
    case "+":
    case "=":
    case "Add":
      press($("#btn-plus"));
      break;
    case "-":
    case "−":
    case "_":
    case "Subtract":
      press($("#btn-minus"));
      break;
    default:
      handled = false;
  }
  if (handled) e.preventDefault();
});

$("#btn-start").addEventListener("click", (e) => onAir.ask(command("timer:start", {}, e.currentTarget)));
$("#btn-pause").addEventListener("click", (e) => command("timer:pause", {}, e.currentTarget));
// Next / Previous say which segment they were pressed for (docs/protocol.md, from_segment_id),
// so a quick second press is refused instead of skipping a speaker.
$("#btn-next").addEventListener("click", (e) => {
  if (e.currentTarget.dataset.ends === "true") askEnd(onAir.believed());
  else command("timer:next", {from_segment_id: onAir.believed()}, e.currentTarget);
});
$("#btn-prev").addEventListener("click", (e) => command("timer:previous", {from_segment_id: onAir.believed()}, e.currentTarget));
$("#btn-plus").addEventListener("click", (e) => command("timer:adjust", {delta_ms: 60000}, e.currentTarget));
$("#btn-minus").addEventListener("click", (e) => command("timer:adjust", {delta_ms: -60000}, e.currentTarget));

// Ending the show closes the open poll and the audience's questions, unless the moderator keeps
// them open for follow-up (docs/protocol.md, "The end of the show"); changeable afterwards.
const endDialog = $("#end-dialog");
let endFrom = null;
function askEnd(fromSegmentId) {
  endFrom = fromSegmentId;
  $("#end-keep-questions").checked = false;
  endDialog.showModal();
  $("#btn-end-confirm").focus();
}
$("#btn-end-cancel").addEventListener("click", () => endDialog.close());
$("#btn-end-confirm").addEventListener("click", async (e) => {
  const keep = $("#end-keep-questions").checked;
  await command("timer:next", {from_segment_id: endFrom, keep_questions_open: keep}, e.currentTarget);
  endDialog.close(); // done, or refused with a toast (the show moved on meanwhile)
});
$("#btn-followup").addEventListener("click", (e) => {
  const run = live.state && live.state.run;
  if (run) command("questions:follow-up", {open: !run.questions_open}, e.currentTarget);
});
