// The console's question tools: the moderation queue (tabs and filters), the up-next queue
// (drag, Alt+arrows, keys), edit, merge, answered-by, pre-moderation, and how many queued
// questions fit in the Q&A time left.
import {$, h, keyedList, setAttr, setText} from "./dom.js";
import {t} from "./i18n.js";
import {formatClock, formatTimeOfDay} from "./live.js";
import {fitInTime, qaRemainingMs, questionsThatFit} from "./qa-fit.js";
import {questionOnProjector} from "./scene.js";
import {shortName} from "./timekeeping.js";

const OTHER = ["rejected", "archived", "withdrawn", "merged"];
const STATUS_LABELS = {pending: t("Pending"), approved: t("Approved"), answered: t("Answered"), rejected: t("Rejected"),
  archived: t("Archived"), withdrawn: t("Withdrawn by the asker"), merged: t("Merged")};

/**
 * Wire the questions panel. ``command(event, payload, button)`` sends a moderator command
 * (errors shown as toasts); returns {render(state), tick(state, now)}.
 */
export function setupQuestions({live, command}) {
  let tab = "pending";
  const list = $("#mod-q-list");
  const upnext = $("#upnext-list");
  const filterPanelist = $("#q-filter-panelist");
  const filterTheme = $("#q-filter-theme");
  const editing = new Set(); // question ids with the edit box open
  const candidates = new Map(); // question id -> merge candidates shown

  const panelist = (state, id) => (state.event.panelists || []).find((p) => p.id === id) || null;
  const hm = (ms) => formatTimeOfDay(ms, live.state ? live.state.event.timezone : undefined);

  // ---- tabs, filters, settings ----------------------------------------------------------

  for (const btn of document.querySelectorAll(".q-tab")) {
    btn.addEventListener("click", () => {
      tab = btn.dataset.status;
      if (live.state) render(live.state);
    });
    btn.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const tabs = [...document.querySelectorAll(".q-tab")];
      const i = tabs.indexOf(btn) + (e.key === "ArrowRight" ? 1 : -1);
      const target = tabs[(i + tabs.length) % tabs.length];
      target.focus();
      target.click();
    });
  }
  for (const el of [filterPanelist, filterTheme]) el.addEventListener("change", () => live.state && render(live.state));
  $("#btn-clear-highlight").addEventListener("click", (e) =>
    command("question:highlight", {question_id: null}, e.currentTarget));
  $("#btn-show-highlight").addEventListener("click", (e) => {
    const id = live.state && live.state.questions.highlighted_id;
    if (id) command("question:highlight", {question_id: id}, e.currentTarget);
  });
  $("#btn-show-next").addEventListener("click", (e) => command("question:next", {}, e.currentTarget));
  $("#q-premod").addEventListener("change", (e) =>
    command("questions:settings", {premoderation: e.currentTarget.checked}));
  $("#q-per").addEventListener("change", (e) => {
    const minutes = Number(e.currentTarget.value);
    if (minutes > 0) command("questions:settings", {ms_per_question: Math.round(minutes * 60_000)});
  });

  function fillFilters(state) {
    if (filterPanelist.options.length === 1) {
      filterPanelist.append(...(state.event.panelists || []).map((p) => h("option", {value: String(p.id), text: p.name})));
      filterTheme.append(...(state.event.themes || []).map((t) => h("option", {value: t, text: t})));
      filterTheme.hidden = !(state.event.themes || []).length;
    }
  }

  function matches(q) {
    const inTab = tab === "other" ? OTHER.includes(q.status) : q.status === tab;
    if (!inTab) return false;
    if (filterPanelist.value && String(q.panelist_id) !== filterPanelist.value) return false;
    if (filterTheme.value && q.theme !== filterTheme.value) return false;
    return true;
  }

  // ---- rendering ------------------------------------------------------------------------

  function render(state) {
    const qs = state.questions;
    fillFilters(state);
    const counts = {pending: 0, approved: 0, answered: 0, other: 0};
    for (const q of qs.items) counts[OTHER.includes(q.status) ? "other" : q.status] += 1;
    for (const btn of document.querySelectorAll(".q-tab")) {
      const s = btn.dataset.status;
      setAttr(btn, "aria-selected", String(s === tab));
      btn.tabIndex = s === tab ? 0 : -1;
      setText(btn.querySelector(".q-tab-count"), String(counts[s] || 0));
      btn.classList.toggle("has-items", s === "pending" && counts.pending > 0);
    }
    document.title = `${counts.pending ? `(${counts.pending}) ` : ""}${t("Moderator")} · ${state.event.title} · forum-live`;
    setText($("#dismissed-note"), qs.dismissed_count ? `${qs.dismissed_count} dismissed` : "");
    $("#dismissed-note").title = qs.dismissed_count
      ? t("{n} dismissed (shown publicly as a count)", {n: qs.dismissed_count}) : "";
    const premod = $("#q-premod");
    if (document.activeElement !== premod) premod.checked = qs.premoderation !== false;
    const per = $("#q-per");
    if (document.activeElement !== per && qs.ms_per_question) per.value = String(qs.ms_per_question / 60_000);

    // The highlight outlives a scene change; "On projector" only while the projector shows it.
    const highlighted = qs.highlighted_id ? qs.items.find((q) => q.id === qs.highlighted_id) : null;
    const shown = !!highlighted && questionOnProjector(state) === highlighted.id;
    $("#highlight-bar").hidden = !highlighted;
    $("#highlight-bar").classList.toggle("is-off-screen", !!highlighted && !shown);
    setText($("#highlight-label"), shown ? "On projector:" : "Highlighted:");
    $("#btn-show-highlight").hidden = !highlighted || shown;
    if (highlighted) setText($("#highlight-text"), clip(highlighted.text, 90));

    let items = qs.items.filter(matches);
    // Pending: oldest first, the order they came in. Others: as the server sorts (votes).
    if (tab === "pending") items = [...items].sort((a, b) => a.created_ms - b.created_ms || a.id - b.id);
    const empty = {pending: t("No questions waiting for moderation."), approved: t("No approved questions yet."),
      answered: t("No answered questions yet."), other: t("No rejected, archived, withdrawn or merged questions.")}[tab];
    const emptyEl = $("#mod-q-empty");
    emptyEl.hidden = items.length > 0;
    setText(emptyEl, filterPanelist.value || filterTheme.value ? t("No question matches the filters.") : empty);
    keyedList(list, items, (q) => `${q.id}`, createQuestion, (el, q) => updateQuestion(el, q, state));
    renderUpNext(state);
    tick(state, live.serverNow());
  }

  function renderUpNext(state) {
    const byId = new Map(state.questions.items.map((q) => [q.id, q]));
    const queue = (state.questions.queue || []).map((id) => byId.get(id)).filter(Boolean);
    setText($("#upnext-count"), queue.length ? String(queue.length) : "");
    $("#upnext-empty").hidden = queue.length > 0;
    $("#btn-show-next").disabled = queue.length === 0;
    keyedList(upnext, queue, (q) => `${q.id}`, (q) => {
      const li = h("li", {class: "un-item", draggable: "true", tabindex: "0", dataset: {id: String(q.id)}},
        h("span", {class: "un-grip", "aria-hidden": "true", text: "⋮⋮"}),
        h("span", {class: "un-text user-text", dir: "auto"}),
        h("span", {class: "un-votes num"}),
        h("button", {type: "button", class: "btn btn-small un-remove", "aria-label": t("Remove from up next"), text: "×",
          onclick: (e) => command("question:queue", {question_id: q.id, position: null}, e.currentTarget)}));
      li.addEventListener("keydown", (e) => {
        const order = live.state.questions.queue || [];
        const i = order.indexOf(q.id);
        if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
          e.preventDefault();
          const to = Math.max(0, i + (e.key === "ArrowUp" ? -1 : 1));
          command("question:queue", {question_id: q.id, position: to}).then(() => focusUpNext(q.id));
        } else if (e.key === "Delete" || e.key === "Backspace") {
          e.preventDefault();
          command("question:queue", {question_id: q.id, position: null});
        } else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
          e.preventDefault();
          const next = e.key === "ArrowUp" ? li.previousElementSibling : li.nextElementSibling;
          if (next) next.focus();
        }
      });
      return li;
    }, (li, q) => {
      setText(li.querySelector(".un-text"), clip(q.text, 140));
      setText(li.querySelector(".un-votes"), `▲ ${q.votes}`);
      const p = q.panelist_id ? panelist(state, q.panelist_id) : null;
      li.title = p ? t("To {name}", {name: p.name}) : t("To all panelists");
    });
  }

  function focusUpNext(id) {
    const el = upnext.querySelector(`[data-id="${id}"]`);
    if (el) el.focus();
  }

  // Drag and drop: within the queue to reorder, and from the approved list into it.
  function dropIndex(e) {
    const items = [...upnext.children];
    const i = items.findIndex((li) => {
      const r = li.getBoundingClientRect();
      return e.clientY < r.top + r.height / 2;
    });
    return i < 0 ? items.length : i;
  }
  const dropZone = $("#upnext");
  dropZone.addEventListener("dragover", (e) => {
    if (!e.dataTransfer.types.includes("text/x-question-id")) return;
    e.preventDefault();
    dropZone.classList.add("is-drop");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("is-drop"));
  dropZone.addEventListener("drop", (e) => {
    dropZone.classList.remove("is-drop");
    const id = Number(e.dataTransfer.getData("text/x-question-id"));
    if (!id) return;
    e.preventDefault();
    const order = (live.state.questions.queue || []);
    let to = dropIndex(e);
    const from = order.indexOf(id);
    if (from >= 0 && from < to) to -= 1; // the item leaves its old place first
    command("question:queue", {question_id: id, position: to});
  });
  for (const box of [upnext, list]) {
    box.addEventListener("dragstart", (e) => {
      const li = e.target.closest("li[data-id]") || e.target.closest("li.mq");
      if (!li) return;
      e.dataTransfer.setData("text/x-question-id", li.dataset.id || li.dataset.key);
      e.dataTransfer.effectAllowed = "move";
    });
  }

  // ---- one question ---------------------------------------------------------------------

  function createQuestion(q) {
    const id = q.id;
    const act = (action, extra = {}) => (e) =>
      command("question:moderate", {question_id: id, action, ...extra}, e.currentTarget);
    const answeredBy = h("select", {class: "mq-by", "aria-label": t("Answered by")});
    const el = h("li", {class: "mq", tabindex: "0", dataset: {id: String(id)}},
      h("p", {class: "mq-flag"}),
      // Who asked, and whom, lead the text as in a transcript ("Ana → da Costa: …"): no row of its own.
      h("p", {class: "mq-line"},
        h("span", {class: "mq-who"}, h("bdi", {class: "mq-name"}), h("span", {class: "mq-to"})),
        h("span", {class: "mq-text user-text", dir: "auto"})),
      h("p", {class: "mq-original"}),
      h("form", {class: "mq-edit", hidden: true},
        h("textarea", {class: "mq-edit-text", rows: "3", dir: "auto", "aria-label": t("Edit the question")}),
        h("button", {type: "submit", class: "btn btn-small btn-primary", text: t("Save")}),
        h("button", {type: "button", class: "btn btn-small mq-edit-cancel", text: t("Cancel")})),
      h("ul", {class: "mq-merged"}),
      h("div", {class: "mq-foot"}, h("p", {class: "mq-meta"},
        h("span", {class: "mq-theme"}),
        h("span", {class: "mq-votes num"}),
        h("span", {class: "mq-time num"}),
        h("span", {class: "mq-status"}),
        h("span", {class: "mq-badge", text: t("On projector")})),
      h("div", {class: "mq-actions"},
        h("button", {type: "button", class: "btn btn-small btn-approve", onclick: act("approve"), text: t("Approve")}),
        h("button", {type: "button", class: "btn btn-small btn-highlight", text: t("Highlight"),
          onclick: (e) => {
            const on = questionOnProjector(live.state) === id;
            command("question:highlight", {question_id: on ? null : id}, e.currentTarget);
          }}),
        h("button", {type: "button", class: "btn btn-small btn-queue", text: t("Up next"),
          onclick: (e) => toggleQueue(id, e.currentTarget)}),
        h("span", {class: "mq-answer"},
          h("button", {type: "button", class: "btn btn-small btn-answer", text: t("Answered"),
            onclick: (e) => command("question:moderate", {question_id: id, action: "answer",
              answered_by: answeredBy.value ? Number(answeredBy.value) : null}, e.currentTarget)}),
          answeredBy),
        h("button", {type: "button", class: "btn btn-small btn-edit", text: t("Edit"), onclick: () => openEdit(el, id)}),
        h("button", {type: "button", class: "btn btn-small btn-merge", text: t("Merge…"),
          onclick: (e) => showCandidates(id, e.currentTarget)}),
        h("button", {type: "button", class: "btn btn-small btn-archive", onclick: act("archive"), text: t("Archive")}),
        h("button", {type: "button", class: "btn btn-small btn-danger btn-reject", onclick: act("reject"), text: t("Reject")}))),
      h("div", {class: "mq-candidates", hidden: true}));
    const form = el.querySelector(".mq-edit");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const ack = await command("question:edit", {question_id: id, text: form.querySelector("textarea").value},
        form.querySelector("button[type=submit]"));
      if (ack) closeEdit(el, id);
    });
    form.querySelector(".mq-edit-cancel").addEventListener("click", () => closeEdit(el, id));
    el.draggable = true;
    return el;
  }

  function updateQuestion(el, q, state) {
    const highlighted = questionOnProjector(state) === q.id; // on the projector now
    const s = q.status;
    el.classList.toggle("is-highlighted", highlighted);
    el.classList.toggle("is-flagged", !!q.flag);
    el.dataset.status = s;
    el.draggable = s === "approved";
    setText(el.querySelector(".mq-flag"), q.flag ? `⚑ Held for review: ${q.flag}` : "");
    setText(el.querySelector(".mq-text"), q.text);
    setText(el.querySelector(".mq-original"), q.original_text
      ? (q.edit_count === 1 ? t("Edited once; originally: “{text}”", {text: q.original_text}) : t("Edited {n} times; originally: “{text}”", {n: q.edit_count, text: q.original_text})) : "");
    setText(el.querySelector(".mq-name"), q.name || "Anonymous");
    const p = q.panelist_id ? panelist(state, q.panelist_id) : null;
    setText(el.querySelector(".mq-to"), p ? ` → ${shortName(p.name)}` : "");
    el.querySelector(".mq-who").title = `${q.name || "Anonymous"}, to ${p ? p.name : "all the panelists"}`;
    setText(el.querySelector(".mq-theme"), q.theme || "");
    setText(el.querySelector(".mq-votes"), `▲ ${q.votes}`);
    setText(el.querySelector(".mq-time"), hm(q.created_ms));
    const by = q.answered_by ? panelist(state, q.answered_by) : null;
    setText(el.querySelector(".mq-status"), tab === "other" ? STATUS_LABELS[s]
      : s === "answered" && by ? `answered by ${by.name}` : "");
    el.querySelector(".mq-badge").hidden = !highlighted;
    // The row gives way on a narrow console: the whole of it is in the tooltip.
    el.querySelector(".mq-meta").title = [...el.querySelectorAll(".mq-meta > span:not([hidden])")]
      .map((x) => x.textContent).filter(Boolean).join(" · ");
    keyedList(el.querySelector(".mq-merged"), q.merged || [], (m) => m.id,
      () => h("li", {class: "user-text", dir: "auto"}), (li, m) => setText(li, `⇉ “${m.text}”${m.name ? ` (${m.name})` : ""}`));

    const show = (cls, on) => { el.querySelector(cls).hidden = !on; };
    const open = s === "pending" || s === "approved" || s === "answered";
    show(".btn-approve", s !== "approved" && s !== "withdrawn" && s !== "merged");
    setText(el.querySelector(".btn-approve"), s === "pending" ? t("Approve") : s === "rejected" ? t("Approve")
      : s === "archived" ? t("Restore") : t("Reopen"));
    el.querySelector(".btn-approve").classList.toggle("btn-primary", s === "pending");
    show(".btn-highlight", s === "approved" || s === "answered");
    const hl = el.querySelector(".btn-highlight");
    setText(hl, highlighted ? t("Unhighlight") : t("Highlight"));
    setAttr(hl, "aria-pressed", String(highlighted));
    show(".btn-queue", s === "approved");
    const queued = q.queue_position !== null && q.queue_position !== undefined;
    setText(el.querySelector(".btn-queue"), queued ? t("Up next #{n} ✓", {n: q.queue_position}) : t("Up next"));
    setAttr(el.querySelector(".btn-queue"), "aria-pressed", String(queued));
    show(".mq-answer", s === "approved");
    const select = el.querySelector(".mq-by");
    if (select.options.length === 0) {
      select.append(h("option", {value: "", text: t("by —")}),
        ...(state.event.panelists || []).map((x) => h("option", {value: String(x.id), text: t("by {name}", {name: x.name})})));
      select.value = q.panelist_id ? String(q.panelist_id) : "";
    }
    show(".btn-edit", s !== "merged" && s !== "withdrawn");
    show(".btn-merge", s === "pending" || s === "approved");
    show(".btn-archive", s === "approved" || s === "answered");
    show(".btn-reject", open);
    const cands = candidates.get(q.id);
    const box = el.querySelector(".mq-candidates");
    box.hidden = !cands;
    if (cands) renderCandidates(box, q.id, cands);
  }

  async function toggleQueue(id, button) {
    const q = live.state.questions.items.find((x) => x.id === id);
    const queued = q && q.queue_position !== null && q.queue_position !== undefined;
    await command("question:queue", {question_id: id, position: queued ? null : 10_000}, button);
  }

  function openEdit(el, id) {
    const q = live.state.questions.items.find((x) => x.id === id);
    editing.add(id);
    const form = el.querySelector(".mq-edit");
    form.hidden = false;
    el.querySelector(".mq-text").hidden = true;
    const area = form.querySelector("textarea");
    area.value = q ? q.text : "";
    area.focus();
  }

  function closeEdit(el, id) {
    editing.delete(id);
    el.querySelector(".mq-edit").hidden = true;
    el.querySelector(".mq-text").hidden = false;
    el.focus();
  }

  async function showCandidates(id, button) {
    if (candidates.has(id)) {
      candidates.delete(id);
    } else {
      const ack = await command("question:candidates", {question_id: id}, button);
      if (!ack) return;
      candidates.set(id, ack.items);
    }
    if (live.state) render(live.state);
  }

  function renderCandidates(box, id, items) {
    box.replaceChildren(
      h("p", {class: "mq-cand-title", text: items.length
        ? t("Similar questions: merge this one into…") : t("No similar question found.")}),
      ...items.map((c) => h("div", {class: "mq-cand"},
        h("span", {class: "user-text", dir: "auto", text: `“${clip(c.text, 120)}”`}),
        h("span", {class: "mq-cand-meta num", text: t("{status} · ▲ {votes} · {score}% alike", {status: STATUS_LABELS[c.status] || c.status, votes: c.votes, score: c.score})}),
        h("button", {type: "button", class: "btn btn-small", text: t("Merge into this"),
          onclick: async (e) => {
            const ack = await command("question:merge", {question_id: id, into_id: c.id}, e.currentTarget);
            if (ack) candidates.delete(id);
          }}))));
  }

  // ---- keys on a focused question, and Q for "show next" --------------------------------

  list.addEventListener("keydown", (e) => {
    const li = e.target.closest("li.mq");
    if (!li || e.target !== li || e.ctrlKey || e.metaKey || e.altKey) return;
    const click = (cls) => {
      const b = li.querySelector(cls);
      if (b && !b.hidden && !b.closest("[hidden]") && !b.disabled) b.click();
    };
    const keys = {a: ".btn-approve", r: ".btn-reject", d: ".btn-answer", u: ".btn-queue", h: ".btn-highlight",
      e: ".btn-edit", m: ".btn-merge"};
    const k = e.key.toLowerCase();
    if (keys[k]) {
      e.preventDefault();
      e.stopPropagation();
      click(keys[k]);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
      if (next) next.focus();
    }
  });
  document.addEventListener("keydown", (e) => {
    if ((e.key !== "q" && e.key !== "Q") || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const t = e.target;
    if (t instanceof Element && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    e.preventDefault();
    $("#btn-show-next").click();
  });

  // ---- how many fit ---------------------------------------------------------------------

  function tick(state, now) {
    const qs = state.questions;
    if (!qs || !state.run) return;
    const left = qaRemainingMs(state.run, now);
    const per = qs.ms_per_question || 180_000;
    const queued = (qs.queue || []).length;
    const approved = qs.items.filter((q) => q.status === "approved").length;
    const count = queued || approved;
    const fit = questionsThatFit(left, per, count);
    const noQa = !state.run.segments.some((s) => s.kind === "qa");
    if (state.run.status === "ended") { // no time left to fill: a skipped Q&A would still count
      setText($("#q-fit"), "Show ended");
      $("#q-fit").title = "The show has ended: no Q&A time left.";
      return;
    }
    const text = noQa ? t("No Q&A segment in the run of show.")
      : left <= 0 ? t("No Q&A time left.")
        : t("Q&A left {left}: about {n} questions fit", {left: formatClock(left), n: fitInTime(left, per)}) +
          (count ? ` ${queued ? t("({fit} of {count} up next)", {fit, count}) : t("({fit} of {count} approved)", {fit, count})}` : "");
    // Short on the console (one line beside "Up next"), the whole sentence in the tooltip.
    const short = noQa ? t("No Q&A segment") : left <= 0 ? t("No Q&A time left")
      : t("Q&A {left} · ~{n} fit", {left: formatClock(left), n: fitInTime(left, per)}) + (count ? ` ${t("({fit} of {count})", {fit, count})}` : "");
    setText($("#q-fit"), short);
    $("#q-fit").title = text;
  }

  return {render, tick};
}

function clip(text, n) {
  const chars = Array.from(text);
  return chars.length > n ? `${chars.slice(0, n - 1).join("")}…` : text;
}
