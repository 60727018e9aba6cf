"""Loading an event file into the database, and finding an event by its code."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forum_live.domain.errors import ForumError
from forum_live.eventfile import parse_event
from forum_live.persistence.models import Event, KeyQuestion, Panelist, Poll, PollOption, Prompt, Segment
from forum_live.services.events import get_event, load_event

TABLES = (Event, Panelist, KeyQuestion, Prompt, Segment, Poll, PollOption)


def row_counts(session) -> dict[str, int]:
    return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_load_event_stores_the_default_event(session, spec):
    event, created = load_event(session, spec)
    assert created is True
    assert row_counts(session) == {"event": 1, "panelist": 5, "key_question": 2, "prompt": 6,
                                   "segment": 9, "poll": 3, "poll_option": 5}
    assert event.scheduled_start_at == datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
    assert event.booked_end_at == datetime(2022, 9, 13, 4, 50, tzinfo=UTC)
    assert sum(s.planned_ms for s in event.segments) == 90 * 60_000
    assert [s.wrap_up_ms for s in event.segments] == [120_000] * 9
    assert [p.name for p in event.panelists][0] == "Mr Helder da Costa"
    assert event.segments[1].panelist_id == event.panelists[0].id
    assert event.segments[1].key_question_id == event.key_questions[0].id
    assert [len(kq.prompts) for kq in event.key_questions] == [3, 3]
    assert [o.label for o in event.polls[0].options][4] == "Skills development"
    assert (event.scene, event.current_segment_id, event.ended_at) == ("timer", None, None)


def test_load_event_twice_returns_the_stored_event_without_duplicating(session, spec):
    first, _ = load_event(session, spec)
    session.commit()
    before = row_counts(session)
    again, created = load_event(session, spec)
    session.commit()
    assert (again.id, created) == (first.id, False)
    assert row_counts(session) == before


def test_load_event_on_a_restarted_server_keeps_the_show_state(sessions, spec):
    """A second load (a new session, as after a restart) leaves stored state untouched."""
    with sessions() as s1:
        event, _ = load_event(s1, spec)
        event.scene = "join"
        s1.commit()
    with sessions() as s2:
        again, created = load_event(s2, spec)
        assert (created, again.scene) == (False, "join")


def test_key_question_without_prompts_gets_its_text_as_the_one_prompt(session):
    spec = parse_event("""
        [event]
        code = "DEMO1"
        title = "A panel"
        timezone = "UTC"
        start = 2024-03-05T14:00:00
        [moderator]
        name = "M"
        [[key_questions]]
        key = "why"
        text = "Why now?"
        [[segments]]
        kind = "discussion"
        title = "Talk"
        minutes = 12.5
    """)
    event, _ = load_event(session, spec)
    assert [p.text for p in event.key_questions[0].prompts] == ["Why now?"]
    assert event.segments[0].planned_ms == 750_000


@pytest.mark.parametrize("typed", ["ILO22", "ilo22", " Ilo22 "])
def test_get_event_ignores_case_and_spaces(session, event, typed):
    assert get_event(session, typed).id == event.id


def test_get_event_finds_an_event_whose_file_wrote_its_code_in_lower_case(session):
    spec = parse_event("""
        [event]
        code = "demo1"
        title = "A panel"
        timezone = "UTC"
        start = 2024-03-05T14:00:00
        [moderator]
        name = "M"
        [[segments]]
        kind = "opening"
        title = "Open"
        minutes = 5
    """)
    event, _ = load_event(session, spec)
    assert get_event(session, "demo1").id == get_event(session, "DEMO1").id == event.id


@pytest.mark.parametrize("typed", ["NOPE1", "", None, 22])
def test_get_event_unknown_code_is_unknown_event(session, event, typed):
    with pytest.raises(ForumError) as err:
        get_event(session, typed)
    assert err.value.code == "unknown_event"
