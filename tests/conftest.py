"""Shared fixtures: an app on a fresh SQLite database per test, and Socket.IO test clients."""
import pytest

from forum_live import create_app
from forum_live.identity import view_key
from support.actors import Actor
from support.server import TOKEN as MODERATOR_TOKEN


@pytest.fixture
def app_config() -> dict:
    """Settings a test module adds to (or overrides in) the app's test config; override it."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    """An app under the threading async mode (what the test client needs), fresh database."""
    return create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "SECRET_KEY": "test-secret",
        "FORUM_LIVE_MODERATOR_TOKEN": MODERATOR_TOKEN,
        "FORUM_LIVE_ASYNC_MODE": "threading",
        "FORUM_LIVE_PUBLIC_URL": "http://192.0.2.10:5000",
        "FORUM_LIVE_TALLY_INTERVAL_MS": 0,  # tallies broadcast at once; coalescing has its own test
        **app_config,
    })


@pytest.fixture
def client(app):
    """Flask's HTTP test client."""
    return app.test_client()


@pytest.fixture
def connect(app):
    """Factory: ``connect("moderator" | "screen" | "audience" | "rapporteur", **auth)`` -> Actor."""
    def _connect(role, **auth):
        if role == "moderator":
            auth.setdefault("token", MODERATOR_TOKEN)
        if role in ("audience", "screen", "rapporteur"):
            auth.setdefault("event", "ILO22")
        if role == "rapporteur":  # the rapporteur page opened from its link
            auth.setdefault("key", view_key(app.config["SECRET_KEY"], auth["event"], "rapporteur"))
        if role == "screen" and "stage" not in auth:  # a projector opened from its link
            auth.setdefault("key", view_key(app.config["SECRET_KEY"], "ILO22", "projector"))
        return Actor(app, f"/{role}", auth)
    return _connect
