"""Takeaways over Socket.IO, from the moderator console and the rapporteur's page: exactly once,
tagged with what is on air, re-tagged, edited and deleted (audited), broadcast to consoles and
rapporteurs only; the rapporteur's key, and what the rapporteur may not do or read."""
import pytest
import socketio
from sqlalchemy import select

from forum_live.extensions import db_session
from forum_live.identity import view_key
from forum_live.persistence.models import ModeratorAction, Takeaway
from forum_live.sockets import handlers
from support.events import load_other_event

ROLES = ("moderator", "rapporteur")


def add(actor, n=1, text=None, **kw):
    ack = actor.call("takeaway:add", {"client_id": f"takeaway-{n:04d}", "text": text or f"Takeaway number {n}", **kw})
    assert ack["ok"], ack
    return ack["takeaway"]


def audit_rows(app, name=None):
    with db_session(app) as s:
        stmt = select(ModeratorAction).order_by(ModeratorAction.seq)
        return [(r.actor, r.source, r.name, r.summary, r.payload) for r in s.scalars(stmt) if name in (None, r.name)]


def slot(state, n):
    """The n-th panelist slot of the run of show (1-based), as the snapshot lists it."""
    return [s for s in state["run"]["segments"] if s["kind"] == "panelist"][n - 1]


# ---- both roles write, both see -----------------------------------------------------------------

@pytest.mark.parametrize("writer", ROLES)
def test_a_takeaway_reaches_every_console_and_rapporteur_and_no_one_else(connect, writer):
    mod, rap = connect("moderator"), connect("rapporteur")
    phone, projector, stage = connect("audience"), connect("screen"), connect("screen", stage=view_key(
        "test-secret", "ILO22", "stage"))
    for actor in (mod, rap, phone, projector, stage):
        actor.received()
    author = {"moderator": mod, "rapporteur": rap}[writer]
    made = add(author, text="<b>Trust</b> comes before money.\nThen projects.")
    assert made["author"] == ("Console 1" if writer == "moderator" else "Rapporteur")
    assert made["text"] == "<b>Trust</b> comes before money.\nThen projects."  # text, never markup
    for reader in (mod, rap):
        assert [t["id"] for t in reader.last("takeaways")] == [made["id"]]
    for other in (phone, projector, stage):
        assert all(p["name"] != "takeaways" for p in other.sio.get_received(other.namespace))
    assert connect("rapporteur").last("state")["takeaways"] == [made]
    assert connect("moderator").last("state")["takeaways"] == [made]
    assert "takeaways" not in connect("audience").last("state") and "takeaways" not in connect("screen").last("state")


@pytest.mark.parametrize("writer", ROLES)
def test_a_resent_takeaway_is_stored_once_broadcast_once_and_audited_once(app, connect, writer):
    actor, rap = connect(writer), connect("rapporteur")
    rap.received()
    payload = {"client_id": "outbox-take-1", "text": "Sent twice over flaky Wi-Fi"}
    acks = [actor.call("takeaway:add", payload) for _ in range(3)]
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert len({a["takeaway"]["id"] for a in acks}) == 1
    assert len(rap.received("takeaways")) == 1
    assert len(audit_rows(app, "takeaway:add")) == 1
    # The same client_id from the page reconnected (or reloaded) is still the same takeaway.
    assert connect(writer).call("takeaway:add", payload)["duplicate"] is True


def test_a_new_takeaway_is_tagged_with_the_segment_the_speaker_and_the_key_question_on_air(connect):
    mod, rap = connect("moderator"), connect("rapporteur")
    state = mod.last("state")
    seg = slot(state, 3)
    assert mod.call("timer:goto", {"segment_id": seg["id"]})["ok"]
    t = add(rap, 1)
    assert (t["segment_id"], t["panelist_id"], t["key_question_id"]) == (seg["id"], seg["panelist_id"],
                                                                         seg["key_question_id"])
    other = state["event"]["panelists"][0]["id"]
    assert mod.call("speaker:set", {"panelist_id": other})["ok"]
    assert rap.last("run")["airtime"]["speaking_id"] == other  # what the rapporteur's page prefills
    assert add(rap, 2)["panelist_id"] == other
    chosen = add(rap, 3, segment_id=None, panelist_id=None, key_question_id=None)
    assert (chosen["segment_id"], chosen["panelist_id"], chosen["key_question_id"]) == (None, None, None)


@pytest.mark.parametrize("editor", ROLES)
def test_a_takeaway_is_retagged_edited_and_marked_for_the_summary_and_each_change_is_audited(app, connect, editor):
    mod, rap = connect("moderator"), connect("rapporteur")
    state = rap.last("state")
    seg, kq = slot(state, 2), state["event"]["key_questions"][1]
    liu = next(p for p in state["event"]["panelists"] if "Liu" in p["name"])
    t = add(rap, 1, text="Skills networks need an anchor institution", segment_id=None)
    actor = {"moderator": mod, "rapporteur": rap}[editor]
    ack = actor.call("takeaway:edit", {"takeaway_id": t["id"], "segment_id": seg["id"], "panelist_id": liu["id"],
                                       "key_question_id": kq["id"]})
    assert ack["ok"] and (ack["takeaway"]["segment_id"], ack["takeaway"]["panelist_id"],
                          ack["takeaway"]["key_question_id"]) == (seg["id"], liu["id"], kq["id"])
    assert ack["takeaway"]["edited_ms"] is not None and ack["takeaway"]["author"] == "Rapporteur"
    ack = actor.call("takeaway:edit", {"takeaway_id": t["id"], "text": "Skills networks need an anchor",
                                       "for_summary": True})
    assert (ack["takeaway"]["text"], ack["takeaway"]["for_summary"]) == ("Skills networks need an anchor", True)
    for reader in (mod, rap):
        assert reader.last("takeaways")[0] == ack["takeaway"]
    retag, edit = audit_rows(app, "takeaway:edit")
    who = "Console 1" if editor == "moderator" else "Rapporteur"
    assert (retag[0], retag[1]) == (who, "console" if editor == "moderator" else "rapporteur")
    assert "by Rapporteur" in retag[3] and "Mr Yutong Liu" in retag[3] and "key question 2" in retag[3]
    assert retag[4]["previous"] == {"segment_id": None, "panelist_id": None, "key_question_id": None}
    assert edit[4]["previous"] == {"text": "Skills networks need an anchor institution", "for_summary": False}
    assert "was “Skills networks need an anchor institution”" in edit[3] and "for the summary" in edit[3]
    # The consoles' activity log shows the rapporteur's and the colleagues' takeaway actions.
    assert [e["name"] for e in connect("moderator").last("state")["audit"]["entries"][:3]] == [
        "takeaway:edit", "takeaway:edit", "takeaway:add"]


@pytest.mark.parametrize("deleter", ROLES)
def test_a_deleted_takeaway_is_gone_for_everyone_and_the_audit_keeps_what_it_was(app, connect, deleter):
    mod, rap = connect("moderator"), connect("rapporteur")
    keep, gone = add(mod, 1, text="Keep this one"), add(mod, 2, text="A note written by mistake")
    ack = connect(deleter).call("takeaway:delete", {"takeaway_id": gone["id"]})
    assert ack == {"ok": True, "takeaway_id": gone["id"]}
    for reader in (mod, rap):
        assert [t["id"] for t in reader.last("takeaways")] == [keep["id"]]
    entry = audit_rows(app, "takeaway:delete")[0]
    assert entry[4]["text"] == "A note written by mistake" and "by Console 1" in entry[3]
    assert connect(deleter).call("takeaway:delete", {"takeaway_id": gone["id"]})["code"] == "not_found"


def test_a_takeaway_never_makes_a_consoles_command_stale(connect):
    a, b, rap = connect("moderator", console="console-aaaa"), connect("moderator", console="console-bbbb"), \
        connect("rapporteur")
    version = a.last("state")["audit"]["version"]
    add(rap, 1)
    add(b, 2)
    t = add(b, 3)
    assert b.call("takeaway:edit", {"takeaway_id": t["id"], "for_summary": True})["ok"]
    assert b.call("takeaway:delete", {"takeaway_id": t["id"]})["ok"]
    ack = a.call("timer:start", {"version": version})  # made on the version before the notes
    assert ack["ok"] is True, ack
    # A show change by a colleague is still a conflict.
    assert b.call("timer:pause", {"version": ack["version"]})["ok"]
    assert a.call("timer:start", {"version": ack["version"]})["code"] == "stale_state"


# ---- bad input ----------------------------------------------------------------------------------

LONG = "x" * 501
BAD = [
    # (event, payload, code)
    ("takeaway:add", {"client_id": "abcdefgh", "text": ""}, "invalid_text"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": " \u200b\u200d\u2060\ufeff\u202e "}, "invalid_text"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": LONG}, "invalid_text"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "x" * 5000}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": 42}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": None}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh"}, "invalid_payload"),
    ("takeaway:add", {"text": "No client id"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "short", "text": "A fine takeaway"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abc def gh", "text": "A fine takeaway"}, "invalid_payload"),
    ("takeaway:add", {"client_id": 12345678, "text": "A fine takeaway"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "author": "Someone"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "segment_id": 999}, "not_found"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "panelist_id": 999}, "not_found"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "key_question_id": 999}, "not_found"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "segment_id": 10**30}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "panelist_id": "1"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "panelist_id": 1.5}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "panelist_id": True}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "for_summary": "yes"}, "invalid_payload"),
    ("takeaway:add", {"client_id": "abcdefgh", "text": "A fine takeaway", "for_summary": 1}, "invalid_payload"),
    ("takeaway:add", ["not", "an", "object"], "invalid_payload"),
    ("takeaway:add", "A takeaway as a bare string", "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": 999, "text": "Edited"}, "not_found"),
    ("takeaway:edit", {"takeaway_id": 10**30, "text": "Edited"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": 0, "text": "Edited"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "1", "text": "Edited"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": None, "text": "Edited"}, "invalid_payload"),
    ("takeaway:edit", {"text": "Edited"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}"}, "invalid_payload"),  # nothing to change
    ("takeaway:edit", {"takeaway_id": "{own}", "text": LONG}, "invalid_text"),
    ("takeaway:edit", {"takeaway_id": "{own}", "text": "\u200b\u200b"}, "invalid_text"),
    ("takeaway:edit", {"takeaway_id": "{own}", "text": None}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "text": ["x"]}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "for_summary": None}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "for_summary": "no"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "panelist_id": 999}, "not_found"),
    ("takeaway:edit", {"takeaway_id": "{own}", "panelist_id": 10**30}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "author": "Me"}, "invalid_payload"),
    ("takeaway:edit", {"takeaway_id": "{own}", "created_ms": 0}, "invalid_payload"),
    ("takeaway:delete", {"takeaway_id": 999}, "not_found"),
    ("takeaway:delete", {"takeaway_id": 10**30}, "invalid_payload"),
    ("takeaway:delete", {"takeaway_id": -5}, "invalid_payload"),
    ("takeaway:delete", {"takeaway_id": 1.0}, "invalid_payload"),
    ("takeaway:delete", {}, "invalid_payload"),
]


def _fill(payload, own):
    if isinstance(payload, dict):
        return {k: own if v == "{own}" else v for k, v in payload.items()}
    return payload


def _takeaway_state(connect):
    return connect("moderator").last("state")["takeaways"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("event,payload,code", BAD, ids=[f"{e}-{c}-{i}" for i, (e, _, c) in enumerate(BAD)])
def test_bad_takeaway_input_is_refused_clearly_and_changes_nothing(app, connect, role, event, payload, code):
    own = add(connect("moderator"), 99, text="Already here")
    before, audited = _takeaway_state(connect), len(audit_rows(app))
    ack = connect(role).call(event, _fill(payload, own["id"]))
    assert ack["ok"] is False and ack["code"] == code, ack
    assert isinstance(ack["message"], str) and len(ack["message"]) > 10
    assert _takeaway_state(connect) == before and len(audit_rows(app)) == audited


@pytest.mark.parametrize("role", ROLES)
def test_ids_of_another_event_are_unknown_here(app, connect, role):
    with db_session(app) as s:
        other = load_other_event(s)
        theirs = Takeaway(event_id=other.id, text="Theirs", author="Rapporteur", created_at=other.loaded_at)
        s.add(theirs)
        s.commit()
        ids = {"segment_id": other.segments[0].id, "panelist_id": other.panelists[0].id,
               "key_question_id": other.key_questions[0].id, "takeaway_id": theirs.id}
    actor = connect(role)
    own = add(connect("moderator"), 1)
    before = _takeaway_state(connect)
    for tag in ("segment_id", "panelist_id", "key_question_id"):
        assert actor.call("takeaway:add", {"client_id": "other-tags", "text": "Here", tag: ids[tag]})["code"] == "not_found"
        assert actor.call("takeaway:edit", {"takeaway_id": own["id"], tag: ids[tag]})["code"] == "not_found"
    assert actor.call("takeaway:edit", {"takeaway_id": ids["takeaway_id"], "text": "Mine"})["code"] == "not_found"
    assert actor.call("takeaway:delete", {"takeaway_id": ids["takeaway_id"]})["code"] == "not_found"
    assert _takeaway_state(connect) == before
    with db_session(app) as s:
        assert s.get(Takeaway, ids["takeaway_id"]).text == "Theirs"


def test_a_rapporteur_sends_no_version_and_no_event_named_connect(connect):
    rap = connect("rapporteur")
    ack = rap.call("takeaway:add", {"client_id": "versioned", "text": "With a version", "version": 3})
    assert ack["code"] == "invalid_payload"
    rap.received()
    assert rap.call("connect", {"event": "ILO22", "key": "x"})["code"] == "invalid_payload"
    assert rap.received("state") == [] and rap.call("clock:ping")["ok"]


# ---- the rapporteur's key and limits ------------------------------------------------------------

def _refusal(app, auth):
    from forum_live.sockets.connect import on_rapporteur_connect
    with app.test_request_context("/socket.io/"):
        try:
            on_rapporteur_connect(auth)
        except socketio.exceptions.ConnectionRefusedError as exc:
            return exc.error_args
    raise AssertionError(f"connection with {auth} was not refused")


def test_the_rapporteur_connects_only_with_this_events_rapporteur_key(app):
    secret = app.config["SECRET_KEY"]
    with db_session(app) as s:
        load_other_event(s)
    sio = app.extensions["socketio"]
    wrong = [{}, {"event": "ILO22"}, {"event": "ILO22", "key": "forged"}, {"event": "ILO22", "key": None},
             {"event": "ILO22", "key": 12345},
             {"event": "ILO22", "key": view_key(secret, "ILO22", "projector")},
             {"event": "ILO22", "key": view_key(secret, "ILO22", "stage")},
             {"event": "ILO22", "key": view_key(secret, "OTHER1", "rapporteur")},  # another event's key
             {"event": "OTHER1", "key": view_key(secret, "ILO22", "rapporteur")}]
    for auth in wrong:
        assert not sio.test_client(app, namespace="/rapporteur", auth=auth).is_connected("/rapporteur"), auth
        refusal = _refusal(app, auth)
        assert refusal["data"]["code"] == "forbidden" and "rapporteur's key" in refusal["data"]["message"]
    assert _refusal(app, {"event": "NOPE", "key": "x"})["data"]["code"] == "unknown_event"
    for code in ("ILO22", "OTHER1"):
        client = sio.test_client(app, namespace="/rapporteur", auth={"event": code, "key": view_key(secret, code,
                                                                                                     "rapporteur")})
        assert client.is_connected("/rapporteur")
        assert client.get_received("/rapporteur")[0]["args"][0]["event"]["code"] == code


def test_the_rapporteur_cannot_send_any_moderator_event(connect):
    mod, rap = connect("moderator"), connect("rapporteur")
    state = mod.last("state")
    before = {k: state[k] for k in ("questions", "polls", "scene", "audit")}
    ids = {"segment_id": state["run"]["segments"][1]["id"], "poll_id": state["polls"][0]["id"],
           "prompt_id": state["event"]["key_questions"][0]["prompts"][0]["id"], "question_id": 1}
    takeaway_events = set(handlers("/rapporteur"))
    assert takeaway_events == {"takeaway:add", "takeaway:edit", "takeaway:delete"}
    for event in sorted(set(handlers("/moderator")) - takeaway_events):
        for payload in ({}, ids, {"scene": "blackout"}, {"delta_ms": 60_000}, {"confirm": True}):
            ack = rap.call(event, payload)
            assert (ack["ok"], ack["code"]) == (False, "forbidden"), (event, ack)
    for event in sorted(handlers("/audience")):
        assert rap.call(event, {"client_id": "abcdefgh", "text": "A question?", "poll_id": 1})["ok"] is False
    after = connect("moderator").last("state")
    assert {k: after[k] for k in before} == before and after["run"]["status"] == "not-started"


def test_the_rapporteur_reads_public_questions_only_and_no_moderator_part(connect):
    mod, rap, phone = connect("moderator"), connect("rapporteur"), connect("audience")
    rap.received()
    qid = phone.call("question:submit", {"client_id": "pending-1", "text": "A pending question for the panel?"})[
        "question"]["id"]
    assert any(q["id"] == qid for q in mod.last("questions")["items"])  # the moderation queue has it
    assert mod.call("stage:message", {"text": "One minute"})["ok"]
    assert mod.call("timer:start")["ok"]
    assert mod.call("poll:open", {"poll_id": mod.last("state")["polls"][0]["id"]})["ok"]
    names = {p["name"] for p in rap.sio.get_received("/rapporteur")}
    assert names <= {"run", "questions", "takeaways"}, names
    assert "run" in names and "questions" not in names  # the pending question changed no public list
    assert connect("rapporteur").last("state")["questions"]["items"] == []
    assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    shown = rap.last("questions")
    assert [q["id"] for q in shown["items"]] == [qid] and "flag" not in shown["items"][0] and "queue" not in shown


def test_consoles_count_the_connected_rapporteurs(connect):
    mod = connect("moderator")
    rap = connect("rapporteur")
    assert mod.last("presence")["rapporteurs"] == 1
    rap.sio.disconnect(namespace="/rapporteur")
    assert mod.last("presence")["rapporteurs"] == 0
