"""Several events on one server (issue 12): a console, a view or a phone of one event can neither
read nor change another. The event x role x action part of the permission matrix: every role of
event B, with B's credentials, sends every action it may send, carrying A's ids; A never changes
and none of A's clients hears of it."""
import pytest

from forum_live.domain.clock import utcnow
from forum_live.identity import view_key
from forum_live.services.organising import create_event, source_data
from support.actors import Actor
from support.server import TOKEN as MODERATOR_TOKEN
from test_permission_matrix import MATRIX, _stable


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "100/minute", "FORUM_LIVE_RATE_QUESTIONS_IP": "100/minute"}


@pytest.fixture
def second(app):
    """Event B, made as the organiser makes it (/admin): its code and its own moderator token."""
    with app.extensions["forum_live.sessions"]() as s:
        event, token = create_event(s, source_data(s, "template", template="panel-60-minutes.toml"), utcnow(),
                                    code="OTHER2", room="Hall B")
        s.commit()
    return "OTHER2", token


def _keys(app, code):
    secret = app.config["SECRET_KEY"]
    return {view: view_key(secret, code, view) for view in ("projector", "stage", "rapporteur")}


@pytest.mark.parametrize("case", [
    "server token on B", "B's token on A", "B's token without event", "B's projector key on A",
    "B's stage key on A", "B's rapporteur key on A", "A's projector key on B", "A's rapporteur key on B",
])
def test_another_events_credentials_are_refused(app, second, case):
    code, token = second
    a, b = _keys(app, "ILO22"), _keys(app, code)
    namespace, auth = {
        "server token on B": ("/moderator", {"event": code, "token": MODERATOR_TOKEN}),
        "B's token on A": ("/moderator", {"event": "ILO22", "token": token}),
        "B's token without event": ("/moderator", {"token": token}),
        "B's projector key on A": ("/screen", {"event": "ILO22", "key": b["projector"]}),
        "B's stage key on A": ("/screen", {"event": "ILO22", "stage": b["stage"]}),
        "B's rapporteur key on A": ("/rapporteur", {"event": "ILO22", "key": b["rapporteur"]}),
        "A's projector key on B": ("/screen", {"event": code, "key": a["projector"]}),
        "A's rapporteur key on B": ("/rapporteur", {"event": code, "key": a["rapporteur"]}),
    }[case]
    client = app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)
    assert not client.is_connected(namespace)


def test_each_event_opens_with_its_own_credentials(app, second):
    code, token = second
    b = _keys(app, code)
    mod = Actor(app, "/moderator", {"event": code, "token": token})
    assert mod.last("state")["event"]["code"] == code
    for namespace, auth in (("/screen", {"event": code, "key": b["projector"]}),
                            ("/screen", {"event": code, "stage": b["stage"]}),
                            ("/rapporteur", {"event": code, "key": b["rapporteur"]}), ("/audience", {"event": code})):
        assert Actor(app, namespace, auth).last("state")["event"]["code"] == code
    assert Actor(app, "/moderator", {"token": MODERATOR_TOKEN}).last("state")["event"]["code"] == "ILO22"


def _a_show(app):
    """Event A with something of every kind a B client could aim at: questions (one voted on),
    an open poll with a ballot, a takeaway, a running slot."""
    mod, phone = Actor(app, "/moderator", {"token": MODERATOR_TOKEN}), Actor(app, "/audience", {"event": "ILO22"})
    state = mod.last("state")
    qids = [phone.call("question:submit", {"client_id": f"a-question-{n}", "text": text})["question"]["id"]
            for n, text in enumerate(["How do these alliances usually start?", "Who pays for the secretariat?"])]
    for qid in qids:
        assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    voter = Actor(app, "/audience", {"event": "ILO22"})
    assert voter.call("question:upvote", {"question_id": qids[0], "on": True})["ok"]
    poll = mod.call("poll:create", {"kind": "text", "title": "One word?"})["poll_id"]
    assert mod.call("poll:open", {"poll_id": poll})["ok"]
    assert phone.call("poll:vote", {"poll_id": poll, "value": "solidarity"})["ok"]
    ballot = next(a["id"] for p in mod.last("polls") if p["id"] == poll for a in p["results"]["answers"])
    takeaway = mod.call("takeaway:add", {"client_id": "a-takeaway-1", "text": "Alliances start small."})["takeaway"]["id"]
    assert mod.call("timer:start", {})["ok"]
    return {"q": qids, "poll": poll, "ballot": ballot, "takeaway": takeaway,
            "segment": [s["id"] for s in state["run"]["segments"]],
            "panelist": state["event"]["panelists"][0]["id"],
            "prompt": state["event"]["key_questions"][0]["prompts"][0]["id"],
            "key_question": state["event"]["key_questions"][0]["id"]}


def _aimed_at(ids):
    """Each action with a payload naming A's rows (an action without ids acts on the sender's own
    event, which is what is checked: A does not move)."""
    q, q2 = ids["q"]
    return {
        "question:upvote": {"question_id": q, "on": True}, "question:withdraw": {"question_id": q},
        "question:submit": {"client_id": "b-question-1", "text": "Is this B's question?"},
        "question:similar": {"text": "How do alliances start?"},
        "poll:vote": {"poll_id": ids["poll"], "value": "other"}, "poll:withdraw": {"poll_id": ids["poll"]},
        "question:moderate": {"question_id": q, "action": "archive"},
        "question:highlight": {"question_id": q}, "question:edit": {"question_id": q, "text": "Changed by B?"},
        "question:merge": {"question_id": q2, "into_id": q}, "question:candidates": {"question_id": q},
        "question:queue": {"question_id": q, "position": 0}, "question:next": {},
        "poll:update": {"poll_id": ids["poll"], "title": "Changed by B"}, "poll:delete": {"poll_id": ids["poll"]},
        "poll:open": {"poll_id": ids["poll"]}, "poll:close": {"poll_id": ids["poll"]},
        "poll:reveal": {"poll_id": ids["poll"], "revealed": True}, "poll:reset": {"poll_id": ids["poll"], "confirm": True},
        "poll:answer": {"ballot_id": ids["ballot"], "action": "reject"}, "poll:show": {"poll_id": ids["poll"]},
        "segment:skip": {"segment_id": ids["segment"][3], "skipped": True},
        "segment:auto": {"segment_id": ids["segment"][1], "on": True},
        "timer:goto": {"segment_id": ids["segment"][2]}, "speaker:set": {"panelist_id": ids["panelist"]},
        "prompt:show": {"prompt_id": ids["prompt"]},
        "takeaway:edit": {"takeaway_id": ids["takeaway"], "text": "Changed by B"},
        "takeaway:delete": {"takeaway_id": ids["takeaway"]},
        "timer:adjust": {"delta_ms": 60_000}, "scene:set": {"scene": "blackout"},
        "stage:message": {"preset": "one-minute"}, "stage:blackout": {"on": True},
        "run:reset": {"confirm": True}, "summary:publish": {"published": True},
        "questions:settings": {"premoderation": False, "ms_per_question": 60_000},
        "timer:start": {}, "timer:next": {}, "timer:previous": {}, "timer:pause": {}, "prompt:next": {},
        "prompt:previous": {}, "stage:clear": {}, "stage:flash": {}, "plan:apply": {"strategy": "spread"},
        "plan:undo": {}, "poll:create": {"kind": "text", "title": "B's poll"},
        "takeaway:add": {"client_id": "b-takeaway-1", "text": "B's takeaway"},
        # The event editor, aimed at A's rows (event:edit changes the sender's own event).
        "editor:load": {}, "event:edit": {"title": "Retitled by B"},
        "panelist:add": {"name": "B's new panelist"},
        "panelist:update": {"panelist_id": ids["panelist"], "name": "Renamed by B"},
        "panelist:remove": {"panelist_id": ids["panelist"]},
        "panelist:move": {"panelist_id": ids["panelist"], "position": 2},
        "segment:add": {"kind": "discussion", "title": "B's segment", "minutes": 5},
        "segment:update": {"segment_id": ids["segment"][4], "title": "Retitled by B"},
        "segment:remove": {"segment_id": ids["segment"][4]},
        "segment:move": {"segment_id": ids["segment"][4], "position": 2},
        "key-question:add": {"text": "B's key question?"},
        "key-question:update": {"key_question_id": ids["key_question"], "text": "Changed by B?"},
        "key-question:remove": {"key_question_id": ids["key_question"]},
    }


B_ROLES = {  # role -> (namespace, auth of event B) ; index into the matrix's columns
    "audience": ("/audience", lambda app, code, token: {"event": code}),
    "rapporteur": ("/rapporteur", lambda app, code, token: {"event": code, "key": _keys(app, code)["rapporteur"]}),
    "moderator": ("/moderator", lambda app, code, token: {"event": code, "token": token}),
}
COLUMN = {"audience": 0, "rapporteur": 3, "moderator": 4}


@pytest.mark.parametrize("role", sorted(B_ROLES))
def test_no_action_of_another_event_reaches_this_one(app, second, role):
    code, token = second
    ids = _a_show(app)
    watchers = [Actor(app, "/moderator", {"token": MODERATOR_TOKEN}), Actor(app, "/audience", {"event": "ILO22"}),
                Actor(app, "/screen", {"event": "ILO22", "key": _keys(app, "ILO22")["projector"]}),
                Actor(app, "/screen", {"event": "ILO22", "stage": _keys(app, "ILO22")["stage"]}),
                Actor(app, "/rapporteur", {"event": "ILO22", "key": _keys(app, "ILO22")["rapporteur"]})]
    snapshot = watchers[0].last("state")
    before, before_event = _stable(snapshot), snapshot["event"]
    for watcher in watchers:
        watcher.received()  # the snapshots and the join's presence
    namespace, auth = B_ROLES[role]
    actor = Actor(app, namespace, auth(app, code, token))
    payloads = _aimed_at(ids)
    sent = [event for event, row in MATRIX.items() if row[COLUMN[role]] and event in payloads]
    assert len(sent) >= (50 if role == "moderator" else 3)
    refused_ids = 0
    for event in sent:
        ack = actor.call(event, payloads[event])
        assert isinstance(ack, dict) and "ok" in ack, (event, ack)
        if not ack["ok"]:
            assert ack["code"] != "internal" and ack["message"], (event, ack)
            refused_ids += ack["code"] == "not_found"
    assert refused_ids >= (25 if role == "moderator" else 2)
    # Nothing of B's traffic reached A's clients (B's own presence and broadcasts stay in B's rooms).
    for watcher in watchers:
        heard = [name for name in (p["name"] for p in watcher.sio.get_received(watcher.namespace))]
        assert heard == [], (watcher.namespace, heard)
    after = Actor(app, "/moderator", {"token": MODERATOR_TOKEN}).last("state")
    assert _stable(after) == before and after["event"] == before_event


def test_the_organiser_session_runs_any_console_and_a_moderator_only_their_own(app, second):
    code, token = second
    client = app.test_client()
    client.get(f"/moderate?token={token}")
    sio = app.extensions["socketio"].test_client(app, namespace="/moderator", auth={"event": code},
                                                 flask_test_client=client)
    assert sio.is_connected("/moderator")
    other = app.extensions["socketio"].test_client(app, namespace="/moderator", auth={}, flask_test_client=client)
    assert not other.is_connected("/moderator")  # B's moderator session is not A's
    organiser = app.test_client()
    organiser.get(f"/admin?token={app.config['FORUM_LIVE_ORGANISER_CREDENTIAL'].plain}")
    for auth in ({"event": code}, {}):
        sio = app.extensions["socketio"].test_client(app, namespace="/moderator", auth=auth, flask_test_client=organiser)
        assert sio.is_connected("/moderator"), auth
