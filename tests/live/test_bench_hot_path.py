"""``python -m bench.hot_path`` keeps running: a change that breaks the in-process measure of
the hot path (an upvote, a ballot, a join through the real handlers) fails here. No timing is
asserted: timing targets live in the bench (docs/benchmarks.md)."""
import math

from bench import hot_path


def test_the_hot_path_bench_measures_every_action_on_a_few_phones():
    result = hot_path.measure(phones=12)
    assert set(result) == {"upvote_ms", "ballot_ms", "join_ms"}
    assert all(math.isfinite(v) and v > 0 for v in result.values())
