// Small DOM helpers shared by every page. User text always goes in through textContent.
import {t} from "./i18n.js";

/** Create an element: h("li", {class: "q", dataset: {id: 3}, onclick: fn}, "text", childEl). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.startsWith("--")) el.style.setProperty(prop, v); // custom properties need setProperty
        else el.style[prop] = v;
      }
    }
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** First element matching a selector (throws when a template lost an id: fail loudly). */
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`forum-live: missing element ${selector}`);
  return el;
}

/** Set textContent only when it changes (cheap to call on every animation frame). */
export function setText(el, text) {
  const value = text === null || text === undefined ? "" : String(text);
  if (el.textContent !== value) el.textContent = value;
}

/** Toggle a boolean attribute / aria-pressed style state only when it changes. */
export function setAttr(el, name, value) {
  const v = value === null || value === undefined || value === false ? null : String(value === true ? "" : value);
  if (el.getAttribute(name) !== v) {
    if (v === null) el.removeAttribute(name);
    else el.setAttribute(name, v);
  }
}

/**
 * Keyed list update: keeps one element per key, creates the missing, removes the gone, and
 * moves the rest into order without rebuilding them (focus and scroll position survive).
 */
export function keyedList(container, items, keyOf, create, update) {
  const old = new Map();
  for (const child of container.children) {
    if (child.dataset.key !== undefined) old.set(child.dataset.key, child);
  }
  const active = document.activeElement;
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    let el = old.get(key);
    if (el) old.delete(key);
    else {
      el = create(item);
      el.dataset.key = key;
    }
    update(el, item);
    if (el !== cursor) container.insertBefore(el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const el of old.values()) el.remove();
  // Moving a node can drop focus in some browsers: put it back.
  if (active && active !== document.activeElement && container.contains(active)) active.focus({preventScroll: true});
}

/**
 * Shrink an element's font until its content fits (long questions on the projector).
 * `max` and `min` are CSS pixel sizes. With `box`, the element grows freely and must fit in
 * `box`; without, the element's own box is the limit and its content must not overflow it.
 */
export function fitText(el, {max, min = 12, step = 0.92, box = null} = {}) {
  let size = max;
  el.style.fontSize = `${size}px`;
  const fits = () => (box
    ? el.offsetHeight <= box.clientHeight && el.scrollWidth <= box.clientWidth + 1
    : el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1);
  for (let i = 0; i < 60 && size > min && !fits(); i++) {
    size = Math.max(min, size * step);
    el.style.fontSize = `${size}px`;
  }
  return size;
}

/**
 * Tell screen readers that something changed (WCAG 4.1.3 Status Messages): one polite live region
 * per page, created empty at page load by connectLive (a region added together with its text is often
 * not read). The text is set on the next task so the same message twice is read twice.
 */
export function announce(message = "") {
  let box = document.getElementById("announcer");
  if (!box) {
    box = h("div", {id: "announcer", class: "visually-hidden", role: "status", "aria-live": "polite"});
    document.body.append(box);
  }
  box.textContent = "";
  if (message) setTimeout(() => { box.textContent = message; }, 30);
  return box;
}

/** A visible message for ack errors and confirmations (role=alert for errors). */
export function toast(message, {kind = "error", ms = 6000} = {}) {
  let box = document.getElementById("toasts");
  if (!box) {
    box = h("div", {id: "toasts", class: "toasts", "aria-live": "polite"});
    document.body.append(box);
  }
  const el = h("div", {class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status"},
    h("span", {class: "toast-text", text: message}),
    h("button", {type: "button", class: "toast-close", "aria-label": t("Dismiss"), text: "×",
      onclick: () => el.remove()}));
  box.append(el);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(() => el.remove(), ms);
  return el;
}

/** Read localStorage without throwing (Safari private mode, disabled storage). */
export function stored(key, fallback = null) {
  try {
    const v = window.localStorage.getItem(key);
    return v === null ? fallback : v;
  } catch {
    return fallback;
  }
}

/** Write localStorage without throwing; null removes the key. */
export function store(key, value) {
  try {
    if (value === null || value === undefined) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* storage unavailable: the page still works for this visit */
  }
}

/** A random id for client_id: crypto.randomUUID where available (needs a secure context). */
export function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    try {
      return window.crypto.randomUUID();
    } catch {
      /* not a secure context: fall through */
    }
  }
  const bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Length in characters as the server counts them (code points), after trimming. */
export function charCount(text) {
  return Array.from(text.trim()).length;
}


/**
 * For full-screen displays (projector, stage view): F or a double click toggles full screen,
 * and the mouse pointer hides after 3 s of stillness (``hide-cursor`` on ``body``).
 */
export function fullscreenDisplay(body) {
  const toggle = () => {
    if (document.fullscreenElement) document.exitFullscreen?.();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  };
  document.addEventListener("dblclick", toggle);
  document.addEventListener("keydown", (e) => {
    if ((e.key === "f" || e.key === "F") && !e.ctrlKey && !e.metaKey && !e.altKey) toggle();
  });
  let idleTimer = 0;
  document.addEventListener("mousemove", () => {
    body.classList.remove("hide-cursor");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => body.classList.add("hide-cursor"), 3000);
  });
}

/** True while the keyboard is typing into a field (shortcut keys must then do nothing). */
export function isTyping(target) {
  if (!target || !(target instanceof Element)) return false;
  // A field of a closed <dialog> is hidden: a key that still lands there (focus not yet handed
  // back) is a shortcut, not typing.
  if (target.closest("dialog:not([open])")) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target.getAttribute("type") || "text").toLowerCase();
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(type);
  }
  return false;
}
