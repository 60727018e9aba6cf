// The stage view (speakers' confidence monitor, read from 5 m): countdown, what is next, the
// current key-question prompt, the audience question while the projector shows it, the
// moderator's messages, flash and blackout, an optional chime.
import {$, fitText, fullscreenDisplay, setText, stored, store} from "./dom.js";
import {t, tn} from "./i18n.js";
import {connectLive, countdown, everyFrame, followScreenLanguage, formatClock, formatDuration, formatTimeOfDay, MINUS,
  zoneLabel} from "./live.js";
import {questionOnProjector} from "./scene.js";

const body = document.body;
const stage = $("#stage");
const FLASH_MS = 3000;

const live = connectLive({
  namespace: "/screen",
  auth: {event: body.dataset.eventCode, stage: body.dataset.stageKey},
  onRender: render,
});
window.forumLive = live; // for debugging and browser tests

let lastFlashMs = null;
let lastMessageMs = null;
let lastPhase = null;

function render(state, part) {
  if (part === "clock") return;
  if (part === "state" || part === "event") followScreenLanguage(state);
  const ev = state.event;
  setText($("#sg-zone"), zoneLabel(ev.timezone));
  renderNow(state);
  renderNext(state);
  const question = renderQuestion(state);
  renderPrompt(state, question);
  renderCues(state, part);
  tick();
}

const panelist = (state, id) => (state.event.panelists || []).find((p) => p.id === id) || null;
const segment = (state, id) => (state.run.segments || []).find((s) => s.id === id) || null;

function renderNow(state) {
  const run = state.run;
  const seg = run.timer ? segment(state, run.timer.segment_id) : null;
  const p = seg && seg.panelist_id ? panelist(state, seg.panelist_id) : null;
  let kicker = t("On air");
  if (run.status === "not-started") kicker = t("Coming up first");
  if (run.status === "ended") kicker = t("The session has ended");
  setText($("#sg-kicker"), kicker);
  setText($("#sg-seg"), seg ? (p ? `${p.name} · ${seg.title}` : seg.title) : state.event.title);
}

function renderNext(state) {
  const run = state.run;
  const next = run.next_segment_id ? segment(state, run.next_segment_id) : null;
  // After the end there is nothing next: no empty "Next –" card (the heading says it has ended).
  $(".sg-next").hidden = !next && run.status === "ended";
  if (!next) {
    setText($("#sg-next-title"), t("End of the session"));
    setText($("#sg-next-meta"), "");
    return;
  }
  const p = next.panelist_id ? panelist(state, next.panelist_id) : null;
  setText($("#sg-next-title"), p ? `${p.name}` : next.title);
  const length = formatDuration(next.planned_ms + next.adjust_ms);
  setText($("#sg-next-meta"), `${p ? `${next.title} · ` : ""}${length}`);
}

/**
 * The audience question the projector shows (scene "question", the question still public), in
 * large type so the panelist who is asked can read it; null when there is none. Returns it.
 */
function renderQuestion(state) {
  const id = questionOnProjector(state);
  const q = id && state.questions ? state.questions.items.find((x) => x.id === id) || null : null;
  $("#sg-question").hidden = !q;
  body.classList.toggle("has-question", !!q);
  if (!q) return null;
  const target = q.panelist_id ? panelist(state, q.panelist_id) : null;
  setText($("#sg-question-h"), target ? t("Audience question to {name}", {name: target.name}) : t("Audience question"));
  setText($("#sg-question-name"), q.name || t("Anonymous"));
  setText($("#sg-question-votes"), `▲ ${tn("{n} vote", "{n} votes", q.votes)}${q.status === "answered" ? ` · ${t("answered")}` : ""}`);
  const el = $("#sg-question-text");
  setText(el, q.text);
  // Start big, shrink until it fits its box (after layout): 500 characters must fit.
  requestAnimationFrame(() => fitText(el, {max: Math.round(window.innerHeight * 0.075), min: 14}));
  return q;
}

function renderPrompt(state, question) {
  const run = state.run;
  const seg = run.timer ? segment(state, run.timer.segment_id) : null;
  const kq = seg && seg.key_question_id ? (state.event.key_questions || []).find((k) => k.id === seg.key_question_id) : null;
  const card = $(".sg-prompt");
  // While the projector shows an audience question, that question is the one asked.
  card.hidden = !kq || !kq.prompts.length || !!question;
  if (card.hidden) return;
  const i = Math.min(Math.max(seg.prompt_index || 0, 0), kq.prompts.length - 1);
  setText($("#sg-prompt-h"), kq.prompts.length > 1
    ? t("Key question {number} · {index} of {count}", {number: kq.number, index: i + 1, count: kq.prompts.length})
    : t("Key question {number}", {number: kq.number}));
  setText($("#sg-prompt-text"), kq.prompts[i].text);
}

function renderCues(state, part) {
  const cue = state.stage || {};
  const msg = cue.message;
  $("#sg-message").hidden = !msg;
  body.classList.toggle("has-message", !!msg);
  if (msg) setText($("#sg-message-text"), msg.text);
  if (msg && msg.sent_ms !== lastMessageMs && part !== "state") chime(2);
  lastMessageMs = msg ? msg.sent_ms : null;
  $("#sg-blackout").hidden = !cue.stage_blackout;
  // Flash once per flash instant, and only if it is recent (a reload must not flash again).
  if (cue.flash_ms && cue.flash_ms !== lastFlashMs) {
    if (lastFlashMs !== null || part !== "state") flash(cue.flash_ms);
    else if (live.serverNow() - cue.flash_ms < FLASH_MS) flash(cue.flash_ms);
  }
  lastFlashMs = cue.flash_ms || lastFlashMs || 0;
}

function flash(at) {
  const el = $("#sg-flash");
  el.hidden = false;
  stage.classList.add("is-flashing");
  const left = Math.max(500, FLASH_MS - Math.max(0, live.serverNow() - at));
  setTimeout(() => {
    el.hidden = true;
    stage.classList.remove("is-flashing");
  }, left);
}

function tick() {
  const state = live.state;
  if (!state) return;
  const now = live.serverNow();
  setText($("#sg-wall"), formatTimeOfDay(now, state.event.timezone));
  const run = state.run;
  const timer = run.timer;
  if (!timer) {
    stage.dataset.phase = "none";
    stage.dataset.timer = "none";
    setText($("#sg-clock"), "--:--");
    setText($("#sg-phase-icon"), "■");
    setText($("#sg-phase-label"), t("Ended"));
    $("#sg-paused").hidden = true;
    return;
  }
  const c = countdown(timer, now);
  const live_ = run.status === "live";
  stage.dataset.phase = live_ ? c.phase : "none";
  stage.dataset.timer = timer.state;
  const text = formatClock(c.remaining, {minus: MINUS});
  const clock = $("#sg-clock");
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.style.setProperty("--chars", String(text.length));
  }
  clock.dataset.remainingMs = String(Math.round(c.remaining));
  setText($("#sg-phase-icon"), live_ ? c.icon : "○");
  setText($("#sg-phase-label"), live_ ? c.label : t("Not started"));
  $("#sg-paused").hidden = !(live_ && timer.state === "paused");
  if (live_ && timer.state === "running" && lastPhase && c.phase !== lastPhase
      && (c.phase === "wrap-up" || c.phase === "time-up")) chime(c.phase === "time-up" ? 3 : 1);
  lastPhase = live_ ? c.phase : null;
}
everyFrame(tick, 100);

// ---- chime: off by default; a click turns it on (browsers allow sound after a gesture) -------

let audio = null;
const chimeButton = $("#sg-chime");
let chimeOn = stored("forum-live.stage.chime") === "on";
function renderChime() {
  chimeButton.setAttribute("aria-pressed", String(chimeOn));
  setText(chimeButton, chimeOn ? t("🔔 Chime on") : t("🔕 Chime off"));
}
chimeButton.addEventListener("click", () => {
  chimeOn = !chimeOn;
  store("forum-live.stage.chime", chimeOn ? "on" : "off");
  renderChime();
  if (chimeOn) chime(1);
});
renderChime();

/** A soft two-tone chime, `times` times (Web Audio, no sound file needed). */
function chime(times) {
  if (!chimeOn) return;
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t0 = audio.currentTime + 0.02;
    for (let i = 0; i < times; i++) {
      for (const [j, freq] of [[0, 880], [1, 660]].entries()) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        const start = t0 + i * 0.6 + j * 0.18;
        osc.frequency.value = freq[1];
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.55);
      }
    }
  } catch {
    /* no audio on this device: the chime is optional */
  }
}

window.addEventListener("resize", () => {
  if (live.state) render(live.state, "resize");
});
// A vendored face that arrives after the first paint (font-display: swap; a Chinese question's
// slices) changes the text's size: fit again with the real glyphs.
if (document.fonts) document.fonts.addEventListener("loadingdone", () => { if (live.state) render(live.state, "resize"); });

// F or a double click: full screen; the pointer hides after 3 s.
fullscreenDisplay(body);
