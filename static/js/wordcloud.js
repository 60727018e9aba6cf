// A word cloud whose layout stays stable as counts grow (the projector's word-cloud poll).
//
// Each word keeps the place it was first given: on every new tally the words already shown are
// placed again first, at their old centre if their new size still fits there, else at the
// nearest free spot on a spiral around their old centre; new words then take the free spot
// nearest the middle, biggest first. Words are keyed by the server's folded key, so a change
// of the most common spelling never moves a word. If the words no longer fit, every size
// shrinks a step (sizes only shrink, so the cloud never jumps back). No outside service.
import {h} from "./dom.js";

const MAX_WORDS = 40;
const GAP = 6;             // px between two words' boxes
const SPIRAL_STEP = 0.3;   // radians per spiral step
const SPIRAL_STEPS = 2500;

export class WordCloud {
  /** `box`: the element the cloud fills (its size is the cloud's). Sizes in px. */
  constructor(box, {minPx = 24, maxPx = 120} = {}) {
    this.box = box;
    this.minPx = minPx;
    this.maxPx = maxPx;
    this.scale = 1;
    this.centres = new Map(); // key -> {x, y} (px from the box's top-left)
    this.order = [];          // keys in the order they were first placed
    this.els = new Map();     // key -> element
    this.stage = h("div", {class: "cloud", role: "list"});
  }

  /** Draw `results` (domain.polls.tally's word-cloud shape). Returns the cloud element. */
  render(results) {
    const words = results.words.slice(0, MAX_WORDS);
    const top = Math.max(1, ...words.map((w) => w.count));
    const byKey = new Map(words.map((w) => [w.key, w]));
    for (const [key, el] of this.els) {
      if (!byKey.has(key)) {
        el.remove();
        this.els.delete(key);
      }
    }
    for (const w of words) {
      let el = this.els.get(w.key);
      if (!el) {
        el = h("span", {class: "cloud-word", role: "listitem", dir: "auto", dataset: {key: w.key, tone: String(tone(w.key))}});
        this.els.set(w.key, el);
        this.stage.append(el);
      }
      if (el.textContent !== w.text) el.textContent = w.text;
      el.title = `${w.text}: ${w.count}`;
      el.dataset.count = String(w.count);
    }
    if (!this.stage.isConnected) this.box.replaceChildren(this.stage);
    const known = this.order.filter((k) => byKey.has(k));
    const fresh = words.filter((w) => !this.centres.has(w.key)).map((w) => w.key); // most common first
    const keys = [...known, ...fresh];
    for (let attempt = 0; attempt < 12; attempt++) {
      const placed = this.place(keys, byKey, top);
      if (placed) {
        for (const [key, box] of placed) {
          this.centres.set(key, {x: box.x + box.w / 2, y: box.y + box.h / 2});
          const el = this.els.get(key);
          el.style.transform = `translate(${Math.round(box.x)}px, ${Math.round(box.y)}px)`;
        }
        this.order = keys;
        return this.stage;
      }
      this.scale *= 0.88; // does not fit: every word a step smaller, then place again
    }
    return this.stage;
  }

  /** Try to place every key; returns Map key -> box or null when one does not fit. */
  place(keys, byKey, top) {
    const width = this.box.clientWidth;
    const height = this.box.clientHeight;
    const taken = [];
    const out = new Map();
    for (const key of keys) {
      const w = byKey.get(key);
      const el = this.els.get(key);
      const px = Math.max(12, (this.minPx + (this.maxPx - this.minPx) * Math.sqrt(w.count / top)) * this.scale);
      el.style.fontSize = `${px.toFixed(1)}px`;
      const bw = el.offsetWidth;
      const bh = el.offsetHeight;
      if (bw > width || bh > height) return null;
      const from = this.centres.get(key) || {x: width / 2, y: height / 2};
      const spot = spiral(from, bw, bh, width, height, taken);
      if (!spot) return null;
      taken.push(spot);
      out.set(key, spot);
    }
    return out;
  }
}

/** The first free box of size bw x bh on a spiral around `from` (wider than tall, like text). */
function spiral(from, bw, bh, width, height, taken) {
  for (let i = 0; i < SPIRAL_STEPS; i++) {
    const t = i * SPIRAL_STEP;
    const r = 2.2 * t;
    const x = from.x + r * Math.cos(t) * 1.6 - bw / 2;
    const y = from.y + r * Math.sin(t) - bh / 2;
    if (x < 0 || y < 0 || x + bw > width || y + bh > height) continue;
    const box = {x, y, w: bw, h: bh};
    if (!taken.some((o) => overlaps(o, box))) return box;
  }
  return null;
}

function overlaps(a, b) {
  return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
}

/** A colour tone from the key, so a word keeps its colour as others come and go. */
function tone(key) {
  let n = 0;
  for (const ch of key) n = (n * 31 + ch.codePointAt(0)) >>> 0;
  return n % 3;
}
