// The console's polls panel: author polls during the session (create, edit, delete drafts),
// run them (open, close, reopen, reveal, live results, reset with confirmation, show on the
// projector), moderate open-text answers, watch the tally and the auto-close countdown, and
// download results and anonymous ballots as CSV.
import {$, h, keyedList, setAttr, setText} from "./dom.js";
import {t, tn} from "./i18n.js";
import {KIND_LABELS, closesIn, formatLeft, resultsElement} from "./results.js";
import {consoleEvent} from "./comod.js";

// The CSV downloads are the console's event's (another event than the server's: ?event=CODE).
const eventQuery = consoleEvent ? `?event=${encodeURIComponent(consoleEvent)}` : "";

const POLL_STATUS = {draft: t("Draft"), open: t("Open"), closed: t("Closed")};

/**
 * Wire the polls panel. `live`: the console's connection; `command(event, payload, button)`
 * sends a moderator command (errors become toasts). Returns {render(state), tick()}.
 */
export function moderatorPolls(live, command) {
  const list = $("#mod-polls");
  const form = buildForm();
  $("#polls-heading").after(h("button", {type: "button", class: "btn btn-small", id: "btn-new-poll", text: t("+ New poll"),
    onclick: () => openForm(null)}));
  list.before(form.el);
  let focused = null; // "id:status" of the poll last brought into view
  new ResizeObserver(() => { focused = null; bringFocusIntoView(); }).observe(list);

  function render(state) {
    keyedList(list, state.polls, (p) => `${p.id}`, create, (el, p) => update(el, p, state));
    tick();
    bringFocusIntoView();
  }

  /**
   * The poll the moderator works on: the open one, else the next draft (the first draft after
   * the last poll that ran, so closing one brings the next), else none.
   */
  function focusPoll(polls) {
    const open = polls.find((p) => p.status === "open");
    if (open) return open;
    let lastRun = -1;
    polls.forEach((p, i) => { if (p.status !== "draft") lastRun = i; });
    return polls.slice(lastRun + 1).find((p) => p.status === "draft") || polls.find((p) => p.status === "draft") || null;
  }

  /**
   * Scroll the list (only the list, never the page) to show the focus poll whole, once per
   * change; the list asks its column for the room that poll needs (the run of show above gives
   * way, it scrolls too).
   */
  function bringFocusIntoView() {
    const state = live.state;
    const poll = state && focusPoll(state.polls);
    const el = poll && [...list.children].find((x) => x.dataset.pollId === String(poll.id));
    // At least its controls (they come before the tally), the whole poll if the column has room.
    const actions = el && el.querySelector(".mp-actions");
    const need = el ? `${actions.offsetTop + actions.offsetHeight - el.offsetTop + 6}px` : "";
    const want = el ? `${el.offsetHeight + 4}px` : "";
    if (list.style.getPropertyValue("--need") !== need) list.style.setProperty("--need", need);
    if (list.style.getPropertyValue("--want") !== want) list.style.setProperty("--want", want);
    const key = poll ? `${poll.id}:${poll.status}` : null;
    if (!el || key === focused || !list.clientHeight) return;
    focused = key;
    const box = list.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    if (r.top >= box.top && r.bottom <= box.bottom) return;
    const room = list.clientHeight - r.height;
    // Whole if it fits, its top at the top otherwise; with the poll before it peeking if there is room.
    list.scrollTop += r.top - box.top - Math.max(0, Math.min(room, 24));
  }

  function create(poll) {
    const id = poll.id;
    const run = (event, extra = {}) => (e) => command(event, {poll_id: id, ...extra}, e.currentTarget);
    const current = () => live.state.polls.find((x) => x.id === id);
    return h("li", {class: "mp", dataset: {pollId: String(id)}},
      h("div", {class: "mp-head"},
        h("p", {class: "mp-title", dir: "auto"}),
        h("span", {class: "mp-kind"}),
        h("span", {class: "mp-status"}),
        h("span", {class: "mp-countdown num", hidden: true}),
        h("span", {class: "mp-total num"})),
      // The controls come before the tally, so a long tally never pushes them out of view.
      h("div", {class: "mp-actions"},
        h("button", {type: "button", class: "btn btn-small btn-primary btn-open", onclick: run("poll:open"), text: t("Open")}),
        h("button", {type: "button", class: "btn btn-small btn-close", onclick: run("poll:close"), text: t("Close")}),
        h("button", {type: "button", class: "btn btn-small btn-reveal", text: t("Reveal results"),
          onclick: (e) => {
            const p = current();
            command("poll:reveal", {poll_id: id, revealed: !(p && p.revealed)}, e.currentTarget);
          }}),
        h("button", {type: "button", class: "btn btn-small btn-show", onclick: run("poll:show"), text: t("Show on projector")}),
        h("button", {type: "button", class: "btn btn-small btn-live", text: t("Live results"),
          title: t("Phones and the projector see the tally while the poll is open"),
          onclick: (e) => {
            const p = current();
            command("poll:update", {poll_id: id, live_results: !(p && p.live_results)}, e.currentTarget);
          }}),
        h("button", {type: "button", class: "btn btn-small btn-edit", text: t("Edit"), onclick: () => openForm(current())}),
        h("button", {type: "button", class: "btn btn-small btn-danger btn-reset", text: t("Reset…"),
          onclick: (e) => {
            const p = current();
            const n = p ? p.ballots : 0;
            if (window.confirm(tn("Reset “{title}”? This deletes {n} ballot and makes it a draft again. It cannot be undone.",
              "Reset “{title}”? This deletes {n} ballots and makes it a draft again. It cannot be undone.", n,
              {title: p ? p.title : ""}))) {
              command("poll:reset", {poll_id: id, confirm: true}, e.currentTarget);
            }
          }}),
        h("button", {type: "button", class: "btn btn-small btn-danger btn-delete", text: t("Delete"),
          onclick: (e) => {
            const p = current();
            if (window.confirm(`Delete the draft poll “${p ? p.title : ""}”?`)) command("poll:delete", {poll_id: id}, e.currentTarget);
          }}),
        h("span", {class: "mp-csv"}, "CSV: ",
          h("a", {href: `/moderate/polls/${id}/results.csv${eventQuery}`, download: "", text: "results"}), " · ",
          h("a", {href: `/moderate/polls/${id}/ballots.csv${eventQuery}`, download: "", text: t("ballots (CSV)")}))),
      h("div", {class: "mp-results"}),
      h("ul", {class: "mp-answers"}));
  }

  function update(el, poll, state) {
    const onScreen = state.scene.name === "poll" && state.scene.poll_id === poll.id;
    el.dataset.status = poll.status;
    el.classList.toggle("is-on-screen", onScreen);
    setText(el.querySelector(".mp-title"), poll.title);
    let kind = KIND_LABELS[poll.kind] || poll.kind;
    if (poll.kind === "multiple" && poll.max_choices) kind += ` ${t("(at most {n})", {n: poll.max_choices})}`;
    if (poll.kind === "rating") kind += ` 1–${poll.scale_max}`;
    if (poll.duration_s) kind += ` · ${t("closes after {time}", {time: formatLeft(poll.duration_s * 1000)})}`;
    setText(el.querySelector(".mp-kind"), kind);
    const status = el.querySelector(".mp-status");
    status.dataset.status = poll.status;
    setText(status, `${POLL_STATUS[poll.status] || poll.status}${poll.revealed ? ` · ${t("revealed")}` : ""}`
      + `${poll.live_results ? ` · ${t("live results")}` : ""}`);
    const total = poll.ballots || 0;
    setText(el.querySelector(".mp-total"), tn("{n} ballot", "{n} ballots", total));
    const box = el.querySelector(".mp-results");
    box.hidden = !total || poll.kind === "text";
    if (!box.hidden && poll.results) box.replaceChildren(resultsElement(poll, {maxWords: 15}));
    renderAnswers(el.querySelector(".mp-answers"), poll);
    const draft = poll.status === "draft";
    el.querySelector(".btn-open").hidden = poll.status === "open";
    setText(el.querySelector(".btn-open"), poll.status === "closed" ? t("Reopen") : t("Open"));
    el.querySelector(".btn-close").hidden = poll.status !== "open";
    const reveal = el.querySelector(".btn-reveal");
    setText(reveal, poll.revealed ? t("Hide results") : t("Reveal results"));
    setAttr(reveal, "aria-pressed", String(!!poll.revealed));
    reveal.disabled = draft;
    const show = el.querySelector(".btn-show");
    setAttr(show, "aria-pressed", String(onScreen));
    setText(show, onScreen ? t("On projector") : t("Show on projector"));
    show.disabled = draft;
    setAttr(el.querySelector(".btn-live"), "aria-pressed", String(!!poll.live_results));
    el.querySelector(".btn-reset").hidden = draft && !total;
    el.querySelector(".btn-delete").hidden = !draft || total > 0;
    el.querySelector(".mp-csv").hidden = !total;
  }

  function renderAnswers(ul, poll) {
    const answers = poll.kind === "text" && poll.results ? poll.results.answers : [];
    ul.hidden = !answers.length;
    // Pending first (the queue), then the rest, newest first within each.
    const order = {pending: 0, approved: 1, rejected: 2};
    const sorted = [...answers].sort((a, b) => order[a.status] - order[b.status] || b.id - a.id);
    keyedList(ul, sorted, (a) => a.id, (a) => h("li", {class: "mp-answer"},
      h("span", {class: "mp-answer-text user-text", dir: "auto"}),
      h("span", {class: "mp-answer-status"}),
      h("button", {type: "button", class: "btn btn-small btn-approve", text: t("Approve"),
        onclick: (e) => command("poll:answer", {ballot_id: a.id, action: "approve"}, e.currentTarget)}),
      h("button", {type: "button", class: "btn btn-small btn-reject", text: t("Reject"),
        onclick: (e) => command("poll:answer", {ballot_id: a.id, action: "reject"}, e.currentTarget)})),
    (li, a) => {
      li.dataset.status = a.status;
      setText(li.querySelector(".mp-answer-text"), a.text);
      setText(li.querySelector(".mp-answer-status"), a.status);
      li.querySelector(".btn-approve").hidden = a.status === "approved";
      li.querySelector(".btn-reject").hidden = a.status === "rejected";
    });
  }

  function tick() {
    const state = live.state;
    if (!state) return;
    for (const el of list.children) {
      const poll = state.polls.find((p) => String(p.id) === el.dataset.pollId);
      const badge = el.querySelector(".mp-countdown");
      const left = closesIn(poll, live.serverNow());
      badge.hidden = left === null;
      if (left !== null) setText(badge, `closes in ${formatLeft(left)}`);
    }
  }

  // ---- the authoring form ------------------------------------------------------------------

  function buildForm() {
    const f = {};
    f.kind = h("select", {id: "pf-kind"}, Object.entries(KIND_LABELS).map(([v, label]) => h("option", {value: v, text: label})));
    f.title = h("input", {id: "pf-title", type: "text", maxlength: "300", required: true, dir: "auto"});
    f.options = h("textarea", {id: "pf-options", rows: "3", dir: "auto", placeholder: t("One option per line (2 to 12)")});
    f.max = h("input", {id: "pf-max", type: "number", min: "1", max: "12", placeholder: "no limit"});
    f.scale = h("select", {id: "pf-scale"}, h("option", {value: "5", text: "1 to 5"}), h("option", {value: "10", text: "1 to 10"}));
    f.live = h("input", {id: "pf-live", type: "checkbox"});
    f.duration = h("input", {id: "pf-duration", type: "number", min: "5", max: "3600", placeholder: "off"});
    f.error = h("p", {class: "form-error", role: "alert", hidden: true});
    f.submit = h("button", {type: "submit", class: "btn btn-small btn-primary"});
    const field = (label, input, cls = "") => h("label", {class: `pf-field ${cls}`}, h("span", {text: label}), input);
    f.el = h("form", {class: "poll-form", id: "poll-form", hidden: true, novalidate: true},
      h("p", {class: "pf-heading"}),
      field(t("Kind"), f.kind),
      field(t("Question"), f.title, "pf-wide"),
      field(t("Options"), f.options, "pf-wide pf-choice"),
      field(t("At most (choices)"), f.max, "pf-multiple"),
      field(t("Scale"), f.scale, "pf-rating"),
      field(t("Auto-close after (s)"), f.duration),
      h("label", {class: "pf-check"}, f.live, h("span", {text: " Live results (shown while open)"})),
      f.error,
      h("div", {class: "pf-buttons"}, f.submit,
        h("button", {type: "button", class: "btn btn-small", text: t("Cancel"), onclick: () => closeForm(f)})));
    f.kind.addEventListener("change", () => syncKind(f));
    // Esc cancels, as in a dialog (the form is inline: no <dialog> does it for us).
    f.el.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.isComposing) return;
      e.preventDefault();
      e.stopPropagation();
      closeForm(f);
    });
    f.el.addEventListener("submit", (e) => {
      e.preventDefault();
      submit(f);
    });
    return f;
  }

  function syncKind(f) {
    const kind = f.kind.value;
    f.el.querySelector(".pf-choice").hidden = !(kind === "single" || kind === "multiple");
    f.el.querySelector(".pf-multiple").hidden = kind !== "multiple";
    f.el.querySelector(".pf-rating").hidden = kind !== "rating";
  }

  /** Hide the form and give the focus back to the button that opened it. */
  function closeForm(f) {
    f.el.hidden = true;
    list.hidden = false;
    const back = f.opener && f.opener.isConnected && !f.opener.closest("[hidden]") ? f.opener : $("#btn-new-poll");
    back.focus();
  }

  function openForm(poll) {
    const f = form;
    f.opener = document.activeElement;
    f.editing = poll ? poll.id : null;
    setText(f.el.querySelector(".pf-heading"), poll ? t("Edit poll") : t("New poll"));
    setText(f.submit, poll ? t("Save") : t("Create draft"));
    f.kind.value = poll ? poll.kind : "single";
    f.title.value = poll ? poll.title : "";
    f.options.value = poll ? poll.options.map((o) => o.label).join("\n") : "";
    f.max.value = poll && poll.max_choices ? String(poll.max_choices) : "";
    f.scale.value = poll && poll.scale_max === 10 ? "10" : "5";
    f.live.checked = !!(poll && poll.live_results);
    f.duration.value = poll && poll.duration_s ? String(poll.duration_s) : "";
    f.error.hidden = true;
    syncKind(f);
    // The form takes the panel's room (a 13-inch console has no more): the list comes back on close.
    list.hidden = true;
    f.el.hidden = false;
    f.title.focus();
  }

  async function submit(f) {
    const kind = f.kind.value;
    const body = {
      kind,
      title: f.title.value,
      options: kind === "single" || kind === "multiple" ? f.options.value.split("\n").map((s) => s.trim()).filter(Boolean) : [],
      max_choices: kind === "multiple" && f.max.value ? Number(f.max.value) : null,
      scale_max: kind === "rating" ? Number(f.scale.value) : 5,
      live_results: f.live.checked,
      duration_s: f.duration.value ? Number(f.duration.value) : null,
    };
    const editing = f.editing;
    const existing = editing ? live.state.polls.find((p) => p.id === editing) : null;
    if (existing && existing.kind === "rating" && kind === "rating") delete body.options;
    f.submit.disabled = true;
    f.error.hidden = true;
    try {
      await live.emit(editing ? "poll:update" : "poll:create", editing ? {poll_id: editing, ...body} : body);
      closeForm(f);
    } catch (err) {
      setText(f.error, err.message);
      f.error.hidden = false;
    } finally {
      f.submit.disabled = false;
    }
  }

  return {render, tick};
}
