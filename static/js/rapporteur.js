// The rapporteur's page (a laptop or tablet in the room): note the takeaways as they are said,
// tagged with what is on air; read the run of show and the audience questions. Nothing else.
import {$, h, isTyping, keyedList, setText} from "./dom.js";
import {connectLive, countdown, everyFrame, formatClock, formatTimeOfDay, MINUS} from "./live.js";
import {setupTakeaways, shortName} from "./takeaways.js";
import {lang, t} from "./i18n.js";

const body = document.body;
const code = body.dataset.eventCode;

const live = connectLive({
  namespace: "/rapporteur",
  auth: {event: code, key: body.dataset.rapporteurKey, lang},
  indicator: $("#indicator-slot"),
  offline: "reject", // an edit or delete while disconnected fails at once; new takeaways wait in the outbox
  onRender: render,
});
window.forumLive = live; // for debugging and browser tests

const takeaways = setupTakeaways({live, root: $("#rp-takeaways"), outboxKey: `forum-live.rapporteur-outbox.${code}`});

const panelist = (state, id) => (state.event.panelists || []).find((p) => p.id === id) || null;
const hm = (ms) => formatTimeOfDay(ms, live.state ? live.state.event.timezone : undefined);

function render(state, part) {
  if (part === "clock") return;
  const all = part === "state" || part === "refresh";
  if (all) setText($("#rp-title"), state.event.title);
  if (all || part === "run") {
    renderOnAir(state);
    renderRunOfShow(state);
  }
  if (all || part === "questions") renderQuestions(state);
  takeaways.render(state, part);
  tick();
}

function renderOnAir(state) {
  const run = state.run;
  const seg = run.segments.find((s) => s.id === run.current_segment_id) || null;
  const box = $("#rp-onair");
  box.dataset.status = run.status;
  setText($("#rp-onair-h"), run.status === "live" ? t("On air") : run.status === "ended" ? t("The show has ended") : t("Not started"));
  setText($("#rp-seg"), seg ? seg.title : run.status === "ended" ? t("Takeaways can still be added and edited.") : "–");
  const speakingId = run.airtime ? run.airtime.speaking_id : null;
  const speaking = seg ? panelist(state, speakingId) : null;
  setText($("#rp-speaker"), !seg ? "" : speaking ? t("Speaking: {name}", {name: speaking.name}) : t("Speaking: no panelist"));
  const kq = seg && seg.key_question_id ? (state.event.key_questions || []).find((k) => k.id === seg.key_question_id) : null;
  const kqEl = $("#rp-kq");
  kqEl.hidden = !kq;
  if (kq) setText(kqEl, t("Key question {n}: {text}", {n: kq.number, text: kq.text}));
}

function renderRunOfShow(state) {
  const run = state.run;
  keyedList($("#rp-ros"), run.segments, (s) => s.id, () => h("li", {class: "rp-ros-item"},
    h("span", {class: "rp-ros-time num"}), h("span", {class: "rp-ros-title"}), h("span", {class: "rp-ros-who"})),
  (li, s) => {
    const current = run.current_segment_id === s.id;
    li.classList.toggle("is-current", current);
    li.classList.toggle("is-done", !current && s.left_ms !== null && s.started_ms !== null);
    li.classList.toggle("is-skipped", !!s.skipped);
    if (current) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
    setText(li.querySelector(".rp-ros-time"), hm(s.planned_start_ms));
    setText(li.querySelector(".rp-ros-title"), s.title);
    const p = s.panelist_id ? panelist(state, s.panelist_id) : null;
    setText(li.querySelector(".rp-ros-who"), p ? shortName(p.name) : "");
  });
}

function renderQuestions(state) {
  const items = state.questions.items || [];
  setText($("#rp-q-count"), items.length ? `(${items.length})` : "");
  $("#rp-q-empty").hidden = items.length > 0;
  keyedList($("#rp-questions"), items, (q) => q.id, () => h("li", {class: "rp-q"},
    h("span", {class: "rp-q-votes num"}), h("span", {class: "rp-q-text user-text", dir: "auto"}),
    h("span", {class: "rp-q-meta"})),
  (li, q) => {
    li.classList.toggle("is-answered", q.status === "answered");
    li.classList.toggle("is-highlighted", state.questions.highlighted_id === q.id);
    setText(li.querySelector(".rp-q-votes"), `▲ ${q.votes}`);
    setText(li.querySelector(".rp-q-text"), q.text);
    const to = q.panelist_id ? panelist(state, q.panelist_id) : null;
    const bits = [q.name || t("Anonymous"), to ? t("to {name}", {name: shortName(to.name)}) : null,
      q.status === "answered" ? t("answered") : null, state.questions.highlighted_id === q.id ? t("on the projector") : null];
    setText(li.querySelector(".rp-q-meta"), bits.filter(Boolean).join(" · "));
  });
}

function tick() {
  const state = live.state;
  if (!state) return;
  const timer = state.run.timer;
  const clock = $("#rp-clock");
  if (!timer || state.run.status !== "live") {
    setText(clock, "--:--");
    clock.dataset.phase = "none";
    return;
  }
  const c = countdown(timer, live.serverNow());
  setText(clock, formatClock(c.remaining, {minus: MINUS}));
  clock.dataset.phase = c.phase;
  clock.title = timer.state === "paused" ? t("{phase} (paused)", {phase: c.label}) : c.label;
}
everyFrame(tick, 250);
takeaways.focus();
// Esc anywhere outside a field (on the list, a delete question): close it, back to the box.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || isTyping(e.target)) return;
  takeaways.cancelEdit();
  takeaways.focus();
});
