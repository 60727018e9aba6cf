// The console's takeaways: key T (or the "Takeaways" button) opens a dialog with the takeaway
// box, tagged with what is on air, and the takeaways to edit, re-tag, mark or delete. It is a
// <dialog>, so the console's layout never changes; Esc closes it (or an open edit first).
import {$, isTyping, setText} from "./dom.js";
import {setupTakeaways} from "./takeaways.js";
import {t, tn} from "./i18n.js";

/** Wire the dialog; returns {render(state, part)}. */
export function initConsoleTakeaways(live, eventCode) {
  const dialog = $("#takeaways-dialog");
  const desk = setupTakeaways({live, root: $("#takeaways-box"), outboxKey: `forum-live.console-outbox.${eventCode}`});

  function open() {
    if (!dialog.open) dialog.showModal();
    desk.focus();
  }
  $("#btn-takeaways").addEventListener("click", open);
  // Esc: first close an edit or a delete question, then the dialog.
  dialog.addEventListener("cancel", (e) => {
    if (desk.cancelEdit()) e.preventDefault();
  });
  document.addEventListener("keydown", (e) => {
    if ((e.key !== "t" && e.key !== "T") || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    if (isTyping(e.target) || document.querySelector("dialog[open]")) return;
    e.preventDefault(); // the T itself is not typed into the box
    open();
  });

  function render(state, part) {
    desk.render(state, part);
    if (part === "state" || part === "refresh" || part === "takeaways") {
      const n = (state.takeaways || []).length;
      setText($("#takeaways-count"), n ? ` (${n})` : "");
    }
    if (state.presence && (part === "state" || part === "refresh" || part === "presence")) {
      const n = state.presence.rapporteurs || 0;
      const note = $("#takeaways-rapporteur");
      setText(note, n === 1 ? t("Rapporteur connected")
        : n ? tn("Rapporteur connected ({n} page)", "Rapporteur connected ({n} pages)", n) : t("No rapporteur page connected"));
      note.classList.toggle("rapporteur-on", n > 0);
    }
  }
  return {render};
}
