// The orders of the phone's question list (docs/protocol.md "Orders"). "top" is the server's
// order (domain.questions.top_order_key): the questions view is sent in it and shown as sent.
// "newest" and "answered" are offered only by the phone: this module is their one owner,
// tested in Chromium by tests/e2e/test_browser_rules.py.

/**
 * Return ``items`` ({id, votes, created_ms, status, answered_ms}) in ``order``: "top" (the
 * order they came in: the server's), "newest" (newest first, then higher id) or "answered"
 * (answered ones only, most recently answered first, then higher id). A new array; ``items``
 * is left as it is.
 */
export function sortItems(items, order) {
  if (order === "top") return [...items];
  const list = order === "answered" ? items.filter((q) => q.status === "answered") : [...items];
  if (order === "newest") {
    list.sort((a, b) => b.created_ms - a.created_ms || b.id - a.id);
  } else {
    list.sort((a, b) => (b.answered_ms || 0) - (a.answered_ms || 0) || b.id - a.id);
  }
  return list;
}
