// The audience page on a phone: what is on now, ask, upvote, vote in polls.
import {$, charCount, h, keyedList, randomId, setAttr, setText, store, stored} from "./dom.js";
import {connectLive, countdown, everyFrame, formatClock, formatTimeOfDay, MINUS} from "./live.js";
import {audiencePolls} from "./audience-polls.js";

const DEVICE_KEY = "forum-live.device";
const NAME_KEY = "forum-live.name";
const SORT_KEY = "forum-live.sort";
const Q_MIN = 3;
const Q_MAX = 500;

const MINE_LABELS = {
  pending: "Awaiting moderation",
  rejected: "Not shown",
  approved: "Live",
  answered: "Answered",
};

const body = document.body;
const eventCode = body.dataset.eventCode;

// The device token: the one this phone already keeps, else the one the page was served with.
if (!stored(DEVICE_KEY) && body.dataset.deviceToken) store(DEVICE_KEY, body.dataset.deviceToken);

const pendingVotes = new Map(); // question id -> on (sent, not yet acked)
let sortBy = stored(SORT_KEY) === "new" ? "new" : "top";

const live = connectLive({
  namespace: "/audience",
  auth: () => {
    const device = stored(DEVICE_KEY) || body.dataset.deviceToken || null;
    return device ? {event: eventCode, device} : {event: eventCode};
  },
  indicator: $("#indicator-slot"),
  onState: (state) => {
    if (state.device_token) store(DEVICE_KEY, state.device_token);
  },
  onRender: render,
});
window.forumLive = live; // for debugging and browser tests
const polls = audiencePolls(live, (message) => flash(message));

// ---- rendering --------------------------------------------------------------------------

function render(state, part) {
  if (part === "clock") return;
  if (part === "state") {
    renderPanelistChoices(state);
    setText($("#event-title"), state.event.title);
    document.title = `${state.event.title} · forum-live`;
  }
  if (part === "state" || part === "run") renderNow(state);
  if (part === "state" || part === "polls" || part === "mine") polls.render(state);
  if (part === "state" || part === "questions" || part === "mine" || part === "scene") renderQuestions(state);
  if (part === "state" || part === "mine" || part === "questions") renderMine(state);
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
  let kicker = "Now";
  let title = "";
  let note = "";
  let speaker = null;
  if (!run || run.status === "ended") {
    kicker = "Thank you";
    title = "The session has ended. Thank you for taking part!";
    note = "You can still read the questions and poll results below.";
  } else if (run.status === "not-started") {
    const start = seg ? seg.planned_start_ms : state.event.scheduled_start_ms;
    kicker = "Coming up";
    title = start ? `Starts at ${formatTimeOfDay(start, tz)}` : "Starting soon";
    note = seg ? `First: ${seg.title}. You can already ask questions.` : "You can already ask questions.";
  } else if (seg) {
    title = seg.title;
    speaker = seg.panelist_id ? panelistById(state, seg.panelist_id) : null;
  }
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
  setText($("#now-clock-label"), run.timer.state === "paused" ? "Paused" : c.label);
}
everyFrame(() => {
  tick();
  polls.tick();
}, 200);

// ---- ask --------------------------------------------------------------------------------

const askForm = $("#ask-form");
const askText = $("#ask-text");
const askName = $("#ask-name");
const askTo = $("#ask-to");
const askSubmit = $("#ask-submit");
const askError = $("#ask-error");
const askOk = $("#ask-ok");
let draftClientId = null; // kept across retries, so a resend after a lost ack is not a duplicate
let sending = false;

askName.value = stored(NAME_KEY, "");
askName.addEventListener("change", () => store(NAME_KEY, askName.value.trim() || null));

function updateCounter() {
  const n = charCount(askText.value);
  const counter = $("#ask-count");
  setText(counter, `${n} / ${Q_MAX}`);
  counter.classList.toggle("is-over", n > Q_MAX);
  counter.classList.toggle("is-short", n > 0 && n < Q_MIN);
}
askText.addEventListener("input", () => {
  updateCounter();
  askError.hidden = true;
});
updateCounter();

function renderPanelistChoices(state) {
  const current = askTo.value;
  const options = [h("option", {value: "", text: "All panelists"})];
  for (const p of state.event.panelists || []) {
    options.push(h("option", {value: String(p.id), text: p.name}));
  }
  askTo.replaceChildren(...options);
  askTo.value = options.some((o) => o.value === current) ? current : "";
}

askForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (sending) return;
  const text = askText.value;
  const name = askName.value.trim();
  store(NAME_KEY, name || null);
  askError.hidden = true;
  askOk.hidden = true;
  if (!draftClientId) draftClientId = randomId();
  sending = true;
  askSubmit.disabled = true;
  setText(askSubmit, "Sending…");
  try {
    const ack = await live.emit("question:submit", {
      client_id: draftClientId,
      text,
      name: name || null,
      panelist_id: askTo.value ? Number(askTo.value) : null,
    });
    draftClientId = null;
    if (ack.question) addMine(ack.question);
    if (ack.duplicate && ack.question && squash(ack.question.text) !== squash(text)) {
      // An earlier try had arrived after all; this edited text has not been sent yet.
      showAskError("Your earlier version had already arrived (see “Your questions”). Send again to add this one too.");
    } else {
      askText.value = "";
      updateCounter();
      askOk.hidden = false;
      setText(askOk, "Sent. It appears for everyone once the moderator approves it.");
      setTimeout(() => { askOk.hidden = true; }, 8000);
    }
  } catch (err) {
    // ok:false means nothing was stored: a fresh id is safe. A timeout may have arrived: keep it.
    if (err.code !== "timeout") draftClientId = null;
    showAskError(err.message);
  } finally {
    sending = false;
    askSubmit.disabled = false;
    setText(askSubmit, "Send question");
  }
});

function showAskError(message) {
  setText(askError, message);
  askError.hidden = false;
}

function squash(text) {
  return text.replace(/\s+/g, " ").trim();
}

function addMine(question) {
  const state = live.state;
  if (!state || !state.mine) return;
  if (!state.mine.questions.some((q) => q.id === question.id)) {
    state.mine.questions.push(question);
    renderMine(state);
  }
}

// ---- your questions ---------------------------------------------------------------------

function renderMine(state) {
  const mine = (state.mine && state.mine.questions) || [];
  $("#mine").hidden = mine.length === 0;
  const votes = new Map((state.questions ? state.questions.items : []).map((q) => [q.id, q.votes]));
  const items = [...mine].sort((a, b) => b.id - a.id);
  keyedList($("#mine-list"), items, (q) => q.id,
    () => h("li", {class: "mine-item"},
      h("p", {class: "mine-text user-text", dir: "auto"}),
      h("p", {class: "mine-meta"}, h("span", {class: "status-pill"}), h("span", {class: "mine-votes num"}))),
    (el, q) => {
      setText(el.querySelector(".mine-text"), q.text);
      const pill = el.querySelector(".status-pill");
      pill.dataset.status = q.status;
      setText(pill, MINE_LABELS[q.status] || q.status);
      const n = votes.get(q.id);
      setText(el.querySelector(".mine-votes"), n === undefined ? "" : `▲ ${n}`);
    });
}

// ---- questions wall ---------------------------------------------------------------------

function setSort(value) {
  sortBy = value;
  store(SORT_KEY, value);
  setAttr($("#sort-top"), "aria-pressed", String(value === "top"));
  setAttr($("#sort-new"), "aria-pressed", String(value === "new"));
  if (live.state) renderQuestions(live.state);
}
$("#sort-top").addEventListener("click", () => setSort("top"));
$("#sort-new").addEventListener("click", () => setSort("new"));
setSort(sortBy);

function votedOn(state, id) {
  if (pendingVotes.has(id)) return pendingVotes.get(id);
  return !!(state.mine && state.mine.votes.includes(id));
}

function renderQuestions(state) {
  const qs = state.questions || {items: [], dismissed_count: 0, highlighted_id: null};
  const items = qs.items.filter((q) => q.status === "approved" || q.status === "answered");
  if (sortBy === "new") items.sort((a, b) => b.created_ms - a.created_ms || b.id - a.id);
  const mineIds = new Set(((state.mine && state.mine.questions) || []).map((q) => q.id));
  setText($("#questions-count"), items.length ? String(items.length) : "");
  $("#questions-empty").hidden = items.length > 0;
  keyedList($("#q-list"), items, (q) => q.id, createQuestion, (el, q) => {
    const wasVoted = !!(state.mine && state.mine.votes.includes(q.id));
    const on = votedOn(state, q.id);
    const count = q.votes + (on === wasVoted ? 0 : on ? 1 : -1);
    el.classList.toggle("is-answered", q.status === "answered");
    el.classList.toggle("is-highlighted", qs.highlighted_id === q.id);
    el.classList.toggle("is-mine", mineIds.has(q.id));
    setText(el.querySelector(".q-text"), q.text);
    setText(el.querySelector(".q-name"), q.name || "Anonymous");
    const target = q.panelist_id ? panelistById(state, q.panelist_id) : null;
    setText(el.querySelector(".q-to"), target ? `to ${target.name}` : "");
    const badges = [];
    if (qs.highlighted_id === q.id) badges.push("On screen");
    if (q.status === "answered") badges.push("Answered");
    if (mineIds.has(q.id)) badges.push("Yours");
    setText(el.querySelector(".q-badges"), badges.join(" · "));
    const btn = el.querySelector(".vote");
    setAttr(btn, "aria-pressed", String(on));
    setAttr(btn, "aria-busy", pendingVotes.has(q.id) ? "true" : null);
    setAttr(btn, "aria-label", `${on ? "Remove your upvote" : "Upvote"} (${count} ${count === 1 ? "vote" : "votes"})`);
    setText(btn.querySelector(".vote-count"), String(count));
  });
  const dismissed = $("#dismissed");
  dismissed.hidden = !qs.dismissed_count;
  setText(dismissed, qs.dismissed_count === 1
    ? "1 question dismissed by the moderator"
    : `${qs.dismissed_count} questions dismissed by the moderator`);
}

function createQuestion(q) {
  const el = h("li", {class: "q"},
    h("div", {class: "q-body"},
      h("p", {class: "q-badges"}),
      h("p", {class: "q-text user-text", dir: "auto"}),
      h("p", {class: "q-meta"}, h("span", {class: "q-name", dir: "auto"}), " ", h("span", {class: "q-to"}))),
    h("button", {type: "button", class: "vote", "aria-pressed": "false"},
      h("span", {class: "vote-icon", "aria-hidden": "true", text: "▲"}),
      h("span", {class: "vote-count num", "aria-hidden": "true"})));
  el.querySelector(".vote").addEventListener("click", () => toggleVote(q.id));
  return el;
}

async function toggleVote(id) {
  const state = live.state;
  if (!state || pendingVotes.has(id)) return;
  const on = !votedOn(state, id);
  const questionsBefore = state.questions;
  const mineBefore = state.mine;
  pendingVotes.set(id, on);
  renderQuestions(state);
  try {
    await live.emit("question:upvote", {question_id: id, on});
    // The broadcasts carry the truth; if they have not landed yet, apply the change locally
    // so the button and count do not flicker back (a part replaced since then is newer).
    const now = live.state;
    if (now && now.mine && now.mine === mineBefore) {
      const votes = new Set(now.mine.votes);
      const had = votes.has(id);
      if (on) votes.add(id);
      else votes.delete(id);
      now.mine.votes = [...votes];
      if (now.questions === questionsBefore && had !== on) {
        const item = now.questions.items.find((q) => q.id === id);
        if (item) item.votes = Math.max(0, item.votes + (on ? 1 : -1));
      }
    }
  } catch (err) {
    flash(err.message);
  } finally {
    pendingVotes.delete(id);
    if (live.state) renderQuestions(live.state);
  }
}

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
