"""Summaries of measured samples (p50/p95/p99/max, counts) and their table and JSON forms."""
import math


def percentile(sorted_values: list[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) of ``sorted_values`` by the nearest-rank method
    (the smallest value with at least p % of the samples at or below it); None if empty."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(samples_ms: list[float], expected: int | None = None) -> dict:
    """``{"count", "expected", "p50", "p95", "p99", "max"}`` of latencies in milliseconds
    (``expected``: how many samples there should have been; missing ones are losses)."""
    values = sorted(samples_ms)
    out = {"count": len(values), "expected": expected if expected is not None else len(values)}
    for name, p in (("p50", 50), ("p95", 95), ("p99", 99)):
        out[name] = _round(percentile(values, p))
    out["max"] = _round(values[-1] if values else None)
    return out


def _round(x):
    return None if x is None else round(x, 1)


def ratio(a, b):
    """``a / b`` rounded to two places, or None when either is missing or ``b`` is 0."""
    if a is None or b in (None, 0):
        return None
    return round(a / b, 2)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: list[dict], columns: list[str]) -> str:
    """A Markdown table of ``rows`` (dicts) with ``columns`` in that order."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(columns)]
    line = lambda vals: "| " + " | ".join(v.ljust(w) for v, w in zip(vals, widths)) + " |"  # noqa: E731
    out = [line(columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in cells]
    return "\n".join(out)
