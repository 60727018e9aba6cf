// The projector's poll scene: the question, then results (bars for up to 12 options, the mean
// and distribution of a rating, a stable word cloud, approved open-text answers) or the call
// to vote with the public ballot count; an auto-close countdown while the poll is open.
import {$, fitText, setText} from "./dom.js";
import {t, tn} from "./i18n.js";
import {closesIn, formatLeft, resultsElement} from "./results.js";
import {WordCloud} from "./wordcloud.js";

let cloud = null; // one cloud per poll, so its layout survives every new tally
let cloudPoll = null;

/** Draw `poll` (a public poll part) in the #scene-poll section. */
export function renderPoll(poll) {
  setText($("#poll-title"), poll.title);
  const results = $("#poll-results");
  const vote = $("#poll-vote");
  const shown = !!poll.results;
  setText($("#poll-kicker"), kicker(poll));
  results.hidden = !shown;
  vote.hidden = shown;
  $("#scene-poll").classList.toggle("is-results", shown);
  $("#scene-poll").dataset.kind = poll.kind;
  if (shown) {
    results.dataset.kind = poll.kind;
    const rows = poll.kind === "rating" ? poll.results.distribution.length
      : poll.results.options ? poll.results.options.length : 0;
    results.style.setProperty("--rows", String(Math.max(rows, 1)));
    if (poll.kind === "wordcloud") {
      renderCloud(poll, results);
    } else {
      cloud = null;
      results.replaceChildren(resultsElement(poll, {maxAnswers: 12}));
      // Biggest type that fits: 2 options or 12, short labels or long ones.
      const max = Math.round(window.innerHeight * (poll.kind === "text" ? 0.045 : 0.055));
      requestAnimationFrame(() => fitText(results, {max, min: 14, step: 0.94}));
    }
  } else {
    cloud = null;
    results.replaceChildren();
    setText($("#poll-vote-call"), poll.status === "open" ? t("Vote now on your phone") : t("Voting has closed"));
    setText($("#poll-vote-hint"), poll.status === "open"
      ? t("Scan the code, or open the address and type the code.")
      : t("Results will be shown in a moment."));
    const n = poll.ballots || 0;
    setText($("#poll-vote-count"), tn("{n} response so far", "{n} responses so far", n));
  }
}

/** What the poll scene shows, said above the title: results while voting goes on are "live
 * results" for a live-results poll and "results so far" for one revealed early; final once closed. */
function kicker(poll) {
  if (!poll.results) return t("Poll");
  if (poll.status !== "open") return t("Poll · results");
  return poll.live_results ? t("Poll · live results") : t("Poll · results so far");
}

function renderCloud(poll, results) {
  if (!cloud || cloudPoll !== poll.id || !results.contains(cloud.stage)) {
    results.replaceChildren();
    const box = document.createElement("div");
    box.className = "cloud-box";
    results.append(box);
    const total = document.createElement("p");
    total.className = "results-total";
    results.append(total);
    const vh = window.innerHeight;
    cloud = new WordCloud(box, {minPx: Math.round(vh * 0.03), maxPx: Math.round(vh * 0.11)});
    cloudPoll = poll.id;
  }
  results.style.fontSize = "";
  const r = poll.results;
  setText(results.querySelector(".results-total"), r.total === 1 ? "1 response" : `${r.total} responses`);
  if (!r.words.length) {
    cloud.box.replaceChildren();
    cloud.box.textContent = t("No answers yet.");
    cloud = null;
    return;
  }
  requestAnimationFrame(() => cloud && cloud.render(r));
}

/** Every frame: the auto-close countdown of the poll on screen (`serverNow`: epoch ms). */
export function tickPoll(poll, serverNow) {
  const badge = $("#poll-countdown");
  const left = closesIn(poll, serverNow);
  badge.hidden = left === null;
  if (left !== null) {
    setText($("#poll-countdown-time"), formatLeft(left));
    badge.dataset.urgent = String(left <= 10_000);
  }
}
