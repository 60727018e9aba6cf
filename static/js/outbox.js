// The phone's outbox: questions, upvotes and poll ballots are kept in localStorage until the
// server acks them, and sent again after a reconnect (or a reload). A question carries an id
// made on the phone (client_id), so the server stores it once however often it arrives; an
// upvote carries the wanted state (on/off) and a ballot the wanted value (or its withdrawal),
// so sending either twice changes nothing (docs/protocol.md). The rapporteur's page and the
// console keep their takeaways in an outbox of their own the same way (client_id).

import {randomId, store, stored} from "./dom.js";

const EVENTS = {question: "question:submit", vote: "question:upvote", ballot: "poll:vote", withdraw: "poll:withdraw",
  takeaway: "takeaway:add"};
/** True for a poll item (a ballot or its withdrawal), false for a question or an upvote. */
export const isBallot = (item) => item.kind === "ballot" || item.kind === "withdraw";
const RETRY_MS = 5000;
const OFFLINE_CHECK_MS = 300;
// Errors that say "not now" rather than "never": the item stays and is sent again.
// (stale_state: a takeaway lost a same-instant race with a console's change; never a phone's.)
const TRANSIENT = new Set(["timeout", "offline", "internal", "stale_state"]);

/**
 * Create the outbox of one event on this phone.
 *
 * options.key       localStorage key (one per event)
 * options.live      the live connection (connectLive)
 * options.onChange  () => void, whenever the items change (re-render)
 * options.onDone    (item, ack) => void, when the server acked an item
 * options.onFailed  (item, error) => void, when the server refused it for good (bad text,
 *                   hidden question, poll closed): the item is dropped
 * options.onWait    (item, error) => void, when the server said "too many, wait" (rate_limited,
 *                   with ack.retry_after_ms): the item stays and is sent again after that wait,
 *                   and the items behind it go on meanwhile
 *
 * Items: {kind, id, payload, queuedAt (epoch ms), sending}; kind "question" | "vote" (payload
 * of question:submit / question:upvote) | "ballot" ({poll_id, value}: poll:vote) | "withdraw"
 * ({poll_id}: poll:withdraw).
 */
export function createOutbox({key, live, onChange = () => {}, onDone = () => {}, onFailed = () => {},
  onWait = () => {}}) {
  let items = load();
  let flushing = false;
  let timer = 0;

  function load() {
    try {
      const parsed = JSON.parse(stored(key, "[]"));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((i) => i && EVENTS[i.kind] && i.payload).map((i) => ({...i, sending: false, notBefore: 0}));
    } catch {
      return [];
    }
  }

  function save() {
    store(key, items.length ? JSON.stringify(items) : null);
    onChange();
  }

  function online() {
    return live.connected && navigator.onLine !== false;
  }

  /** Queue a question (payload without client_id); returns its client_id. */
  function addQuestion(payload) {
    const item = {kind: "question", id: randomId(), payload: null, queuedAt: Date.now()};
    item.payload = {...payload, client_id: item.id};
    items.push(item);
    save();
    flushSoon();
    return item.id;
  }

  /** Queue a takeaway (payload without client_id, its tags chosen now); returns its client_id. */
  function addTakeaway(payload) {
    const item = {kind: "takeaway", id: randomId(), payload: null, queuedAt: Date.now()};
    item.payload = {...payload, client_id: item.id};
    items.push(item);
    save();
    flushSoon();
    return item.id;
  }

  /** Queue an upvote (on: the wanted state); replaces one for the same question not yet sent. */
  function setVote(questionId, on) {
    const id = randomId();
    const waiting = items.findIndex((i) => i.kind === "vote" && i.payload.question_id === questionId && !i.sending);
    const item = {kind: "vote", id, payload: {question_id: questionId, on, client_id: id}, queuedAt: Date.now()};
    if (waiting >= 0) items[waiting] = item;
    else items.push(item);
    save();
    flushSoon();
  }

  /**
   * Queue this phone's ballot in a poll (``value`` as poll:vote takes it), or its withdrawal
   * (``value`` null); replaces one for the same poll not yet sent.
   */
  function setBallot(pollId, value) {
    const id = randomId();
    const item = value === null
      ? {kind: "withdraw", id, payload: {poll_id: pollId}, queuedAt: Date.now()}
      : {kind: "ballot", id, payload: {poll_id: pollId, value}, queuedAt: Date.now()};
    const waiting = items.findIndex((i) => isBallot(i) && i.payload.poll_id === pollId && !i.sending);
    if (waiting >= 0) items[waiting] = item;
    else items.push(item);
    save();
    flushSoon();
  }

  /** {value} of the ballot this phone wants in a poll and has not had acked yet (value null:
   * withdrawn), or undefined. */
  function wantedBallot(pollId) {
    let wanted;
    for (const i of items) {
      if (isBallot(i) && i.payload.poll_id === pollId) wanted = {value: i.kind === "withdraw" ? null : i.payload.value};
    }
    return wanted;
  }

  /** True while a ballot (or withdrawal) of this poll is on its way (as voteInFlight). */
  function ballotInFlight(pollId) {
    return items.some((i) => isBallot(i) && i.payload.poll_id === pollId && (i.sending || online()));
  }

  /** The upvote this phone wants for a question and has not had acked yet, or undefined. */
  function wantedVote(questionId) {
    let wanted;
    for (const i of items) if (i.kind === "vote" && i.payload.question_id === questionId) wanted = i.payload.on;
    return wanted;
  }

  /**
   * True while an upvote of this question is on its way: being sent, or queued while online
   * (it goes out at once). Offline, a queued upvote is only a wish and may still be changed.
   */
  function voteInFlight(questionId) {
    return items.some((i) => i.kind === "vote" && i.payload.question_id === questionId && (i.sending || online()));
  }

  function flushSoon() {
    clearTimeout(timer);
    timer = setTimeout(flush, 0);
  }

  /** Send what is waiting, in order, one at a time; stop at the first transient failure. */
  async function flush() {
    clearTimeout(timer);
    if (flushing) return;
    if (!online()) {
      // Only a local check: look again soon, so an item queued while the page was still
      // connecting goes out as soon as the socket is up, whatever event order the page saw.
      if (items.length) timer = setTimeout(flush, OFFLINE_CHECK_MS);
      return;
    }
    flushing = true;
    try {
      while (online()) {
        // The first item not waiting out a rate limit (notBefore: epoch ms; not stored, so a
        // reloaded page tries at once and is told again).
        const item = items.find((i) => !(i.notBefore > Date.now()));
        if (!item) break;
        item.sending = true;
        onChange();
        let ack = null;
        let error = null;
        try {
          // Not versioned: a question or a takeaway is never a change to the show.
          ack = await live.emit(EVENTS[item.kind], item.payload, {timeoutMs: 6000, versioned: false});
        } catch (err) {
          error = err;
        }
        item.sending = false;
        if (error && TRANSIENT.has(error.code)) break;
        if (error && error.code === "rate_limited") {
          // "Not now": keep it, send it again after the wait the server gave, go on with the rest.
          const wait = Number(error.ack && error.ack.retry_after_ms) || RETRY_MS;
          item.notBefore = Date.now() + Math.min(Math.max(wait, 1000), 3600 * 1000);
          onWait(item, error);
          continue;
        }
        items = items.filter((i) => i !== item);
        save();
        if (error) onFailed(item, error);
        else onDone(item, ack);
      }
    } finally {
      flushing = false;
      onChange();
      if (items.length) {
        // Again in RETRY_MS after a transient failure, or when the first rate-limit wait ends.
        const ready = items.filter((i) => !(i.notBefore > Date.now())).length > 0;
        const next = Math.min(...items.map((i) => i.notBefore || Infinity));
        timer = setTimeout(flush, ready ? RETRY_MS : Math.max(0, next - Date.now()) + 50);
      }
    }
  }

  window.addEventListener("online", flushSoon);
  if (items.length) flushSoon();

  return {
    addQuestion,
    addTakeaway,
    setVote,
    wantedVote,
    voteInFlight,
    setBallot,
    wantedBallot,
    ballotInFlight,
    flush,
    /** Items not acked yet (questions, upvotes, ballots), oldest first. */
    get items() {
      return items;
    },
  };
}
