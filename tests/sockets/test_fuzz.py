"""Fuzz: thousands of random valid and invalid events from every role keep the server up and
the invariants true (every call acked with a known code, tallies equal ballots, one vote per
device, the timer never loses time)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from forum_live.domain.clock import utcnow
from forum_live.extensions import db_session
from forum_live.identity import view_key
from forum_live.persistence.models import Ballot, Event, Segment, Takeaway, Vote
from forum_live.services.polls import poll_results
from forum_live.services.run_of_show import clock_of
from forum_live.sockets import handlers
from support.actors import Actor

CODES = {"invalid_payload", "invalid_text", "not_found", "forbidden", "invalid_state", "unknown_event",
         "rate_limited", "internal_never"}  # "internal" is a bug: it is deliberately not listed

# Small ids that exist, and numbers beyond the database's INTEGER (must be invalid_payload, never internal).
ids = st.one_of(st.integers(min_value=-2, max_value=40), st.sampled_from([2 ** 31, -(2 ** 31) - 1, 10 ** 30]))
scalars = st.one_of(st.none(), st.booleans(), ids, st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["approve", "reject", "answer", "timer", "poll", "join", "prompt", "question"]))
KEYS = ["client_id", "text", "name", "panelist_id", "question_id", "on", "poll_id", "value", "segment_id",
        "delta_ms", "action", "revealed", "prompt_id", "scene", "extra", "takeaway_id", "key_question_id", "for_summary"]


@st.composite
def payloads(draw):
    shape = draw(st.sampled_from(["dict", "dict", "dict", "scalar", "list"]))
    if shape == "scalar":
        return draw(scalars)
    if shape == "list":
        return draw(st.lists(scalars, max_size=3))
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=4, unique=True))
    payload = {}
    for key in keys:
        if key == "client_id":
            payload[key] = draw(st.one_of(st.text(alphabet="abcdef0123456789-", min_size=6, max_size=12), scalars))
        elif key == "text":
            payload[key] = draw(st.one_of(st.text(max_size=80), st.just("A reasonable question?"), scalars))
        elif key == "delta_ms":
            payload[key] = draw(st.one_of(st.sampled_from([60_000, -60_000, 1, -1_000_000]), scalars))
        else:
            payload[key] = draw(scalars)
    return payload


EVENT_NAMES = sorted({*handlers("/audience"), *handlers("/moderator"), "clock:ping", "nope", "connect"})
calls = st.lists(st.tuples(st.sampled_from(["audience", "audience", "moderator", "screen", "rapporteur"]),
                           st.sampled_from(EVENT_NAMES), payloads()), min_size=20, max_size=20)


def _check_invariants(app):
    with app.app_context(), db_session() as session:
        event = session.scalar(select(Event))
        for poll in event.polls:
            ballots = session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id))
            assert poll_results(session, poll)["total"] == ballots
        dupes = session.execute(select(Vote.question_id, Vote.device_id, func.count()).group_by(
            Vote.question_id, Vote.device_id).having(func.count() > 1)).all()
        assert dupes == []
        for t in session.scalars(select(Takeaway)):  # a takeaway's tags are its event's
            assert t.segment_id in {None, *(x.id for x in event.segments)}
            assert t.panelist_id in {None, *(x.id for x in event.panelists)}
            assert t.key_question_id in {None, *(x.id for x in event.key_questions)}
            assert 1 <= len(t.text) <= 500
        now = utcnow()
        for seg in session.scalars(select(Segment)):
            clock = clock_of(seg)
            elapsed = clock.elapsed_ms(now)
            assert elapsed >= 0
            if seg.started_at is not None:
                assert elapsed <= (now - seg.started_at).total_seconds() * 1000 + 1
            assert clock.remaining_ms(now) == seg.planned_ms + seg.adjust_ms - elapsed


def test_random_events_from_every_role_keep_the_server_up_and_the_invariants_true(app):
    actors = {"moderator": Actor(app, "/moderator", {"token": "live-test-token"}),
              "screen": Actor(app, "/screen", {"event": "ILO22",
                                               "key": view_key(app.config["SECRET_KEY"], "ILO22", "projector")}),
              "audience": Actor(app, "/audience", {"event": "ILO22"}),
              "rapporteur": Actor(app, "/rapporteur", {"event": "ILO22", "key": view_key(app.config["SECRET_KEY"], "ILO22",
                                                                                          "rapporteur")})}
    # Something to act on: an approved question, an open poll, a running show.
    phone = actors["audience"]
    q = phone.call("question:submit", {"client_id": "fuzz-seed-1", "text": "Seed question?"})["question"]
    actors["moderator"].call("question:moderate", {"question_id": q["id"], "action": "approve"})
    actors["moderator"].call("poll:open", {"poll_id": 1})
    actors["moderator"].call("timer:start")
    seen = {"ok": 0, "error": 0}

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(calls)
    def run(batch):
        for role, name, payload in batch:
            ack = actors[role].call(name, payload)
            assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (role, name, payload, ack)
            if ack["ok"]:
                seen["ok"] += 1
            else:
                assert ack["code"] in CODES, (role, name, payload, ack)
                seen["error"] += 1
            actors[role].received()  # keep the queues short
        _check_invariants(app)

    run()
    assert seen["ok"] + seen["error"] >= 2000
    assert seen["ok"] > 0 and seen["error"] > 0
    assert actors["moderator"].call("clock:ping")["ok"]  # still serving
