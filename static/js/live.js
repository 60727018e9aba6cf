// The live connection shared by the audience, moderator and projector pages.
//
// One Socket.IO connection per page (reconnecting forever), a copy of the server's `state`
// kept part by part, a clock offset measured with `clock:ping` (docs/protocol.md), acked
// emits that time out with a clear message, and a connection/sync indicator on every page.

import {io} from "../vendor/socket.io/socket.io.esm.min.js";
import {announce, h, setText} from "./dom.js";
import {t} from "./i18n.js";

export * from "./clock.js";

// `audit` (with the state version) and `presence` reach the moderator consoles only; `stage`
// reaches stage views and consoles; `takeaways` consoles and the rapporteur's page.
// `summary_url` (a string or null) is the published audience summary.
const PARTS = ["event", "run", "questions", "polls", "scene", "mine", "audit", "presence", "stage", "summary_url", "takeaways"];
const SYNC_SAMPLES = 5;
const SYNC_EVERY_MS = 30000;
const PING_TIMEOUT_MS = 3000;
const REANCHOR_MS = 100;
const ACK_TIMEOUT_MS = 8000;
const SHOW_CONNECTING_AFTER_MS = 1500;

/** An emit that failed: `code` is the server's error code, or "timeout" / "offline". */
export class LiveError extends Error {
  constructor(code, message, ack = null) {
    super(message);
    this.name = "LiveError";
    this.code = code;
    this.ack = ack;
  }
}

/**
 * Connect to a namespace and keep the role's state.
 *
 * options.namespace  "/audience" | "/screen" | "/moderator" | "/rapporteur"
 * options.auth       object or function returning the `auth` object (called on each reconnect)
 * options.onRender   (state, part) => void; part is "state" for a full snapshot, else the part
 * options.onState    (state) => void, after a full snapshot, before onRender (e.g. store a token)
 * options.indicator  element to put the connection indicator in (default: a fixed corner)
 * options.offline    "wait" (default: emits wait for the reconnection, up to the timeout) or
 *                    "reject" (emits while disconnected fail at once: moderator commands)
 * options.versioned  true on the consoles: every emit carries `version`, the state version
 *                    (state.audit.version) the console showed, so a stale action is refused
 * options.banner     "overlay" (default: a big banner over the top of the page, for the console
 *                    and phones) or "corner" (the projector: no banner in front of the audience;
 *                    the corner indicator says it and the page's CSS frames the screen, keyed on
 *                    body.live-offline)
 */
export function connectLive(options) {
  const {namespace, auth = {}, onRender = () => {}, onState = () => {}, indicator = null,
    offline = "wait", versioned = false, banner: bannerMode = "overlay"} = options;

  const live = {
    state: null,
    offsetMs: 0,
    rttMs: null,
    synced: false,
    syncedAt: null,
    lastHeardAt: null,
    connected: false,
    everConnected: false,
    refused: null,
    attempts: 0,
    socket: null,
    /** Server time now, epoch ms (local clock corrected by the measured offset). */
    serverNow() {
      return Date.now() + live.offsetMs;
    },
    /**
     * Emit with an ack; resolves with the ack when ok, rejects with a LiveError otherwise.
     * `versioned: false` sends no state version even on a console (a takeaway is no show change).
     */
    emit(event, payload = {}, {timeoutMs = ACK_TIMEOUT_MS, versioned: stamp = versioned} = {}) {
      return emitAck(event, payload, timeoutMs, stamp);
    },
    /** Measure the clock offset now (also runs on connect and every 30 s). */
    sync: () => syncClock(),
  };

  const socket = io(namespace, {
    auth: typeof auth === "function" ? (cb) => cb(auth()) : auth,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5, // 300 phones must not all come back in the same millisecond
    timeout: 10000,
  });
  live.socket = socket;

  const ui = buildIndicator(indicator);
  const banner = buildBanner();
  const loadedAt = Date.now();
  let announcedStatus = null; // the connection status last said to screen readers (updateUi)
  const connectingTimer = setTimeout(() => updateUi(), SHOW_CONNECTING_AFTER_MS);

  socket.on("connect", () => {
    live.connected = true;
    live.everConnected = true;
    live.refused = null;
    live.attempts = 0;
    clearTimeout(connectingTimer);
    updateUi();
    syncClock();
  });

  socket.on("disconnect", (reason) => {
    live.connected = false;
    updateUi();
    // The server closed this socket on purpose (e.g. restarted namespace): ask again.
    if (reason === "io server disconnect") socket.connect();
  });

  socket.on("connect_error", (err) => {
    live.connected = false;
    if (!socket.active) {
      // Refused by the server (unknown event, wrong token): retrying will not help.
      live.refused = refusalMessage(err);
    }
    updateUi();
  });

  socket.io.on("reconnect_attempt", (n) => {
    live.attempts = n;
    updateUi();
  });

  socket.onAny(() => {
    live.lastHeardAt = Date.now();
  });
  socket.on("state", (snapshot) => {
    if (!snapshot || typeof snapshot !== "object") return;
    live.state = snapshot;
    // Until the first ping comes back, the snapshot's server time is the best estimate.
    if (!live.synced && typeof snapshot.server_now_ms === "number") {
      live.offsetMs = snapshot.server_now_ms - Date.now();
    }
    onState(live.state);
    onRender(live.state, "state");
  });

  for (const part of PARTS) {
    socket.on(part, (value) => {
      if (!live.state) return; // a part before the snapshot: the snapshot will carry it
      live.state[part] = value;
      onRender(live.state, part);
    });
  }

  // What one action changed in this device's own part (docs/protocol.md, mine_patch): applied
  // key by key; null removes an entry.
  socket.on("mine_patch", (patch) => {
    const mine = live.state && live.state.mine;
    if (!mine || !patch || typeof patch !== "object") return; // the snapshot will carry it
    applyMinePatch(mine, patch);
    onRender(live.state, "mine");
  });

  // Clock sync: NTP's rule, the sample with the smallest round trip wins.
  let syncing = false;
  async function syncClock() {
    if (syncing || !socket.connected) return;
    syncing = true;
    try {
      let best = null;
      let failures = 0;
      for (let i = 0; i < SYNC_SAMPLES && socket.connected; i++) {
        const t0 = Date.now();
        let ack;
        try {
          ack = await socket.timeout(PING_TIMEOUT_MS).emitWithAck("clock:ping", {});
        } catch {
          failures += 1;
          continue;
        }
        const t3 = Date.now();
        if (!ack || ack.ok !== true || typeof ack.server_ms !== "number") continue;
        const rtt = t3 - t0;
        const offset = ack.server_ms - (t0 + t3) / 2;
        if (!best || rtt < best.rtt) best = {rtt, offset};
      }
      if (best) {
        if (!live.synced || Math.abs(best.offset - live.offsetMs) > REANCHOR_MS) {
          live.offsetMs = Math.round(best.offset);
          if (live.state) onRender(live.state, "clock");
        }
        live.rttMs = best.rtt;
        live.synced = true;
        live.syncedAt = Date.now();
        live.lastHeardAt = live.syncedAt;
      } else if (failures === SYNC_SAMPLES && socket.connected) {
        // Connected on paper but nothing comes back (a phone woke from sleep on a dead
        // Wi-Fi link): drop the transport so the manager reconnects now, not after timeouts.
        socket.io.engine.close();
      }
    } finally {
      syncing = false;
      updateUi();
    }
  }
  setInterval(syncClock, SYNC_EVERY_MS);
  // Leaving the page (reload, close, navigate): say goodbye, so the consoles' connection
  // counts drop at once instead of after the server's ping timeout. A page restored from the
  // back/forward cache reconnects through the visibility handler below.
  window.addEventListener("pagehide", () => socket.disconnect());
  // The phone says its network went away (Wi-Fi dropped): drop the transport now instead of
  // waiting for a heartbeat to time out, so what is sent meanwhile waits in the page's
  // outbox; when the network is back, reconnect at once rather than after the back-off.
  window.addEventListener("offline", () => {
    if (socket.connected) socket.io.engine.close();
  });
  window.addEventListener("online", () => {
    if (!socket.connected && !live.refused) {
      socket.disconnect();
      socket.connect();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      if (socket.connected) syncClock();
      else if (!socket.active && !live.refused) socket.connect();
    }
  });

  function emitAck(event, payload, timeoutMs, stamp) {
    const version = live.state && live.state.audit ? live.state.audit.version : undefined;
    if (stamp && Number.isInteger(version) && payload && typeof payload === "object"
        && !Array.isArray(payload) && !("version" in payload)) {
      payload = {...payload, version};
    }
    if (!socket.connected && offline === "reject") {
      return Promise.reject(new LiveError("offline",
        t("Not connected to the server: nothing was sent. Wait for the connection to come back.")));
    }
    const wasConnected = socket.connected;
    return new Promise((resolve, reject) => {
      // socket.timeout(): on timeout the packet is also dropped from the send buffer, so an
      // emit that failed while offline is not sent later behind the user's back.
      socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
        if (err) {
          const secs = Math.round(timeoutMs / 1000);
          reject(new LiveError("timeout", wasConnected && socket.connected
            ? t("No answer from the server within {secs} s. Please try again.", {secs})
            : t("Not connected to the server (waited {secs} s). Please try again when the connection is back.", {secs})));
        } else if (!ack || ack.ok !== true) {
          reject(new LiveError((ack && ack.code) || "error",
            (ack && ack.message) || t("The server refused this request."), ack));
        } else {
          resolve(ack);
        }
      });
    });
  }

  function updateUi() {
    let status;
    let text;
    if (live.refused) {
      status = "refused";
      text = t("Refused");
    } else if (live.connected) {
      status = "online";
      text = t("Live");
    } else if (live.everConnected) {
      status = "offline";
      text = bannerMode === "corner" ? t("Connection lost · reconnecting…") : t("Reconnecting…");
    } else {
      status = "connecting";
      text = t("Connecting…");
    }
    // Say a lost and a regained connection once (the indicator itself is not a live region: its
    // sync figures change every second).
    if (announcedStatus === "online" && status === "offline") announce(bannerMode === "corner" ? text : t("Connection lost: reconnecting…"));
    else if (announcedStatus === "offline" && status === "online") announce(t("Connected again."));
    if (status !== "connecting") announcedStatus = status;
    ui.root.dataset.status = status;
    setText(ui.label, text);
    let quality = "";
    let sync = "unknown";
    if (live.connected && live.synced && live.rttMs !== null) {
      const err = Math.round(live.rttMs / 2);
      sync = err <= 50 ? "good" : err <= 250 ? "fair" : "poor";
      quality = `±${err < 1000 ? `${err} ms` : `${(err / 1000).toFixed(1)} s`}`;
    } else if (live.connected) {
      quality = t("syncing");
    }
    // Seconds since the last message from the server (an update, or a clock-sync answer).
    const age = live.lastHeardAt === null ? null : Math.max(0, Math.floor((Date.now() - live.lastHeardAt) / 1000));
    if (quality && age !== null) quality += ` · ${age} s`;
    ui.root.dataset.sync = sync;
    ui.root.dataset.stale = String(age !== null && age > SYNC_EVERY_MS / 1000 + 10);
    setText(ui.sync, quality);
    ui.root.title = live.connected
      ? t("Connected. Clock offset to the server {offset} ms, round trip {rtt} ms; last heard from the server {age} s ago.",
        {offset: live.offsetMs, rtt: live.rttMs ?? "?", age: age ?? "?"})
      : text;

    document.body.classList.toggle("live-online", live.connected);
    document.body.classList.toggle("live-offline", !live.connected && (live.everConnected || !!live.refused));
    // The banner: nothing on the first moments of a page load, unmistakable after that.
    const loading = !live.everConnected && !live.refused && !connectingPassed();
    banner.root.hidden = live.connected || loading || bannerMode === "corner";
    banner.root.dataset.status = status;
    if (live.refused) {
      setText(banner.title, t("Cannot connect"));
      setText(banner.detail, t("The server refused the connection: {reason}", {reason: live.refused}));
      banner.reload.hidden = false;
    } else if (live.everConnected) {
      setText(banner.title, t("Connection lost: reconnecting…"));
      setText(banner.detail, live.attempts > 1
        ? t("Attempt {n}. What you see may be out of date; it will catch up by itself.", {n: live.attempts})
        : t("What you see may be out of date; it will catch up by itself."));
      banner.reload.hidden = live.attempts < 5;
    } else {
      setText(banner.title, t("Connecting to the server…"));
      setText(banner.detail, t("Check the Wi-Fi if this takes long."));
      banner.reload.hidden = live.attempts < 5;
    }
    // Pages that must not hide content under the banner pad by its height (--live-banner-h).
    document.body.style.setProperty("--live-banner-h", banner.root.hidden ? "0px" : `${banner.root.offsetHeight}px`);
  }
  function connectingPassed() {
    return Date.now() - loadedAt >= SHOW_CONNECTING_AFTER_MS;
  }

  announce(); // the live region exists before its first message
  updateUi();
  setInterval(updateUi, 1000); // the "seconds since" count
  return live;
}

function buildIndicator(parent) {
  const root = h("div", {class: "live-indicator", dataset: {status: "connecting"}},
    h("span", {class: "live-dot", "aria-hidden": "true"}),
    h("span", {class: "live-label", text: t("Connecting…")}),
    h("span", {class: "live-sync"}));
  if (parent) parent.append(root);
  else {
    root.classList.add("live-indicator-corner");
    document.body.append(root);
  }
  return {root, label: root.querySelector(".live-label"), sync: root.querySelector(".live-sync")};
}

function buildBanner() {
  const root = h("div", {class: "live-banner", hidden: true}, // read out by announce() in updateUi
    h("span", {class: "live-banner-icon", "aria-hidden": "true", text: "⚠"}),
    h("div", {class: "live-banner-text"},
      h("strong", {class: "live-banner-title"}),
      h("span", {class: "live-banner-detail"})),
    h("button", {type: "button", class: "live-banner-reload", hidden: true, text: t("Reload"),
      onclick: () => window.location.reload()}));
  document.body.append(root);
  return {
    root,
    title: root.querySelector(".live-banner-title"),
    detail: root.querySelector(".live-banner-detail"),
    reload: root.querySelector(".live-banner-reload"),
  };
}

/** Why the server refused: `data.message` per the protocol, else the error's own message. */
function refusalMessage(err) {
  if (err && err.data && typeof err.data.message === "string") return err.data.message;
  const msg = err && typeof err.message === "string" ? err.message : "";
  // A refusal raised with a dict arrives as its Python repr: pull the message out of it.
  const m = /'message':\s*'((?:[^'\\]|\\.)*)'/.exec(msg) || /'message':\s*"((?:[^"\\]|\\.)*)"/.exec(msg);
  return m ? m[1] : msg || t("Connection refused.");
}

/**
 * Apply a `mine_patch` to a device's `mine` in place: `votes` ({question id: upvoted}) adds or
 * removes ids; `ballots` and `answer_status` ({poll id: value}) set entries, null deletes them.
 */
export function applyMinePatch(mine, patch) {
  if (patch.votes) {
    const votes = new Set(mine.votes || []);
    for (const [id, on] of Object.entries(patch.votes)) {
      if (on) votes.add(Number(id));
      else votes.delete(Number(id));
    }
    mine.votes = [...votes].sort((a, b) => a - b);
  }
  for (const key of ["ballots", "answer_status"]) {
    if (!patch[key]) continue;
    mine[key] = mine[key] || {};
    for (const [id, value] of Object.entries(patch[key])) {
      if (value === null || value === undefined) delete mine[key][id];
      else mine[key][id] = value;
    }
  }
  return mine;
}


/**
 * A projector or stage view is rendered in its event's screen language (event.screen_language):
 * when the moderator changes it in the event editor, load the page again in the new one. At most
 * once a minute for one language (a server that answered in another would not loop).
 */
export function followScreenLanguage(state) {
  const want = state && state.event && state.event.screen_language;
  if (!want || want === document.documentElement.lang) return;
  const key = "forum-live.screen-language-reload";
  let last = null;
  try {
    last = JSON.parse(sessionStorage.getItem(key) || "null");
  } catch {
    last = null;
  }
  if (last && last.want === want && Date.now() - last.at < 60_000) return;
  try {
    sessionStorage.setItem(key, JSON.stringify({want, at: Date.now()}));
  } catch {
    // no storage: reload anyway (the guard is only against a loop)
  }
  location.reload();
}
