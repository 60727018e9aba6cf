"""``--event FILE`` on an existing database (services.event_update): before the show the file's
changes are applied and listed; once started they are refused with how to apply them, unless
replace, which keeps the questions, ballots and timings it can."""
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from forum_live import create_app
from forum_live.eventfile import DEFAULT_EVENT, EventFileError, parse_event
from forum_live.events import __file__ as events_init
from forum_live.persistence.models import Ballot, Event, Question
from forum_live.services import polls, questions
from forum_live.services import run_of_show as ros
from forum_live.services.event_update import EventStarted, apply_event_file
from forum_live.services.rundown_exports import event_file

NOW = datetime(2022, 9, 13, 3, 30, tzinfo=UTC)
TEXT = (Path(events_init).parent / DEFAULT_EVENT).read_text("utf-8")


def edited(*pairs: tuple[str, str]):
    text = TEXT
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_event(text, "edited.toml")


RENAME = ('name = "Mr Anir Chowdhury"', 'name = "Dr Anir Chowdhury"')
LONGER = ('title = "Opening and introductions"\nminutes = 8', 'title = "Opening and introductions"\nminutes = 6')
NEW_TITLE = ('title = "Building Multi-Stakeholder', 'title = "Alliances: Building Multi-Stakeholder')


def test_the_same_file_changes_nothing(session, event, spec):
    version = event.public_version
    assert apply_event_file(session, event, spec, NOW) == []
    assert session.get(Event, event.id).public_version == version  # the phones' shared copies stay valid


def test_before_the_show_the_changes_are_applied_and_listed(session, event):
    version = event.public_version
    changes = apply_event_file(session, event, edited(RENAME, LONGER, NEW_TITLE), NOW)
    session.commit()
    assert changes == [
        "event: title 'Building Multi-Stakeholder Alliances in the Global South to Build Back Better' -> "
        "'Alliances: Building Multi-Stakeholder Alliances in the Global South to Build Back Better'",
        "panelist chowdhury: name 'Mr Anir Chowdhury' -> 'Dr Anir Chowdhury'",
        "segment 'Opening and introductions': planned ms 480000 -> 360000",
    ]
    event = session.get(Event, event.id)
    assert event.panelists[1].name == "Dr Anir Chowdhury" and event.segments[0].planned_ms == 6 * 60_000
    assert event.public_version == version + 1  # every process's shared copy of the public parts is out of date


def test_the_screen_language_of_the_file_reaches_a_stored_event(session, event):
    """A trial set ``screen_language = "fr"`` in the file and restarted: the stored event kept
    English (the projector's language could not be changed once the database existed)."""
    assert event.screen_language == "en"
    changes = apply_event_file(session, event, edited(("[event]\n", '[event]\nscreen_language = "fr"\n')), NOW)
    session.commit()
    assert changes == ["event: screen language 'en' -> 'fr'"]
    assert session.get(Event, event.id).screen_language == "fr"


def test_the_stored_event_becomes_the_file_s_event(session, event, spec):
    """Removing, adding and moving segments, panelists and polls: the result exports as the file's event."""
    apply_event_file(session, event, edited(RENAME, LONGER), NOW)
    session.commit()
    # ...and back: the event exports as the shipped file's event again.
    changes = apply_event_file(session, session.get(Event, event.id), spec, NOW)
    session.commit()
    assert len(changes) == 2
    assert parse_event(event_file(session.get(Event, event.id))) == spec


def test_once_started_a_change_is_refused_with_how_to_apply_it_and_nothing_changes(session, event, spec):
    ros.start_show(event, NOW)
    session.commit()
    with pytest.raises(EventStarted, match="--replace") as err:
        apply_event_file(session, event, edited(RENAME), NOW)
    assert "Import…" in str(err.value) and "without --event" in str(err.value)
    session.rollback()
    assert session.get(Event, event.id).panelists[1].name == "Mr Anir Chowdhury"
    assert apply_event_file(session, session.get(Event, event.id), spec, NOW) == []  # the same file: fine


def test_replace_keeps_questions_ballots_and_the_timings_of_the_segments_kept(session, event):
    ros.start_show(event, NOW)
    ros.next_segment(event, NOW + timedelta(minutes=8))
    q, _ = questions.submit_question(session, event, "dev-1", "client-1", "To Mr Chowdhury: how?", None,
                                     event.panelists[1].id, NOW)
    poll = event.polls[0]
    polls.open_poll(session, event, poll.id, NOW)
    polls.cast_ballot(session, event, "dev-1", poll.id, poll.options[0].id, NOW)
    session.commit()
    on_air = ros.current_segment(event)
    started = on_air.started_at
    # The file drops the a2i slot (not on air) and panelist Chowdhury.
    changes = apply_event_file(session, event, _without_chowdhury(), NOW, replace=True)
    session.commit()
    event = session.get(Event, event.id)
    assert "segment removed: a2i Innovation Network" in changes and "panelist removed: Mr Anir Chowdhury" in changes
    assert ros.current_segment(event).id == on_air.id and ros.current_segment(event).started_at == started
    assert session.get(Question, q.id).panelist_id is None  # now to all panelists
    assert session.query(Ballot).count() == 1


def _without_chowdhury():
    text = TEXT.replace('[[segments]]\nkind = "panelist"\ntitle = "a2i Innovation Network"\npanelist = "chowdhury"\n'
                        'key_question = "good-practice"\nminutes = 10\n', '')
    start = text.index('[[panelists]]\nkey = "chowdhury"')
    end = text.index("[[panelists]]", start + 5)
    return parse_event(text[:start] + text[end:], "edited.toml")


def test_replace_refuses_to_remove_the_segment_on_air(session, event):
    ros.start_show(event, NOW)
    ros.next_segment(event, NOW)
    ros.next_segment(event, NOW)  # the a2i slot is on air
    with pytest.raises(EventStarted, match="segment on air"):
        apply_event_file(session, event, _without_chowdhury(), NOW, replace=True)


def test_create_app_applies_the_file_on_an_existing_database_or_refuses_after_the_start(tmp_path):
    path = tmp_path / "event.toml"
    path.write_text(TEXT, "utf-8")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "s",
              "DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FORUM_LIVE_ASYNC_MODE": "threading",
              "FORUM_LIVE_EVENT_FILE": str(path)}
    assert create_app(config).config["FORUM_LIVE_EVENT_CREATED"] is True
    path.write_text(TEXT.replace(*RENAME), "utf-8")
    app = create_app(config)
    assert app.config["FORUM_LIVE_EVENT_CHANGES"] == ["panelist chowdhury: name 'Mr Anir Chowdhury' -> 'Dr Anir Chowdhury'"]
    with app.extensions["forum_live.sessions"]() as s:
        ros.start_show(s.query(Event).one(), datetime.now(UTC))
        s.commit()
    path.write_text(TEXT, "utf-8")
    with pytest.raises(EventFileError, match="has started"):
        create_app(config)
    assert create_app({**config, "FORUM_LIVE_EVENT_REPLACE": True}).config["FORUM_LIVE_EVENT_CHANGES"] == [
        "panelist chowdhury: name 'Dr Anir Chowdhury' -> 'Mr Anir Chowdhury'"]
    # Without --event, the stored event is resumed as it is.
    assert create_app({**config, "FORUM_LIVE_EVENT_FILE": None}).config["FORUM_LIVE_EVENT_CHANGES"] == []
