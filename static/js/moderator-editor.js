// The event editor (/moderate/edit): the event, panelists, run of show and key questions, edited
// through the console's socket actions (docs/protocol.md, "The event editor"): each Save is
// versioned and audited like a console command and shows at once on every screen. The rules
// are the server's (the event file's); a refused field's message is shown next to it.
import {$, announce, h} from "./dom.js";
import {t} from "./i18n.js";
import {connectLive} from "./live.js";
import {consoleAuth} from "./comod.js";

const KINDS = {opening: t("Opening"), panelist: t("Panelist"), discussion: t("Discussion"), qa: t("Q&A"),
  poll: t("Poll"), closing: t("Closing")};
const STATES = {"on-air": t("On air"), done: t("Has run"), skipped: t("Skipped"), "to-come": ""};

const live = connectLive({
  namespace: "/moderator",
  auth: consoleAuth, // the same console as this browser's console tab, in the activity log
  indicator: $("#indicator-slot"),
  offline: "reject",
  versioned: true, // a colleague's change since this page's last view makes a Save stale
  onRender,
});
window.forumLive = live; // for browser tests

let view = null;
let loading = false;
let again = false;
let nextFocus = null; // after an add: the add form's first field, for the next one

function onRender(state, part) {
  if (part === "state" || part === "event" || part === "run") reload();
}

/** Ask for the editor's view (editor:load, a read) and draw it; one request at a time. */
async function reload() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const ack = await live.emit("editor:load", {}, {versioned: false});
    view = ack.editor;
    render();
  } catch (err) {
    say(err.message);
  } finally {
    loading = false;
    if (again) {
      again = false;
      reload();
    }
  }
}

function say(message) {
  $("#ed-status").textContent = message;
}

// ---- fields and forms -----------------------------------------------------------------------

/** One labelled field with its error line: `desc` {name, label, type, options, ...}. */
function field(formId, desc, value) {
  const id = `${formId}-${desc.name}`;
  const attrs = {id, name: desc.name, "aria-describedby": `${id}-error`};
  let input;
  if (desc.type === "textarea" || desc.type === "lines") {
    input = h("textarea", {...attrs, rows: desc.rows || 2});
    input.value = desc.type === "lines" ? (value || []).join("\n") : value ?? "";
  } else if (desc.type === "select") {
    input = h("select", attrs, desc.options.map(([v, label]) => h("option", {value: v, text: label})));
    input.value = value === null || value === undefined ? "" : String(value);
  } else if (desc.type === "checkbox") {
    input = h("input", {...attrs, type: "checkbox"});
    input.checked = !!value;
  } else {
    input = h("input", {...attrs, type: desc.type || "text", step: desc.step, min: desc.min, list: desc.list,
      autocomplete: "off"});
    input.value = value ?? "";
  }
  const label = h("label", {for: id, text: desc.label});
  const error = h("p", {class: "field-error", id: `${id}-error`, dataset: {errorFor: desc.name}, hidden: true});
  const parts = desc.type === "checkbox" ? [input, label, error] : [label, input, error];
  return h("div", {class: `ed-field ed-field-${desc.type || "text"} ed-f-${desc.name}`}, parts);
}

/** What a form's fields say, as a payload (numbers and ids as numbers, "" as null). */
function readForm(form, descs) {
  const out = {};
  for (const desc of descs) {
    const input = form.elements[desc.name];
    if (desc.type === "checkbox") out[desc.name] = input.checked;
    else if (desc.type === "lines") out[desc.name] = input.value.split("\n").map((s) => s.trim()).filter(Boolean);
    else if (desc.type === "number") out[desc.name] = input.value.trim() === "" ? null : Number(input.value);
    else if (desc.id) out[desc.name] = input.value === "" ? null : Number(input.value);
    else if (desc.type === "datetime-local") out[desc.name] = input.value || null;
    else out[desc.name] = input.value;
  }
  return out;
}

function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * A field's refusal in the page's language: the server's messages are the event file's rules
 * in English (pydantic's words); the common ones are said here, any other is shown as sent.
 */
const FIELD_MESSAGES = [
  [/^String should have at least 1 character$|^Input should be a valid string$|^a date and time is needed$/,
    () => t("Required.")],
  [/^String should have at least (\d+) characters$/, (n) => t("At least {n} characters.", {n})],
  [/^String should have at most (\d+) characters?$/, (n) => t("At most {n} characters.", {n})],
  [/^Input should be greater than (\d+(?:\.\d+)?)$/, (n) => t("More than {n}, please.", {n})],
  [/^Input should be less than or equal to (\d+(?:\.\d+)?)$/, (n) => t("At most {n}.", {n})],
  [/^Input should be a valid number/, () => t("A number, please.")],
  [/^unknown time zone/, () => t("Unknown time zone: use a name such as Asia/Bangkok or Europe/Paris.")],
  [/^a date and time, as/, () => t("A date and a time, please.")],
  [/^booked_end must be after start$/, () => t("The booked slot must end after the start.")],
  [/^not one of this event's$/, () => t("Not one of this event's: reload the page.")],
  [/^this segment has run$/, () => t("This segment has run: its length stays, for the report.")],
  [/^An adjustment is a non-zero number of ms within one hour/, () => t("On air, at most one hour more or less at a time.")],
];

function fieldMessage(message) {
  for (const [pattern, say] of FIELD_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return say(...m.slice(1));
  }
  return message;
}

/** Show a refusal: each field's message next to it, anything else on the form's own line. */
function showErrors(form, err) {
  clearErrors(form);
  const fields = (err.ack && err.ack.fields) || {};
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const [base, index] = name.split(".");
    const line = form.querySelector(`[data-error-for="${base}"]`) || form.querySelector('[data-error-for="(form)"]');
    const said = fieldMessage(message);
    line.textContent = index === undefined ? said : t("Line {n}: {message}", {n: Number(index) + 1, message: said});
    line.hidden = false;
    const input = form.elements[base];
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first = first || input;
    }
  }
  if (!Object.keys(fields).length || !first) {
    const line = form.querySelector('[data-error-for="(form)"]');
    line.textContent = err.code === "stale_state"
      ? `${err.message} ${t("The page now shows their change; press Save again to keep yours.")}` : err.message;
    line.hidden = false;
  }
  if (first) first.focus();
  announce(err.message);
}

/**
 * A form: `descs` its fields with `values`; `save(payload)` returns the emit's promise;
 * `buttons` extra actions [{label, action, onClick}]. A form the user has typed in is "dirty":
 * a broadcast redraws the page around it and keeps what was typed.
 */
function makeForm(key, descs, values, {submitLabel = t("Save"), save, buttons = [], note = null}) {
  const form = h("form", {class: "ed-form", dataset: {key}, novalidate: true});
  form.append(...descs.map((d) => field(`f-${key}`, d, values[d.name])));
  const actions = h("div", {class: "ed-actions"},
    h("button", {type: "submit", class: "btn btn-primary btn-small", dataset: {action: "save"}, text: submitLabel}),
    buttons.map((b) => h("button", {type: "button", class: `btn btn-small ${b.danger ? "btn-danger" : ""}`,
      dataset: {action: b.action}, text: b.label, "aria-label": b.ariaLabel,
      onclick: () => run(form, b.onClick)})),
    note ? h("span", {class: "ed-note", text: note}) : null);
  form.append(actions, h("p", {class: "field-error form-error", dataset: {errorFor: "(form)"}, role: "alert",
    hidden: true}));
  form.addEventListener("input", () => { form.dataset.dirty = "true"; });
  form.addEventListener("change", () => { form.dataset.dirty = "true"; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run(form, () => save(readForm(form, descs)), true);
  });
  return form;
}

/** Run one of a form's actions; on success the form is clean again and the page redrawn. */
async function run(form, action, isSave = false) {
  if (form.classList.contains("is-busy")) return;
  form.classList.add("is-busy");
  clearErrors(form);
  try {
    const result = await action();
    if (result === null) return; // cancelled
    delete form.dataset.dirty; // the redraw replaces it with what the server now holds
    if (isSave && form.dataset.add === "true") nextFocus = {key: form.dataset.key, name: form.elements[0].name};
    say(t("Saved."));
    reload();
  } catch (err) {
    showErrors(form, err);
    if (err.code === "stale_state") reload();
  } finally {
    form.classList.remove("is-busy");
  }
}

const edit = (event, payload) => live.emit(event, payload);

function confirmed(question, action) {
  return () => (window.confirm(question) ? action() : Promise.resolve(null));
}

// ---- the sections -----------------------------------------------------------------------------

const EVENT_FIELDS = () => [
  {name: "title", label: t("Title")}, {name: "subtitle", label: t("Subtitle")},
  {name: "venue", label: t("Venue")},
  {name: "timezone", label: t("Time zone"), list: "ed-zones"},
  {name: "start", label: t("Start (local time)"), type: "datetime-local"},
  {name: "booked_end", label: t("End of the booked slot (local time)"), type: "datetime-local"},
  {name: "moderator_name", label: t("Moderator")}, {name: "moderator_title", label: t("Moderator's title")},
  {name: "organisers", label: t("Organisers (one a line)"), type: "lines", rows: 3},
  {name: "themes", label: t("Themes (one a line)"), type: "lines", rows: 4},
  {name: "screen_language", label: t("Language of the projector and stage view"), type: "select",
    options: [["en", "English"], ["fr", "Français"], ["es", "Español"]]},
];

const PANELIST_FIELDS = () => [
  {name: "name", label: t("Name")}, {name: "role", label: t("Role")},
  {name: "organisation", label: t("Organisation")}, {name: "talk_title", label: t("Talk title")},
];

function segmentFields() {
  const none = [["", t("None")]];
  return [
    {name: "title", label: t("Title")},
    {name: "kind", label: t("Kind"), type: "select", options: Object.entries(KINDS)},
    {name: "minutes", label: t("Length (min)"), type: "number", step: "any", min: "0"},
    {name: "panelist_id", label: t("Speaker"), type: "select", id: true,
      options: [...none, ...view.panelists.map((p) => [String(p.id), p.name])]},
    {name: "key_question_id", label: t("Key question"), type: "select", id: true,
      options: [...none, ...view.key_questions.map((k) => [String(k.id), `${k.number}. ${clip(k.text, 60)}`])]},
    {name: "auto_advance", label: t("Auto-advance"), type: "checkbox"},
    {name: "skip", label: t("Skip"), type: "checkbox"},
    {name: "notes", label: t("Notes"), type: "textarea"},
  ];
}

const KQ_FIELDS = () => [
  {name: "text", label: t("Key question"), type: "textarea"},
  {name: "prompts", label: t("Sub-questions (one a line)"), type: "lines", rows: 3},
];

const clip = (text, n) => (text.length <= n ? text : `${text.slice(0, n - 1)}…`);

function moves(event, idKey, id, position) {
  return [
    {label: "↑", action: "up", ariaLabel: t("Move up"), onClick: () => edit(event, {[idKey]: id, position: position - 1})},
    {label: "↓", action: "down", ariaLabel: t("Move down"), onClick: () => edit(event, {[idKey]: id, position: position + 1})},
  ];
}

function addForm(key, descs, values, label, save) {
  const form = makeForm(key, descs, values, {submitLabel: label, save});
  form.dataset.add = "true";
  return form;
}

function render() {
  if (!view) return;
  $("#ed-title").textContent = view.event.title;
  const focus = nextFocus || rememberFocus();
  nextFocus = null;
  keep($("#ed-event"), [["event", () => makeForm("event", EVENT_FIELDS(), view.event,
    {save: (p) => edit("event:edit", p)})]]);
  keep($("#ed-panelists"), view.panelists.map((p, i) => [`p-${p.id}`, () => h("li", {class: "ed-item"},
    makeForm(`p-${p.id}`, PANELIST_FIELDS(), p, {
      save: (payload) => edit("panelist:update", {panelist_id: p.id, ...payload}),
      buttons: [...moves("panelist:move", "panelist_id", p.id, i),
        {label: t("Remove"), action: "remove", danger: true,
          onClick: confirmed(t("Remove {name} from the panel?", {name: p.name}),
            () => edit("panelist:remove", {panelist_id: p.id}))}],
    }))]));
  keep($("#ed-panelist-add"), [["p-add", () => addForm("p-add", PANELIST_FIELDS(), {}, t("Add panelist"),
    (p) => edit("panelist:add", p))]]);
  keep($("#ed-segments"), view.segments.map((s) => [`s-${s.id}-${s.state}`, () => h("li",
    {class: "ed-item ed-segment", dataset: {state: s.state}},
    makeForm(`s-${s.id}`, segmentFields(), s, {
      save: (payload) => edit("segment:update", {segment_id: s.id, ...payload}),
      note: STATES[s.state] || null,
      buttons: [...moves("segment:move", "segment_id", s.id, s.position),
        {label: t("Remove"), action: "remove", danger: true,
          onClick: confirmed(t("Remove the segment “{title}”?", {title: s.title}),
            () => edit("segment:remove", {segment_id: s.id}))}],
    }))]));
  keep($("#ed-segment-add"), [["s-add", () => addForm("s-add", segmentFields(), {kind: "panelist", minutes: 10},
    t("Add segment"), (p) => edit("segment:add", p))]]);
  keep($("#ed-kqs"), view.key_questions.map((k) => [`k-${k.id}`, () => h("li", {class: "ed-item"},
    makeForm(`k-${k.id}`, KQ_FIELDS(), k, {
      save: (payload) => edit("key-question:update", {key_question_id: k.id, ...payload}),
      buttons: [{label: t("Remove"), action: "remove", danger: true,
        onClick: confirmed(t("Remove key question {n}?", {n: k.number}),
          () => edit("key-question:remove", {key_question_id: k.id}))}],
    }))]));
  keep($("#ed-kq-add"), [["k-add", () => addForm("k-add", KQ_FIELDS(), {}, t("Add key question"),
    (p) => edit("key-question:add", p))]]);
  restoreFocus(focus);
}

/** Redraw `container` with `items` ([key, build]), keeping the forms being typed in (dirty) as they are. */
function keep(container, items) {
  const old = new Map([...container.children].map((el) => [el.dataset.rowKey, el]));
  container.replaceChildren(...items.map(([key, build]) => {
    const before = old.get(key);
    const form = before && (before.matches("form") ? before : before.querySelector("form"));
    if (form && form.dataset.dirty === "true") return before;
    const el = build();
    el.dataset.rowKey = key;
    return el;
  }));
}

function rememberFocus() {
  const el = document.activeElement;
  const form = el && el.closest ? el.closest("form[data-key]") : null;
  if (!form) return null;
  return {key: form.dataset.key, name: el.name || null, action: el.dataset.action || null};
}

function restoreFocus(focus) {
  if (!focus) return;
  const form = document.querySelector(`form[data-key="${focus.key}"]`);
  if (!form || form.contains(document.activeElement)) return;
  const el = (focus.name && form.elements[focus.name]) || form.querySelector(`[data-action="${focus.action}"]`);
  if (el) el.focus();
}

// Time zone names for the time zone field's suggestions (the server checks the name).
if (typeof Intl.supportedValuesOf === "function") {
  document.body.append(h("datalist", {id: "ed-zones"},
    Intl.supportedValuesOf("timeZone").map((z) => h("option", {value: z}))));
}
