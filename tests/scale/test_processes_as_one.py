"""Two forum-live processes on one PostgreSQL and one Redis channel behave as one process: what
the room sees never depends on which process a console or a phone is on (issue 17, item 1).

Every phone and projector, on both processes, is checked against the database after each step.
"""
import time

import psycopg
import pytest

from support.server import TOKEN, clients

pytestmark = pytest.mark.live

CODE = "ILO22"
WITHIN_S = 2.0


def _rows(pair, sql: str) -> list[tuple]:
    with psycopg.connect(pair["database"]) as conn:
        conn.execute(f'SET search_path TO "{pair["schema"]}"')
        return conn.execute(sql).fetchall()


def _public_from_database(pair) -> tuple[list[int], int | None]:
    """(ids of the questions phones may see, the spotlighted question's id) as stored."""
    ids = sorted(r[0] for r in _rows(pair, "SELECT id FROM question WHERE status IN ('approved', 'answered')"))
    highlighted = _rows(pair, f"SELECT highlighted_question_id FROM event WHERE code = '{CODE}'")[0][0]
    return ids, highlighted


def _shown(client) -> tuple[list[int], int | None]:
    """(ids of the questions ``client`` lists, its spotlighted id) after the last it received."""
    with client.lock:
        sent = client.events.get("questions") or [client.events["state"][0]["questions"]]
        part = sent[-1]
    return sorted(q["id"] for q in part["items"]), part["highlighted_id"]


def _agree_with_database(pair, viewers, what: str) -> None:
    """Every viewer shows what the database holds, within WITHIN_S."""
    expected = _public_from_database(pair)
    deadline = time.monotonic() + WITHIN_S
    while time.monotonic() < deadline:
        if all(_shown(v) == expected for v in viewers):
            return
        time.sleep(0.05)
    wrong = {f"{v.namespace}#{i}": _shown(v) for i, v in enumerate(viewers) if _shown(v) != expected}
    raise AssertionError(f"after {what}: the database says {expected}; these viewers show otherwise: {wrong}")


@pytest.fixture
def room(pair):
    """Per process: a console, a projector and two phones; returns (consoles, viewers, question id)."""
    a, b = pair["servers"]
    with clients() as connect:
        consoles = [connect(s.url, "/moderator", {"token": TOKEN}) for s in (a, b)]
        viewers = [connect(s.url, ns, {"event": CODE}) for s in (a, b)
                   for ns in ("/screen", "/audience", "/audience")]
        for c in (*consoles, *viewers):
            c.state()
        asker = viewers[1]
        ack = asker.call("question:submit", {"client_id": f"as-one-{time.monotonic_ns()}",
                                             "text": "Is every process the same room?", "name": None,
                                             "panelist_id": None})
        assert ack["ok"], ack
        qid = ack["question"]["id"]
        assert consoles[0].call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
        _agree_with_database(pair, viewers, "the first approval")
        yield consoles, viewers, qid


def _moderate(console, qid, action):
    ack = console.call("question:moderate", {"question_id": qid, "action": action})
    assert ack["ok"], ack


def _highlight(console, qid):
    ack = console.call("question:highlight", {"question_id": qid})
    assert ack["ok"], ack


@pytest.mark.parametrize("first", [0, 1], ids=["A-B-A", "B-A-B"])
def test_reject_approve_reject_across_processes_reaches_every_phone(pair, room, first):
    consoles, viewers, qid = room
    one, other = consoles[first], consoles[1 - first]
    for console, action in ((one, "reject"), (other, "approve"), (one, "reject")):
        _moderate(console, qid, action)
        _agree_with_database(pair, viewers, action)


@pytest.mark.parametrize("first", [0, 1], ids=["A-B-A", "B-A-B"])
def test_spotlight_set_clear_set_across_processes_reaches_every_phone(pair, room, first):
    consoles, viewers, qid = room
    one, other = consoles[first], consoles[1 - first]
    for console, target in ((one, qid), (other, None), (one, qid)):
        _highlight(console, target)
        _agree_with_database(pair, viewers, f"spotlight {target}")
    _highlight(other, None)


@pytest.mark.parametrize("console_on", [0, 1], ids=["console on A", "console on B"])
def test_reject_then_approve_again_from_one_console_reaches_every_phone(pair, room, console_on):
    consoles, viewers, qid = room
    for action in ("reject", "approve", "reject", "approve"):
        _moderate(consoles[console_on], qid, action)
        _agree_with_database(pair, viewers, action)


def test_two_consoles_on_two_processes_get_different_numbers_and_keep_them_on_either(pair):
    a, b = pair["servers"]
    ids = [f"console-{time.monotonic_ns()}-{n}" for n in (1, 2)]
    with clients() as connect:
        first = connect(a.url, "/moderator", {"token": TOKEN, "console": ids[0]}).state()["you"]
        second = connect(b.url, "/moderator", {"token": TOKEN, "console": ids[1]}).state()["you"]
        assert first["label"].startswith("Console ") and second["label"].startswith("Console ")
        assert first["label"] != second["label"]
        # The same console reconnecting through the other process is the same console.
        assert connect(b.url, "/moderator", {"token": TOKEN, "console": ids[0]}).state()["you"] == first
        assert connect(a.url, "/moderator", {"token": TOKEN, "console": ids[1]}).state()["you"] == second


def test_presence_counts_every_process_and_a_phone_on_two_processes_once(pair):
    a, b = pair["servers"]
    with clients() as connect:
        consoles = [connect(s.url, "/moderator", {"token": TOKEN, "console": f"presence-{n}-{time.monotonic_ns()}"})
                    for n, s in enumerate((a, b))]
        phone = connect(a.url, "/audience", {"event": CODE})
        token = phone.state()["device_token"]
        connect(b.url, "/audience", {"event": CODE, "device": token}).state()  # its second tab, on B
        connect(b.url, "/audience", {"event": CODE}).state()
        connect(a.url, "/screen", {"event": CODE}).state()
        connect(b.url, "/screen", {"event": CODE}).state()

        def counts(p):
            return (p["phones"], p["projectors"], len(p["consoles"]))
        for console in consoles:
            console.wait_for("presence", lambda p: counts(p) == (2, 2, 2), timeout=WITHIN_S)
        labels = {c["label"] for c in consoles[0].wait_for("presence", lambda p: counts(p) == (2, 2, 2))["consoles"]}
        assert len(labels) == 2


def test_a_phones_question_limit_holds_across_the_two_processes(pair):
    a, b = pair["servers"]  # the default limit: 3 questions a minute per phone
    with clients() as connect:
        phone = connect(a.url, "/audience", {"event": CODE})
        token = phone.state()["device_token"]
        tabs = [phone, connect(b.url, "/audience", {"event": CODE, "device": token})]
        acks = [tabs[n % 2].call("question:submit", {"client_id": f"limit-{time.monotonic_ns()}",
                                                     "text": f"Limited question number {n}?", "name": None,
                                                     "panelist_id": None}) for n in range(4)]
        assert [ack["ok"] for ack in acks] == [True, True, True, False]
        assert acks[3]["code"] == "rate_limited"
