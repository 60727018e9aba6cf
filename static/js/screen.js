// The projector (1920×1080, read from 20 m): the scene the moderator chose, counting down locally.
import {$, fill, fitText, fullscreenDisplay, h, setText} from "./dom.js";
import {lang, t, tn} from "./i18n.js";
import {connectLive, countdown, everyFrame, followScreenLanguage, formatClock, formatTimeOfDay, MINUS} from "./live.js";
import {renderPoll, tickPoll} from "./screen-poll.js";

const body = document.body;
const screen = $("#screen");
const SCENES = ["idle", "timer", "prompt", "question", "poll", "join", "holding", "blackout"];
// Scenes without the small timer strip: they show the timer already, or nothing on purpose.
const NO_STRIP = ["timer", "idle", "holding", "blackout"];
// ?preview=1: this page inside the console's preview (the same page, scaled down there).
const preview = body.dataset.view === "preview";

const live = connectLive({
  namespace: "/screen",
  auth: {event: body.dataset.eventCode, key: body.dataset.viewKey, view: preview ? "preview" : "projector"},
  onRender: render,
  // In front of the audience: a red frame and a corner badge for the operator, no banner over
  // the content; the countdown runs on from the local clock meanwhile.
  banner: "corner",
});
window.forumLive = live; // for debugging and browser tests

function render(state, part) {
  if (part === "clock") return;
  if (part === "state" || part === "event") followScreenLanguage(state);
  const scene = sceneToShow(state);
  screen.dataset.scene = scene;
  for (const name of SCENES) $(`#scene-${name}`).hidden = name !== scene;
  if (scene === "idle") renderIdle(state);
  if (scene === "timer") renderTimer(state);
  if (scene === "prompt") renderPrompt(state);
  if (scene === "question") renderQuestion(state);
  if (scene === "poll") renderPollScene(state);
  if (scene === "holding") renderHolding(state);
  body.classList.toggle("is-blackout", scene === "blackout");
  tick();
}

/** The timer scene turns into the title card (with the join QR) before and after the show. */
function sceneToShow(state) {
  const name = state.scene ? state.scene.name : "timer";
  const live_ = state.run && state.run.status === "live";
  if (name === "timer") return live_ ? "timer" : "idle";
  if (name === "prompt" && !findPrompt(state)) return live_ ? "timer" : "idle";
  if (name === "question" && !highlighted(state)) return live_ ? "timer" : "idle";
  if (name === "poll" && !scenePoll(state)) return live_ ? "timer" : "idle";
  return SCENES.includes(name) ? name : "idle";
}

const panelist = (state, id) => (state.event.panelists || []).find((p) => p.id === id) || null;
const timerSegment = (state) => {
  const timer = state.run && state.run.timer;
  return timer ? state.run.segments.find((s) => s.id === timer.segment_id) || null : null;
};

// ---- idle (before / after) --------------------------------------------------------------------

function renderIdle(state) {
  const ev = state.event;
  setText($("#idle-title"), ev.title);
  const subtitle = document.getElementById("idle-subtitle");
  if (subtitle) setText(subtitle, ev.subtitle || "");
  setText($("#idle-venue"), ev.venue || "");
  let kicker = "";
  if (state.run.status === "ended") kicker = t("Thank you for taking part");
  else if (state.run.announced_start_ms) { // null once the scheduled start is long past
    kicker = t("Starting at {time}", {time: formatTimeOfDay(state.run.announced_start_ms, ev.timezone)});
  } else kicker = t("Starting soon");
  setText($("#idle-kicker"), kicker);
  renderSummaryQr(state);
}

/** After the show, once published: the summary's QR takes the join QR's place on the title card. */
function renderSummaryQr(state) {
  const url = state.run.status === "ended" ? state.summary_url || null : null;
  const card = document.getElementById("idle-summary");
  document.getElementById("idle-join").hidden = Boolean(url);
  card.hidden = !url;
  if (!url) return;
  const img = document.getElementById("summary-qr-img");
  if (!img.getAttribute("src")) img.setAttribute("src", document.body.dataset.summaryQrUrl);
  img.alt = t("QR code of the session's summary: {url}", {url});
  setText(document.getElementById("summary-qr-url"), url);
}

// ---- holding slide ----------------------------------------------------------------------------

function renderHolding(state) {
  const ev = state.event;
  setText($("#holding-title"), ev.title);
  setText($("#holding-subtitle"), ev.subtitle || "");
  const day = ev.scheduled_start_ms ? new Intl.DateTimeFormat(lang === "en" ? "en-GB" : document.documentElement.lang, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: ev.timezone,
  }).format(ev.scheduled_start_ms) : "";
  setText($("#holding-kicker"), [ev.venue, day].filter(Boolean).join(" · "));
  const organisers = ev.organisers || [];
  $("#holding-by").hidden = organisers.length === 0;
  const list = $("#holding-organisers");
  if (list.dataset.names !== JSON.stringify(organisers)) {
    list.dataset.names = JSON.stringify(organisers);
    fill(list, organisers.map((name) => h("li", {dir: "auto", text: name})));
  }
}

// ---- timer --------------------------------------------------------------------------------

function renderTimer(state) {
  const seg = timerSegment(state);
  setText($("#st-seg"), seg ? seg.title : "");
  const p = seg && seg.panelist_id ? panelist(state, seg.panelist_id) : null;
  $("#st-speaker").hidden = !p;
  if (p) {
    setText($("#st-name"), p.name);
    setText($("#st-org"), [p.role, p.organisation].filter(Boolean).join(", "));
    setText($("#st-talk"), p.talk_title || "");
  }
}

function tick() {
  const state = live.state;
  if (!state) return;
  setText($("#wallclock"), formatTimeOfDay(live.serverNow(), state.event.timezone));
  const run = state.run;
  const timer = run && run.timer;
  const isLive = run && run.status === "live" && timer;
  const c = isLive ? countdown(timer, live.serverNow()) : null;
  screen.dataset.phase = c ? c.phase : "none";
  screen.dataset.timer = timer ? timer.state : "none";
  if (c && screen.dataset.scene === "timer") {
    const text = formatClock(c.remaining, {minus: MINUS});
    const clock = $("#st-clock");
    if (clock.textContent !== text) {
      clock.textContent = text;
      clock.style.setProperty("--chars", String(text.length));
    }
    clock.dataset.remainingMs = String(Math.round(c.remaining)); // for tests: the exact value shown
    clock.dataset.paintedAt = String(performance.now()); // and when (a loaded machine paints late)
    setText($("#st-phase-icon"), c.icon);
    setText($("#st-phase-label"), c.label);
    $("#st-paused").hidden = timer.state !== "paused";
  }
  if (screen.dataset.scene === "poll") tickPoll(scenePoll(state), live.serverNow());
  // The strip: a small timer on the other scenes while a segment runs.
  const strip = $("#strip");
  const showStrip = !!c && !NO_STRIP.includes(screen.dataset.scene);
  strip.hidden = !showStrip;
  body.classList.toggle("has-strip", showStrip);
  if (showStrip) {
    strip.dataset.phase = c.phase;
    setText($("#strip-icon"), c.icon);
    setText($("#strip-label"), timer.state === "paused" ? `${c.label} · ${t("paused")}` : c.label);
    setText($("#strip-clock"), formatClock(c.remaining, {minus: MINUS}));
    const seg = timerSegment(state);
    const p = seg && seg.panelist_id ? panelist(state, seg.panelist_id) : null;
    setText($("#strip-seg"), seg ? (p ? `${p.name} · ${seg.title}` : seg.title) : "");
  }
}
everyFrame(tick, 100);

// ---- prompt -------------------------------------------------------------------------------

function findPrompt(state) {
  const id = state.scene && state.scene.prompt_id;
  if (!id) return null;
  for (const kq of state.event.key_questions || []) {
    const i = kq.prompts.findIndex((p) => p.id === id);
    if (i >= 0) return {kq, prompt: kq.prompts[i], index: i};
  }
  return null;
}

function renderPrompt(state) {
  const found = findPrompt(state);
  if (!found) return;
  const {kq, prompt, index} = found;
  setText($("#prompt-kicker"), kq.prompts.length > 1
    ? t("Key question {number} · {index} of {count}", {number: kq.number, index: index + 1, count: kq.prompts.length})
    : t("Key question {number}", {number: kq.number}));
  const el = $("#prompt-text");
  setText(el, prompt.text);
  fit(el);
}

// ---- question -----------------------------------------------------------------------------

function highlighted(state) {
  const q = state.questions;
  if (!q || !q.highlighted_id) return null;
  return q.items.find((x) => x.id === q.highlighted_id) || null;
}

function renderQuestion(state) {
  const q = highlighted(state);
  if (!q) return;
  const target = q.panelist_id ? panelist(state, q.panelist_id) : null;
  setText($("#question-kicker"), target ? t("Audience question to {name}", {name: target.name}) : t("Audience question"));
  setText($("#question-name"), q.name || t("Anonymous"));
  setText($("#question-votes"), `▲ ${tn("{n} vote", "{n} votes", q.votes)}${q.status === "answered" ? ` · ${t("answered")}` : ""}`);
  const el = $("#question-text");
  setText(el, q.text);
  fit(el);
}

// ---- poll ---------------------------------------------------------------------------------

function scenePoll(state) {
  const id = state.scene && state.scene.poll_id;
  return id ? (state.polls || []).find((p) => p.id === id) || null : null;
}

function renderPollScene(state) {
  const poll = scenePoll(state);
  if (poll) renderPoll(poll);
}

// ---- fitting and projector niceties -------------------------------------------------------

function fit(el) {
  // Start big, shrink until the text fits its box: 500 characters must fit, 5 must fill.
  requestAnimationFrame(() => fitText(el, {max: Math.round(window.innerHeight * 0.11), min: 18, box: el.parentElement}));
}

window.addEventListener("resize", () => {
  if (live.state) render(live.state, "resize");
});
// A vendored face that arrives after the first paint (font-display: swap; a Chinese question's
// slices) changes the text's size: fit again with the real glyphs.
if (document.fonts) document.fonts.addEventListener("loadingdone", () => { if (live.state) render(live.state, "resize"); });

// F or a double click: full screen. The mouse pointer hides after 3 s of stillness.
// Not in the console's preview: there the page is a picture inside the console.
if (!preview) fullscreenDisplay(body);
