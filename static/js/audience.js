// The audience page on a phone: what is on now, ask, upvote, vote in polls.
import {$, charCount, h, keyedList, randomId, setAttr, setText, store, stored} from "./dom.js";
import {connectLive, countdown, everyFrame, formatClock, formatTimeOfDay, MINUS} from "./live.js";
import {resultsElement} from "./results.js";

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
const pendingBallots = new Map(); // poll id -> value (sent, not yet acked)
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

// ---- rendering --------------------------------------------------------------------------

function render(state, part) {
  if (part === "clock") return;
  if (part === "state") {
    renderPanelistChoices(state);
    setText($("#event-title"), state.event.title);
    document.title = `${state.event.title} · forum-live`;
  }
  if (part === "state" || part === "run") renderNow(state);
  if (part === "state" || part === "polls" || part === "mine") renderPolls(state);
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
everyFrame(tick, 200);

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

// ---- polls ------------------------------------------------------------------------------

function ballotOf(state, poll) {
  if (pendingBallots.has(poll.id)) return pendingBallots.get(poll.id);
  const b = state.mine && state.mine.ballots ? state.mine.ballots[String(poll.id)] : undefined;
  return b === undefined ? null : b;
}

function renderPolls(state) {
  // Open polls first; then closed ones whose results were revealed, newest first.
  const polls = (state.polls || []).filter((p) => p.status === "open" || (p.revealed && p.results));
  polls.sort((a, b) => (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) || b.id - a.id);
  keyedList($("#polls"), polls, (p) => `${p.id}-${p.kind}`, createPoll, (el, p) => updatePoll(el, p, state));
}

function createPoll(poll) {
  const el = h("section", {class: "card poll-card", "aria-label": `Poll: ${poll.title}`},
    h("div", {class: "poll-head"},
      h("h2", {class: "card-kicker poll-kicker"}),
      h("span", {class: "poll-status"})),
    h("p", {class: "poll-title", dir: "auto"}),
    h("div", {class: "poll-ballot"}),
    h("p", {class: "poll-hint"}),
    h("div", {class: "poll-results"}));
  const ballot = el.querySelector(".poll-ballot");
  if (poll.kind === "wordcloud") {
    const inputId = `word-${poll.id}`;
    const form = h("form", {class: "word-form", novalidate: true},
      h("label", {class: "visually-hidden", for: inputId, text: "Your word"}),
      h("input", {id: inputId, class: "word-input", type: "text", maxlength: "40", dir: "auto",
        autocomplete: "off", enterkeyhint: "send", placeholder: "One word"}),
      h("button", {type: "submit", class: "btn btn-primary word-send", text: "Send"}));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const value = form.querySelector("input").value.trim();
      if (!value) return;
      vote(poll.id, value, () => { form.querySelector("input").value = ""; });
    });
    ballot.append(form);
  } else {
    ballot.append(h("div", {class: `choices choices-${poll.kind}`, role: "group"}));
  }
  return el;
}

function updatePoll(el, poll, state) {
  const open = poll.status === "open";
  const mine = ballotOf(state, poll);
  setText(el.querySelector(".poll-kicker"), open ? "Poll: vote now" : "Poll results");
  const status = el.querySelector(".poll-status");
  status.dataset.status = poll.status;
  setText(status, open ? "Open" : "Closed");
  setText(el.querySelector(".poll-title"), poll.title);
  el.setAttribute("aria-label", `Poll: ${poll.title}`);
  el.classList.toggle("is-open", open);
  const ballot = el.querySelector(".poll-ballot");
  ballot.hidden = !open;

  if (poll.kind === "wordcloud") {
    const input = ballot.querySelector("input");
    const send = ballot.querySelector("button");
    input.disabled = !open;
    send.disabled = !open || pendingBallots.has(poll.id);
  } else {
    const group = ballot.querySelector(".choices");
    group.setAttribute("aria-label", poll.title);
    const choices = poll.kind === "rating"
      ? Array.from({length: poll.scale_max || 5}, (_, i) => ({value: i + 1, label: String(i + 1)}))
      : poll.options.map((o) => ({value: o.id, label: o.label}));
    keyedList(group, choices, (c) => c.value, (c) => {
      const btn = h("button", {type: "button", class: "choice", "aria-pressed": "false"},
        h("span", {class: "choice-mark", "aria-hidden": "true"}),
        h("span", {class: "choice-label", dir: "auto"}));
      btn.addEventListener("click", () => vote(poll.id, c.value));
      return btn;
    }, (btn, c) => {
      setText(btn.querySelector(".choice-label"), c.label);
      setAttr(btn, "aria-pressed", String(mine === c.value));
      btn.disabled = !open;
      setAttr(btn, "aria-busy", pendingBallots.get(poll.id) === c.value ? "true" : null);
    });
  }

  let hint = "";
  if (open) {
    if (mine === null) hint = poll.kind === "rating" ? `Tap 1 (lowest) to ${poll.scale_max || 5} (highest).` : "";
    else if (poll.kind === "wordcloud") hint = `Your answer: “${mine}”. You can change it while the poll is open.`;
    else hint = "Vote received. You can change it while the poll is open.";
  } else if (mine !== null) {
    hint = poll.kind === "wordcloud" ? `Your answer: “${mine}”.` : "";
  }
  setText(el.querySelector(".poll-hint"), hint);

  const resultsBox = el.querySelector(".poll-results");
  if (poll.revealed && poll.results) {
    resultsBox.hidden = false;
    resultsBox.replaceChildren(resultsElement(poll, {mine}));
  } else {
    resultsBox.hidden = true;
    resultsBox.replaceChildren();
  }
}

async function vote(pollId, value, onDone = () => {}) {
  if (pendingBallots.has(pollId)) return;
  pendingBallots.set(pollId, value);
  if (live.state) renderPolls(live.state);
  try {
    const ack = await live.emit("poll:vote", {poll_id: pollId, value});
    const state = live.state;
    if (state && state.mine) state.mine.ballots[String(pollId)] = ack.value !== undefined ? ack.value : value;
    onDone();
  } catch (err) {
    flash(err.message);
  } finally {
    pendingBallots.delete(pollId);
    if (live.state) renderPolls(live.state);
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
