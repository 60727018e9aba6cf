"""Overrun rebalancing proposals: spread in proportion, take from Q&A, keep; minimum lengths."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum_live.domain.rebalance import KEEP, MIN_SEGMENT_MS, SPREAD, TAKE_FROM_QA, Candidate, propose

MIN = 60_000
# The ILO run of show after the first panelist: four slots of 10, going ahead 12, Q&A 15, closing 5.
REST = [Candidate(3, "panelist", 10 * MIN), Candidate(4, "panelist", 10 * MIN), Candidate(5, "panelist", 10 * MIN),
        Candidate(6, "panelist", 10 * MIN), Candidate(7, "discussion", 12 * MIN), Candidate(8, "qa", 15 * MIN),
        Candidate(9, "closing", 5 * MIN)]

# (strategy, overrun, candidates) -> (cuts in seconds by segment id, uncovered ms)
CASES = {
    "spread 72 s over 72 min: one second per minute of length": (
        SPREAD, 72_000, REST, ({3: 10, 4: 10, 5: 10, 6: 10, 7: 12, 8: 15, 9: 5}, 0)),
    "spread 10 min over 72 min: largest remainders, first segment breaks the tie": (
        SPREAD, 10 * MIN, REST, ({3: 84, 4: 83, 5: 83, 6: 83, 7: 100, 8: 125, 9: 42}, 0)),
    "spread rounds a part-second overrun up to the next second": (
        SPREAD, 500, [Candidate(1, "qa", 10 * MIN)], ({1: 1}, 0)),
    "spread stops at the minimum and shifts the rest to longer segments": (
        SPREAD, 9 * MIN, [Candidate(1, "closing", 3 * MIN), Candidate(2, "qa", 20 * MIN)], ({1: 60, 2: 480}, 0)),
    "spread reports what the minimums leave uncovered": (
        SPREAD, 30 * MIN, [Candidate(1, "panelist", 10 * MIN), Candidate(2, "qa", 5 * MIN)],
        ({1: 480, 2: 180}, 19 * MIN)),
    "a segment planned shorter than the minimum is not touched": (
        SPREAD, MIN, [Candidate(1, "poll", MIN), Candidate(2, "qa", 10 * MIN)], ({2: 60}, 0)),
    "take from Q&A touches only Q&A": (
        TAKE_FROM_QA, 3 * MIN, REST, ({8: 180}, 0)),
    "take from Q&A down to its minimum, the rest uncovered": (
        TAKE_FROM_QA, 15 * MIN, REST, ({8: 780}, 2 * MIN)),
    "take from Q&A with no Q&A left covers nothing": (
        TAKE_FROM_QA, MIN, REST[:4], ({}, MIN)),
    "keep changes nothing": (
        KEEP, 5 * MIN, REST, ({}, 5 * MIN)),
    "no overrun, nothing to do": (
        SPREAD, -3 * MIN, REST, ({}, 0)),
    "nothing left to come": (
        SPREAD, MIN, [], ({}, MIN)),
}


@pytest.mark.parametrize(("strategy", "overrun", "candidates", "expected"), CASES.values(), ids=CASES.keys())
def test_proposal(strategy, overrun, candidates, expected):
    p = propose(strategy, overrun, candidates)
    cuts_s = {k: v // 1000 for k, v in p.cuts.items()}
    assert (cuts_s, p.uncovered_ms) == expected
    assert p.covered_ms == sum(p.cuts.values())


def test_unknown_strategy_is_a_value_error():
    with pytest.raises(ValueError):
        propose("magic", MIN, REST)


@settings(max_examples=300, deadline=None)
@given(lengths=st.lists(st.integers(min_value=1_000, max_value=40 * MIN), max_size=10),
       overrun=st.integers(min_value=-MIN, max_value=120 * MIN),
       kinds=st.lists(st.sampled_from(["panelist", "qa", "closing"]), min_size=10, max_size=10))
def test_spread_and_qa_never_cut_below_the_minimum_and_cover_all_they_can(lengths, overrun, kinds):
    cands = [Candidate(i, kinds[i], n) for i, n in enumerate(lengths)]
    for strategy in (SPREAD, TAKE_FROM_QA):
        p = propose(strategy, overrun, cands)
        pool = [c for c in cands if strategy == SPREAD or c.kind == "qa"]
        room = sum(max(0, (c.length_ms - MIN_SEGMENT_MS) // 1000) * 1000 for c in pool)
        need = -(-max(0, overrun) // 1000) * 1000
        assert p.covered_ms == min(need, room)
        assert p.uncovered_ms == max(0, max(0, overrun) - p.covered_ms)
        for c in pool:
            cut = p.cuts.get(c.segment_id, 0)
            assert cut % 1000 == 0 and cut >= 0
            assert cut == 0 or c.length_ms - cut >= MIN_SEGMENT_MS
        assert set(p.cuts) <= {c.segment_id for c in pool}
