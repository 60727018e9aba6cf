// The orders of the phone's question list: the JS copy of domain.questions.sort_key (the
// server's rule, docs/protocol.md "Orders"), kept equal to it by a browser test
// (tests/e2e/test_browser_phone_stage.py::test_the_phone_orders_questions_by_the_domain_rule).

/**
 * Return ``items`` ({id, votes, created_ms, status, answered_ms}) in ``order``: "top" (open
 * before answered, then most votes, then oldest, then id), "newest" (newest first, then higher
 * id) or "answered" (answered ones only, most recently answered first, then higher id). A new
 * array; ``items`` is left as it is.
 */
export function sortItems(items, order) {
  const list = order === "answered" ? items.filter((q) => q.status === "answered") : [...items];
  const answered = (q) => (q.status === "answered" ? 1 : 0);
  if (order === "top") {
    list.sort((a, b) => answered(a) - answered(b) || b.votes - a.votes || a.created_ms - b.created_ms || a.id - b.id);
  } else if (order === "newest") {
    list.sort((a, b) => b.created_ms - a.created_ms || b.id - a.id);
  } else {
    list.sort((a, b) => (b.answered_ms || 0) - (a.answered_ms || 0) || b.id - a.id);
  }
  return list;
}
