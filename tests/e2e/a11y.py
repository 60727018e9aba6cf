"""axe-core for the browser tests: injected by the test (never by the product's pages) from the
vendored copy in tests/vendor/axe/ (CI has no npm step)."""
from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe" / "axe.min.js"

#: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe's WCAG 2.x A/AA violations on ``page`` now, of the given impacts: [{id, impact, help, nodes}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # The CSP's script-src 'self' refuses an inline script: inject through the DevTools protocol.
        page.context.new_cdp_session(page).send("Runtime.evaluate", {"expression": AXE.read_text()})
    return [v for v in page.evaluate(_RUN, WCAG_TAGS) if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation and failing node, for an assertion message."""
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
        f"    {n['target']}: {n['summary']}" for n in v["nodes"]) for v in violations)
