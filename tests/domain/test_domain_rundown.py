"""Reading a run of show from spreadsheet cells (domain.rundown): a table of awkward cells, the
header rules, speaker matching, and rows whose values cannot be read (never a silent 0)."""
from datetime import date, datetime, time, timedelta

import pytest

from forum_live.domain.rundown import (
    MAX_ROWS,
    CellError,
    Unreadable,
    normal_name,
    parse_rundown,
    read_flag,
    read_length_ms,
    read_time_of_day_ms,
)

MIN = 60_000


@pytest.mark.parametrize("cell, ms", [
    ("10", 10 * MIN), (" 10 ", 10 * MIN), ("60", 60 * MIN),  # Ontime #971 read "60" as 0
    ("1:30", 90 * MIN), ("0:45", 45 * MIN), ("00:01:30", 90_000), ("01:00:00", 60 * MIN),
    ("7.5", 450_000), ("7,5", 450_000), ("90s", 90_000), ("90 sec", 90_000), ("10 min", 10 * MIN),
    ("10min", 10 * MIN), ("1.5h", 90 * MIN), ("2 hours", 120 * MIN), ("10'", 10 * MIN),
    (10, 10 * MIN), (60, 60 * MIN), (7.5, 450_000),  # number cells are minutes
    (time(1, 30), 90 * MIN),  # "1:30" typed into an Excel cell: the text's rule
    (time(0, 1, 30), 90_000), (timedelta(minutes=12), 12 * MIN), (timedelta(hours=1, minutes=5), 65 * MIN),
    ("0", 0),  # read as 0: the event file's rule (more than 0) refuses it, with that reason
])
def test_a_length_cell_reads_as(cell, ms):
    assert read_length_ms(cell) == ms


@pytest.mark.parametrize("cell, reason", [
    (None, "no length"), ("", "no length"), ("   ", "no length"),
    ("abc", "cannot read"), ("ten", "cannot read"), ("10 furlongs", "cannot read"), ("-5", "cannot read"),
    ("13/09/2022", "cannot read"),  # a date as text
    ("2022-09-13", "cannot read"), ("1:75", "cannot read"), ("1:30:99", "cannot read"),
    (datetime(2022, 9, 13, 10, 30), "a date"), (date(2022, 9, 13), "a date"),
    (True, "not a length"), (False, "not a length"), (-3, "negative"), (timedelta(minutes=-1), "negative"),
])
def test_a_length_cell_that_cannot_be_read_is_an_error(cell, reason):
    with pytest.raises(CellError, match=reason):
        read_length_ms(cell)


@pytest.mark.parametrize("cell, ms", [
    ("10:30", (10 * 60 + 30) * MIN), ("10.30", (10 * 60 + 30) * MIN), ("9:05:30", (9 * 60 + 5) * MIN + 30_000),
    ("2:15 pm", (14 * 60 + 15) * MIN), ("12:00 am", 0), ("2022-09-13 10:30", (10 * 60 + 30) * MIN),
    (time(10, 30), (10 * 60 + 30) * MIN), (datetime(2022, 9, 13, 11, 0), 11 * 60 * MIN), (0.4375, (10 * 60 + 30) * MIN),
])
def test_a_time_of_day_reads_as(cell, ms):
    assert read_time_of_day_ms(cell) == ms


@pytest.mark.parametrize("cell", ["25:00", "13:00 pm", "noon", "2022-09-13", date(2022, 9, 13), 10, True, "10"])
def test_a_time_of_day_that_cannot_be_read_is_an_error(cell):
    with pytest.raises(CellError):
        read_time_of_day_ms(cell)


@pytest.mark.parametrize("cell, flag", [
    (True, True), (False, False), ("TRUE", True), ("false", False), ("Yes", True), ("no", False), ("y", True),
    ("N", False), ("1", True), ("0", False), (1, True), (0, False), (1.0, True), ("x", True), ("on", True),
    ("off", False), (None, False), ("", False),
])
def test_a_yes_no_cell_reads_as(cell, flag):
    assert read_flag(cell) is flag


@pytest.mark.parametrize("cell", ["maybe", "2", 2, "yes please", "-1"])
def test_a_yes_no_cell_that_cannot_be_read_is_an_error(cell):
    with pytest.raises(CellError):
        read_flag(cell)


@pytest.mark.parametrize("a, b", [
    ("Mr Helder da Costa", "helder da costa"), ("Prof Phudit  Tejavivaddhana", "PHUDIT TEJAVIVADDHANA"),
    ("Dr. Ana Silva", "ana silva"), ("Ｊａｎｅ Doe", "jane doe"),
])
def test_speaker_names_match_across_case_spaces_and_titles(a, b):
    assert normal_name(a) == normal_name(b)


PANEL = [("helder", "Mr Helder da Costa"), ("anir", "Mr Anir Chowdhury")]
KQS = [("kq1", "What is your practice?"), ("kq2", "Going ahead")]


def test_rows_are_read_with_synonyms_empty_rows_skipped_and_new_speakers_offered():
    grid = [
        [None, None],  # blank lines above the header
        ["Segment", "Length (min)", "Panelist", "Auto_Advance", "SKIP", "Remarks", "Colour", "KQ"],
        ["Opening", "8", "", "no", "", "doors close", "red", ""],
        ["", "", "", "", "", "", "", ""],
        ["Jobs for peace", 10, "helder da costa", True, 0, "", "", 1],
        ["Guest slot", "1:30", "Jane Doe", "yes", "", "", "", "kq2"],
        ["Another guest slot", "00:05:00", "jane  doe", "", "yes", "", "", ""],
        ["Q&A", "15", "", "", "", "", "", ""],
    ]
    out = parse_rundown(grid, PANEL, KQS)
    assert out.errors == [] and out.ok
    assert out.notices == ["Column 'Colour' is not one forum-live reads; it is ignored."]
    assert [r.line for r in out.rows] == [3, 5, 6, 7, 8]
    assert [r.length_ms for r in out.rows] == [8 * MIN, 10 * MIN, 90 * MIN, 5 * MIN, 15 * MIN]
    assert [r.kind for r in out.rows] == ["opening", "panelist", "panelist", "panelist", "qa"]
    assert [r.panelist for r in out.rows] == [None, "helder", "jane-doe", "jane-doe", None]
    assert out.new_panelists == [("jane-doe", "Jane Doe")]
    assert [r.key_question for r in out.rows] == [None, "kq1", "kq2", None, None]
    assert [(r.auto_advance, r.skip) for r in out.rows] == [(False, False), (True, False), (True, False),
                                                           (False, True), (False, False)]
    assert out.rows[0].notes == "doors close"


def test_lengths_come_from_end_minus_start_or_the_next_rows_start():
    grid = [["title", "start", "end"], ["Opening", "10:30", "10:38"], ["Talk", "10:38", ""],
            ["Q&A", time(10, 50), ""], ["Late", "23:50", "00:10"]]
    out = parse_rundown(grid, [], [])
    assert [r.length_ms for r in out.rows[:3]] == [8 * MIN, 12 * MIN, 13 * 60 * MIN]
    assert out.rows[3].length_ms == 20 * MIN  # past midnight


def test_a_last_row_with_only_a_start_has_no_length_and_says_so():
    out = parse_rundown([["title", "start"], ["Opening", "10:30"], ["Closing", "11:00"]], [], [])
    assert out.rows[0].length_ms == 30 * MIN
    assert out.rows[1].errors == ["no length: give a duration, an end, or the next row's start"]
    assert not out.ok


def test_every_unreadable_value_is_an_error_on_its_own_row():
    grid = [["title", "duration", "auto-advance", "key question"],
            ["Good", "10", "no", ""], ["", "10", "", ""], ["Bad length", "sixty", "", ""],
            ["Bad flag", "10", "perhaps", ""], ["Bad question", "10", "", "7"], ["Date as text", "13/09/2022", "", ""],
            ["Formula", Unreadable("the formula =B2*2 has no saved value"), "", ""]]
    out = parse_rundown(grid, [], KQS)
    assert [bool(r.errors) for r in out.rows] == [False, True, True, True, True, True, True]
    assert out.rows[1].errors == ["no title"]
    assert out.rows[2].length_ms is None and "cannot read 'sixty'" in out.rows[2].errors[0]
    assert out.rows[3].errors == ["auto-advance: cannot read 'perhaps' as yes or no"]
    assert "key question '7'" in out.rows[4].errors[0]
    assert out.rows[6].errors[0].startswith("duration: the formula =B2*2")
    assert not out.ok


def test_vertically_merged_rows_are_errors():
    grid = [["title", "duration", "speaker"], ["A", "10", "Ana"], ["B", "10", None]]
    out = parse_rundown(grid, [], [], merged_rows=frozenset({2}))
    assert out.rows[0].errors == [] and out.rows[1].errors == ["merged cells: unmerge them and fill in each row"]


@pytest.mark.parametrize("grid, error", [
    ([], "The file is empty."),
    ([[None], ["", " "]], "The file is empty."),
    ([["speaker", "duration"], ["Ana", "10"]], "No title column"),
    ([["title", "speaker"], ["Talk", "Ana"]], "No duration, end or start column"),
    ([["title", "length", "duration"], ["Talk", "10", "10"]], "Two columns mean duration"),
    ([["title", "duration"]], "No rows under the header."),
])
def test_a_file_without_the_needed_columns_is_refused_as_a_whole(grid, error):
    out = parse_rundown(grid, [], [])
    assert any(e.startswith(error) for e in out.errors), out.errors
    assert not out.ok


def test_more_rows_than_a_panel_has_is_refused_as_a_whole():
    grid = [["title", "duration"]] + [[f"Row {i}", "1"] for i in range(MAX_ROWS + 1)]
    out = parse_rundown(grid, [], [])
    assert out.rows == [] and out.errors[0].startswith(f"More than {MAX_ROWS} rows")
    assert parse_rundown(grid[:MAX_ROWS + 1], [], []).ok
