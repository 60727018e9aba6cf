"""Socket events run without a Flask request context (sockets/dispatch.py): what they still
know (the connection, the join URL's host), and what an unexpected error does."""
import flask
import pytest
from itsdangerous import BadSignature

from forum_live.domain.errors import ForumError
from forum_live.sockets import binding


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_PUBLIC_URL": None}  # the join URL comes from the host phones connect to


def test_an_event_runs_in_an_app_context_without_a_request_context(connect, monkeypatch):
    seen = []
    real = binding.execute

    def spy(entry, payload, conn):
        seen.append((flask.has_app_context(), flask.has_request_context(), conn.namespace))
        return real(entry, payload, conn)

    monkeypatch.setattr(binding, "execute", spy)
    phone = connect("audience")
    assert phone.call("question:submit", {"client_id": "dispatch-0001", "text": "How do we fund it?"})["ok"]
    assert seen == [(True, False, "/audience")]


def test_a_broadcast_from_an_event_takes_the_join_url_from_the_connection(connect):
    mod, phone = connect("moderator"), connect("audience")
    assert phone.last("state")["event"]["join_url"] == "http://localhost/e/ILO22"  # connect: a request context
    phone.received()
    assert mod.call("event:edit", {"title": "Building alliances"})["ok"]  # an event: no request context
    event = phone.last("event")
    assert event["title"] == "Building alliances"
    assert event["join_url"] == "http://localhost/e/ILO22"


def test_an_unexpected_error_in_an_event_is_acked_internal_and_the_server_goes_on(connect, monkeypatch, caplog):
    phone = connect("audience")

    def broken():
        raise RuntimeError("clock gone")

    monkeypatch.setattr(binding, "utcnow", broken)
    ack = phone.call("clock:ping", {})
    assert ack["ok"] is False and ack["code"] == "internal"
    assert "clock:ping" in caplog.text and "clock gone" in caplog.text
    monkeypatch.undo()
    assert phone.call("clock:ping", {})["ok"] is True


def test_outside_a_socket_event_there_is_no_current_connection(app):
    with app.app_context(), pytest.raises(ForumError) as err:
        binding.current_connection()
    assert err.value.code == "forbidden"


def test_the_session_cookie_serializer_is_made_once_per_key(app, client):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    with client.session_transaction() as session:  # a cookie session still round-trips
        session["probe"] = "kept"
    with client.session_transaction() as session:
        assert session["probe"] == "kept"
    app.secret_key = "rotated-secret"
    rotated = interface.get_signing_serializer(app)
    assert rotated is not first
    assert first.loads(first.dumps({"a": 1})) == {"a": 1}
    with pytest.raises(BadSignature):
        rotated.loads(first.dumps({"a": 1}))
