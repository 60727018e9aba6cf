"""Airtime: the floor per panelist, measured on each segment's own clock."""
import pytest

from forum_live.domain.airtime import FloorChange as F
from forum_live.domain.airtime import fair_share_ms, holder_at, segment_airtime, total_airtime

S = 1000

# (default panelist, changes, elapsed) -> ms per panelist
SEGMENTS = {
    "a panelist slot with no change is all theirs": (1, [], 600 * S, {1: 600 * S}),
    "a discussion with no change is nobody's": (None, [], 600 * S, {}),
    "now speaking hands the floor on from that point": (
        None, [F(60 * S, 2), F(200 * S, 3)], 300 * S, {2: 140 * S, 3: 100 * S}),
    "nobody takes the floor back": (1, [F(100 * S, None)], 300 * S, {1: 100 * S}),
    "the same panelist twice adds up": (None, [F(0, 1), F(50 * S, 2), F(80 * S, 1)], 100 * S, {1: 70 * S, 2: 30 * S}),
    "two changes at one instant: the later wins": (None, [F(10 * S, 1), F(10 * S, 2)], 20 * S, {2: 10 * S}),
    "a change beyond the clock counts nothing yet": (1, [F(500 * S, 2)], 300 * S, {1: 300 * S}),
    "a segment that never ran has no airtime": (1, [], 0, {}),
}


@pytest.mark.parametrize(("default", "changes", "elapsed", "expected"), SEGMENTS.values(), ids=SEGMENTS.keys())
def test_segment_airtime(default, changes, elapsed, expected):
    assert segment_airtime(default, changes, elapsed) == expected


@pytest.mark.parametrize(("default", "changes", "elapsed", "expected"), [
    (1, [], 10 * S, 1), (None, [], 10 * S, None), (None, [F(5 * S, 2)], 10 * S, 2),
    (1, [F(5 * S, None)], 10 * S, None), (1, [F(5 * S, 2)], 4 * S, 1)])
def test_holder_at(default, changes, elapsed, expected):
    assert holder_at(default, changes, elapsed) == expected


def test_total_airtime_lists_every_panelist_and_sums_segments():
    totals = total_airtime([(1, [], 600 * S), (2, [], 540 * S), (None, [F(0, 1), F(100 * S, 3)], 200 * S)], [1, 2, 3, 4])
    assert totals == {1: 700 * S, 2: 540 * S, 3: 100 * S, 4: 0}
    assert fair_share_ms(totals) == 335 * S


def test_fair_share_of_nobody_is_zero():
    assert fair_share_ms({}) == 0
