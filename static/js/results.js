// Poll results as plain DOM, shared by phones, the console and the projector (styled per page).
import {h} from "./dom.js";
import {t, tn} from "./i18n.js";

export const KIND_LABELS = {
  single: t("Single choice"), multiple: t("Multiple choice"), rating: t("Rating"), wordcloud: t("Word cloud"),
  text: t("Open text"),
};

/**
 * Build the results of `poll` (poll.results must be set). `mine` is this device's ballot value
 * (an option id, a list of ids, a rating, a word), marked in the list; `maxWords` caps a word
 * cloud; `cloud` is a function (results, mine) => element that draws the word cloud instead of
 * the plain list (the projector's stable layout).
 */
export function resultsElement(poll, {mine = null, maxWords = 40, cloud = null, maxAnswers = 50} = {}) {
  const r = poll.results;
  if (!r) return h("p", {class: "results-none", text: t("Results are hidden.")});
  if (poll.kind === "rating") return ratingResults(poll, r, mine);
  if (poll.kind === "wordcloud") return cloud ? cloud(r, mine) : wordResults(r, maxWords, mine);
  if (poll.kind === "text") return textResults(r, maxAnswers);
  return choiceResults(poll, r, mine);
}

function bar(label, count, percent, {mine = false, lead = false} = {}) {
  return h("li", {class: `bar-row${mine ? " is-mine" : ""}${lead ? " is-lead" : ""}`},
    h("span", {class: "bar-label", dir: "auto", text: label, dataset: mine ? {mineLabel: t("your vote")} : null}),
    h("span", {class: "bar-track", "aria-hidden": "true"},
      h("span", {class: "bar-fill", style: {width: `${Math.max(0, Math.min(100, percent))}%`}})),
    h("span", {class: "bar-value"},
      h("span", {class: "bar-percent", text: `${percent}%`}),
      h("span", {class: "bar-count", text: tn("{n} vote", "{n} votes", count)})));
}

function choiceResults(poll, r, mine) {
  const top = Math.max(0, ...r.options.map((o) => o.count));
  const chosen = Array.isArray(mine) ? mine : [mine];
  return h("div", {class: `results results-${poll.kind === "multiple" ? "multiple" : "single"}`},
    h("ol", {class: "bars", style: {"--rows": String(r.options.length)}},
      r.options.map((o) => bar(o.label, o.count, o.percent,
        {mine: chosen.includes(o.id), lead: top > 0 && o.count === top}))),
    total(r.total, poll.kind === "multiple" ? t("Percentages: share of respondents who chose each option.") : ""));
}

function ratingResults(poll, r, mine) {
  const max = poll.scale_max || r.distribution.length;
  const top = Math.max(0, ...r.distribution.map((d) => d.count));
  return h("div", {class: "results results-rating"},
    h("p", {class: "rating-mean"},
      h("span", {class: "rating-mean-value", text: r.total ? formatMean(r.mean) : "–"}),
      h("span", {class: "rating-mean-scale", text: ` / ${max}`}),
      h("span", {class: "rating-mean-label", text: t("average")})),
    h("ol", {class: "bars", style: {"--rows": String(r.distribution.length)}},
      r.distribution.map((d) => bar(String(d.value), d.count, d.percent,
        {mine: mine === d.value, lead: top > 0 && d.count === top}))),
    total(r.total));
}

function wordResults(r, maxWords, mine) {
  const words = r.words.slice(0, maxWords);
  const top = Math.max(1, ...words.map((w) => w.count));
  // Alphabetical by the folded key keeps every word in its place as counts change (the list
  // is most-common-first, which would make the cloud jump on every ballot).
  const sorted = [...words].sort((a, b) => (a.key || a.text).localeCompare(b.key || b.text));
  const mineKey = typeof mine === "string" ? fold(mine) : null;
  return h("div", {class: "results results-words"},
    words.length
      // The word is isolated (<bdi>): an Arabic or Hebrew word is laid out on its own, and its
      // count stays after it in the page's direction instead of landing by the previous word.
      ? h("ul", {class: "words"}, sorted.map((w) => h("li", {
        class: `word${mineKey && (w.key || fold(w.text)) === mineKey ? " is-mine" : ""}`,
        style: {"--w": (Math.sqrt(w.count / top)).toFixed(3)},
        title: `${w.count}`,
        dataset: {count: String(w.count)},
      }, h("bdi", {class: "word-text", text: w.text}), h("span", {class: "word-count", text: ` ${w.count}`}))))
      : h("p", {class: "results-none", text: t("No answers yet.")}),
    total(r.total));
}

function textResults(r, maxAnswers) {
  const answers = r.answers.slice(0, maxAnswers);
  return h("div", {class: "results results-text"},
    answers.length
      ? h("ul", {class: "answers"}, answers.map((a) => h("li", {class: "answer", dir: "auto", text: a.text})))
      : h("p", {class: "results-none", text: t("No answers shown yet.")}),
    total(r.total, r.total > answers.length ? t("Answers appear once the moderator approves them.") : ""));
}

function total(n, note = "") {
  return h("p", {class: "results-total"},
    tn("{n} response", "{n} responses", n), note ? h("span", {class: "results-note", text: ` · ${note}`}) : null);
}

function formatMean(mean) {
  return typeof mean === "number" ? mean.toFixed(1) : "–";
}

/** Case, accents and spacing folded, like the server's word counting (domain.polls.word_key). */
export function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase()
    .replace(/\s+/g, " ").trim();
}

/** Milliseconds until an open poll auto-closes (at `serverNow`, epoch ms), or null. */
export function closesIn(poll, serverNow) {
  if (!poll || poll.status !== "open" || typeof poll.closes_ms !== "number") return null;
  return Math.max(0, poll.closes_ms - serverNow);
}

/** "1:05" / "0:09" for a countdown in ms, rounded up to the second (0:00 only at the end). */
export function formatLeft(ms) {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
