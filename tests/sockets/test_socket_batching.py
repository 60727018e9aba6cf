"""Group commit of the audience's storm actions (protocol/batching.py): requests that arrive
together share one transaction and one broadcast, and each still gets its own ack; the queue
hands the writing on from batch to batch; an item refused does not spoil the others."""
import threading
import time

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from forum_live.domain.clock import utcnow
from forum_live.extensions import db_session
from forum_live.identity import new_device
from forum_live.persistence.models import Ballot, Vote
from forum_live.protocol import handling
from forum_live.protocol.batching import Batcher, Item
from forum_live.protocol.handling import merge_outcomes, validate
from forum_live.protocol.namespaces import AUDIENCE_NS
from forum_live.protocol.outcome import Connection, Outcome
from forum_live.protocol.registry import ACTIONS


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_RATE_VOTES_DEVICE": "1000/minute", "FORUM_LIVE_RATE_VOTES_IP": "1000/minute"}


def _phone(app, connect):
    device_id, token = new_device(app.config["SECRET_KEY"])
    return device_id, connect("audience", device=token)


def _event_id(app):
    from forum_live.services.events import get_event
    with db_session(app) as s:
        return get_event(s, "ILO22").id


def _item(name, payload, device_id, event_id):
    entry = ACTIONS[name]
    conn = Connection(AUDIENCE_NS, event_id, device_id, ip="10.0.0.9")
    return Item(entry, validate(entry.schema, payload), conn, utcnow())


def test_a_batch_is_one_commit_and_one_broadcast_and_every_item_gets_its_own_ack(app, connect):
    mod, projector = connect("moderator"), connect("screen")
    (dev_a, phone_a), (dev_b, phone_b) = _phone(app, connect), _phone(app, connect)
    state = mod.last("state")
    event_id, poll = _event_id(app), state["polls"][0]
    ask = phone_a.call("question:submit", {"client_id": "batch-q-0001", "text": "Who pays for the transition?"})
    qid = ask["question"]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    items = [
        _item("question:upvote", {"question_id": qid, "on": True}, dev_a, event_id),
        _item("question:upvote", {"question_id": qid, "on": True}, dev_b, event_id),
        _item("question:upvote", {"question_id": qid, "on": True}, dev_a, event_id),  # a resend
        _item("question:upvote", {"question_id": 99_999, "on": True}, dev_b, event_id),  # unknown
        _item("poll:vote", {"poll_id": poll["id"], "value": poll["options"][1]["id"]}, dev_a, event_id),
    ]
    engine = app.extensions["forum_live.engine"]
    commits = []

    def counted(conn):
        commits.append(1)
    sa_event.listen(engine, "commit", counted)
    try:
        single = _item("question:upvote", {"question_id": qid, "on": True}, "dev-single-0001", event_id)
        handling._run_batch(app, [single])  # what one request alone costs
        assert single.ack["ok"] and single.ack["votes"] == 1
        alone, commits[:] = len(commits), []
        projector.received()
        handling._run_batch(app, items)
    finally:
        sa_event.remove(engine, "commit", counted)
    acks = [item.ack for item in items]
    assert [a["ok"] for a in acks] == [True, True, True, False, True]
    assert [a.get("duplicate") for a in acks[:3]] == [False, False, True]
    assert [a.get("votes") for a in acks[:3]] == [2, 3, 3]
    assert acks[3]["code"] == "not_found"
    assert acks[4]["value"] == poll["options"][1]["id"]
    assert 1 <= len(commits) == alone  # five requests cost the commits of one
    with db_session(app) as s:
        assert s.scalar(select(func.count()).select_from(Vote).where(Vote.question_id == qid)) == 3
        assert s.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll["id"])) == 1
    # One broadcast of each part for the whole batch, with every change in it.
    questions = projector.received("questions")
    assert len(questions) == 1 and next(q for q in questions[0]["items"] if q["id"] == qid)["votes"] == 3
    assert len(projector.received("polls")) == 1
    # Each phone's other tabs learn what changed for it, in one patch (a's upvote and ballot).
    patches = phone_a.received("mine_patch")
    assert patches == [{"votes": {str(qid): True}, "ballots": {str(poll["id"]): poll["options"][1]["id"]},
                        "answer_status": {str(poll["id"]): None}}]
    assert phone_b.received("mine_patch") == [{"votes": {str(qid): True}}]


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_TALLY_INTERVAL_MS": 60_000, "FORUM_LIVE_RATE_VOTES_IP": "1000/minute",
                                          "FORUM_LIVE_RATE_VOTES_DEVICE": "1000/minute"}])
def test_a_batch_whose_tally_is_not_due_never_reads_the_event_row(app, connect, app_config):
    """An upvote needs its event's id alone (handling.EventRef): the event row (some thirty
    columns) is read only when a part is built, here the first tally of the interval."""
    mod = connect("moderator")
    (dev_a, phone_a), (dev_b, _) = _phone(app, connect), _phone(app, connect)
    event_id = _event_id(app)
    asked = phone_a.call("question:submit", {"client_id": "batch-q-0002", "text": "Who trains the trainers?"})
    qid = asked["question"]["id"]
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    engine, reads = app.extensions["forum_live.engine"], []

    def seen(conn, cursor, statement, *args):
        if " FROM event " in f"{statement} ".replace("\n", " "):
            reads.append(statement)
    sa_event.listen(engine, "before_cursor_execute", seen)
    try:
        first = _item("question:upvote", {"question_id": qid, "on": True}, dev_a, event_id)
        handling._run_batch(app, [first])  # the interval's first tally goes out: the row is read
        built = len(reads)
        second = _item("question:upvote", {"question_id": qid, "on": True}, dev_b, event_id)
        handling._run_batch(app, [second])  # coalesced: only the ack and the phone's patch
    finally:
        sa_event.remove(engine, "before_cursor_execute", seen)
    assert first.ack["votes"] == 1 and second.ack["votes"] == 2
    assert built >= 1 and len(reads) == built, reads
    assert mod.received("questions")[-1]["items"][0]["votes"] == 1  # built from the real event


def test_merged_outcomes_keep_every_part_and_each_devices_last_change():
    merged = merge_outcomes([
        Outcome(parts={"questions"}, coalesce={"questions"}, mine_patches={"d1": {"votes": {"7": True}}}),
        Outcome(parts={"questions"}, moderators_only={"questions"}),
        Outcome(parts={"polls"}, mine_patches={"d1": {"votes": {"7": False, "8": True}, "ballots": {"3": 2}}}),
    ])
    assert merged.parts == {"questions", "polls"} and merged.coalesce == {"questions"}
    assert merged.moderators_only == set()  # one outcome's questions changed for everyone
    assert merged.mine_patches == {"d1": {"votes": {"7": False, "8": True}, "ballots": {"3": 2}}}
    hidden = merge_outcomes([Outcome(parts={"questions"}, moderators_only={"questions"})])
    assert hidden.moderators_only == {"questions"}


def test_an_unexpected_error_acks_every_item_internal_and_stores_nothing(app, connect, monkeypatch):
    mod = connect("moderator")
    dev, phone = _phone(app, connect)
    state = mod.last("state")
    poll = state["polls"][0]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    items = [_item("poll:vote", {"poll_id": poll["id"], "value": poll["options"][0]["id"]}, dev, _event_id(app))]
    real = ACTIONS["question:upvote"].fn

    def broken(session, event, data, conn, now):
        real(session, event, data, conn, now)
        raise RuntimeError("disk gone")
    ask = phone.call("question:submit", {"client_id": "batch-q-0002", "text": "And the informal economy?"})
    assert mod.call("question:moderate", {"question_id": ask["question"]["id"], "action": "approve"})["ok"]
    upvote = _item("question:upvote", {"question_id": ask["question"]["id"], "on": True}, dev, _event_id(app))
    monkeypatch.setattr(upvote, "entry", type("E", (), {"fn": staticmethod(broken)})())
    handling._run_batch(app, items + [upvote])
    assert [i.ack["code"] for i in items + [upvote]] == ["internal", "internal"]
    with db_session(app) as s:
        assert s.scalar(select(func.count()).select_from(Ballot)) == 0
        assert s.scalar(select(func.count()).select_from(Vote)) == 0


def test_requests_queued_while_a_batch_is_written_form_the_next_batch_led_by_the_first_of_them():
    batches, started, release = [], threading.Event(), threading.Event()
    expected = 6

    def run_batch(items):
        batches.append([i.data for i in items])
        if len(batches) == 1:  # the first batch is slow: the others queue up meanwhile
            started.set()
            assert release.wait(10)
        for i in items:
            i.ack = {"ok": True, "n": i.data}

    batcher = Batcher(run_batch, pause=lambda: None)
    acks = {}

    def submit(n):
        acks[n] = batcher.submit(Item(None, n, None, utcnow()))
    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=submit, args=(n,)) for n in range(1, expected)]
    for t in others:
        t.start()
    deadline = time.monotonic() + 10
    while len(batcher._queue) < expected - 1:  # a bound on waiting for the threads to queue
        assert time.monotonic() < deadline
        time.sleep(0.001)
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert batches[0] == [0]
    assert sorted(batches[1]) == list(range(1, expected)) and len(batches) == 2
    assert acks == {n: {"ok": True, "n": n} for n in range(expected)}
    assert batcher._busy is False and batcher._queue == []
