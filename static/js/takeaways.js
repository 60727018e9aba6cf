// Takeaways, on the rapporteur's page and in the console's dialog: a text box always ready
// (Enter saves, Shift+Enter a new line), tags prefilled from what is on air and changeable, "for
// the summary", and the list with edit, re-tag, delete (confirmed). New takeaways go through an
// outbox (outbox.js): written while disconnected, they wait and are sent exactly once.
import {$, charCount, h, keyedList, setText, toast} from "./dom.js";
import {formatTimeOfDay} from "./live.js";
import {createOutbox} from "./outbox.js";
import {t} from "./i18n.js";

const TAGS = ["segment_id", "panelist_id", "key_question_id"];

/**
 * The tags a takeaway written now gets: the segment on air, the panelist with the floor
 * (run.airtime.speaking_id: the server's "now speaking", else the segment's panelist) and the
 * segment's key question; nothing before or after the show (docs/protocol.md, `takeaway:add`).
 */
export function onAirTags(state) {
  const run = state && state.run;
  const seg = run && run.status === "live" ? run.segments.find((s) => s.id === run.current_segment_id) : null;
  if (!seg) return {segment_id: null, panelist_id: null, key_question_id: null};
  const speaking = run.airtime ? run.airtime.speaking_id : seg.panelist_id;
  return {segment_id: seg.id, panelist_id: speaking ?? null, key_question_id: seg.key_question_id ?? null};
}

/** "Prof Phudit Tejavivaddhana" -> "Tejavivaddhana" (titles dropped, the surname kept). */
export function shortName(name) {
  const parts = name.split(/\s+/).filter((w) => !/^(mr|ms|mrs|dr|prof)\.?$/i.test(w));
  return parts.length > 1 ? parts.slice(1).join(" ") : parts.join(" ") || name;
}

function clip(text, n) {
  const chars = Array.from(text);
  return chars.length > n ? `${chars.slice(0, n - 1).join("")}…` : text;
}

/** The options of the three tag pickers, from the snapshot's event and run of show. */
function tagOptions(state) {
  const panelists = state.event.panelists || [];
  const name = (id) => (panelists.find((p) => p.id === id) || {}).name;
  return {
    segment_id: [{value: "", text: t("No segment")}, ...state.run.segments.map((s, i) => ({
      value: String(s.id), text: `${i + 1}. ${clip(s.title, 44)}${s.panelist_id ? ` · ${shortName(name(s.panelist_id) || "")}` : ""}`}))],
    panelist_id: [{value: "", text: t("No speaker")}, ...panelists.map((p) => ({value: String(p.id), text: p.name}))],
    key_question_id: [{value: "", text: t("No key question")}, ...(state.event.key_questions || []).map((k) => ({
      value: String(k.id), text: t("Key question {n}: {text}", {n: k.number, text: clip(k.text, 48)})}))],
  };
}

function fillSelect(select, options) {
  const key = options.map((o) => `${o.value}=${o.text}`).join("|");
  if (select.dataset.options === key) return;
  const value = select.value;
  select.replaceChildren(...options.map((o) => h("option", {value: o.value, text: o.text})));
  select.dataset.options = key;
  select.value = options.some((o) => o.value === value) ? value : "";
}

const idOf = (value) => (value === "" ? null : Number(value));
const valueOf = (id) => (id === null || id === undefined ? "" : String(id));

/**
 * Wire the takeaway box and list inside `root` (the markup of _macros.html takeaway_box).
 *
 * live       the live connection (its state has `event`, `run` and `takeaways`)
 * outboxKey  localStorage key of this page's outbox (one per page kind and event)
 * Returns {render(state, part), focus(), cancelEdit() -> bool (true: an edit was open)}.
 */
export function setupTakeaways({live, root, outboxKey}) {
  const form = $(".tk-form", root);
  const text = $(".tk-text", form);
  // The server's limit, given by the page (templates: text_limits): the box's maxlength too.
  const TAKEAWAY_MAX = Number(text.dataset.maxChars) || 500;
  const summary = $(".tk-summary", form);
  const error = $(".tk-error", form);
  const follow = $(".tk-follow", form);
  const pickers = {segment_id: $(".tk-segment", form), panelist_id: $(".tk-panelist", form),
    key_question_id: $(".tk-kq", form)};
  const list = $(".tk-list", root);
  const empty = $(".tk-empty", root);
  // Tags chosen by hand no longer follow the air, until the takeaway is saved (or "↺ On air").
  let pinned = false;
  const editing = new Set(); // takeaway ids with the editor open
  const confirming = new Set(); // takeaway ids asking "delete?"

  const outbox = createOutbox({
    key: outboxKey,
    live,
    onChange: () => live.state && renderList(live.state),
    onFailed: (item, err) => {
      // Refused for good (bad text): give the words back to fix and send again.
      if (!text.value.trim()) {
        text.value = item.payload.text;
        updateCount();
      }
      showError(err.message);
    },
  });

  // ---- the box ----------------------------------------------------------------------------

  function updateCount() {
    const n = charCount(text.value);
    const counter = $(".tk-count", form);
    setText(counter, `${n} / ${TAKEAWAY_MAX}`);
    counter.classList.toggle("is-over", n > TAKEAWAY_MAX);
  }

  function showError(message) {
    error.hidden = !message;
    setText(error, message || "");
  }

  function syncTags(state) {
    for (const [name, select] of Object.entries(pickers)) fillSelect(select, tagOptions(state)[name]);
    follow.hidden = !pinned;
    root.classList.toggle("is-pinned", pinned);
    if (pinned) return;
    const tags = onAirTags(state);
    for (const name of TAGS) pickers[name].value = valueOf(tags[name]);
  }

  // True from a save until the box is typed in again: a second click of a double click (or a
  // second Enter) then finds the box the first one emptied, and must not say "write it first".
  let justSaved = false;

  function save() {
    const n = charCount(text.value);
    if (n === 0 && justSaved) return null;
    if (n === 0) return showError(t("Write the takeaway first."));
    if (n > TAKEAWAY_MAX) return showError(t("A takeaway holds at most {max} characters (this one {n}).", {max: TAKEAWAY_MAX, n}));
    const payload = {text: text.value, for_summary: summary.checked};
    for (const name of TAGS) payload[name] = idOf(pickers[name].value);
    outbox.addTakeaway(payload); // the tags are the ones shown now, even if it is sent later
    justSaved = true;
    text.value = "";
    summary.checked = false;
    pinned = false;
    showError("");
    updateCount();
    if (live.state) syncTags(live.state);
    text.focus();
    return null;
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    save();
  });
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      save();
    }
  });
  text.addEventListener("input", () => {
    justSaved = false;
    updateCount();
    if (!error.hidden) showError("");
  });
  for (const select of Object.values(pickers)) {
    select.addEventListener("change", () => {
      pinned = true;
      if (live.state) syncTags(live.state);
    });
  }
  follow.addEventListener("click", () => {
    pinned = false;
    if (live.state) syncTags(live.state);
    text.focus();
  });
  updateCount();

  // ---- the list ---------------------------------------------------------------------------

  async function send(event, payload, button = null) {
    if (button) {
      if (button.classList.contains("is-busy")) return null;
      button.classList.add("is-busy");
    }
    try {
      return await live.emit(event, payload, {versioned: false});
    } catch (err) {
      toast(err.message);
      return null;
    } finally {
      if (button) button.classList.remove("is-busy");
    }
  }

  function chips(state, item) {
    const seg = item.segment_id ? state.run.segments.find((s) => s.id === item.segment_id) : null;
    const p = item.panelist_id ? (state.event.panelists || []).find((x) => x.id === item.panelist_id) : null;
    const kq = item.key_question_id ? (state.event.key_questions || []).find((k) => k.id === item.key_question_id) : null;
    const out = [];
    if (seg) out.push(h("span", {class: "tk-chip tk-chip-seg", title: seg.title, text: clip(seg.title, 28)}));
    if (p) out.push(h("span", {class: "tk-chip tk-chip-who", title: p.name, text: shortName(p.name)}));
    if (kq) out.push(h("span", {class: "tk-chip tk-chip-kq", title: kq.text, text: t("KQ {n}", {n: kq.number})}));
    if (!out.length) out.push(h("span", {class: "tk-chip tk-chip-none", text: t("untagged")}));
    return out;
  }

  function createItem(item) {
    if (item.queued) {
      return h("li", {class: "tk-item is-queued"},
        h("div", {class: "tk-meta"}, h("span", {class: "tk-state"})),
        h("p", {class: "tk-itext user-text", dir: "auto"}));
    }
    const li = h("li", {class: "tk-item", tabindex: "0"},
      h("div", {class: "tk-meta"},
        h("span", {class: "tk-time num"}), h("span", {class: "tk-author"}), h("span", {class: "tk-chips"}),
        h("span", {class: "tk-edited"})),
      h("p", {class: "tk-itext user-text", dir: "auto"}),
      h("div", {class: "tk-actions"},
        h("label", {class: "tk-check tk-check-small"}, h("input", {type: "checkbox", class: "tk-item-summary"}),
          ` ${t("For the summary")}`),
        h("button", {type: "button", class: "btn btn-small tk-edit", title: t("Edit the text or the tags (E)"), text: t("Edit")}),
        h("button", {type: "button", class: "btn btn-small btn-danger tk-delete", title: t("Delete (Del)"), text: t("Delete")})),
      h("div", {class: "tk-confirm", role: "group", hidden: true},
        h("span", {class: "tk-confirm-q", text: t("Delete this takeaway?")}),
        h("button", {type: "button", class: "btn btn-small btn-danger-solid tk-confirm-yes", text: t("Delete")}),
        h("button", {type: "button", class: "btn btn-small tk-confirm-no", text: t("Keep")})));
    const id = item.id;
    li.querySelector(".tk-item-summary").addEventListener("change", async (e) => {
      const box = e.currentTarget;
      const ack = await send("takeaway:edit", {takeaway_id: id, for_summary: box.checked});
      if (!ack) box.checked = !box.checked;
    });
    li.querySelector(".tk-edit").addEventListener("click", () => openEditor(id));
    li.querySelector(".tk-delete").addEventListener("click", () => askDelete(id));
    li.querySelector(".tk-confirm-no").addEventListener("click", () => {
      confirming.delete(id);
      rerender();
      li.querySelector(".tk-delete").focus();
    });
    li.querySelector(".tk-confirm-yes").addEventListener("click", async (e) => {
      const ack = await send("takeaway:delete", {takeaway_id: id}, e.currentTarget);
      if (ack) {
        confirming.delete(id);
        text.focus(); // the item is gone: back to the box, ready for the next one
      }
    });
    li.addEventListener("keydown", (e) => {
      if (e.target !== li || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k === "e") openEditor(id);
      else if (e.key === "Delete" || e.key === "Backspace") askDelete(id);
      else if (k === "s") li.querySelector(".tk-item-summary").click();
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        const next = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
        if (next && next.tabIndex >= 0) next.focus();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
    return li;
  }

  function updateItem(li, item, state) {
    if (item.queued) {
      setText(li.querySelector(".tk-state"), item.sending ? t("Sending…") : t("Not sent yet: it is sent when the connection is back"));
      setText(li.querySelector(".tk-itext"), item.payload.text.trim());
      return;
    }
    const tz = state.event.timezone;
    setText(li.querySelector(".tk-time"), formatTimeOfDay(item.created_ms, tz));
    setText(li.querySelector(".tk-author"), item.author);
    li.querySelector(".tk-chips").replaceChildren(...chips(state, item));
    const edited = li.querySelector(".tk-edited");
    setText(edited, item.edited_ms ? t("edited") : "");
    edited.title = item.edited_ms ? t("Edited at {time}", {time: formatTimeOfDay(item.edited_ms, tz, {seconds: true})}) : "";
    setText(li.querySelector(".tk-itext"), item.text);
    li.classList.toggle("is-summary", item.for_summary);
    const box = li.querySelector(".tk-item-summary");
    if (box.checked !== item.for_summary) box.checked = item.for_summary;
    li.setAttribute("aria-label", item.for_summary
      ? t("Takeaway by {author}, for the summary: {text}", {author: item.author, text: clip(item.text, 80)})
      : t("Takeaway by {author}: {text}", {author: item.author, text: clip(item.text, 80)}));
    li.querySelector(".tk-confirm").hidden = !confirming.has(item.id);
    li.querySelector(".tk-actions").hidden = confirming.has(item.id) || editing.has(item.id);
    const editor = li.querySelector(".tk-editor");
    if (editing.has(item.id) && !editor) li.append(buildEditor(item, state));
    if (!editing.has(item.id) && editor) editor.remove();
    li.querySelector(".tk-itext").hidden = editing.has(item.id);
  }

  function buildEditor(item, state) {
    const area = h("textarea", {class: "tk-text user-text", rows: "3", maxlength: String(TAKEAWAY_MAX), dir: "auto",
      "aria-label": t("Takeaway text")});
    area.value = item.text;
    const options = tagOptions(state);
    const selects = {};
    const labels = {segment_id: t("Segment"), panelist_id: t("Speaker"), key_question_id: t("Key question")};
    const tags = TAGS.map((name) => {
      selects[name] = h("select", {class: `tk-edit-${name}`});
      fillSelect(selects[name], options[name]);
      selects[name].value = valueOf(item[name]);
      return h("label", {class: "tk-tag"}, `${labels[name]} `, selects[name]);
    });
    const saveBtn = h("button", {type: "submit", class: "btn btn-small btn-primary", text: t("Save")});
    const cancel = h("button", {type: "button", class: "btn btn-small", text: t("Cancel")});
    const editor = h("form", {class: "tk-editor", novalidate: true},
      area, h("div", {class: "tk-tags"}, ...tags), h("div", {class: "tk-row"}, saveBtn, cancel,
        h("span", {class: "tk-hint", text: t("Enter saves · Esc cancels")})));
    const commit = async () => {
      const payload = {takeaway_id: item.id, text: area.value};
      for (const name of TAGS) payload[name] = idOf(selects[name].value);
      const ack = await send("takeaway:edit", payload, saveBtn);
      if (ack) closeEditor(item.id);
    };
    editor.addEventListener("submit", (e) => {
      e.preventDefault();
      commit();
    });
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        commit();
      }
    });
    editor.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        closeEditor(item.id);
      }
    });
    cancel.addEventListener("click", () => closeEditor(item.id));
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    });
    return editor;
  }

  function itemEl(id) {
    return list.querySelector(`.tk-item[data-key="${id}"]`);
  }

  function openEditor(id) {
    confirming.delete(id);
    editing.add(id);
    rerender();
  }

  function closeEditor(id) {
    editing.delete(id);
    rerender();
    const li = itemEl(id);
    if (li) li.focus();
  }

  function askDelete(id) {
    editing.delete(id);
    confirming.add(id);
    rerender();
    const li = itemEl(id);
    if (li) li.querySelector(".tk-confirm-no").focus();
  }

  function rerender() {
    if (live.state) renderList(live.state);
  }

  function renderList(state) {
    const saved = state.takeaways || [];
    const ids = new Set(saved.map((t) => t.id));
    for (const set of [editing, confirming]) for (const id of [...set]) if (!ids.has(id)) set.delete(id);
    const queued = outbox.items.filter((i) => i.kind === "takeaway").reverse()
      .map((i) => ({queued: true, key: `q-${i.id}`, payload: i.payload, sending: i.sending}));
    const items = [...queued, ...saved];
    keyedList(list, items, (t) => (t.queued ? t.key : t.id), createItem, (li, t) => updateItem(li, t, state));
    empty.hidden = items.length > 0;
    setText($(".tk-total", root), saved.length ? `(${saved.length})` : "");
  }

  function render(state, part) {
    const all = part === "state" || part === "refresh";
    if (all || part === "run") syncTags(state);
    if (all || part === "takeaways" || part === "run") renderList(state);
  }

  return {
    render,
    /** Put the cursor in the text box (the console's T key, the page's load). */
    focus() {
      text.focus();
    },
    /** Close an open editor or delete question (Esc in the console's dialog); true if one was. */
    cancelEdit() {
      const open = editing.size || confirming.size;
      editing.clear();
      confirming.clear();
      rerender();
      return open > 0;
    },
    outbox,
  };
}
