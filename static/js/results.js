// Poll results as plain DOM, shared by phones, the console and the projector (styled per page).
import {h} from "./dom.js";

export const KIND_LABELS = {single: "Single choice", rating: "Rating", wordcloud: "Word cloud"};

/**
 * Build the results of `poll` (poll.results must be set). `mine` is this device's ballot value,
 * marked in the list; `maxWords` caps a word cloud.
 */
export function resultsElement(poll, {mine = null, maxWords = 40} = {}) {
  const r = poll.results;
  if (!r) return h("p", {class: "results-none", text: "Results are hidden."});
  if (poll.kind === "rating") return ratingResults(poll, r, mine);
  if (poll.kind === "wordcloud") return wordResults(r, maxWords, mine);
  return singleResults(r, mine);
}

function bar(label, count, percent, {mine = false, lead = false} = {}) {
  return h("li", {class: `bar-row${mine ? " is-mine" : ""}${lead ? " is-lead" : ""}`},
    h("span", {class: "bar-label", dir: "auto", text: label}),
    h("span", {class: "bar-track", "aria-hidden": "true"},
      h("span", {class: "bar-fill", style: {width: `${Math.max(0, Math.min(100, percent))}%`}})),
    h("span", {class: "bar-value"},
      h("span", {class: "bar-percent", text: `${percent}%`}),
      h("span", {class: "bar-count", text: count === 1 ? "1 vote" : `${count} votes`})));
}

function singleResults(r, mine) {
  const top = Math.max(0, ...r.options.map((o) => o.count));
  return h("div", {class: "results results-single"},
    h("ol", {class: "bars", style: {"--rows": String(r.options.length)}},
      r.options.map((o) => bar(o.label, o.count, o.percent, {mine: mine === o.id, lead: top > 0 && o.count === top}))),
    total(r.total));
}

function ratingResults(poll, r, mine) {
  const max = poll.scale_max || r.distribution.length;
  const top = Math.max(0, ...r.distribution.map((d) => d.count));
  return h("div", {class: "results results-rating"},
    h("p", {class: "rating-mean"},
      h("span", {class: "rating-mean-value", text: r.total ? formatMean(r.mean) : "–"}),
      h("span", {class: "rating-mean-scale", text: ` / ${max}`}),
      h("span", {class: "rating-mean-label", text: "average"})),
    h("ol", {class: "bars", style: {"--rows": String(r.distribution.length)}},
      r.distribution.map((d) => bar(String(d.value), d.count, d.percent,
        {mine: mine === d.value, lead: top > 0 && d.count === top}))),
    total(r.total));
}

function wordResults(r, maxWords, mine) {
  const words = r.words.slice(0, maxWords);
  const top = Math.max(1, ...words.map((w) => w.count));
  // Alphabetical order keeps every word in its place as counts change (the list is
  // most-common-first, which would make the cloud jump on every ballot).
  const sorted = [...words].sort((a, b) => a.text.localeCompare(b.text));
  const mineFolded = typeof mine === "string" ? fold(mine) : null;
  return h("div", {class: "results results-words"},
    words.length
      ? h("ul", {class: "words"}, sorted.map((w) => h("li", {
        class: `word${mineFolded && fold(w.text) === mineFolded ? " is-mine" : ""}`,
        dir: "auto",
        style: {"--w": (Math.sqrt(w.count / top)).toFixed(3)},
        title: `${w.count}`,
      }, h("span", {class: "word-text", text: w.text}), h("span", {class: "word-count", text: ` ${w.count}`}))))
      : h("p", {class: "results-none", text: "No answers yet."}),
    total(r.total));
}

function total(n) {
  return h("p", {class: "results-total", text: n === 1 ? "1 response" : `${n} responses`});
}

function formatMean(mean) {
  return typeof mean === "number" ? mean.toFixed(1) : "–";
}

/** Case, accents and spacing folded, like the server's word counting. */
function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}
