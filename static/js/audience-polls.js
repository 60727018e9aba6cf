// Polls on a phone: vote (single, multiple up to a maximum, rating, a word, an open answer),
// change or withdraw the ballot while the poll is open, see the auto-close countdown, and see
// the results with this phone's own choice highlighted once they are shown. Ballots go through
// the phone's outbox (outbox.js): a vote cast offline waits there, says so, and is confirmed
// once the server has acked it; a refusal (a word on the word list, too many words, the poll
// closed meanwhile) is said next to the ballot.
import {$, announce, h, keyedList, setAttr, setText} from "./dom.js";
import {closesIn, formatLeft, resultsElement} from "./results.js";
import {t, tn} from "./i18n.js";

const ANSWER_STATUS = {
  pending: t("Awaiting moderation: it appears for everyone once approved."),
  approved: t("Approved: shown with the results."),
  rejected: t("Not shown by the moderator."),
};

/**
 * Wire the polls list. `live`: the page's connection; `outbox`: the phone's outbox (ballots
 * wait there until acked); `flash(message)`: shows an error. Returns {render(state), tick(),
 * sent(item, ack), refused(item, error)}: the last two for the outbox's ballot items.
 */
export function audiencePolls({live, outbox, flash}) {
  const drafts = new Map();   // multiple-choice poll id -> Set of option ids picked, not yet sent
  const refusals = new Map(); // poll id -> why the server refused this phone's last ballot

  /** This phone's ballot: the one waiting in the outbox, else the server's (null: none). */
  function ballotOf(state, poll) {
    const wanted = outbox.wantedBallot(poll.id);
    if (wanted !== undefined) return wanted.value;
    const b = state.mine && state.mine.ballots ? state.mine.ballots[String(poll.id)] : undefined;
    return b === undefined ? null : b;
  }

  function render(state) {
    // Open polls first; then closed ones, newest first: "Voting closed" until the results are
    // revealed (a poll closed without a reveal must not just vanish from the phone).
    const polls = (state.polls || []).filter((p) => p.status === "open" || p.status === "closed");
    polls.sort((a, b) => (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) || b.id - a.id);
    keyedList($("#polls"), polls, (p) => `${p.id}-${p.kind}`, create, (el, p) => update(el, p, state));
    announceOpened(state.polls || []);
    tick();
  }

  // Poll id -> status at the last render (null before the first: polls already open at load are not news).
  let seenStatus = null;
  /** Say a poll that has just opened (the poll list is not a live region: its countdown ticks). */
  function announceOpened(all) {
    const now = new Map(all.map((p) => [p.id, p.status]));
    if (seenStatus) {
      const opened = all.find((p) => p.status === "open" && seenStatus.get(p.id) !== "open");
      if (opened) announce(`${t("Poll: vote now")} · ${opened.title}`);
    }
    seenStatus = now;
  }

  function create(poll) {
    const el = h("section", {class: "card poll-card", "aria-label": t("Poll: {title}", {title: poll.title}), dataset: {pollId: String(poll.id)}},
      h("div", {class: "poll-head"},
        h("h2", {class: "card-kicker poll-kicker"}),
        h("span", {class: "poll-countdown num", hidden: true}),
        h("span", {class: "poll-status"})),
      h("p", {class: "poll-title", dir: "auto"}),
      h("div", {class: "poll-ballot"}),
      h("p", {class: "poll-hint"}),
      h("p", {class: "poll-error", id: `poll-error-${poll.id}`, role: "alert", hidden: true}),
      h("button", {type: "button", class: "btn btn-link poll-withdraw", text: t("Withdraw my answer"),
        onclick: () => withdraw(poll.id)}),
      h("div", {class: "poll-results"}));
    const ballot = el.querySelector(".poll-ballot");
    if (poll.kind === "wordcloud" || poll.kind === "text") {
      const long = poll.kind === "text";
      const inputId = `answer-${poll.id}`;
      const field = long
        ? h("textarea", {id: inputId, class: "word-input answer-input", rows: "2", maxlength: "280", dir: "auto",
          placeholder: t("Your answer")})
        : h("input", {id: inputId, class: "word-input", type: "text", maxlength: "40", dir: "auto",
          autocomplete: "off", enterkeyhint: "send", placeholder: t("One word or a short phrase")});
      const form = h("form", {class: `word-form${long ? " answer-form" : ""}`, novalidate: true},
        h("label", {class: "visually-hidden", for: inputId, text: long ? t("Your answer") : t("Your word or short phrase")}),
        field,
        h("button", {type: "submit", class: "btn btn-primary word-send", text: t("Send")}));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const value = field.value.trim();
        if (!value) return;
        vote(poll.id, value); // the box is emptied once the server took it (sent)
      });
      // Editing a refused answer takes the reason away: it was about the old words.
      field.addEventListener("input", () => {
        if (refusals.delete(poll.id) && live.state) render(live.state);
      });
      ballot.append(form);
    } else {
      ballot.append(h("div", {class: `choices choices-${poll.kind}`, role: "group"}));
      if (poll.kind === "multiple") {
        ballot.append(h("button", {type: "button", class: "btn btn-primary btn-block multiple-send",
          onclick: () => {
            const picked = drafts.get(poll.id);
            if (picked && picked.size) {
              drafts.delete(poll.id);
              vote(poll.id, [...picked].sort((a, b) => a - b));
            }
          }}));
      }
    }
    return el;
  }

  function choicesOf(poll) {
    if (poll.kind === "rating") {
      return Array.from({length: poll.scale_max || 5}, (_, i) => ({value: i + 1, label: String(i + 1)}));
    }
    return poll.options.map((o) => ({value: o.id, label: o.label}));
  }

  function update(el, poll, state) {
    const open = poll.status === "open";
    const mine = ballotOf(state, poll);
    setText(el.querySelector(".poll-kicker"), open ? t("Poll: vote now") : poll.results ? t("Poll results") : t("Poll"));
    const status = el.querySelector(".poll-status");
    status.dataset.status = poll.status;
    setText(status, open ? t("Open") : t("Voting closed"));
    setText(el.querySelector(".poll-title"), poll.title);
    el.setAttribute("aria-label", t("Poll: {title}", {title: poll.title}));
    el.classList.toggle("is-open", open);
    const ballot = el.querySelector(".poll-ballot");
    ballot.hidden = !open;
    // busy: on its way to the server; waiting: kept in the outbox until the phone is online.
    const busy = outbox.ballotInFlight(poll.id);
    const waiting = !busy && outbox.wantedBallot(poll.id) !== undefined;
    const refusal = refusals.get(poll.id) || "";
    const error = el.querySelector(".poll-error");
    setText(error, refusal);
    error.hidden = !refusal;

    if (poll.kind === "wordcloud" || poll.kind === "text") {
      const field = ballot.querySelector(".word-input");
      field.disabled = !open;
      setAttr(field, "aria-invalid", refusal ? "true" : null);
      setAttr(field, "aria-describedby", refusal ? error.id : null);
      ballot.querySelector(".word-send").disabled = !open || busy;
    } else {
      const multiple = poll.kind === "multiple";
      const limit = multiple ? (poll.max_choices || poll.options.length) : 1;
      const picked = multiple ? (drafts.get(poll.id) || new Set(Array.isArray(mine) ? mine : [])) : null;
      const group = ballot.querySelector(".choices");
      group.setAttribute("aria-label", poll.title);
      keyedList(group, choicesOf(poll), (c) => c.value, (c) => {
        const btn = h("button", {type: "button", class: "choice", "aria-pressed": "false"},
          h("span", {class: `choice-mark${multiple ? " is-box" : ""}`, "aria-hidden": "true"}),
          h("span", {class: "choice-label", dir: "auto"}));
        btn.addEventListener("click", () => (multiple ? toggle(poll, c.value) : vote(poll.id, c.value)));
        return btn;
      }, (btn, c) => {
        setText(btn.querySelector(".choice-label"), c.label);
        const on = multiple ? picked.has(c.value) : mine === c.value;
        setAttr(btn, "aria-pressed", String(on));
        btn.disabled = !open || busy || (multiple && !on && picked.size >= limit);
        setAttr(btn, "aria-busy", !multiple && busy && mine === c.value ? "true" : null);
      });
      if (multiple) {
        const send = ballot.querySelector(".multiple-send");
        const same = Array.isArray(mine) && mine.length === picked.size && mine.every((v) => picked.has(v));
        send.disabled = !open || busy || picked.size === 0 || same;
        setText(send, busy ? t("Sending…") : same && waiting ? t("Choices not sent yet")
          : same ? t("Choices sent") : t("Send my choices ({picked} of at most {limit})", {picked: picked.size, limit}));
      }
    }

    let hint = "";
    const answerStatus = state.mine && state.mine.answer_status ? state.mine.answer_status[String(poll.id)] : null;
    const words = poll.kind === "wordcloud" || poll.kind === "text";
    if (open && waiting) {
      // Nothing has reached the server: say so, as for a question asked offline.
      if (mine === null) hint = t("Not sent yet: your answer is withdrawn as soon as the phone is back online.");
      else if (words) hint = t("Your answer: “{answer}”. Not sent yet: it goes out as soon as the phone is back online.", {answer: mine});
      else hint = t("Not sent yet: no connection. Your vote goes out as soon as the phone is back online.");
    } else if (open && busy) {
      hint = mine === null ? t("Withdrawing your answer…") : words ? t("Sending your answer…") : t("Sending your vote…");
    } else if (poll.kind === "text" && mine !== null) {
      hint = `${t("Your answer: “{answer}”.", {answer: mine})} ${ANSWER_STATUS[answerStatus] || ""}`;
    } else if (open) {
      if (mine === null) {
        if (poll.kind === "rating") hint = t("Tap 1 (lowest) to {max} (highest).", {max: poll.scale_max || 5});
        if (poll.kind === "multiple") hint = t("Choose up to {n}, then send.", {n: poll.max_choices || poll.options.length});
        if (poll.kind === "wordcloud") hint = t("One word or a short phrase (up to 3 words).");
      } else if (poll.kind === "wordcloud") {
        hint = t("Your answer: “{answer}”. You can change it while the poll is open.", {answer: mine});
      } else hint = t("Vote received. You can change it while the poll is open.");
    } else if (mine !== null && poll.kind === "wordcloud") {
      hint = t("Your answer: “{answer}”.", {answer: mine});
    }
    // A refusal says it better than the rule: one message, not two.
    setText(el.querySelector(".poll-hint"), refusal && open ? "" : hint);
    const withdrawBtn = el.querySelector(".poll-withdraw");
    withdrawBtn.hidden = !open || mine === null || busy;

    const resultsBox = el.querySelector(".poll-results");
    if (poll.results) {
      resultsBox.hidden = false;
      resultsBox.replaceChildren(resultsElement(poll, {mine}));
    } else {
      resultsBox.hidden = false;
      const n = poll.ballots || 0;
      resultsBox.replaceChildren(h("p", {class: "results-none", text: open
        ? tn("{n} response so far. Results are shown when the moderator reveals them.",
          "{n} responses so far. Results are shown when the moderator reveals them.", n)
        : tn("Voting closed with {n} response. Results are shown here when the moderator reveals them.",
          "Voting closed with {n} responses. Results are shown here when the moderator reveals them.", n)}));
    }
  }

  function toggle(poll, value) {
    const state = live.state;
    const mine = state ? ballotOf(state, poll) : null;
    const picked = drafts.get(poll.id) || new Set(Array.isArray(mine) ? mine : []);
    if (picked.has(value)) picked.delete(value);
    else if (picked.size < (poll.max_choices || poll.options.length)) picked.add(value);
    drafts.set(poll.id, picked);
    if (state) render(state);
  }

  /** Cast (or change) this phone's ballot: into the outbox, sent at once when online. A tap
   * while the previous ballot is on its way is ignored; offline, the waiting one is replaced. */
  function vote(pollId, value) {
    if (outbox.ballotInFlight(pollId)) return;
    refusals.delete(pollId);
    outbox.setBallot(pollId, value);
  }

  function withdraw(pollId) {
    if (outbox.ballotInFlight(pollId)) return;
    refusals.delete(pollId);
    drafts.delete(pollId);
    outbox.setBallot(pollId, null);
  }

  const cardOf = (pollId) => document.querySelector(`#polls .poll-card[data-poll-id="${pollId}"]`);

  /** The outbox had a ballot (or a withdrawal) acked: it is this phone's ballot now. */
  function sent(item, ack) {
    const pollId = item.payload.poll_id;
    const state = live.state;
    if (state && state.mine) {
      if (item.kind === "withdraw") {
        delete state.mine.ballots[String(pollId)];
        if (state.mine.answer_status) delete state.mine.answer_status[String(pollId)];
      } else {
        state.mine.ballots[String(pollId)] = ack.value !== undefined ? ack.value : item.payload.value;
      }
    }
    // The words went in: empty the box, unless the person has typed something else since.
    const field = cardOf(pollId) && cardOf(pollId).querySelector(".word-input");
    if (field && item.kind === "ballot" && field.value.trim() === String(item.payload.value)) field.value = "";
    if (state) render(state);
  }

  /** The server refused a ballot for good: say why next to it, and keep (or give back) the words. */
  function refused(item, err) {
    const pollId = item.payload.poll_id;
    const card = cardOf(pollId);
    if (!card) {
      if (err.code !== "not_found") flash(err.message);
      return;
    }
    const field = card.querySelector(".word-input");
    if (field && item.kind === "ballot" && !field.value.trim()) field.value = String(item.payload.value);
    refusals.set(pollId, err.message);
    if (live.state) render(live.state);
  }

  /** The auto-close countdowns (call a few times a second). */
  function tick() {
    const state = live.state;
    if (!state) return;
    for (const el of document.querySelectorAll("#polls .poll-card")) {
      const poll = (state.polls || []).find((p) => String(p.id) === el.dataset.pollId);
      const badge = el.querySelector(".poll-countdown");
      const left = closesIn(poll, live.serverNow());
      badge.hidden = left === null;
      if (left !== null) {
        setText(badge, t("Closes in {time}", {time: formatLeft(left)}));
        badge.dataset.urgent = String(left <= 10_000);
      }
    }
  }

  return {render, tick, sent, refused};
}
