"""Importing a run of show from a spreadsheet (services.rundown, services.rundown_files) and the
exports that import back: the preview stores nothing, the import replaces the run of show before
the show only, hostile files are refused with a clear reason, and the exports round-trip."""
from datetime import UTC, datetime

import pytest

from forum_live.domain.errors import ForumError
from forum_live.eventfile import parse_event
from forum_live.persistence.db import make_engine, make_session_factory
from forum_live.persistence.models import Event, Panelist, Segment
from forum_live.services import run_of_show as ros
from forum_live.services import rundown_exports
from forum_live.services.events import load_event
from forum_live.services.rundown import import_run_of_show, preview_import, rundown_view
from forum_live.services.rundown_files import MAX_UPLOAD_BYTES, read_grid
from forum_live.services.views import run_view
from support.sheets import RUNDOWN_12, xlsx, xml_bomb_xlsx, zip_bomb_xlsx

NOW = datetime(2022, 9, 12, 9, 0, tzinfo=UTC)
MIN = 60_000


def _apply(session, event, view):
    rows = [{k: r[k] for k in ("title", "kind", "length_ms", "panelist", "key_question", "notes", "skip",
                               "auto_advance")} for r in view["rows"]]
    return import_run_of_show(session, event, rows, view["panelists"], NOW)


def _count(session, model):
    return session.query(model).count()


def test_the_preview_of_a_12_row_workbook_matches_speakers_and_offers_the_new_one(session, event):
    before = (_count(session, Segment), _count(session, Panelist))
    view = rundown_view(preview_import(event, xlsx(RUNDOWN_12), "rundown.xlsx"), event)
    assert view["ok"] and view["errors"] == [] and len(view["rows"]) == 12
    assert [r["panelist"] for r in view["rows"][1:7]] == ["da-costa", "chowdhury", "liu", "mehrotra", "tejavivaddhana",
                                                         "amara-okafor"]
    assert view["panelists"] == [{"key": "amara-okafor", "name": "Amara Okafor"}]
    assert [r["length_ms"] for r in view["rows"][:4]] == [5 * MIN, 8 * MIN, 8 * MIN, 8 * MIN]
    assert view["rows"][10]["skip"] is True and view["rows"][1]["auto_advance"] is True
    session.rollback()
    assert (_count(session, Segment), _count(session, Panelist)) == before  # a preview stores nothing


def test_the_import_replaces_the_run_of_show_and_adds_the_new_panelists(session, event):
    view = rundown_view(preview_import(event, xlsx(RUNDOWN_12)), event)
    _apply(session, event, view)
    session.commit()
    session.expire_all()
    event = session.get(Event, event.id)
    assert [s.title for s in event.segments] == [r[0] for r in RUNDOWN_12[1:]]
    assert [s.position for s in event.segments] == list(range(12))
    assert event.panelists[-1].name == "Amara Okafor" and len(event.panelists) == 6
    assert event.segments[6].panelist_id == event.panelists[-1].id
    assert event.segments[0].notes == "Doors close at 10:25"
    run = run_view(event, NOW)
    assert run["status"] == "not-started" and run["segments"][10]["skipped"] is True
    assert sum(s["planned_ms"] for s in run["segments"]) == 91 * MIN
    # Next passes over the skipped segment, as for a segment skipped on the console.
    ros.start_show(event, NOW)
    for _ in range(10):
        ros.next_segment(event, NOW)
    assert ros.current_segment(event).title == "Closing"


def test_the_import_is_refused_once_the_show_has_started_and_changes_nothing(session, event):
    ros.start_show(event, NOW)
    session.commit()
    view = rundown_view(preview_import(event, xlsx(RUNDOWN_12)), event)
    titles = [s.title for s in event.segments]
    with pytest.raises(ForumError, match="The show has started") as err:
        _apply(session, event, view)
    assert err.value.code == "invalid_state"
    session.rollback()
    assert [s.title for s in session.get(Event, event.id).segments] == titles


@pytest.mark.parametrize("row, error", [
    ({"length_ms": 0}, "Segment 1"), ({"length_ms": 601 * MIN}, "minutes"), ({"kind": "party"}, "kind"),
    ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"panelist": "nobody"}, "no panelist"),
    ({"key_question": "kq9"}, "no key question"), ({"notes": "n" * 2001}, "notes"),
])
def test_rows_sent_back_are_checked_again_under_the_event_file_rules(session, event, row, error):
    good = {"title": "Talk", "kind": "panelist", "length_ms": 10 * MIN, "panelist": None, "key_question": None,
            "notes": "", "skip": False, "auto_advance": False}
    with pytest.raises(ForumError, match=error) as err:
        import_run_of_show(session, event, [{**good, **row}], [], NOW)
    assert err.value.code == "invalid_payload"


def test_a_new_panelist_with_a_key_in_use_is_refused(session, event):
    row = {"title": "Talk", "kind": "panelist", "length_ms": MIN, "panelist": "da-costa"}
    with pytest.raises(ForumError, match="already used"):
        import_run_of_show(session, event, [row], [{"key": "da-costa", "name": "Someone else"}], NOW)


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\0" * 100, "neither an XLSX workbook nor a CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel file"),
    (b"PK\x03\x04garbage", "not a readable XLSX"),
    (b"", "empty"),
    (b"title,duration\nOpening,5\n" + b"x" * MAX_UPLOAD_BYTES, "larger than 2 MB"),
    ("title,duration\nCafé,5\n".encode("latin-1"), "not UTF-8"),
])
def test_files_that_are_not_a_spreadsheet_are_refused_with_the_reason(data, reason):
    with pytest.raises(ForumError, match=reason):
        read_grid(data, "upload")


def test_a_50_mb_upload_is_refused_before_it_is_read():
    with pytest.raises(ForumError, match="larger than"):
        read_grid(b"title,duration\n" + b"a,1\n" * (50 * 1024 * 1024 // 4))


def test_an_xml_bomb_inside_an_xlsx_is_refused():
    with pytest.raises(ForumError, match="XML entities"):
        read_grid(xml_bomb_xlsx())


def test_a_zip_bomb_xlsx_is_refused_before_it_is_unpacked():
    with pytest.raises(ForumError, match="unpacks to far more"):
        read_grid(zip_bomb_xlsx())


def test_10000_rows_are_refused(event):
    with pytest.raises(ForumError, match="more than 2000 rows"):
        preview_import(event, ("title,duration\n" + "Talk,1\n" * 10_000).encode())
    out = preview_import(event, ("title,duration\n" + "Talk,1\n" * 600).encode())
    assert out.rows == [] and out.errors[0].startswith("More than 500 rows")


def test_formulas_use_their_saved_value_and_one_without_is_an_error_on_its_row(event):
    out = preview_import(event, xlsx([["title", "duration"], ["A", 5], ["B", None]], formulas={"B3": "=B2*2"}))
    assert out.rows[1].errors[0].startswith("duration: the formula =B2*2 has no saved value")


def test_merged_cells_spanning_rows_are_errors_on_the_rows_below(event):
    out = preview_import(event, xlsx([["title", "duration", "speaker"], ["A", 5, "Ana Silva"], ["B", 5, None]],
                                     merge=("C2:C3",)))
    assert out.rows[0].errors == [] and out.rows[1].errors == ["merged cells: unmerge them and fill in each row"]


def test_dates_as_text_and_date_cells_are_errors_not_lengths(event):
    out = preview_import(event, xlsx([["title", "duration"], ["A", "13/09/2022"], ["B", datetime(2022, 9, 13)]]))
    assert all(r.errors and r.length_ms is None for r in out.rows)


@pytest.mark.parametrize("text", [
    "\ufefftitle,duration,speaker\nOpening,5,\nTalk,1:30,Anir Chowdhury\n",
    "title;duration;speaker\r\nOpening;5;\r\nTalk;1:30;anir chowdhury\r\n",
    "Title\tDuration\tSpeaker\nOpening\t5\t\nTalk\t1:30\tMR ANIR CHOWDHURY\n",
])
def test_csv_with_or_without_bom_and_any_of_comma_semicolon_tab(event, text):
    out = preview_import(event, text.encode("utf-8"))
    assert out.ok, (out.errors, [r.errors for r in out.rows])
    assert [(r.title, r.length_ms, r.panelist) for r in out.rows] == [("Opening", 5 * MIN, None),
                                                                      ("Talk", 90 * MIN, "chowdhury")]


def test_a_zero_length_is_an_error_with_the_event_file_reason(event):
    out = preview_import(event, b"title,duration\nOpening,0\n")
    assert out.rows[0].errors and "length" in out.rows[0].errors[0]


@pytest.mark.parametrize("export", [rundown_exports.rundown_xlsx, rundown_exports.rundown_csv])
def test_the_run_of_show_export_imports_back_as_the_same_run_of_show(session, event, export):
    view = rundown_view(preview_import(event, xlsx(RUNDOWN_12)), event)
    _apply(session, event, view)
    session.commit()
    event = session.get(Event, event.id)
    again = rundown_view(preview_import(event, export(event)), event)
    assert again["ok"] and again["panelists"] == []
    keep = ("title", "kind", "length_ms", "panelist", "key_question", "notes", "skip", "auto_advance")
    assert [{k: r[k] for k in keep} for r in again["rows"]] == [{k: r[k] for k in keep} for r in view["rows"]]


def _facts(event: Event) -> dict:
    return {
        "event": (event.code, event.title, event.subtitle, event.venue, event.timezone, event.scheduled_start_at,
                  event.booked_end_at, event.moderator_name, event.moderator_title, event.organisers, event.themes),
        "panelists": [(p.key, p.name, p.role, p.organisation, p.talk_title) for p in event.panelists],
        "key_questions": [(k.key, k.text, [p.text for p in k.prompts]) for k in event.key_questions],
        "segments": [(s.kind, s.title, s.planned_ms, s.wrap_up_ms, s.auto_advance, s.notes,
                      s.panelist_id and next(p.key for p in event.panelists if p.id == s.panelist_id),
                      s.key_question_id and next(k.key for k in event.key_questions if k.id == s.key_question_id),
                      s.left_at is not None) for s in event.segments],
        "polls": [(p.key, p.kind, p.title, [o.label for o in p.options], p.max_choices, p.scale_max, p.live_results,
                   p.duration_s) for p in event.polls],
    }


def test_the_event_file_export_loads_back_into_the_same_event(session, event, sessions, tmp_path):
    view = rundown_view(preview_import(event, xlsx(RUNDOWN_12)), event)
    _apply(session, event, view)
    event.segments[2].key_question_id = event.key_questions[0].id
    session.commit()
    event = session.get(Event, event.id)
    text = rundown_exports.event_file(event)
    engine = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    try:
        with make_session_factory(engine)() as other:
            copy, created = load_event(other, parse_event(text, "export.toml"))
            other.commit()
            assert created and _facts(copy) == _facts(event)
    finally:
        engine.dispose()
