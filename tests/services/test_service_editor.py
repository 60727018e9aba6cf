"""The event editor's rules (services/editor.py): the event file's rules for every field, with
the message per field; what the show allows while it runs."""
import pytest
from sqlalchemy import select

from forum_live.domain.clock import utcnow
from forum_live.domain.errors import ForumError
from forum_live.eventfile import EventFileError, parse_event
from forum_live.persistence.models import Question, Takeaway
from forum_live.services import editor, run_of_show


def _refused(fn, *args):
    with pytest.raises(ForumError) as err:
        fn(*args)
    return err.value


def _fields(fn, *args) -> dict:
    exc = _refused(fn, *args)
    assert exc.code == "invalid_payload", exc.message
    return exc.details["fields"]


# ---- the event ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"subtitle": "x" * 301}, "subtitle"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"start": "13 Sept"}, "start"),
    ({"start": ""}, "start"),
    ({"booked_end": "2022-09-13T10:00"}, "booked_end"),  # before the start (10:30)
    ({"moderator_name": ""}, "moderator_name"),
    ({"moderator_title": "x" * 201}, "moderator_title"),
])
def test_an_event_edit_that_breaks_a_rule_is_refused_with_the_field_named(event, changes, field):
    before = event.title, event.scheduled_start_at, event.booked_end_at
    assert field in _fields(editor.edit_event, event, changes)
    assert (event.title, event.scheduled_start_at, event.booked_end_at) == before


def test_an_event_edit_changes_only_what_differs(event):
    changed = editor.edit_event(event, {"title": "Building alliances", "venue": event.venue,
                                        "organisers": ["ILO", "UNOSSC"], "booked_end": "2022-09-13T12:00"})
    assert changed == ["title", "booked_end", "organisers"]
    assert editor.editor_view(event)["event"]["booked_end"] == "2022-09-13T12:00"
    assert event.organisers == ["ILO", "UNOSSC"]


def test_a_new_time_zone_keeps_the_local_start_time(event):
    editor.edit_event(event, {"timezone": "Europe/Paris"})
    view = editor.editor_view(event)["event"]
    assert view["timezone"] == "Europe/Paris" and view["start"] == "2022-09-13T10:30"


@pytest.mark.parametrize(("toml_event", "editor_changes", "field"), [
    ('title = ""', {"title": ""}, "title"),
    ('timezone = "Mars/Olympus"', {"timezone": "Mars/Olympus"}, "timezone"),
])
def test_the_editor_and_the_file_loader_give_the_same_message(event, toml_event, editor_changes, field):
    lines = {"code": '"ABC"', "title": '"T"', "timezone": '"UTC"', "start": "2026-01-01T10:00:00"}
    key, value = toml_event.split(" = ")
    lines[key] = value
    text = ("[event]\n" + "\n".join(f"{k} = {v}" for k, v in lines.items())
            + '\n[moderator]\nname = "M"\n[[segments]]\nkind = "opening"\ntitle = "O"\nminutes = 5\n')
    with pytest.raises(EventFileError) as err:
        parse_event(text)
    message = _fields(editor.edit_event, event, editor_changes)[field]
    assert message in str(err.value)


# ---- panelists ----------------------------------------------------------------------------------

def test_a_new_panelist_gets_a_key_from_the_name_unique_in_the_event(session, event):
    a = editor.add_panelist(session, event, {"name": "Ana Ñúñez", "role": "Director"})
    b = editor.add_panelist(session, event, {"name": "Ana Nunez"})
    assert (a.key, b.key) == ("ana-nunez", "ana-nunez-2")
    assert [p.name for p in event.panelists][-2:] == ["Ana Ñúñez", "Ana Nunez"]


@pytest.mark.parametrize(("fields", "field"), [({"name": ""}, "name"), ({"name": "A", "organisation": "x" * 201},
                                                                          "organisation")])
def test_a_panelist_that_breaks_a_rule_is_refused_with_the_field_named(session, event, fields, field):
    assert field in _fields(editor.add_panelist, session, event, fields)


def test_removing_a_panelist_sends_their_questions_to_everyone(session, event):
    first = event.panelists[0]
    q = Question(event_id=event.id, device_id="d", client_id="c-123456", text="Q?", panelist_id=first.id,
                 status="approved", created_at=utcnow())
    session.add(q)
    session.flush()
    assert editor.remove_panelist(session, event, first.id) == first.name
    assert q.panelist_id is None
    assert [p.position for p in event.panelists] == list(range(len(event.panelists)))
    assert all(s.panelist_id != first.id for s in event.segments)


def test_the_speaker_on_air_cannot_be_removed(session, event):
    seg = next(s for s in event.segments if s.panelist_id)
    run_of_show.goto_segment(event, seg.id, utcnow())
    exc = _refused(editor.remove_panelist, session, event, seg.panelist_id)
    assert exc.code == "invalid_state" and "on air" in exc.message


def test_panelists_move(event):
    last = event.panelists[-1]
    editor.move_panelist(event, last.id, 0)
    assert sorted(event.panelists, key=lambda p: p.position)[0] is last


# ---- the run of show ----------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "opening", "title": "X", "minutes": 0}, "minutes"),
    ({"kind": "opening", "title": "X", "minutes": 601}, "minutes"),
    ({"kind": "dance", "title": "X", "minutes": 5}, "kind"),
    ({"kind": "opening", "title": "", "minutes": 5}, "title"),
    ({"kind": "opening", "title": "X", "minutes": 5, "notes": "x" * 2001}, "notes"),
    ({"kind": "opening", "title": "X", "minutes": 5, "panelist_id": 99999}, "panelist_id"),
])
def test_a_segment_that_breaks_a_rule_is_refused_with_the_field_named(session, event, fields, field):
    assert field in _fields(editor.add_segment, session, event, fields, None, utcnow())


def test_a_segment_is_added_where_asked(session, event):
    count = len(event.segments)
    row = editor.add_segment(session, event, {"kind": "discussion", "title": "Open floor", "minutes": 7.5}, 1, utcnow())
    assert len(event.segments) == count + 1 and event.segments[1] is row and row.planned_ms == 450_000


def test_the_on_air_segments_new_length_acts_as_plus_minus_time(event):
    now = utcnow()
    seg = run_of_show.start_show(event, now)
    planned = seg.planned_ms
    result = editor.update_segment(event, seg.id, {"minutes": planned / 60_000 + 2}, now)
    assert result == {"changed": ["minutes"], "adjust_ms": 120_000}
    assert seg.planned_ms == planned and seg.adjust_ms == 120_000  # the plan stays, as with +/-
    assert editor.editor_view(event)["segments"][0]["minutes"] == planned / 60_000 + 2


def test_a_future_segments_length_and_title_change_at_once(event):
    now = utcnow()
    run_of_show.start_show(event, now)
    later = event.segments[3]
    editor.update_segment(event, later.id, {"minutes": 3, "title": "Shorter"}, now)
    assert (later.planned_ms, later.title, later.adjust_ms) == (180_000, "Shorter", 0)


def test_a_segment_that_has_run_keeps_its_length_but_its_title_can_be_fixed(event):
    now = utcnow()
    first = run_of_show.start_show(event, now)
    run_of_show.next_segment(event, now)
    assert "minutes" in _refused(editor.update_segment, event, first.id, {"minutes": 1}, now).details["fields"]
    editor.update_segment(event, first.id, {"title": "Welcome"}, now)
    assert first.title == "Welcome"


def test_the_on_air_segment_cannot_be_removed_and_says_why(session, event):
    seg = run_of_show.start_show(event, utcnow())
    exc = _refused(editor.remove_segment, session, event, seg.id)
    assert exc.code == "invalid_state" and "on air" in exc.message
    assert seg in event.segments


def test_a_segment_to_come_is_removed_and_its_takeaways_keep_their_text(session, event):
    seg = event.segments[2]
    session.add(Takeaway(event_id=event.id, text="Kept", segment_id=seg.id, author="Rapporteur", created_at=utcnow()))
    session.flush()
    editor.remove_segment(session, event, seg.id)
    assert seg not in event.segments
    assert session.scalar(select(Takeaway)).segment_id is None
    assert [s.position for s in event.segments] == list(range(len(event.segments)))


def test_nothing_moves_before_the_segment_on_air(event):
    now = utcnow()
    run_of_show.start_show(event, now)
    run_of_show.next_segment(event, now)  # the second segment is on air
    last = event.segments[-1]
    editor.move_segment(event, last.id, 0)
    assert sorted(event.segments, key=lambda s: s.position)[2] is last  # right after the one on air
    assert _refused(editor.move_segment, event, event.segments[0].id, 5).code == "invalid_state"


def test_skip_and_auto_advance_follow_the_consoles_rules(event):
    now = utcnow()
    seg = run_of_show.start_show(event, now)
    later = event.segments[2]
    editor.update_segment(event, later.id, {"skip": True, "auto_advance": True}, now)
    assert run_of_show.clock_of(later).skipped and later.auto_advance
    assert "skip" in _refused(editor.update_segment, event, seg.id, {"skip": True}, now).details["fields"]


# ---- key questions ------------------------------------------------------------------------------

def test_a_key_question_with_two_sub_questions(session, event):
    kq = editor.add_key_question(session, event, "What next?", ["Who?", "How?"])
    assert [p.text for p in kq.prompts] == ["Who?", "How?"]
    view = next(k for k in editor.editor_view(event)["key_questions"] if k["id"] == kq.id)
    assert view["prompts"] == ["Who?", "How?"] and view["number"] == len(event.key_questions)


def test_a_key_question_without_sub_questions_is_its_own_prompt(session, event):
    kq = editor.add_key_question(session, event, "Only this?", [])
    assert [p.text for p in kq.prompts] == ["Only this?"]
    assert _fields(editor.add_key_question, session, event, "", []) == {"text": "String should have at least 1 character"}
    assert "prompts.1" in _fields(editor.add_key_question, session, event, "Q", ["ok", ""])


def test_fewer_sub_questions_take_the_projector_off_a_prompt_that_went(session, event):
    kq = event.key_questions[0]
    gone = kq.prompts[-1]
    event.scene_prompt_id, event.scene = gone.id, "prompt"
    editor.update_key_question(session, event, kq.id, {"prompts": ["Only one"]})
    assert [p.text for p in kq.prompts] == ["Only one"]
    assert (event.scene_prompt_id, event.scene) == (None, "timer")


def test_a_key_question_is_removed_but_not_the_one_on_air(session, event):
    seg = next(s for s in event.segments if s.key_question_id)
    run_of_show.goto_segment(event, seg.id, utcnow())
    assert _refused(editor.remove_key_question, session, event, seg.key_question_id).code == "invalid_state"
    other = next(k for k in event.key_questions if k.id != seg.key_question_id)
    editor.remove_key_question(session, event, other.id)
    assert other not in event.key_questions
    assert all(s.key_question_id != other.id for s in event.segments)
