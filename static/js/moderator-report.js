// The console's "Report & summary" dialog: links to the report and the exports, and the
// audience summary's Publish / Withdraw control (summary:publish, docs/protocol.md).
import {$, setText, toast} from "./dom.js";
import {t} from "./i18n.js";

/** Wire the dialog; `command(event, payload, button)` sends a console command. */
export function initReport(live, command) {
  const dialog = $("#report-dialog");
  const button = $("#btn-publish-summary");
  $("#btn-report").addEventListener("click", () => dialog.showModal());
  button.addEventListener("click", async () => {
    const published = !(live.state && live.state.summary_url);
    const ack = await command("summary:publish", {published}, button);
    if (ack) toast(published ? t("Summary published: phones now link to it.") : t("Summary withdrawn."), {kind: "ok"});
  });
  return {render};
}

function render(state, part) {
  if (part !== "state" && part !== "refresh" && part !== "summary_url" && part !== "run") return;
  const url = state.summary_url || null;
  const ended = state.run && state.run.status === "ended";
  setText($("#summary-state"), url
    ? t("Published: phones that are open show a link to it.")
    : (ended ? t("Not published yet.") : t("Not published yet (publish it when the show has ended: phones link to it then).")));
  const link = $("#summary-link");
  link.hidden = !url;
  if (url) {
    link.href = url;
    setText(link, url);
  }
  setText($("#btn-publish-summary"), url ? t("Withdraw the summary") : t("Publish the summary"));
  $("#btn-report").classList.toggle("is-ended", Boolean(ended && !url));
}
