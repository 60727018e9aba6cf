// The console's "Import run of show…" dialog: upload a spreadsheet for a preview (nothing is
// stored), then Apply sends the previewed rows as run:import (docs/organising.md).
import {$, h, setText, toast} from "./dom.js";
import {formatClock} from "./live.js";
import {t, tn} from "./i18n.js";

/**
 * Wire the dialog; `command(event, payload, button)` sends a console command. The Import…
 * button is there before the show only (the import is refused after the start); the exports are
 * also in the Report… dialog.
 */
export function initImport(live, command) {
  const dialog = $("#import-dialog");
  const table = $("#import-preview");
  const apply = $("#btn-import-apply");
  const message = $("#import-message");
  let preview = null;

  function say(text) {
    message.hidden = !text;
    setText(message, text || "");
  }

  function show(view) {
    preview = view;
    const notes = $("#import-notes");
    notes.replaceChildren(...view.notices.map((n) => h("li", {text: n})),
      ...view.panelists.map((p) => h("li", {text: t("New panelist: {name}", {name: p.name})})));
    table.tBodies[0].replaceChildren(...view.rows.map((r) => h("tr", {class: r.errors.length ? "is-error" : ""}, [
      h("td", {class: "num", text: String(r.line)}),
      h("td", {text: r.title}),
      h("td", {text: r.kind}),
      h("td", {class: "num", text: r.length_ms == null ? "–" : formatClock(r.length_ms)}),
      h("td", {text: r.panelist ? view.speaker_names[r.panelist] || r.speaker : ""}),
      h("td", {text: r.key_question || ""}),
      h("td", {text: r.auto_advance ? t("yes") : t("no")}),
      h("td", {text: r.skip ? t("yes") : t("no")}),
      h("td", {text: r.notes}),
      h("td", {class: "import-error", text: r.errors.join("; ")}),
    ])));
    table.hidden = view.rows.length === 0;
    const bad = view.rows.filter((r) => r.errors.length).length;
    if (view.errors.length) say(view.errors.join(" "));
    else if (bad) say(tn("{n} row with an error: fix the file and preview again.", "{n} rows with an error: fix the file and preview again.", bad));
    else if (view.started) say(t("The show has started: the run of show can no longer be replaced."));
    else say("");
    apply.disabled = !view.ok || view.started;
    setText(apply, view.ok ? tn("Apply: replace the run of show ({n} segment)", "Apply: replace the run of show ({n} segments)", view.rows.length)
      : t("Apply: replace the run of show"));
  }

  $("#btn-import").addEventListener("click", () => dialog.showModal());
  $("#import-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("#import-file").files[0];
    if (!file) {
      say(t("Choose a file first."));
      return;
    }
    apply.disabled = true;
    const body = new FormData();
    body.append("file", file);
    try {
      const res = await fetch(dialog.dataset.previewUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content},
      });
      const view = await res.json();
      if (!res.ok || view.ok === undefined || !view.rows) {
        preview = null;
        table.hidden = true;
        $("#import-notes").replaceChildren();
        say(view.message || t("The server refused the file ({status}).", {status: res.status}));
        return;
      }
      show(view);
    } catch (err) {
      say(t("The file could not be sent: {reason}", {reason: err.message}));
    }
  });
  apply.addEventListener("click", async () => {
    if (!preview || !preview.ok) return;
    // Each row as stored; fields at their default are left out (the payload is one Socket.IO
    // packet, at most the server's FORUM_LIVE_MAX_MESSAGE_BYTES).
    const rows = preview.rows.map((r) => {
      const row = {title: r.title, kind: r.kind, length_ms: r.length_ms};
      if (r.panelist) row.panelist = r.panelist;
      if (r.key_question) row.key_question = r.key_question;
      if (r.notes) row.notes = r.notes;
      if (r.skip) row.skip = true;
      if (r.auto_advance) row.auto_advance = true;
      return row;
    });
    const payload = {rows, panelists: preview.panelists};
    const size = new TextEncoder().encode(JSON.stringify(payload)).length;
    const max = Number(dialog.dataset.maxBytes) - 1024; // room for the version and the packet's framing
    if (size > max) {
      say(t("This run of show is too large to send at once ({size} kB, at most {max} kB): shorten the notes or split it.",
        {size: Math.ceil(size / 1024), max: Math.floor(max / 1024)}));
      return;
    }
    const ack = await command("run:import", payload, apply);
    if (ack) {
      toast(tn("Run of show imported: {n} segment.", "Run of show imported: {n} segments.", ack.segments), {kind: "ok"});
      preview = null;
      apply.disabled = true;
      dialog.close();
    }
  });
  return {
    render(state, part) {
      if (part !== "state" && part !== "refresh" && part !== "run") return;
      const run = state.run;
      const started = run.status !== "not-started" || run.segments.some((s) => s.started_ms !== null);
      $("#btn-import").hidden = started;
    },
  };
}
