// Audience questions on the phone: ask (with similar-question suggestions), your own
// questions with their labels, the wall (top / newest / answered) with upvotes. Questions and
// upvotes go through the outbox (outbox.js): nothing is lost or doubled on flaky Wi-Fi.
import {$, announce, charCount, h, keyedList, setAttr, setText, store, stored} from "./dom.js";
import {sortItems} from "./question-order.js";
import {questionOnProjector} from "./scene.js";
import {t, tn} from "./i18n.js";

const NAME_KEY = "forum-live.name";
// The question being typed, kept for this tab while it is not sent: a language switch (a page
// load) or a reload gives it back (a trial lost a half-typed Thai question switching language).
const DRAFT_KEY = `forum-live.draft.${document.body.dataset.eventCode}`;

function keepDraft(text) {
  try {
    if (text) sessionStorage.setItem(DRAFT_KEY, text);
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // no storage (private mode): nothing kept
  }
}

function keptDraft() {
  try {
    return sessionStorage.getItem(DRAFT_KEY) || "";
  } catch {
    return "";
  }
}
const SORT_KEY = "forum-live.sort";
const Q_MIN = 3;
const SIMILAR_MIN = 12;
const SIMILAR_DELAY_MS = 600;

const MINE_LABELS = {
  pending: t("Awaiting moderation"),
  rejected: t("Not shown"),
  approved: t("Live"),
  answered: t("Answered"),
  archived: t("Set aside"),
  withdrawn: t("Withdrawn"),
  merged: t("Merged"),
  queued: t("Not sent yet"),
  sending: t("Sending…"),
};
const MINE_NOTES = {
  rejected: t("The moderator did not put this question on the wall."),
  archived: t("The moderator set this question aside."),
  withdrawn: t("You withdrew this question."),
  merged: t("Merged with a similar question; your words are kept with it."),
  queued: t("No connection: it will be sent as soon as the phone is back online."),
};
const ORDERS = ["top", "newest", "answered"];

/**
 * Wire the questions part of the audience page to ``live`` and the phone's ``outbox``
 * (outbox.js); returns {render(state, part), outboxChanged(state), sent(item, ack),
 * refused(item, error)}: the last three for the outbox's question and upvote items.
 * ``flash(message)`` shows an error to the person.
 */
export function setupQuestions({live, outbox, flash}) {
  const askForm = $("#ask-form");
  const askText = $("#ask-text");
  // The server's limit, given by the page (templates: text_limits): the box's maxlength too.
  const Q_MAX = Number(askText.dataset.maxChars) || 500;
  const askName = $("#ask-name");
  const askTo = $("#ask-to");
  const askTheme = document.getElementById("ask-theme");
  const askError = $("#ask-error");
  const askOk = $("#ask-ok");
  const list = $("#q-list");
  const newPill = $("#new-pill");

  let order = ORDERS.includes(stored(SORT_KEY)) ? stored(SORT_KEY) : "top";
  // The order the reader sees: ids in place. New arrivals and re-sorting wait behind the pill
  // while the reader is scrolling or touching (renderWall).
  let shownOrder = null;

  // One status under the box at a time, the true one: "Sending…" (or "Saved on this phone")
  // until the server answers, then "Sent." on its ack or the error on its refusal.
  let askedId = null; // client_id of the question last sent from the box
  let okTimer = 0;
  function showOk(message, forMs = 0) {
    askError.hidden = true;
    setText(askOk, message);
    askOk.hidden = false;
    clearTimeout(okTimer);
    if (forMs) okTimer = setTimeout(() => { askOk.hidden = true; }, forMs);
  }

  /** The outbox acked a question or an upvote. */
  function sent(item, ack) {
    const state = live.state;
    if (item.kind === "question" && item.id === askedId) {
      const premod = !state || !state.questions || state.questions.premoderation !== false;
      showOk(premod ? t("Sent. It appears for everyone once the moderator approves it.") : t("Sent."), 8000);
    }
    if (item.kind === "question" && ack.question && state && state.mine) {
      if (!state.mine.questions.some((q) => q.id === ack.question.id)) state.mine.questions.push(ack.question);
    }
    if (item.kind === "vote" && state && state.mine && !ack.duplicate) {
      // The broadcast carries the truth; until it lands, show this phone's vote as counted.
      const votes = new Set(state.mine.votes);
      if (item.payload.on) votes.add(ack.counted_for);
      else votes.delete(ack.counted_for);
      state.mine.votes = [...votes];
      // The ack's count is the truth at this change (the tally broadcast may have come
      // first: adding one here again would show two votes for one).
      const q = state.questions && state.questions.items.find((x) => x.id === ack.counted_for);
      if (q && typeof ack.votes === "number") q.votes = ack.votes;
    }
    if (state) renderAll(state);
  }

  /** The server refused a question or an upvote for good. */
  function refused(item, err) {
    if (item.kind === "question") {
      // Refused for good (too short, too many a minute): give the words back to fix or resend.
      if (!askText.value.trim()) {
        askText.value = item.payload.text;
        updateCounter();
      }
      showAskError(err.message);
    } else if (err.code !== "not_found") {
      flash(err.message);
    }
  }

  /** The server said "too many, wait": the outbox keeps the item and sends it after the wait. */
  function waiting(item, err) {
    const kept = t("Kept on this phone: it is sent by itself when the wait is over.");
    if (item.kind === "question") showAskError(`${err.message} ${kept}`);
    else flash(`${err.message} ${kept}`);
  }

  // ---- ask ------------------------------------------------------------------------------

  askName.value = stored(NAME_KEY, "");
  askName.addEventListener("change", () => store(NAME_KEY, askName.value.trim() || null));

  function updateCounter() {
    const n = charCount(askText.value);
    const counter = $("#ask-count");
    setText(counter, `${n} / ${Q_MAX}`);
    counter.classList.toggle("is-over", n > Q_MAX);
    counter.classList.toggle("is-short", n > 0 && n < Q_MIN);
  }
  if (!askText.value) {
    askText.value = keptDraft();
    updateCounter();
  }
  askText.addEventListener("input", () => {
    keepDraft(askText.value);
    updateCounter();
    askError.hidden = true;
    lookForSimilar();
  });
  updateCounter();

  function showAskError(message) {
    askOk.hidden = true;
    clearTimeout(okTimer);
    setText(askError, message);
    askError.hidden = false;
  }

  askForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = askText.value;
    const n = charCount(text);
    askOk.hidden = true;
    // The server checks again; these checks only spare a round trip on a slow network.
    if (n < Q_MIN) return showAskError(t("Question is too short (at least {n} characters).", {n: Q_MIN}));
    if (n > Q_MAX) return showAskError(t("Question is too long (at most {n} characters).", {n: Q_MAX}));
    const name = askName.value.trim();
    store(NAME_KEY, name || null);
    askError.hidden = true;
    askedId = outbox.addQuestion({
      text,
      name: name || null,
      panelist_id: askTo.value ? Number(askTo.value) : null,
      theme: askTheme && askTheme.value ? askTheme.value : null,
    });
    askText.value = "";
    keepDraft("");
    // "To" and "Theme" belong to this question: the next one starts from "All panelists" and
    // no theme, or it would go to a panelist the asker never chose (the name is kept).
    askTo.value = "";
    if (askTheme) askTheme.value = "";
    updateCounter();
    renderSimilar([]);
    // The ack comes later (the outbox sends on the next turn): until then, no "Sent".
    showOk(live.connected ? t("Sending…") : t("Saved on this phone: it will be sent when the connection is back."));
  });

  function renderChoices(state) {
    const current = askTo.value;
    const options = [h("option", {value: "", text: t("All panelists")})];
    for (const p of state.event.panelists || []) options.push(h("option", {value: String(p.id), text: p.name}));
    askTo.replaceChildren(...options);
    askTo.value = options.some((o) => o.value === current) ? current : "";
  }

  // ---- similar questions while typing ---------------------------------------------------

  let similarTimer = 0;
  let similarAsked = "";
  let similarItems = [];
  function lookForSimilar() {
    clearTimeout(similarTimer);
    const text = askText.value.trim();
    if (charCount(text) < SIMILAR_MIN) {
      renderSimilar([]);
      return;
    }
    similarTimer = setTimeout(async () => {
      if (!live.connected || text === similarAsked) return;
      similarAsked = text;
      try {
        const ack = await live.emit("question:similar", {text}, {timeoutMs: 4000});
        if (askText.value.trim() === text) renderSimilar(ack.items || []);
      } catch {
        /* suggestions are a help, not a duty: stay quiet */
      }
    }, SIMILAR_DELAY_MS);
  }

  function renderSimilar(items) {
    similarItems = items;
    const box = $("#similar");
    box.hidden = items.length === 0;
    if (!items.length) similarAsked = "";
    keyedList($("#similar-list"), items, (q) => q.id, (q) => {
      const btn = h("button", {type: "button", class: "vote vote-small", "aria-pressed": "false"},
        h("span", {class: "vote-icon", "aria-hidden": "true", text: "▲"}),
        h("span", {class: "vote-count num", "aria-hidden": "true"}));
      btn.addEventListener("click", () => toggleVote(q.id));
      return h("li", {class: "similar-item"}, h("p", {class: "similar-text user-text", dir: "auto"}), btn);
    }, (el, q) => {
      setText(el.querySelector(".similar-text"), q.text);
      const state = live.state;
      const on = state ? votedOn(state, q.id) : false;
      const btn = el.querySelector(".vote");
      setAttr(btn, "aria-pressed", String(on));
      setAttr(btn, "aria-label", on ? t("Remove your upvote") : t("Upvote this question instead"));
      setText(btn.querySelector(".vote-count"), String(countOf(state, q)));
    });
  }

  // ---- your questions -------------------------------------------------------------------

  function mineItems(state) {
    const sent = (state.mine && state.mine.questions) || [];
    const known = new Set(sent.map((q) => q.client_id));
    const waiting = outbox.items.filter((i) => i.kind === "question" && !known.has(i.id)).map((i) => ({
      id: `local-${i.id}`, client_id: i.id, text: i.payload.text.trim(),
      status: i.sending ? "sending" : "queued", created_ms: i.queuedAt,
    }));
    return [...waiting.reverse(), ...[...sent].sort((a, b) => b.id - a.id)];
  }

  // client_id -> status of this phone's questions at the last render (null before the first).
  let mineStatus = null;
  function renderMine(state) {
    const items = mineItems(state);
    if (mineStatus && items.some((q) => q.status === "approved" && mineStatus.get(q.client_id) === "pending")) {
      announce(t("Your question was approved: everyone can see it now."));
    }
    mineStatus = new Map(items.map((q) => [q.client_id, q.status]));
    $("#mine").hidden = items.length === 0;
    const byId = new Map((state.questions ? state.questions.items : []).map((q) => [q.id, q]));
    keyedList($("#mine-list"), items, (q) => q.client_id,
      () => {
        const withdraw = h("button", {type: "button", class: "link-btn mine-withdraw", text: t("Withdraw")});
        return h("li", {class: "mine-item"},
          h("p", {class: "mine-text user-text", dir: "auto"}),
          h("p", {class: "mine-meta"}, h("span", {class: "status-pill"}), h("span", {class: "mine-votes num"}),
            withdraw),
          h("p", {class: "mine-note"}));
      },
      (el, q) => {
        setText(el.querySelector(".mine-text"), q.text);
        const pill = el.querySelector(".status-pill");
        pill.dataset.status = q.status;
        setText(pill, MINE_LABELS[q.status] || q.status);
        const shown = byId.get(q.id);
        setText(el.querySelector(".mine-votes"), shown ? `▲ ${shown.votes}` : "");
        let note = MINE_NOTES[q.status] || "";
        if (q.status === "merged" && q.merged_into_id && byId.get(q.merged_into_id)) {
          note = t("Merged with: “{text}”", {text: byId.get(q.merged_into_id).text});
        }
        setText(el.querySelector(".mine-note"), note);
        const withdraw = el.querySelector(".mine-withdraw");
        // Not once the show has ended with questions closed: the server refuses it then.
        const open = !state.run || state.run.questions_open !== false;
        withdraw.hidden = !open || !(q.status === "pending" || q.status === "approved");
        withdraw.onclick = () => withdrawQuestion(q, withdraw);
      });
  }

  async function withdrawQuestion(q, button) {
    if (!window.confirm(t("Withdraw this question? It disappears for everyone."))) return;
    button.disabled = true;
    try {
      const ack = await live.emit("question:withdraw", {question_id: q.id});
      const state = live.state;
      const mine = state && state.mine && state.mine.questions.find((x) => x.id === q.id);
      if (mine) mine.status = ack.question.status;
      if (state) renderAll(state);
    } catch (err) {
      flash(err.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- the wall -------------------------------------------------------------------------

  function setOrder(value) {
    order = value;
    store(SORT_KEY, value);
    for (const btn of document.querySelectorAll(".segmented .seg-btn")) {
      setAttr(btn, "aria-pressed", String(btn.dataset.order === value));
    }
    shownOrder = null;
    if (live.state) renderWall(live.state);
  }
  for (const btn of document.querySelectorAll(".segmented .seg-btn")) {
    btn.addEventListener("click", () => setOrder(btn.dataset.order));
  }
  newPill.addEventListener("click", () => {
    shownOrder = null; // the true order, now
    if (live.state) renderWall(live.state);
    $("#questions").scrollIntoView({block: "start", behavior: "smooth"});
  });

  function votedOn(state, id) {
    const wanted = outbox.wantedVote(id);
    if (wanted !== undefined) return wanted;
    return !!(state && state.mine && state.mine.votes.includes(id));
  }

  function countOf(state, q) {
    const had = !!(state && state.mine && state.mine.votes.includes(q.id));
    const on = votedOn(state, q.id);
    return q.votes + (on === had ? 0 : on ? 1 : -1);
  }

  /** True while the reader has the list on screen: then it must not move under their thumb. */
  function readingList() {
    const rect = list.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < window.innerHeight && list.children.length > 0;
  }

  // The reader's hands: the list moves only once it has been left at rest (no scroll, touch or
  // press for REST_MS) or on a tap of the pill; until then new questions and a new order wait
  // behind the pill. So it never moves under a finger, and never stays wrong for long.
  const REST_MS = 2000;
  let handledAt = -Infinity; // performance.now() of the last scroll, touch or press
  let fingers = 0;           // fingers on the screen now
  let mouseDown = false;
  let restTimer = 0;
  const handled = () => { handledAt = performance.now(); };
  const opts = {passive: true, capture: true};
  for (const type of ["scroll", "wheel", "touchmove", "keydown"]) window.addEventListener(type, handled, opts);
  for (const type of ["touchstart", "touchend", "touchcancel"]) {
    window.addEventListener(type, (e) => { fingers = e.touches.length; handled(); }, opts);
  }
  window.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "touch") mouseDown = true;
    handled();
  }, opts);
  for (const type of ["pointerup", "pointercancel"]) {
    window.addEventListener(type, (e) => {
      if (e.pointerType !== "touch") mouseDown = false;
      handled();
    }, opts);
  }
  const atRest = () => fingers === 0 && !mouseDown && performance.now() - handledAt >= REST_MS;

  /** Look again once the list may be at rest (the re-render re-sorts, or waits again). */
  function lookAgainAtRest() {
    clearTimeout(restTimer);
    const busy = fingers > 0 || mouseDown;
    const wait = busy ? REST_MS : Math.max(50, REST_MS - (performance.now() - handledAt));
    restTimer = setTimeout(() => live.state && renderWall(live.state), wait);
  }

  function renderWall(state) {
    const qs = state.questions || {items: [], dismissed_count: 0, highlighted_id: null};
    const onProjector = questionOnProjector(state);
    const visible = qs.items.filter((q) => q.status === "approved" || q.status === "answered");
    const sorted = sortItems(visible, order);
    const byId = new Map(sorted.map((q) => [q.id, q]));
    let items = sorted;
    let fresh = 0;
    let moved = false;
    clearTimeout(restTimer);
    if (shownOrder && readingList() && !atRest()) {
      // Keep what the reader sees in place; drop what was taken down (at once, for everyone).
      const kept = shownOrder.filter((id) => byId.has(id));
      const keptSet = new Set(kept);
      const mineIds = new Set(((state.mine && state.mine.questions) || []).map((q) => q.id));
      // A phone's own newly approved question joins at once (it asked for it).
      const added = sorted.filter((q) => !keptSet.has(q.id) && mineIds.has(q.id));
      fresh = sorted.filter((q) => !keptSet.has(q.id) && !mineIds.has(q.id)).length;
      items = [...added, ...kept.map((id) => byId.get(id))];
      // Votes (or an answer) changed the true order of what is shown.
      const shown = new Set(items.map((q) => q.id));
      moved = sorted.filter((q) => shown.has(q.id)).some((q, i) => q.id !== items[i].id);
      if (fresh || moved) lookAgainAtRest();
    }
    shownOrder = items.map((q) => q.id);
    newPill.hidden = !fresh && !moved;
    setText(newPill, fresh ? tn("{n} new question · show", "{n} new questions · show", fresh)
      : t("Order changed · re-sort"));

    const mineIds = new Set(((state.mine && state.mine.questions) || []).map((q) => q.id));
    setText($("#questions-count"), visible.length ? String(visible.length) : "");
    const empty = $("#questions-empty");
    empty.hidden = items.length > 0;
    setText(empty, order === "answered" ? t("No question has been answered yet.")
      : t("No questions on the wall yet. Be the first to ask!"));
    keyedList(list, items, (q) => q.id, createQuestion, (el, q) => {
      const on = votedOn(state, q.id);
      const count = countOf(state, q);
      el.classList.toggle("is-answered", q.status === "answered");
      const onScreen = onProjector === q.id;
      el.classList.toggle("is-highlighted", onScreen);
      el.classList.toggle("is-mine", mineIds.has(q.id));
      setText(el.querySelector(".q-text"), q.text);
      setText(el.querySelector(".q-name"), q.name || t("Anonymous"));
      const target = q.panelist_id ? panelistById(state, q.panelist_id) : null;
      setText(el.querySelector(".q-to"), target ? t("to {name}", {name: target.name}) : "");
      setText(el.querySelector(".q-theme"), q.theme || "");
      const by = q.answered_by ? panelistById(state, q.answered_by) : null;
      const extras = [];
      if (q.edited) extras.push(t("edited by the moderator"));
      if (q.merged_count) extras.push(tn("merged with {n} similar", "merged with {n} similar", q.merged_count));
      if (by) extras.push(t("answered by {name}", {name: by.name}));
      setText(el.querySelector(".q-extra"), extras.join(" · "));
      const badges = [];
      if (onScreen) badges.push(t("On screen"));
      if (q.status === "answered") badges.push(t("Answered"));
      if (mineIds.has(q.id)) badges.push(t("Yours"));
      setText(el.querySelector(".q-badges"), badges.join(" · "));
      const btn = el.querySelector(".vote");
      // An answered question's tally is final (the server refuses upvotes): no button.
      btn.hidden = q.status === "answered";
      setText(el.querySelector(".q-final"), q.status === "answered" ? `▲ ${count}` : "");
      setAttr(btn, "aria-pressed", String(on));
      setAttr(btn, "aria-busy", outbox.wantedVote(q.id) !== undefined ? "true" : null);
      // The visible count is in the name outside parentheses (WCAG 2.5.3 Label in Name: speech users say "12").
      setAttr(btn, "aria-label", on ? tn("Remove your upvote: {n} vote", "Remove your upvote: {n} votes", count)
        : tn("Upvote: {n} vote", "Upvote: {n} votes", count));
      setText(btn.querySelector(".vote-count"), String(count));
    });
    const dismissed = $("#dismissed");
    dismissed.hidden = !qs.dismissed_count;
    setText(dismissed, tn("{n} question dismissed by the moderator", "{n} questions dismissed by the moderator",
      qs.dismissed_count));
  }

  function createQuestion(q) {
    const el = h("li", {class: "q"},
      h("div", {class: "q-body"},
        h("p", {class: "q-badges"}),
        h("p", {class: "q-text user-text", dir: "auto"}),
        h("p", {class: "q-meta"}, h("span", {class: "q-name", dir: "auto"}), " ", h("span", {class: "q-to"}),
          " ", h("span", {class: "q-theme"})),
        h("p", {class: "q-extra"})),
      h("button", {type: "button", class: "vote", "aria-pressed": "false"},
        h("span", {class: "vote-icon", "aria-hidden": "true", text: "▲"}),
        h("span", {class: "vote-count num", "aria-hidden": "true"})),
      h("span", {class: "q-final num", title: t("Votes when it was answered")}));
    el.querySelector(".vote").addEventListener("click", () => toggleVote(q.id));
    return el;
  }

  const DOUBLE_TAP_MS = 400;
  const lastTap = new Map(); // question id -> performance.now() of the last tap that counted

  function toggleVote(id) {
    const state = live.state;
    if (!state) return;
    // A second tap while this question's upvote is on its way, or within a double tap's
    // 400 ms (the ack may already be back), is a double tap, not "take it back": ignored.
    // Offline, the waiting wish can still be changed: nothing is in flight.
    const now = performance.now();
    if (outbox.voteInFlight(id) || now - (lastTap.get(id) ?? -Infinity) < DOUBLE_TAP_MS) return;
    lastTap.set(id, now);
    outbox.setVote(id, !votedOn(state, id));
  }

  function panelistById(state, id) {
    return (state.event.panelists || []).find((p) => p.id === id) || null;
  }

  function renderAll(state) {
    renderWall(state);
    renderMine(state);
    renderSimilar(similarItems);
  }

  setOrder(order);

  return {
    sent,
    refused,
    waiting,
    outboxChanged: renderAll,
    /** Render the parts that concern questions after ``part`` changed. */
    render(state, part) {
      if (part === "state" || part === "event") renderChoices(state); // the editor renamed a panelist
      if (part === "state" || part === "questions") {
        const premod = state.questions && state.questions.premoderation === false;
        setText($("#ask-note"), premod
          ? t("Questions appear for everyone at once (the moderator may still remove them).")
          : t("The moderator checks questions before they appear for everyone."));
      }
      if (part === "state" || part === "questions" || part === "mine" || part === "scene") renderWall(state);
      if (part === "state" || part === "mine" || part === "questions" || part === "run") renderMine(state);
    },
  };
}
