"""Every id and whole number a payload carries is bounded by the schemas: a number beyond the
database's INTEGER (10^30, -10^30, 2^31) is ``invalid_payload``, never ``internal`` (which says
"safe to retry": a phone's outbox would retry it for ever), on SQLite and on PostgreSQL alike.
The largest number allowed (2^31 - 1, PostgreSQL's INTEGER) reaches the services and gets
their answer (``not_found`` and the like), still never ``internal``."""
import pytest
from pydantic import ValidationError

from forum_live import create_app
from forum_live.protocol.schemas import INT_MAX
from forum_live.sockets import handlers
from support.actors import Actor
from support.postgres import postgres_schema
from support.server import TOKEN

#: event -> (namespace, a payload with every field, the fields that take a whole number).
#: Every schema field that takes a whole number is here (checked below).
INT_FIELDS = {
    "question:submit": ("/audience", {"client_id": "bounds-01", "text": "A fine question?", "panelist_id": 1},
                        ["panelist_id"]),
    "question:upvote": ("/audience", {"question_id": 1, "on": True}, ["question_id"]),
    "question:withdraw": ("/audience", {"question_id": 1}, ["question_id"]),
    "poll:vote": ("/audience", {"poll_id": 1, "value": 1}, ["poll_id", "value"]),
    "poll:withdraw": ("/audience", {"poll_id": 1}, ["poll_id"]),
    "poll:answer": ("/moderator", {"ballot_id": 1, "action": "approve"}, ["ballot_id"]),
    "poll:close": ("/moderator", {"poll_id": 1}, ["poll_id"]),
    "poll:create": ("/moderator", {"kind": "multiple", "title": "Which?", "options": ["A", "B"], "max_choices": 1,
                                   "scale_max": 5, "duration_s": 60}, ["max_choices", "scale_max", "duration_s"]),
    "poll:delete": ("/moderator", {"poll_id": 1}, ["poll_id"]),
    "poll:open": ("/moderator", {"poll_id": 1}, ["poll_id"]),
    "poll:reset": ("/moderator", {"poll_id": 1, "confirm": True}, ["poll_id"]),
    "poll:reveal": ("/moderator", {"poll_id": 1, "revealed": True}, ["poll_id"]),
    "poll:show": ("/moderator", {"poll_id": 1}, ["poll_id"]),
    "poll:update": ("/moderator", {"poll_id": 1, "max_choices": 1, "scale_max": 5, "duration_s": 60},
                    ["poll_id", "max_choices", "scale_max", "duration_s"]),
    "prompt:show": ("/moderator", {"prompt_id": 1}, ["prompt_id"]),
    "question:candidates": ("/moderator", {"question_id": 1}, ["question_id"]),
    "question:edit": ("/moderator", {"question_id": 1, "text": "A better question?"}, ["question_id"]),
    "question:highlight": ("/moderator", {"question_id": 1}, ["question_id"]),
    "question:merge": ("/moderator", {"question_id": 1, "into_id": 2}, ["question_id", "into_id"]),
    "question:moderate": ("/moderator", {"question_id": 1, "action": "answer", "answered_by": 1},
                          ["question_id", "answered_by"]),
    "question:queue": ("/moderator", {"question_id": 1, "position": 0}, ["question_id", "position"]),
    "questions:settings": ("/moderator", {"ms_per_question": 60_000}, ["ms_per_question"]),
    "segment:auto": ("/moderator", {"segment_id": 1, "on": True}, ["segment_id"]),
    "segment:skip": ("/moderator", {"segment_id": 1, "skipped": True}, ["segment_id"]),
    "speaker:set": ("/moderator", {"panelist_id": 1}, ["panelist_id"]),
    "timer:adjust": ("/moderator", {"delta_ms": 60_000}, ["delta_ms"]),
    "timer:goto": ("/moderator", {"segment_id": 1}, ["segment_id"]),
    "timer:next": ("/moderator", {"from_segment_id": 1}, ["from_segment_id"]),
    "timer:previous": ("/moderator", {"from_segment_id": 1}, ["from_segment_id"]),
    "takeaway:add": ("/moderator", {"client_id": "bounds-tk-01", "text": "A takeaway", "segment_id": 1,
                                    "panelist_id": 1, "key_question_id": 1},
                     ["segment_id", "panelist_id", "key_question_id"]),
    "takeaway:edit": ("/moderator", {"takeaway_id": 1, "segment_id": 1, "panelist_id": 1, "key_question_id": 1},
                      ["takeaway_id", "segment_id", "panelist_id", "key_question_id"]),
    "takeaway:delete": ("/moderator", {"takeaway_id": 1}, ["takeaway_id"]),
    "panelist:update": ("/moderator", {"panelist_id": 1, "name": "A"}, ["panelist_id"]),
    "panelist:remove": ("/moderator", {"panelist_id": 1}, ["panelist_id"]),
    "panelist:move": ("/moderator", {"panelist_id": 1, "position": 0}, ["panelist_id", "position"]),
    "segment:add": ("/moderator", {"kind": "qa", "title": "Q&A", "minutes": 5, "panelist_id": 1,
                                   "key_question_id": 1, "position": 0},
                    ["minutes", "panelist_id", "key_question_id", "position"]),
    "segment:update": ("/moderator", {"segment_id": 1, "minutes": 5, "panelist_id": 1, "key_question_id": 1},
                       ["segment_id", "minutes", "panelist_id", "key_question_id"]),
    "segment:remove": ("/moderator", {"segment_id": 1}, ["segment_id"]),
    "segment:move": ("/moderator", {"segment_id": 1, "position": 0}, ["segment_id", "position"]),
    "key-question:update": ("/moderator", {"key_question_id": 1, "text": "Why?"}, ["key_question_id"]),
    "key-question:remove": ("/moderator", {"key_question_id": 1}, ["key_question_id"]),
}
CASES = [(event, field) for event, (_, _, fields) in INT_FIELDS.items() for field in fields]
TOO_BIG = [10 ** 30, -(10 ** 30), INT_MAX + 1, -(INT_MAX + 2)]


def _takes_a_whole_number(schema, field) -> bool:
    try:
        schema.model_validate({field: 1})
    except ValidationError as exc:
        return not any(e["loc"][:1] == (field,) for e in exc.errors())
    return True


def test_every_schema_field_that_takes_a_whole_number_is_in_the_table():
    found = {(name, field)
             for ns in ("/audience", "/moderator") for name, handler in handlers(ns).items()
             for field in handler.schema.model_fields if _takes_a_whole_number(handler.schema, field)}
    assert found == set(CASES)


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize(("event", "field"), CASES)
def test_the_schema_refuses_a_number_beyond_the_database_integer(event, field, number):
    namespace, payload, _ = INT_FIELDS[event]
    schema = handlers(namespace)[event].schema
    with pytest.raises(ValidationError) as err:
        schema.model_validate({**payload, field: number})
    assert {e["loc"][0] for e in err.value.errors()} == {field}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bounded_app(request, tmp_path_factory):
    """One app per database kind for the whole module: these calls change nothing (or little)."""
    def make(url):
        path = tmp_path_factory.mktemp(request.param)
        return create_app({
            "TESTING": True, "INSTANCE_PATH": str(path / "instance"), "DATABASE_URL": url,
            "SECRET_KEY": "test-secret", "FORUM_LIVE_MODERATOR_TOKEN": TOKEN, "FORUM_LIVE_ASYNC_MODE": "threading",
            "FORUM_LIVE_TALLY_INTERVAL_MS": 0,
            # thousands of refused calls from one phone and one address
            "FORUM_LIVE_RATE_QUESTIONS_DEVICE": "10000/minute", "FORUM_LIVE_RATE_QUESTIONS_IP": "10000/minute",
            "FORUM_LIVE_RATE_VOTES_DEVICE": "10000/minute", "FORUM_LIVE_RATE_VOTES_IP": "10000/minute",
        })
    if request.param == "sqlite":
        yield make(f"sqlite:///{tmp_path_factory.mktemp('db') / 'forum.db'}")
        return
    with postgres_schema() as url:
        app = make(url)
        yield app
        app.extensions["forum_live.engine"].dispose()


@pytest.fixture(scope="module")
def actors(bounded_app):
    auth = {"/audience": {"event": "ILO22"}, "/moderator": {"token": TOKEN}}
    made = {ns: Actor(bounded_app, ns, a) for ns, a in auth.items()}
    yield made
    for actor in made.values():
        actor.sio.disconnect(actor.namespace)


def test_the_wire_tests_really_run_on_each_database(bounded_app):
    engine = bounded_app.extensions["forum_live.engine"]
    assert engine.dialect.name in ("sqlite", "postgresql")
    assert engine.dialect.name in str(bounded_app.config["DATABASE_URL"])


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize(("event", "field"), CASES)
def test_a_number_beyond_the_database_integer_is_invalid_payload_on_the_wire(actors, event, field, number):
    namespace, payload, _ = INT_FIELDS[event]
    ack = actors[namespace].call(event, {**payload, field: number})
    assert (ack["ok"], ack["code"]) == (False, "invalid_payload"), ack
    assert field in ack["message"]
    actors[namespace].received()


@pytest.mark.parametrize("number", [INT_MAX, -INT_MAX - 1])
@pytest.mark.parametrize(("event", "field"), CASES)
def test_the_largest_number_allowed_reaches_the_services_and_is_never_internal(actors, event, field, number):
    namespace, payload, _ = INT_FIELDS[event]
    ack = actors[namespace].call(event, {**payload, field: number})
    assert ack.get("code") != "internal", ack
    actors[namespace].received()


def test_a_huge_option_id_in_a_multiple_choice_ballot_is_invalid_payload(actors):
    ack = actors["/audience"].call("poll:vote", {"poll_id": 1, "value": [1, 10 ** 30]})
    assert (ack["ok"], ack["code"]) == (False, "invalid_payload"), ack


@pytest.mark.parametrize("version", [10 ** 30, INT_MAX + 1])
def test_a_huge_state_version_is_invalid_payload(actors, version):
    ack = actors["/moderator"].call("timer:pause", {"version": version})
    assert (ack["ok"], ack["code"]) == (False, "invalid_payload"), ack
