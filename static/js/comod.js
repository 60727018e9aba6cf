// Co-moderation on the console: who this console is, who else is connected, the audit trail
// of every moderator action, and the projector preview (the real /screen page, scaled down).
import {$, h, keyedList, setText, store, stored} from "./dom.js";
import {formatTimeOfDay} from "./live.js";
import {lang, said, t, tn} from "./i18n.js";

const ID_KEY = "forum-live.console-id";
const NAME_KEY = "forum-live.console-name";

/**
 * This browser's console id: random, kept in localStorage, so a reload, a reconnect or the link
 * opened again in this browser is the same console (the same "Console N" in the activity log
 * and the presence list); another browser or laptop makes its own. Tabs of one browser are one
 * console. Without storage (disabled), a new id per page load.
 */
function consoleId() {
  let id = stored(ID_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(12)); // randomUUID needs https
    id = `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    store(ID_KEY, id);
  }
  return id;
}

/** The `auth` of /moderator (docs/protocol.md): the console id, the name chosen, if any, and the
 * page's language (the server's refusals in acks come in it). */
/** The event this console runs: `/moderate?event=CODE`, else (null) the server's own. */
export const consoleEvent = new URLSearchParams(window.location.search).get("event");

export function consoleAuth() {
  const name = stored(NAME_KEY);
  const auth = name ? {console: consoleId(), name, lang} : {console: consoleId(), lang};
  if (consoleEvent) auth.event = consoleEvent;
  return auth;
}

/** "Rename": the name this console shows in the activity log (kept in this browser). */
export function initRename(live) {
  $("#btn-rename").addEventListener("click", () => {
    const current = stored(NAME_KEY) || "";
    const name = window.prompt(t("Name this console (shown to the other moderators in the activity log):"), current);
    if (name === null) return;
    store(NAME_KEY, name.trim().slice(0, 40) || null);
    // The name travels in the connection's auth: reconnect to take it.
    live.socket.disconnect();
    live.socket.connect();
  });
}

/** Header counts and the loud warning when no projector is connected. */
export function renderPresence(state) {
  const p = state.presence;
  if (!p) return;
  setText($("#n-projectors"), String(p.projectors));
  setText($("#n-stage"), String(p.stage_views));
  setText($("#n-phones"), String(p.phones));
  setText($("#n-consoles"), String(p.consoles.length));
  // The count is in its own element before the word: the word alone is translated for that count.
  const words = {projectors: (n) => tn("projector", "projectors", n), stage: (n) => tn("stage view", "stage views", n),
    phones: (n) => tn("phone", "phones", n), consoles: (n) => tn("console", "consoles", n)};
  const counts = {projectors: p.projectors, stage: p.stage_views, phones: p.phones, consoles: p.consoles.length};
  for (const [kind, word] of Object.entries(words)) {
    const item = document.querySelector(`.presence-item[data-kind="${kind}"]`);
    setText(item.lastChild, ` ${word(counts[kind])}`);
  }
  const none = p.projectors === 0;
  $("#presence-warn").hidden = !none;
  $("#presence").classList.toggle("is-alarm", none);
  document.querySelector('.presence-item[data-kind="projectors"]').hidden = none;
  $("#preview-alarm").hidden = !none;
  $("#preview").classList.toggle("is-alarm", none);
  const names = p.consoles.map((c) => c.label).join(", ");
  $("#presence").title = `${p.phones} phones, ${p.projectors} projectors, ${p.stage_views} stage views, `
    + `${p.consoles.length} consoles (${names}), ${p.previews} console previews`;
  const me = state.you ? state.you.key : null;
  const others = p.consoles.filter((c) => c.key !== me).map((c) => c.label);
  const withEl = $("#activity-with");
  // Alone, nothing (the header counts the consoles): the narrow column would cut it to "al…".
  setText(withEl, others.length ? t("with {names}", {names: others.join(", ")}) : "");
  withEl.parentElement.title = others.length ? t("Also moderating: {names}", {names: others.join(", ")}) : t("No other console is connected.");
  withEl.classList.toggle("has-others", others.length > 0);
}

/** What an audit entry did, in the console's language (its `said`); an entry stored before the
 * sentences were kept as data has only its English `summary`. */
function sentence(entry) {
  if (entry.said) {
    try {
      return said(entry.said);
    } catch {
      /* an odd stored sentence: the English one below */
    }
  }
  return entry.summary;
}

/** The audit trail, newest first; a colleague's change flashes once when it arrives. */
export function renderActivity(state) {
  if (state.you) setText($("#you-label"), t("You: {label}", {label: state.you.label}));
  const audit = state.audit;
  if (!audit) return;
  const tz = state.event.timezone;
  const me = state.you ? state.you.label : null;
  keyedList($("#activity-list"), audit.entries, (e) => e.seq,
    (e) => h("li", {class: `act${e.actor !== me ? " is-other" : ""}`},
      h("span", {class: "act-time num", text: formatTimeOfDay(e.at_ms, tz, {seconds: true})}),
      h("span", {class: "act-who", text: e.actor}),
      h("span", {class: "act-what", text: sentence(e)})),
    (el, e) => {
      el.dataset.source = e.source;
      el.title = `${e.actor}: ${sentence(e)} (#${e.seq}, ${e.name})`;
    });
  const list = $("#activity-list");
  if (!audit.entries.length && !list.previousElementSibling.classList.contains("act-empty")) {
    list.before(h("p", {class: "empty act-empty", text: t("No moderator action yet. Every change made here, on another console or through the control API is listed.")}));
  } else if (audit.entries.length) {
    list.parentElement.querySelector(".act-empty")?.remove();
  }
}

/** Scale the preview's 1920×1080 page to the width of its frame. */
export function initPreview() {
  const frame = $("#preview-frame");
  const iframe = $("#preview-iframe");
  const fit = () => {
    const scale = frame.clientWidth / 1920;
    iframe.style.transform = `scale(${scale})`;
  };
  new ResizeObserver(fit).observe(frame);
  fit();
}
