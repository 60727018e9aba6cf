"""The hot path of issue 16: what a ballot or an upvote costs must not change what anyone
receives. Broadcasts are written with no database connection held."""
import pytest

from forum_live.extensions import get_socketio


@pytest.fixture
def app_config():
    return {"FORUM_LIVE_RATE_VOTES_DEVICE": "1000/minute", "FORUM_LIVE_RATE_VOTES_IP": "1000/minute"}


@pytest.fixture
def held_during_emits(app, monkeypatch):
    """Record, at each emit, how many pooled database connections are checked out."""
    pool = app.extensions["forum_live.engine"].pool
    socketio = get_socketio(app)
    seen = []
    real = socketio.emit

    def emit(*args, **kwargs):
        seen.append((args[0], pool.checkedout()))
        return real(*args, **kwargs)
    monkeypatch.setattr(socketio, "emit", emit)
    return seen


def test_no_database_connection_is_held_while_broadcasting(connect, held_during_emits):
    mod, phone = connect("moderator"), connect("audience")
    poll = mod.last("state")["polls"][0]
    assert mod.call("poll:open", {"poll_id": poll["id"]})["ok"]
    assert phone.call("poll:vote", {"poll_id": poll["id"], "value": poll["options"][0]["id"]})["ok"]
    ask = phone.call("question:submit", {"client_id": "hot-path-0001", "text": "Is the pool free?", "name": None,
                                         "panelist_id": None})
    assert mod.call("question:moderate", {"question_id": ask["question"]["id"], "action": "approve"})["ok"]
    assert phone.call("question:upvote", {"question_id": ask["question"]["id"], "on": True})["ok"]
    assert mod.call("poll:reset", {"poll_id": poll["id"], "confirm": True})["ok"]
    names = {name for name, _ in held_during_emits}
    assert {"polls", "mine", "questions", "audit"} <= names
    assert [(name, held) for name, held in held_during_emits if held] == []
