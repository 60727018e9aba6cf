// The page's language for scripts: t("Starts at {time}", {time}) and tn("{n} vote", "{n} votes", n)
// look the English message up in the language's JSON catalog (/i18n/<lang>.json, made from the
// gettext .po files by the server: docs/translating.md) and fill in the {name} placeholders.
// The language is the page's <html lang>; English needs no catalog (the messages are English).

const LANG = (document.documentElement.lang || "en").split("-")[0];
let catalog = {messages: {}, plural: {other: 0}};
if (LANG !== "en") {
  try {
    const response = await fetch(`/i18n/${LANG}.json`, {credentials: "same-origin"});
    if (response.ok) catalog = await response.json();
  } catch {
    /* offline at the very first load: the page still works, in English */
  }
}
const pluralRules = new Intl.PluralRules(document.documentElement.lang || "en");

/** The page's language code ("en", "fr", "ar", "zh"...). */
export const lang = LANG;

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** `msgid` (English) in the page's language, with {name} placeholders from `params`. */
export function t(msgid, params = null) {
  const found = catalog.messages[msgid];
  return fill(typeof found === "string" ? found : msgid, params);
}

/** The form of `singular`/`plural` for the count `n` (CLDR plural rules), with {n} and `params`. */
export function tn(singular, plural, n, params = {}) {
  const forms = catalog.messages[singular];
  let text = n === 1 ? singular : plural;
  if (Array.isArray(forms)) {
    const index = catalog.plural[pluralRules.select(n)] ?? catalog.plural.other ?? forms.length - 1;
    text = forms[Math.min(index, forms.length - 1)] || text;
  }
  // Digits stay Western in every language, like the counts on the vote buttons beside them.
  return fill(text, {n: String(n), ...params});
}

function formOf(singular, plural, n) {
  const forms = catalog.messages[singular];
  if (Array.isArray(forms)) {
    const index = catalog.plural[pluralRules.select(n)] ?? catalog.plural.other ?? forms.length - 1;
    const found = forms[Math.min(index, forms.length - 1)];
    if (found) return found;
  }
  return n === 1 ? singular : plural;
}

/**
 * A sentence the server sent as data (services/said.py: `{m, a}`, with `p` and `n` for a count)
 * in the page's language: `m` looked up in the catalog, its {name} placeholders filled with `a`'s
 * values (a nested sentence translated in turn, a list joined with ", ", text as it is).
 */
export function said(sentence) {
  const args = sentence.a || {};
  let text;
  let values = args;
  if (sentence.p !== undefined) {
    text = formOf(sentence.m, sentence.p, sentence.n);
    values = {n: String(sentence.n), ...args};
  } else {
    const found = catalog.messages[sentence.m];
    text = typeof found === "string" ? found : sentence.m;
  }
  const word = (v) => (Array.isArray(v) ? v.map(word).join(", ")
    : v !== null && typeof v === "object" ? said(v) : String(v));
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? word(values[name]) : whole));
}
