"""CSV exports: formula-looking cells neutralised, numbers untouched, every kind's rows."""
import csv
import io

import pytest

from forum_live.domain.export import ballot_rows, neutralise, results_rows, to_csv, unneutralise


@pytest.mark.parametrize(("cell", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\uff1d1+1", "'\uff1d1+1"),           # full-width equals sign
    ("Solidarity", "Solidarity"),
    ("a = b", "a = b"),                     # only the first character matters
    ("", ""),
    ("'quoted'", "''quoted'"),               # a leading apostrophe is doubled: the reader removes one
    ("'=1", "''=1"),
    (42, 42),
    (4.33, 4.33),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


@pytest.mark.parametrize("text", ["=1+1", "'=1+1", "'", "''", "-", "plain", "it's", "", "@me", "\uff0b1"])
def test_unneutralise_gives_back_the_text_as_typed(text):
    assert unneutralise(neutralise(text)) == text


def test_to_csv_quotes_and_neutralises_with_a_utf8_bom():
    text = to_csv([["word", "count"], ["=cmd|' /C calc'!A0", 3], ['say "hi", ok', 1], ["ความยืดหยุ่น", 2]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["word", "count"], ["'=cmd|' /C calc'!A0", "3"], ['say "hi", ok', "1"], ["ความยืดหยุ่น", "2"]]


RESULTS = {
    "single": ("single", {"total": 3, "options": [{"id": 1, "label": "-Youth", "count": 2, "percent": 67},
                                                  {"id": 2, "label": "Skills", "count": 1, "percent": 33}]},
               [["option", "votes", "percent"], ["-Youth", 2, 67], ["Skills", 1, 33], ["ballots", 3]]),
    "multiple": ("multiple", {"total": 2, "choices": 3, "options": [
        {"id": 1, "label": "A", "count": 2, "percent": 100}, {"id": 2, "label": "B", "count": 1, "percent": 50}]},
        [["option", "votes", "percent"], ["A", 2, 100], ["B", 1, 50], ["ballots", 2], ["choices", 3]]),
    "rating": ("rating", {"total": 1, "mean": 2.0, "distribution": [
        {"value": 1, "count": 0, "percent": 0}, {"value": 2, "count": 1, "percent": 100}]},
        [["rating", "votes", "percent"], [1, 0, 0], [2, 1, 100], ["mean", 2.0, ""], ["ballots", 1]]),
    "wordcloud": ("wordcloud", {"total": 2, "words": [{"key": "hope", "text": "Hope", "count": 2}]},
                  [["word", "count"], ["Hope", 2], ["ballots", 2]]),
    "text": ("text", {"total": 2, "answers": [{"id": 4, "text": "Fund it", "status": "approved"}]},
             [["answer", "moderation"], ["Fund it", "approved"], ["ballots", 2]]),
}


@pytest.mark.parametrize(("kind", "results", "rows"), RESULTS.values(), ids=RESULTS.keys())
def test_results_rows(kind, results, rows):
    assert results_rows(kind, "The question?", results) == [["poll", "The question?"], [], *rows]


def test_ballot_rows_number_the_ballots_and_carry_no_device():
    rows = ballot_rows("text", [("2022-09-13T03:31:00+00:00", "=1+1", "pending")])
    assert rows == [["ballot", "cast_at_utc", "value", "moderation"], [1, "2022-09-13T03:31:00+00:00", "=1+1", "pending"]]
    assert "'=1+1" in to_csv(rows)
