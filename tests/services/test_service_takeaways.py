"""Takeaways on a real database: tagged with what is on air, resent without duplicates, edited,
re-tagged, marked for the summary, deleted; another event's ids are unknown."""
from datetime import UTC, datetime, timedelta

import pytest

from forum_live.domain.clock import to_ms
from forum_live.domain.errors import ForumError
from forum_live.domain.takeaways import Tags
from forum_live.services import airtime
from forum_live.services import run_of_show as ros
from forum_live.services import takeaways as tk
from forum_live.services.views import run_view
from support.events import load_other_event

T0 = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def add(session, event, text="Trust comes before money.", minutes=0.0, client_id=None, **kw):
    takeaway, created = tk.add_takeaway(session, event, client_id=client_id, text=text, author="Rapporteur",
                                        now=at(minutes), **kw)
    assert created
    return takeaway


def slot(event, n):
    """The n-th panelist slot of the default run of show (1-based)."""
    return [s for s in event.segments if s.kind == "panelist"][n - 1]


def test_before_the_show_a_takeaway_has_no_tags(session, event):
    t = add(session, event)
    assert (t.segment_id, t.panelist_id, t.key_question_id) == (None, None, None)


def test_a_takeaway_is_tagged_with_the_segment_on_air_its_panelist_and_key_question(session, event):
    seg = slot(event, 2)
    ros.goto_segment(event, seg.id, at(1))
    t = add(session, event, minutes=2)
    assert (t.segment_id, t.panelist_id, t.key_question_id) == (seg.id, seg.panelist_id, seg.key_question_id)
    assert seg.panelist_id is not None and seg.key_question_id is not None


def test_the_panelist_tag_follows_now_speaking_as_the_consoles_airtime_shows_it(session, event):
    seg = slot(event, 1)
    other = event.panelists[3]
    ros.goto_segment(event, seg.id, at(0))
    airtime.set_speaker(session, event, other.id, at(3))
    assert tk.default_tags(session, event, at(4)) == Tags(seg.id, other.id, seg.key_question_id)
    # One owner of the rule: the run part's speaking_id is the default the pages prefill.
    assert run_view(event, at(4))["airtime"]["speaking_id"] == other.id
    airtime.set_speaker(session, event, None, at(5))
    assert add(session, event, minutes=6).panelist_id is None


@pytest.mark.parametrize("given", [
    {"segment_id": None, "panelist_id": None, "key_question_id": None},
    {"panelist_id": None},
])
def test_tags_the_writer_gives_win_over_what_is_on_air_even_none(session, event, given):
    seg = slot(event, 1)
    ros.goto_segment(event, seg.id, at(0))
    t = add(session, event, minutes=1, tags=given)
    expected = {"segment_id": seg.id, "panelist_id": seg.panelist_id, "key_question_id": seg.key_question_id, **given}
    assert {k: getattr(t, k) for k in expected} == expected


def test_a_takeaway_written_offline_keeps_the_tags_chosen_when_it_was_written(session, event):
    first, second = slot(event, 1), slot(event, 2)
    ros.goto_segment(event, second.id, at(12))
    tags = {"segment_id": first.id, "panelist_id": first.panelist_id, "key_question_id": first.key_question_id}
    t = add(session, event, minutes=13, tags=tags)
    assert t.segment_id == first.id and t.panelist_id == first.panelist_id


def test_a_resend_with_the_same_client_id_stores_nothing_new(session, event):
    t, created = tk.add_takeaway(session, event, client_id="outbox-0001", text="Once.", author="Rapporteur", now=at(0))
    again, created_again = tk.add_takeaway(session, event, client_id="outbox-0001", text="Once.", author="Console 1",
                                           now=at(1))
    assert (created, created_again, again.id) == (True, False, t.id)
    assert [x.id for x in tk.list_takeaways(session, event)] == [t.id]


def test_the_same_client_id_in_another_event_is_another_takeaway(session, event):
    other = load_other_event(session)
    a, _ = tk.add_takeaway(session, event, client_id="same-id-01", text="Here.", author="Rapporteur", now=at(0))
    b, created = tk.add_takeaway(session, other, client_id="same-id-01", text="There.", author="Rapporteur", now=at(0))
    assert created and a.id != b.id


def test_tags_and_takeaways_of_another_event_are_unknown(session, event):
    other = load_other_event(session)
    theirs = add(session, other, text="Theirs.")
    for tags in ({"segment_id": other.segments[0].id}, {"panelist_id": other.panelists[0].id},
                 {"key_question_id": other.key_questions[0].id}, {"segment_id": 10**30}, {"panelist_id": True}):
        with pytest.raises(ForumError) as err:
            add(session, event, tags=tags)
        assert err.value.code == "not_found"
    for takeaway_id in (theirs.id, 10**30, 0, -1):
        with pytest.raises(ForumError) as err:
            tk.edit_takeaway(session, event, takeaway_id, {"text": "Mine now"}, at(1))
        assert err.value.code == "not_found"
        with pytest.raises(ForumError):
            tk.delete_takeaway(session, event, takeaway_id)
    assert tk.list_takeaways(session, event) == [] and tk.get_takeaway(session, other, theirs.id).text == "Theirs."


def test_an_edit_changes_text_and_tags_and_says_what_it_replaced(session, event):
    seg = slot(event, 1)
    t = add(session, event, text="First  words")
    changed, previous = tk.edit_takeaway(session, event, t.id, {"text": " Better words ", "segment_id": seg.id,
                                                               "panelist_id": None}, at(3))
    assert (changed.text, changed.segment_id, changed.edited_at) == ("Better words", seg.id, at(3))
    assert previous == {"text": "First words", "segment_id": None}  # panelist_id was None already


def test_marking_for_the_summary_alone_is_not_an_edit_of_the_takeaway(session, event):
    t = add(session, event)
    changed, previous = tk.edit_takeaway(session, event, t.id, {"for_summary": True}, at(2))
    assert (changed.for_summary, changed.edited_at, previous) == (True, None, {"for_summary": False})


@pytest.mark.parametrize("changes,code", [
    ({}, "invalid_payload"), ({"author": "Me"}, "invalid_payload"), ({"text": "\u200b \u200d"}, "invalid_text"),
    ({"text": "x" * 501}, "invalid_text"), ({"panelist_id": 999_999}, "not_found"),
])
def test_a_bad_edit_changes_nothing(session, event, changes, code):
    t = add(session, event, text="Kept as it was.")
    with pytest.raises(ForumError) as err:
        tk.edit_takeaway(session, event, t.id, changes, at(1))
    assert err.value.code == code
    assert (t.text, t.edited_at) == ("Kept as it was.", None)


def test_delete_removes_it_and_returns_what_it_was(session, event):
    keep, gone = add(session, event, text="Keep me."), add(session, event, text="Delete me.")
    assert tk.delete_takeaway(session, event, gone.id)["text"] == "Delete me."
    assert [t.id for t in tk.list_takeaways(session, event)] == [keep.id]


def test_the_list_is_newest_first_with_wire_times_in_ms(session, event):
    old, _newer = add(session, event, text="Older", minutes=1), add(session, event, text="Newer", minutes=5)
    tk.edit_takeaway(session, event, old.id, {"text": "Older, fixed"}, at(7))
    view = tk.takeaways_view(session, event)
    assert [v["text"] for v in view] == ["Newer", "Older, fixed"]
    assert (view[1]["created_ms"], view[1]["edited_ms"], view[0]["edited_ms"]) == (to_ms(at(1)), to_ms(at(7)), None)
    assert set(view[0]) == {"id", "text", "segment_id", "panelist_id", "key_question_id", "for_summary", "author",
                            "created_ms", "edited_ms"}


def test_an_event_keeps_at_most_the_cap_of_takeaways(session, event, monkeypatch):
    monkeypatch.setattr(tk.rules, "MAX_TAKEAWAYS_PER_EVENT", 2)
    add(session, event), add(session, event)
    with pytest.raises(ForumError) as err:
        add(session, event)
    assert err.value.code == "invalid_state"
