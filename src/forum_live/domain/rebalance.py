"""Overrun rebalancing: proposals that win back an overrun from the segments still to come.

When the projected end passes the end of the booked slot, the moderator is offered strategies,
each previewed before it is applied:

- ``spread``: shorten every segment still to come in proportion to its length, as OnlyT's
  adaptive timer does (it scales the remaining talks so that the meeting ends on time);
- ``qa``: take the time from the audience Q&A segments;
- ``keep``: change nothing (the show will end late).

No segment is cut below a minimum length; what cannot be won back is reported as uncovered.
Cuts are whole seconds, so the console's times stay readable; they add up exactly to the
overrun rounded up to the second (or to what the minimums allow).
"""
from dataclasses import dataclass, field
from fractions import Fraction

SPREAD, TAKE_FROM_QA, KEEP = "spread", "qa", "keep"
STRATEGIES = (SPREAD, TAKE_FROM_QA, KEEP)
STRATEGY_LABELS = {SPREAD: "Spread over the segments to come", TAKE_FROM_QA: "Take it from the audience Q&A",
                   KEEP: "Keep the plan"}

#: No segment is shortened below this length (ms) unless it was planned shorter.
MIN_SEGMENT_MS = 2 * 60_000


@dataclass(frozen=True)
class Candidate:
    """A segment still to come: its id, kind and current length (planned + adjustments, ms)."""

    segment_id: int
    kind: str
    length_ms: int


@dataclass(frozen=True)
class Proposal:
    """What a strategy would do: ``cuts`` maps segment id -> ms taken (positive), ``covered_ms``
    is their sum, ``uncovered_ms`` what is still over after it (0 when the overrun is absorbed)."""

    strategy: str
    overrun_ms: int
    cuts: dict[int, int] = field(default_factory=dict)
    covered_ms: int = 0
    uncovered_ms: int = 0


def _allocate(total_s: int, weights: list[int], caps: list[int]) -> list[int]:
    """Split ``total_s`` whole seconds in proportion to ``weights``, each share at most its cap.

    Water-filling: shares that would pass their cap are fixed at it and the rest is split again
    among the others; the fractions are then rounded by the largest-remainder method (Hamilton),
    so the shares add up exactly to min(total, sum of caps).
    """
    n = len(weights)
    exact = [Fraction(0)] * n
    active = [i for i in range(n) if caps[i] > 0 and weights[i] > 0]
    left = Fraction(min(total_s, sum(caps[i] for i in active)))
    while active and left > 0:
        weight = sum(weights[i] for i in active)
        over = [i for i in active if left * weights[i] / weight >= caps[i]]
        if not over:
            for i in active:
                exact[i] = left * weights[i] / weight
            break
        for i in over:
            exact[i] = Fraction(caps[i])
            left -= caps[i]
        active = [i for i in active if i not in over]
    shares = [int(x) for x in exact]  # floor: every share is >= 0
    missing = int(sum(exact)) - sum(shares)
    order = sorted(range(n), key=lambda i: (-(exact[i] - shares[i]), -weights[i], i))
    for i in order:
        if missing <= 0:
            break
        if shares[i] < caps[i] and exact[i] > shares[i]:
            shares[i] += 1
            missing -= 1
    return shares


def propose(strategy: str, overrun_ms: int, candidates: list[Candidate],
            min_ms: int = MIN_SEGMENT_MS) -> Proposal:
    """Return the Proposal of ``strategy`` for an overrun of ``overrun_ms`` (ms past the booked
    end; zero or negative means nothing to win back) over ``candidates``, the segments still to
    come in order. Raises ValueError for an unknown strategy."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    overrun_ms = max(0, overrun_ms)
    pool = [] if strategy == KEEP else [c for c in candidates if strategy == SPREAD or c.kind == "qa"]
    total_s = -(-overrun_ms // 1000)  # whole seconds, rounded up
    caps = [max(0, (c.length_ms - max(min_ms, 0)) // 1000) for c in pool]
    shares = _allocate(total_s, [c.length_ms for c in pool], caps) if pool else []
    cuts = {c.segment_id: s * 1000 for c, s in zip(pool, shares) if s > 0}
    covered = sum(cuts.values())
    return Proposal(strategy, overrun_ms, cuts, covered, max(0, overrun_ms - covered))
