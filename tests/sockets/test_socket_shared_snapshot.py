"""The connect snapshot's public parts, one copy per version of the event shared by every phone
(services/public_state.py): a copy is never served after a change, whichever process or session
made it, nor after a poll's deadline passed."""
from datetime import timedelta

import pytest
import sqlalchemy

from forum_live import create_app
from forum_live.domain.clock import utcnow
from forum_live.extensions import db_session
from forum_live.persistence.models import Poll
from forum_live.services import views
from forum_live.sockets import broadcast
from forum_live.sockets import connect as connect_module
from forum_live.sockets.autoadvance import AutoAdvancer
from support.actors import Actor
from support.server import TOKEN


@pytest.fixture
def other_process(app, tmp_path):
    """A second app on the same database: another server process, with memory of its own."""
    return create_app({key: app.config[key] for key in (
        "TESTING", "DATABASE_URL", "SECRET_KEY", "FORUM_LIVE_MODERATOR_TOKEN", "FORUM_LIVE_ASYNC_MODE",
        "FORUM_LIVE_PUBLIC_URL", "FORUM_LIVE_TALLY_INTERVAL_MS")} | {"INSTANCE_PATH": str(tmp_path / "instance-b")})


def _phone(app):
    return Actor(app, "/audience", {"event": "ILO22"})


def _state(actor):
    return actor.last("state")


def _approved_question(mod, phone, text):
    ask = phone.call("question:submit", {"client_id": f"shared-{abs(hash(text)) % 10**8:08d}", "text": text,
                                         "name": None, "panelist_id": None})
    assert ask["ok"], ask
    assert mod.call("question:moderate", {"question_id": ask["question"]["id"], "action": "approve"})["ok"]
    return ask["question"]["id"]


def test_phones_share_one_copy_until_the_event_changes(app, connect, monkeypatch):
    built = []
    real = views.questions_view
    monkeypatch.setattr("forum_live.services.public_state.questions_view",
                        lambda *a, **k: built.append(a[2]) or real(*a, **k))
    first, second, screen = connect("audience"), connect("audience"), connect("screen")
    assert built == ["audience"]  # one build for two phones and a projector
    assert _state(first)["questions"] == _state(second)["questions"] == _state(screen)["questions"]
    mod = connect("moderator")
    qid = _approved_question(mod, first, "Who funds the alliance after the pilot?")
    third = connect("audience")
    assert len(built) == 2 and qid in [q["id"] for q in _state(third)["questions"]["items"]]


def test_a_change_made_by_another_process_reaches_the_next_phone(app, connect, other_process):
    before = connect("audience")  # this process builds its copy
    assert _state(before)["questions"]["items"] == []
    mod_b = Actor(other_process, "/moderator", {"token": TOKEN})
    phone_b = _phone(other_process)
    qid = _approved_question(mod_b, phone_b, "How does fragile-to-fragile cooperation start?")
    assert phone_b.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    poll = _state(mod_b)["polls"][0]
    assert mod_b.call("poll:open", {"poll_id": poll["id"]})["ok"]
    assert mod_b.call("poll:reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
    assert phone_b.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][1]["id"]})["ok"]
    after = connect("audience")
    state = _state(after)
    assert [(q["id"], q["votes"]) for q in state["questions"]["items"]] == [(qid, 1)]
    shown = next(p for p in state["polls"] if p["id"] == poll["id"])
    assert (shown["status"], shown["revealed"], shown["results"]["total"]) == ("open", True, 1)
    # and the other way round: B's copy follows a change made here
    mod_a = connect("moderator")
    assert mod_a.call("question:moderate", {"question_id": qid, "action": "reject"})["ok"]
    assert _state(_phone(other_process))["questions"]["items"] == []
    assert _state(connect("rapporteur"))["questions"]["items"] == []


def test_an_auto_close_stored_by_another_process_reaches_the_next_phone(app, connect, other_process):
    mod = connect("moderator")
    poll = next(p for p in _state(mod)["polls"] if p["kind"] == "rating")
    assert mod.call("poll:update", {"poll_id": poll["id"], "duration_s": 60})["ok"]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    assert next(p for p in _state(connect("audience"))["polls"] if p["id"] == poll["id"])["status"] == "open"
    AutoAdvancer(other_process).run_once(now=utcnow() + timedelta(seconds=61))  # B's timer task closes it
    with app.app_context(), db_session() as session:
        assert session.get(Poll, poll["id"]).status == "closed"
    assert next(p for p in _state(connect("audience"))["polls"] if p["id"] == poll["id"])["status"] == "closed"


def test_a_copy_is_not_served_past_a_poll_deadline_the_timer_has_not_stored_yet(app, connect, monkeypatch):
    mod = connect("moderator")
    poll = next(p for p in _state(mod)["polls"] if p["kind"] == "rating")
    assert mod.call("poll:update", {"poll_id": poll["id"], "duration_s": 60})["ok"]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    assert next(p for p in _state(connect("audience"))["polls"] if p["id"] == poll["id"])["status"] == "open"
    later = utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(broadcast, "utcnow", lambda: later)  # no timer task runs in this test
    shown = next(p for p in _state(connect("audience"))["polls"] if p["id"] == poll["id"])
    assert (shown["status"], shown["closes_ms"]) == ("closed", None)


def test_a_run_of_show_import_on_another_process_reaches_the_next_phone(app, connect, other_process):
    assert "Ana Guest" not in [p["name"] for p in _state(connect("audience"))["event"]["panelists"]]
    mod_b = Actor(other_process, "/moderator", {"token": TOKEN})
    ack = mod_b.call("run:import", {"rows": [{"title": "Opening", "kind": "opening", "length_ms": 300_000},
                                             {"title": "Guest", "kind": "panelist", "length_ms": 600_000,
                                              "panelist": "guest"}],
                                    "panelists": [{"key": "guest", "name": "Ana Guest"}]})
    assert ack["ok"], ack
    assert "Ana Guest" in [p["name"] for p in _state(connect("audience"))["event"]["panelists"]]


def test_a_phone_that_finds_the_copy_kept_is_answered_from_two_core_statements(app, connect, monkeypatch):
    """While the copy is kept, a phone's connect reads the event's row and the phone's own part on
    a Core connection (sockets.broadcast.kept_snapshot; the segments are the copy's), no ORM
    session; its snapshot is the one the ORM path gives."""
    mod, first = connect("moderator"), connect("audience")  # the first phone builds the copy
    token = _state(first)["device_token"]
    qid = _approved_question(mod, first, "How do the cooperatives reach informal workers?")
    assert mod.call("timer:start", {})["ok"]
    assert first.call("question:upvote", {"question_id": qid, "on": True})["ok"]
    orm = connect("audience", device=token)  # after the changes: built again (ORM)
    statements, sessions = [], []
    engine = app.extensions["forum_live.engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    sqlalchemy.event.listen(engine, "before_cursor_execute", listener)
    real_session = connect_module.db_session
    monkeypatch.setattr(connect_module, "db_session", lambda: sessions.append(1) or real_session())
    try:
        kept = connect("audience", device=token)  # the same phone in a second tab
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", listener)
    assert sessions == [] and len(statements) == 2, statements
    a, b = _state(orm), _state(kept)
    assert b["mine"]["votes"] == [qid] == a["mine"]["votes"]
    for part in ("event", "questions", "polls", "scene", "summary_url", "mine", "device_token", "role"):
        assert a[part] == b[part], part
    assert b["run"]["status"] == a["run"]["status"] == "live"
    assert [s["id"] for s in b["run"]["segments"]] == [s["id"] for s in a["run"]["segments"]]
    assert b["run"]["timer"]["segment_id"] == a["run"]["timer"]["segment_id"]


def test_a_timer_change_made_by_another_process_reaches_the_next_phones_run(app, connect, other_process):
    """The phones' run is computed from the copy's segment rows: a timer action on process B
    moves the version, so the next phone on A gets the run as stored."""
    before = _state(connect("audience"))["run"]  # A's copy, segments at rest
    assert before["status"] == "not-started" and before["segments"][0]["started_ms"] is None
    mod_b = Actor(other_process, "/moderator", {"token": TOKEN})
    assert mod_b.call("timer:start", {})["ok"]
    assert mod_b.call("timer:adjust", {"delta_ms": 60_000})["ok"]
    run = _state(connect("audience"))["run"]
    first = run["segments"][0]
    assert run["status"] == "live" and run["current_segment_id"] == first["id"]
    assert first["started_ms"] is not None and first["adjust_ms"] == 60_000


def test_an_auto_advance_stored_by_another_process_reaches_the_next_phone(app, connect, other_process):
    mod = connect("moderator")
    first = _state(mod)["run"]["segments"][0]
    assert mod.call("segment:auto", {"segment_id": first["id"], "on": True})["ok"]
    assert mod.call("timer:start", {})["ok"]
    run = _state(connect("audience"))["run"]  # A's copy: the first segment on air
    assert run["current_segment_id"] == first["id"]
    AutoAdvancer(other_process).run_once(now=utcnow() + timedelta(hours=1))  # B's timer task moves on
    run = _state(connect("audience"))["run"]
    assert run["current_segment_id"] == run["segments"][1]["id"] and run["segments"][0]["left_ms"] is not None
