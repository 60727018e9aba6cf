"""Polls: ballot rules per kind, the lifecycle, largest-remainder percentages, word folding, tallies."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum_live.domain.errors import ForumError
from forum_live.domain.polls import (
    CLOSED, DRAFT, OPEN, RATING, SINGLE, WORDCLOUD, clean_ballot, next_status, percentages, tally,
    word_key)

# When a property fails, Hypothesis imports libcst (if installed) to print a patch; libcst 1.0
# imports a deprecated mypy_extensions.TypedDict, and with warnings as errors that warning would
# crash the whole run (INTERNALERROR) instead of reporting the failing example.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")

OPTION_IDS = [17, 18, 19]

BALLOTS = {
    "single: an option of the poll": (SINGLE, 18, "18"),
    "rating: the lowest value": (RATING, 1, "1"),
    "rating: the top of the scale": (RATING, 5, "5"),
    "wordcloud: a word, trimmed": (WORDCLOUD, "  Solidarity ", "Solidarity"),
    "wordcloud: a short phrase, spaces collapsed": (WORDCLOUD, "decent   work", "decent work"),
    "wordcloud: 40 characters": (WORDCLOUD, "w" * 40, "w" * 40),
    "wordcloud: Thai": (WORDCLOUD, "ความยืดหยุ่น", "ความยืดหยุ่น"),
}


@pytest.mark.parametrize(("kind", "value", "stored"), BALLOTS.values(), ids=BALLOTS.keys())
def test_clean_ballot_stores(kind, value, stored):
    assert clean_ballot(kind, value, OPTION_IDS, 5) == stored


BAD_BALLOTS = {
    "single: an option of another poll": (SINGLE, 20, [17, 18], "invalid_payload"),
    "single: the id as a string": (SINGLE, "17", [17, 18], "invalid_payload"),
    "single: True is not option 1": (SINGLE, True, [1, 2], "invalid_payload"),
    "single: a float": (SINGLE, 17.0, [17, 18], "invalid_payload"),
    "single: None": (SINGLE, None, [17, 18], "invalid_payload"),
    "rating: zero": (RATING, 0, [], "invalid_payload"),
    "rating: above the scale": (RATING, 6, [], "invalid_payload"),
    "rating: a float": (RATING, 3.0, [], "invalid_payload"),
    "rating: a string": (RATING, "3", [], "invalid_payload"),
    "rating: True": (RATING, True, [], "invalid_payload"),
    "wordcloud: empty": (WORDCLOUD, "  ", [], "invalid_text"),
    "wordcloud: 41 characters": (WORDCLOUD, "w" * 41, [], "invalid_text"),
    "wordcloud: a number": (WORDCLOUD, 5, [], "invalid_payload"),
}


@pytest.mark.parametrize(("kind", "value", "options", "code"), BAD_BALLOTS.values(), ids=BAD_BALLOTS.keys())
def test_clean_ballot_refuses(kind, value, options, code):
    with pytest.raises(ForumError) as err:
        clean_ballot(kind, value, options, 5)
    assert err.value.code == code


@pytest.mark.parametrize(("current", "action", "target"), [
    (DRAFT, "open", OPEN), (CLOSED, "open", OPEN), (OPEN, "open", None),
    (OPEN, "close", CLOSED), (DRAFT, "close", None), (CLOSED, "close", None),
])
def test_poll_lifecycle(current, action, target):
    if target is not None:
        assert next_status(current, action) == target
        return
    with pytest.raises(ForumError) as err:
        next_status(current, action)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize(("counts", "expected"), [
    ([], []),
    ([0, 0, 0], [0, 0, 0]),
    ([7], [100]),
    ([0, 5, 0], [0, 100, 0]),
    ([1, 1], [50, 50]),
    ([1, 2], [33, 67]),
    ([2, 1], [67, 33]),
    ([1, 1, 1], [34, 33, 33]),                            # equal remainders: earlier item first
    ([1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]),
    ([1, 4, 10], [7, 27, 66]),                            # equal remainders that floats misorder
    ([2, 1, 1, 1, 1, 1, 1], [25, 13, 13, 13, 12, 12, 12]),
    ([333, 333, 334], [33, 33, 34]),
])
def test_percentages_largest_remainder(counts, expected):
    assert percentages(counts) == expected


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12)
       .filter(lambda counts: sum(counts) > 0))
def test_percentages_add_up_to_100_each_within_one_point_of_its_share(counts):
    result = percentages(counts)
    total = sum(counts)
    assert sum(result) == 100
    for count, percent in zip(counts, result):
        assert count * 100 // total <= percent <= count * 100 // total + 1
    for i, ci in enumerate(counts):  # more votes never show a smaller percentage
        for j, cj in enumerate(counts):
            if ci > cj:
                assert result[i] >= result[j]


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=12)
       .filter(lambda counts: sum(counts) > 0))
def test_percentages_give_leftover_points_to_larger_remainders_then_earlier_items(counts):
    """Whenever an item got a leftover point, every item with a larger exact remainder, and
    every earlier item with an equal one, got one too (remainders compared exactly)."""
    result, total = percentages(counts), sum(counts)
    remainder = [c * 100 % total for c in counts]
    got_point = [p > c * 100 // total for c, p in zip(counts, result)]
    for j in range(len(counts)):
        if got_point[j]:
            for i in range(len(counts)):
                if remainder[i] > remainder[j] or (remainder[i] == remainder[j] and i < j):
                    assert got_point[i]


@pytest.mark.parametrize(("word", "key"), [
    ("Solidarity", "solidarity"),
    ("SOLIDARITY", "solidarity"),
    ("  decent \u00a0  work ", "decent work"),
    ("\u00c9thique", "ethique"),
    ("E\u0301thique", "ethique"),
    ("Stra\u00dfe", "strasse"),
    ("\ufb01re", "fire"),                                  # the fi ligature
    ("南南合作", "南南合作"),
    ("تضامن", "تضامن"),
    ("تَضَامُن", "تضامن"),                                 # Arabic vowel signs are optional, like accents
    ("Việt Nam", "viet nam"),
])
def test_word_key_folds_case_accents_and_spacing(word, key):
    assert word_key(word) == key


@pytest.mark.parametrize("words", [
    ("ขาว", "ข่าว", "ข้าว"),                               # Thai: white, news, rice (tone marks)
    ("ดุ", "ดู"),                                           # Thai: fierce, look (vowel marks below)
    ("कष", "क्ष"),                                          # Devanagari: the virama makes a conjunct
])
def test_word_key_keeps_marks_that_make_different_words(words):
    assert len({word_key(w) for w in words}) == len(words)


OPTIONS = [(4, "Youth"), (5, "Skills"), (6, "Social protection")]

TALLIES = {
    "single: counts and percentages in option order": (
        SINGLE, ["4", "5", "4"], OPTIONS, 5,
        {"total": 3, "options": [{"id": 4, "label": "Youth", "count": 2, "percent": 67},
                                 {"id": 5, "label": "Skills", "count": 1, "percent": 33},
                                 {"id": 6, "label": "Social protection", "count": 0, "percent": 0}]}),
    "single: no ballots": (
        SINGLE, [], OPTIONS, 5,
        {"total": 0, "options": [{"id": 4, "label": "Youth", "count": 0, "percent": 0},
                                 {"id": 5, "label": "Skills", "count": 0, "percent": 0},
                                 {"id": 6, "label": "Social protection", "count": 0, "percent": 0}]}),
    "rating: mean to two decimals and the distribution": (
        RATING, ["5", "4", "4"], [], 5,
        {"total": 3, "mean": 4.33, "distribution": [
            {"value": 1, "count": 0, "percent": 0}, {"value": 2, "count": 0, "percent": 0},
            {"value": 3, "count": 0, "percent": 0}, {"value": 4, "count": 2, "percent": 67},
            {"value": 5, "count": 1, "percent": 33}]}),
    "rating: no ballots has no mean": (
        RATING, [], [], 3,
        {"total": 0, "mean": None, "distribution": [
            {"value": 1, "count": 0, "percent": 0}, {"value": 2, "count": 0, "percent": 0},
            {"value": 3, "count": 0, "percent": 0}]}),
    "wordcloud: folded spellings counted together, most common spelling shown": (
        WORDCLOUD, ["solidarity", "Hope", "Solidarity", "Decent work", "decent  work", "Solidarity"], [], 5,
        {"total": 6, "words": [{"text": "Solidarity", "count": 3}, {"text": "Decent work", "count": 2},
                               {"text": "Hope", "count": 1}]}),
    "wordcloud: equal counts keep first appearance, spelling ties too": (
        WORDCLOUD, ["trust", "Care", "care", "Trust", "jobs"], [], 5,
        {"total": 5, "words": [{"text": "trust", "count": 2}, {"text": "Care", "count": 2},
                               {"text": "jobs", "count": 1}]}),
    "wordcloud: no ballots": (WORDCLOUD, [], [], 5, {"total": 0, "words": []}),
}


@pytest.mark.parametrize(("kind", "values", "options", "scale_max", "expected"),
                         TALLIES.values(), ids=TALLIES.keys())
def test_tally(kind, values, options, scale_max, expected):
    assert tally(kind, values, options, scale_max) == expected
