"""Polls: ballot rules per kind, the lifecycle, percentages (each share rounded on its own), word folding, tallies."""
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum_live.domain.errors import ForumError
from forum_live.domain.polls import (
    CLOSED,
    DRAFT,
    MULTIPLE,
    OPEN,
    RATING,
    SINGLE,
    TEXT,
    WORDCLOUD,
    check_definition,
    clean_ballot,
    effective_status,
    next_status,
    percentages,
    shares,
    tally,
    tally_counted,
    wire_value,
    word_key,
)

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
    "wordcloud: a phrase of 3 words": (WORDCLOUD, "social safety net", "social safety net"),
    "wordcloud: Thai": (WORDCLOUD, "ความยืดหยุ่น", "ความยืดหยุ่น"),
    "multiple: one option": (MULTIPLE, [18], "18"),
    "multiple: options sorted": (MULTIPLE, [19, 17], "17,19"),
    "multiple: every option when there is no maximum": (MULTIPLE, [19, 18, 17], "17,18,19"),
    "text: an answer, spaces collapsed": (TEXT, " More  funding\nfor skills ", "More funding for skills"),
    "text: 280 characters": (TEXT, "t" * 280, "t" * 280),
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
    "wordcloud: 4 words": (WORDCLOUD, "a fair deal now", [], "invalid_text"),
    "wordcloud: a number": (WORDCLOUD, 5, [], "invalid_payload"),
    "wordcloud: 10 kB": (WORDCLOUD, "w" * 10_000, [], "invalid_text"),
    "multiple: an option of another poll": (MULTIPLE, [17, 20], [17, 18], "invalid_payload"),
    "multiple: the same option twice": (MULTIPLE, [17, 17], [17, 18], "invalid_payload"),
    "multiple: no option": (MULTIPLE, [], [17, 18], "invalid_payload"),
    "multiple: not a list": (MULTIPLE, 17, [17, 18], "invalid_payload"),
    "multiple: True in the list": (MULTIPLE, [True], [1, 2], "invalid_payload"),
    "multiple: ids as strings": (MULTIPLE, ["17"], [17, 18], "invalid_payload"),
    "single: a list": (SINGLE, [17], [17, 18], "invalid_payload"),
    "text: empty": (TEXT, "\u200b ", [], "invalid_text"),
    "text: 281 characters": (TEXT, "t" * 281, [], "invalid_text"),
    "text: a list": (TEXT, ["an answer"], [], "invalid_payload"),
}


@pytest.mark.parametrize(("kind", "value", "options", "code"), BAD_BALLOTS.values(), ids=BAD_BALLOTS.keys())
def test_clean_ballot_refuses(kind, value, options, code):
    with pytest.raises(ForumError) as err:
        clean_ballot(kind, value, options, 5)
    assert err.value.code == code


@pytest.mark.parametrize(("value", "max_choices", "ok"), [
    ([1, 2], 2, True), ([1, 2, 3], 2, False), ([3], 1, True), ([1, 3], 1, False), ([1, 2, 3, 4], None, True),
])
def test_multiple_choice_maximum(value, max_choices, ok):
    if ok:
        assert clean_ballot(MULTIPLE, value, [1, 2, 3, 4], 5, max_choices)
        return
    with pytest.raises(ForumError) as err:
        clean_ballot(MULTIPLE, value, [1, 2, 3, 4], 5, max_choices)
    assert (err.value.code, err.value.message) == ("invalid_payload", f"Choose at most {max_choices} options.")


@pytest.mark.parametrize(("scale_max", "value", "ok"), [(10, 10, True), (10, 11, False), (10, 7, True), (5, 6, False)])
def test_rating_scale_of_ten(scale_max, value, ok):
    if ok:
        assert clean_ballot(RATING, value, [], scale_max) == str(value)
    else:
        with pytest.raises(ForumError):
            clean_ballot(RATING, value, [], scale_max)


@pytest.mark.parametrize(("kind", "stored", "wire"), [
    (SINGLE, "17", 17), (MULTIPLE, "17,19", [17, 19]), (RATING, "4", 4), (WORDCLOUD, "Hope", "Hope"),
    (TEXT, "More funding", "More funding")])
def test_wire_value_is_what_the_client_sent(kind, stored, wire):
    assert wire_value(kind, stored) == wire


T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize(("status", "closes_in_s", "now_s", "expected"), [
    (OPEN, None, 10_000, OPEN),        # no auto-close: open until closed
    (OPEN, 30, 29.999, OPEN),
    (OPEN, 30, 30, CLOSED),            # the deadline itself is closed
    (OPEN, 30, 31, CLOSED),
    (CLOSED, 30, 0, CLOSED),
    (DRAFT, None, 0, DRAFT),
])
def test_effective_status_closes_at_the_deadline(status, closes_in_s, now_s, expected):
    closes_at = None if closes_in_s is None else T0 + timedelta(seconds=closes_in_s)
    assert effective_status(status, closes_at, T0 + timedelta(seconds=now_s)) == expected


DEFINITIONS = {
    "single with two options": ((SINGLE, " Q? ", ["a", " b "], None, 5, None), ("Q?", ["a", "b"])),
    "multiple, at most 2 of 3": ((MULTIPLE, "Q?", ["a", "b", "c"], 2, 5, 60), ("Q?", ["a", "b", "c"])),
    "twelve options": ((SINGLE, "Q?", [f"o{i}" for i in range(12)], None, 5, None),
                       ("Q?", [f"o{i}" for i in range(12)])),
    "rating 1-10, closes after 5 s": ((RATING, "Q?", [], None, 10, 5), ("Q?", [])),
    "open text": ((TEXT, "Q?", [], None, 5, 3600), ("Q?", [])),
}


@pytest.mark.parametrize(("args", "expected"), DEFINITIONS.values(), ids=DEFINITIONS.keys())
def test_check_definition_accepts(args, expected):
    assert check_definition(*args) == expected


BAD_DEFINITIONS = {
    "unknown kind": ((("quiz", "Q?", [], None, 5, None)), "invalid_payload"),
    "empty title": (((SINGLE, " ", ["a", "b"], None, 5, None)), "invalid_text"),
    "one option": (((SINGLE, "Q?", ["a"], None, 5, None)), "invalid_payload"),
    "thirteen options": (((MULTIPLE, "Q?", [str(i) for i in range(13)], None, 5, None)), "invalid_payload"),
    "the same option twice": (((SINGLE, "Q?", ["Skills", "skills "], None, 5, None)), "invalid_payload"),
    "an empty option": (((SINGLE, "Q?", ["a", ""], None, 5, None)), "invalid_text"),
    "options on a rating": (((RATING, "Q?", ["a", "b"], None, 5, None)), "invalid_payload"),
    "a maximum above the options": (((MULTIPLE, "Q?", ["a", "b"], 3, 5, None)), "invalid_payload"),
    "a maximum of zero": (((MULTIPLE, "Q?", ["a", "b"], 0, 5, None)), "invalid_payload"),
    "a maximum on single choice": (((SINGLE, "Q?", ["a", "b"], 1, 5, None)), "invalid_payload"),
    "a scale of 11": (((RATING, "Q?", [], None, 11, None)), "invalid_payload"),
    "auto-close after 4 s": (((RATING, "Q?", [], None, 5, 4)), "invalid_payload"),
    "auto-close after a day": (((RATING, "Q?", [], None, 5, 86_400)), "invalid_payload"),
}


@pytest.mark.parametrize(("args", "code"), BAD_DEFINITIONS.values(), ids=BAD_DEFINITIONS.keys())
def test_check_definition_refuses(args, code):
    with pytest.raises(ForumError) as err:
        check_definition(*args)
    assert err.value.code == code


@pytest.mark.parametrize(("counts", "respondents", "expected"), [
    ([4, 1, 5], 5, [80, 20, 100]),
    ([1, 1, 1], 3, [33, 33, 33]),
    ([1, 2], 3, [33, 67]),
    ([1], 8, [13]),                     # 12.5 rounds half up
    ([0, 0], 0, [0, 0]),
])
def test_shares_of_respondents(counts, respondents, expected):
    assert shares(counts, respondents) == expected


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
    ([1, 1, 1], [33, 33, 33]),                            # equal counts, equal percentages: 99 in all
    ([1, 1, 1, 1, 1, 1, 1], [14, 14, 14, 14, 14, 14, 14]),
    ([1, 4, 10], [7, 27, 67]),                            # 6.67, 26.67, 66.67: 101 in all
    ([1, 7], [13, 88]),                                   # 12.5 and 87.5 round half up: 101
    ([1, 199], [1, 100]),                                 # 0.5 rounds up, 99.5 too
    ([1, 399], [0, 100]),                                 # 0.25 is 0 %: not "no votes", but rounds so
    ([333, 333, 334], [33, 33, 33]),
])
def test_percentages_round_each_share_half_up_on_its_own(counts, expected):
    assert percentages(counts) == expected


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12)
       .filter(lambda counts: sum(counts) > 0))
def test_percentages_are_each_share_rounded_half_up_so_equal_counts_show_equal_percentages(counts):
    result, total = percentages(counts), sum(counts)
    for count, percent in zip(counts, result):
        # percent = round half up of count * 100 / total, in integers: no float rounding.
        assert 200 * count - total < 2 * total * percent <= 200 * count + total
    for i, ci in enumerate(counts):
        for j, cj in enumerate(counts):
            if ci == cj:
                assert result[i] == result[j]
            if ci > cj:  # more votes never show a smaller percentage
                assert result[i] >= result[j]
    # Each share is off by at most half a point, so the column is off 100 by at most half a
    # point per item (docs/protocol.md says the total may not add up to 100).
    assert abs(sum(result) - 100) * 2 <= len(counts)


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
    "single: one vote each shows equal percentages, adding up to 99": (
        SINGLE, ["4", "5", "6"], OPTIONS, 5,
        {"total": 3, "options": [{"id": 4, "label": "Youth", "count": 1, "percent": 33},
                                 {"id": 5, "label": "Skills", "count": 1, "percent": 33},
                                 {"id": 6, "label": "Social protection", "count": 1, "percent": 33}]}),
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
        {"total": 6, "words": [{"key": "solidarity", "text": "Solidarity", "count": 3},
                               {"key": "decent work", "text": "Decent work", "count": 2},
                               {"key": "hope", "text": "Hope", "count": 1}]}),
    "wordcloud: equal counts keep first appearance, spelling ties too": (
        WORDCLOUD, ["trust", "Care", "care", "Trust", "jobs"], [], 5,
        {"total": 5, "words": [{"key": "trust", "text": "trust", "count": 2},
                               {"key": "care", "text": "Care", "count": 2},
                               {"key": "jobs", "text": "jobs", "count": 1}]}),
    "wordcloud: no ballots": (WORDCLOUD, [], [], 5, {"total": 0, "words": []}),
    "multiple: shares of respondents, and the choices made": (
        MULTIPLE, ["4,5", "4", "4,6", "5,6"], OPTIONS, 5,
        {"total": 4, "choices": 7, "options": [{"id": 4, "label": "Youth", "count": 3, "percent": 75},
                                              {"id": 5, "label": "Skills", "count": 2, "percent": 50},
                                              {"id": 6, "label": "Social protection", "count": 2, "percent": 50}]}),
    "rating 1-10": (
        RATING, ["10", "7", "10", "1"], [], 10,
        {"total": 4, "mean": 7.0, "distribution": [
            {"value": v, "count": {1: 1, 7: 1, 10: 2}.get(v, 0), "percent": {1: 25, 7: 25, 10: 50}.get(v, 0)}
            for v in range(1, 11)]}),
}


@pytest.mark.parametrize(("kind", "values", "options", "scale_max", "expected"),
                         TALLIES.values(), ids=TALLIES.keys())
def test_tally(kind, values, options, scale_max, expected):
    assert tally(kind, values, options, scale_max) == expected


@pytest.mark.parametrize(("kind", "values", "options", "scale_max", "expected"),
                         TALLIES.values(), ids=TALLIES.keys())
def test_tally_counted_from_distinct_values_and_their_counts_equals_the_tally(kind, values, options, scale_max,
                                                                               expected):
    counted = [(v, values.count(v)) for v in dict.fromkeys(values)]  # as GROUP BY value ORDER BY min(id)
    assert tally_counted(kind, counted, options, scale_max) == expected


def test_tally_of_open_text_lists_the_answers_it_is_given():
    answers = [(9, "Fund skills", "approved"), (7, "More peers", "pending")]
    assert tally(TEXT, ["More peers", "x", "Fund skills"], [], 5, answers) == {"total": 3, "answers": [
        {"id": 9, "text": "Fund skills", "status": "approved"}, {"id": 7, "text": "More peers", "status": "pending"}]}
