"""Shared fixtures: an app on a fresh SQLite database per test, and Socket.IO test clients."""
import pytest

from forum_live import create_app

from support.server import TOKEN as MODERATOR_TOKEN


@pytest.fixture
def app(tmp_path):
    """An app under the threading async mode (what the test client needs), fresh database."""
    return create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "SECRET_KEY": "test-secret",
        "FORUM_LIVE_MODERATOR_TOKEN": MODERATOR_TOKEN,
        "FORUM_LIVE_ASYNC_MODE": "threading",
        "FORUM_LIVE_PUBLIC_URL": "http://192.0.2.10:5000",
    })


@pytest.fixture
def client(app):
    """Flask's HTTP test client."""
    return app.test_client()


class Actor:
    """A Socket.IO test client in one namespace, with helpers to call and read events."""

    def __init__(self, app, namespace, auth):
        self.namespace = namespace
        self.sio = app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth)
        self._buffer = []

    def call(self, event, payload=None):
        """Emit ``event`` with ``payload`` and return the ack."""
        args = () if payload is None else (payload,)
        return self.sio.emit(event, *args, namespace=self.namespace, callback=True)

    def received(self, name=None):
        """Take the received payloads of event ``name`` (of every event if None) off the queue."""
        self._buffer += self.sio.get_received(self.namespace)
        taken = [p for p in self._buffer if name is None or p["name"] == name]
        self._buffer = [p for p in self._buffer if p not in taken]
        return [p["args"][0] for p in taken]

    def last(self, name):
        """The payload of the last ``name`` event received (takes all of them off the queue)."""
        items = self.received(name)
        assert items, f"no {name!r} event received"
        return items[-1]


@pytest.fixture
def connect(app):
    """Factory: ``connect("moderator" | "screen" | "audience", **auth)`` -> Actor."""
    def _connect(role, **auth):
        if role == "moderator":
            auth.setdefault("token", MODERATOR_TOKEN)
        if role in ("audience", "screen"):
            auth.setdefault("event", "ILO22")
        return Actor(app, f"/{role}", auth)
    return _connect
