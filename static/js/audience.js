// The audience page on a phone: what is on now, ask, upvote, vote in polls.
import {$, h, keyedList, setAttr, setText, store, stored} from "./dom.js";
import {connectLive, countdown, everyFrame, formatClock, formatTimeOfDay, MINUS} from "./live.js";
import {audiencePolls} from "./audience-polls.js";
import {setupQuestions} from "./audience-questions.js";
import {createOutbox, isBallot} from "./outbox.js";
import {lang, t} from "./i18n.js";

const DEVICE_KEY = "forum-live.device";

const body = document.body;
const eventCode = body.dataset.eventCode;

// The device token: the one this phone already keeps, else the one the page was served with.
if (!stored(DEVICE_KEY) && body.dataset.deviceToken) store(DEVICE_KEY, body.dataset.deviceToken);

const live = connectLive({
  namespace: "/audience",
  auth: () => {
    const device = stored(DEVICE_KEY) || body.dataset.deviceToken || null;
    return device ? {event: eventCode, device, lang} : {event: eventCode, lang};
  },
  indicator: $("#indicator-slot"),
  onState: (state) => {
    if (state.device_token) store(DEVICE_KEY, state.device_token);
  },
  onRender: render,
});
window.forumLive = live; // for debugging and browser tests
// One outbox for everything the phone sends (questions, upvotes, ballots): kept until acked.
const outbox = createOutbox({
  key: `forum-live.outbox.${eventCode}`,
  live,
  onChange: () => {
    if (!live.state) return;
    questions.outboxChanged(live.state);
    polls.render(live.state);
  },
  onDone: (item, ack) => (isBallot(item) ? polls : questions).sent(item, ack),
  onFailed: (item, err) => (isBallot(item) ? polls : questions).refused(item, err),
  onWait: (item, err) => questions.waiting(item, err),
});
const polls = audiencePolls({live, outbox, flash: (message) => flash(message)});
const questions = setupQuestions({live, outbox, flash});
if (live.state) render(live.state, "state");

// ---- rendering --------------------------------------------------------------------------

function render(state, part) {
  if (part === "clock") return;
  if (part === "state" || part === "event") { // "event": the event editor changed it
    setText($("#event-title"), state.event.title);
    document.title = `${state.event.title} · forum-live`;
  }
  if (part === "state" || part === "event" || part === "run" || part === "summary_url") {
    renderNow(state);
    renderAsk(state);
  }
  if (part === "state" || part === "polls" || part === "mine") polls.render(state);
  questions.render(state, part);
  if (part === "state") outbox.flush(); // a (re)connect: send what waited
}

function panelistById(state, id) {
  return (state.event.panelists || []).find((p) => p.id === id) || null;
}

function onAirSegment(state) {
  const run = state.run;
  if (!run || !run.timer) return null;
  return run.segments.find((s) => s.id === run.timer.segment_id) || null;
}

function renderNow(state) {
  const run = state.run;
  const seg = onAirSegment(state);
  const tz = state.event.timezone;
  const speakerBox = $("#now-speaker");
  let kicker = t("Now");
  let title = "";
  let note = "";
  let speaker = null;
  if (!run || run.status === "ended") {
    kicker = t("Thank you");
    title = t("The session has ended. Thank you for taking part!");
    note = run && run.questions_open
      ? t("Questions stay open for follow-up. You can still read the questions and poll results below.")
      : t("You can still read the questions and poll results below.");
  } else if (run.status === "not-started") {
    // Not a time long gone ("Starts at 10:30" of a 2022 event file): run.announced_start_ms.
    const start = run.announced_start_ms;
    kicker = t("Coming up");
    title = start ? t("Starts at {time}", {time: formatTimeOfDay(start, tz)}) : t("Starting soon");
    note = seg ? t("First: {title}. You can already ask questions.", {title: seg.title}) : t("You can already ask questions.");
  } else if (seg) {
    title = seg.title;
    speaker = seg.panelist_id ? panelistById(state, seg.panelist_id) : null;
  }
  // After the show, once the moderator has published it: a link to the summary (summary_url).
  const summaryUrl = run && run.status === "ended" ? state.summary_url || null : null;
  $("#now-summary").hidden = !summaryUrl;
  if (summaryUrl) $("#now-summary-link").href = summaryUrl;
  setText($("#now-heading"), kicker);
  setText($("#now-segment"), title);
  setText($("#now-note"), note);
  $("#now-note").hidden = !note;
  speakerBox.hidden = !speaker;
  if (speaker) {
    setText($("#now-speaker-name"), speaker.name);
    setText($("#now-speaker-org"), [speaker.role, speaker.organisation].filter(Boolean).join(", "));
    setText($("#now-speaker-talk"), speaker.talk_title || "");
  }
  tick();
}

/** After the end of the show the server takes no more questions unless the moderator kept them
 * open for follow-up (run.questions_open): say so, and keep what was typed readable. */
function renderAsk(state) {
  const open = !state.run || state.run.questions_open !== false;
  $("#ask-closed").hidden = open;
  $("#ask-note").hidden = !open;
  for (const el of $("#ask-form").elements) el.disabled = !open;
  if (!open) $("#ask-ok").hidden = true; // a "Sent." of a moment ago beside "closed" reads as a contradiction
}

function tick() {
  const state = live.state;
  const clock = $("#now-clock");
  const run = state && state.run;
  if (!run || run.status !== "live" || !run.timer) {
    clock.hidden = true;
    return;
  }
  const c = countdown(run.timer, live.serverNow());
  clock.hidden = false;
  $("#now").dataset.phase = c.phase;
  setText($("#now-clock-icon"), c.icon);
  setText($("#now-clock-time"), formatClock(c.remaining, {minus: MINUS}));
  setText($("#now-clock-label"), run.timer.state === "paused" ? t("Paused") : c.label);
}
everyFrame(() => {
  tick();
  polls.tick();
}, 200);

// ---- small messages ---------------------------------------------------------------------

let flashTimer = 0;
function flash(message) {
  let el = document.getElementById("flash");
  if (!el) {
    el = h("div", {id: "flash", class: "flash", role: "alert"});
    document.body.append(el);
  }
  setText(el, message);
  el.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

// ---- the language switcher ----------------------------------------------------------------
// A plain form (templates/_macros.html lang_switch): picking a language sends it at once.
const langSelect = document.getElementById("lang-select");
if (langSelect) {
  // The vendored faces for the languages' names, as soon as a hand or the keyboard comes to the
  // list (static/css/audience.css, .lang-select): an untouched footer fetches none of them.
  const vendored = () => langSelect.classList.add("is-vendored");
  for (const type of ["pointerenter", "pointerdown", "focus", "touchstart"]) {
    langSelect.addEventListener(type, vendored, {once: true, passive: true});
  }
  langSelect.form.querySelector(".lang-go").hidden = true;
  langSelect.addEventListener("change", () => langSelect.form.requestSubmit());
}
