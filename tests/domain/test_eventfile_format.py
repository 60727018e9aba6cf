"""Event files: the shipped default loads as published; bad files name what is wrong."""
from datetime import UTC, datetime
from pathlib import Path

import pytest

import forum_live.events
from forum_live.eventfile import DEFAULT_EVENT, EventFileError, load_event_file, parse_event

SHIPPED = Path(forum_live.events.__file__).parent / DEFAULT_EVENT

MINIMAL = """
[event]
code = "DEMO1"
title = "A panel"
timezone = "Europe/Paris"
start = 2024-03-05T14:00:00

[moderator]
name = "A. Moderator"

[[panelists]]
key = "ana"
name = "Ana"

[[key_questions]]
key = "why"
text = "Why?"

[[segments]]
kind = "panelist"
title = "Ana speaks"
minutes = 10
panelist = "ana"
key_question = "why"

[[polls]]
key = "pick"
kind = "single"
title = "Pick one"
options = ["A", "B"]
"""


def test_default_event_people_and_key_questions():
    spec = load_event_file()
    assert (spec.event.code, len(spec.panelists)) == ("ILO22", 5)
    assert [(q.key, len(q.prompts)) for q in spec.key_questions] == [("good-practice", 3), ("going-ahead", 3)]
    assert spec.moderator.name == "Ms Rie Vejs-Kjeldgaard"


def test_default_event_run_of_show_is_nine_segments_of_90_minutes():
    spec = load_event_file()
    assert [s.minutes for s in spec.segments] == [8, 10, 10, 10, 10, 10, 12, 15, 5]
    assert [s.kind for s in spec.segments] == [
        "opening", "panelist", "panelist", "panelist", "panelist", "panelist", "discussion", "qa", "closing"]
    assert all(s.wrap_up_seconds == 120 for s in spec.segments)


def test_default_event_polls_one_of_each_kind():
    spec = load_event_file()
    assert [(p.key, p.kind, len(p.options), p.scale_max) for p in spec.polls] == [
        ("next-theme", "single", 5, 5), ("usefulness", "rating", 0, 5), ("one-word", "wordcloud", 0, 5)]


def test_default_event_local_times_are_bangkok_time():
    spec = load_event_file()
    assert spec.event.timezone == "Asia/Bangkok"
    assert spec.start_at == datetime(2022, 9, 13, 3, 30, tzinfo=UTC)       # 10:30 in Bangkok
    assert spec.booked_end_at == datetime(2022, 9, 13, 4, 50, tzinfo=UTC)  # 11:50 in Bangkok


def test_load_by_path_reads_the_same_file():
    assert load_event_file(SHIPPED) == load_event_file(None)


# (replace this, with that) in MINIMAL -> start_at (UTC)
TIMES = {
    "local time read in the event's zone (CET, +01:00)": (None, None, datetime(2024, 3, 5, 13, 0)),
    "local time in summer (CEST, +02:00)": ("2024-03-05T14:00:00", "2024-07-05T14:00:00",
                                           datetime(2024, 7, 5, 12, 0)),
    "an explicit offset wins over the zone": ("2024-03-05T14:00:00", "2024-03-05T14:00:00+05:30",
                                              datetime(2024, 3, 5, 8, 30)),
    "Z is UTC": ("2024-03-05T14:00:00", "2024-03-05T14:00:00Z", datetime(2024, 3, 5, 14, 0)),
}


@pytest.mark.parametrize(("old", "new", "start_utc"), TIMES.values(), ids=TIMES.keys())
def test_start_becomes_an_aware_utc_instant(old, new, start_utc):
    spec = parse_event(MINIMAL if old is None else MINIMAL.replace(old, new))
    assert spec.start_at == start_utc.replace(tzinfo=UTC)
    assert spec.booked_end_at is None


def test_event_code_is_upper_cased_because_codes_are_looked_up_upper_cased():
    assert parse_event(MINIMAL.replace('code = "DEMO1"', 'code = "demo1"')).event.code == "DEMO1"


def test_minimal_file_gets_the_documented_defaults():
    spec = parse_event(MINIMAL)
    assert (spec.event.subtitle, spec.event.venue, spec.event.organisers, spec.event.themes) == ("", "", [], [])
    assert (spec.moderator.title, spec.panelists[0].role, spec.key_questions[0].prompts) == ("", "", [])
    assert (spec.segments[0].wrap_up_seconds, spec.polls[0].scale_max) == (120, 5)


# (replace this, with that) in MINIMAL -> words the error must contain
BAD = {
    "unknown panelist reference": ('panelist = "ana"', 'panelist = "bob"', ["panelist", "'bob'"]),
    "unknown key question reference": ('key_question = "why"', 'key_question = "how"', ["key question", "'how'"]),
    "bad time zone": ('"Europe/Paris"', '"Europe/Atlantis"', ["event.timezone", "Europe/Atlantis"]),
    "single poll with one option": ('["A", "B"]', '["A"]', ["polls.0", "2 to 12 options"]),
    "option label over 200 characters": ('["A", "B"]', f'["A", "{"x" * 201}"]', ["polls.0.options.1"]),
    "empty option label": ('["A", "B"]', '["A", " "]', ["polls.0.options.1"]),
    "options on a rating poll": ('kind = "single"', 'kind = "rating"', ["polls.0", "no options"]),
    "unknown poll kind": ('kind = "single"', 'kind = "ranking"', ["polls.0.kind"]),
    "unknown segment kind": ('kind = "panelist"', 'kind = "keynote"', ["segments.0.kind"]),
    "max_choices on a single poll": ('options = ["A", "B"]', 'options = ["A", "B"]\nmax_choices = 1',
                                     ["polls.0", "max_choices"]),
    "max_choices above the options": ('kind = "single"', 'kind = "multiple"\nmax_choices = 3', ["polls.0", "max_choices"]),
    "multiple poll with one option": ('kind = "single"\ntitle = "Pick one"\noptions = ["A", "B"]',
                                      'kind = "multiple"\ntitle = "Pick"\noptions = ["A"]', ["polls.0", "2 to 12"]),
    "options on an open-text poll": ('kind = "single"', 'kind = "text"', ["polls.0", "no options"]),
    "auto-close after 4 s": ('options = ["A", "B"]', 'options = ["A", "B"]\nauto_close_seconds = 4',
                             ["polls.0.auto_close_seconds"]),
    "live results as text": ('options = ["A", "B"]', 'options = ["A", "B"]\nlive_results = "yes"', ["polls.0.live_results"]),
    "zero minutes": ("minutes = 10", "minutes = 0", ["segments.0.minutes"]),
    "unknown field": ('title = "A panel"', 'title = "A panel"\nhall = "B"', ["event.hall", "Extra inputs"]),
    "room too long": ('title = "A panel"', 'title = "A panel"\nroom = "' + "R" * 101 + '"', ["event.room"]),
    "unknown table": ("[moderator]", "[sponsor]\nname = 'x'\n[moderator]", ["sponsor"]),
    "missing required field": ('name = "A. Moderator"', "", ["moderator.name", "Field required"]),
    "bad event code": ('code = "DEMO1"', 'code = "DEMO 1"', ["event.code"]),
    "booked end before start": ("start = 2024-03-05T14:00:00",
                                "start = 2024-03-05T14:00:00\nbooked_end = 2024-03-05T13:00:00",
                                ["booked_end must be after start"]),
    "duplicate panelist key": ('[[key_questions]]', '[[panelists]]\nkey = "ana"\nname = "Ana 2"\n\n[[key_questions]]',
                               ["panelists", "'ana'", "used twice"]),
    "minutes as a boolean": ("minutes = 10", "minutes = true", ["segments.0.minutes"]),
    "start without a time of day": ("start = 2024-03-05T14:00:00", "start = 2024-03-05", ["event.start"]),
    "empty prompt": ('[[key_questions]]', '[[key_questions]]\nprompts = [""]', ["key_questions.0.prompts.0"]),
    "no segments": ("[[segments]]", "[[ignored]]", ["segments"]),
    "invalid TOML": ('title = "A panel"', 'title = "A panel', ["not valid TOML"]),
}


@pytest.mark.parametrize(("old", "new", "words"), BAD.values(), ids=BAD.keys())
def test_bad_event_file_error_names_the_problem(old, new, words):
    assert old in MINIMAL
    with pytest.raises(EventFileError) as err:
        parse_event(MINIMAL.replace(old, new, 1), "demo.toml")
    message = str(err.value)
    assert message.startswith("demo.toml: ")
    for word in words:
        assert word in message


def test_missing_file_error_names_the_path():
    missing = SHIPPED.parent / "no-such-event.toml"
    with pytest.raises(EventFileError) as err:
        load_event_file(missing)
    assert str(missing) in str(err.value) and "cannot read" in str(err.value)


def test_poll_fields_for_multiple_choice_live_results_and_auto_close():
    spec = parse_event(MINIMAL.replace('kind = "single"', 'kind = "multiple"\nmax_choices = 2\nlive_results = true\n'
                                       'auto_close_seconds = 90', 1))
    poll = spec.polls[0]
    assert (poll.kind, poll.max_choices, poll.live_results, poll.auto_close_seconds) == ("multiple", 2, True, 90)


def test_the_example_in_docs_event_file_md_is_a_valid_event_file():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "event-file.md").read_text("utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    spec = parse_event(example, "docs/event-file.md")
    assert (spec.event.code, len(spec.segments), sum(s.minutes for s in spec.segments)) == ("YEN24", 5, 60)
    assert spec.start_at == datetime(2024, 11, 20, 11, 0, tzinfo=UTC)
    assert [(p.kind, p.max_choices, p.live_results, p.auto_close_seconds) for p in spec.polls] == [
        ("single", None, False, None), ("wordcloud", None, True, None), ("multiple", 2, False, 60)]
