"""Behind nginx (FORUM_LIVE_PROXIES=1) the phone's own address is the one per-IP limits count,
over HTTP and Socket.IO alike; without it, a forwarded address is not believed."""
import json
import time

import pytest
from flask import request

from forum_live import create_app
from forum_live.protocol.presence import connections


def _app(tmp_path, proxies):
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}", "FORUM_LIVE_ASYNC_MODE": "threading",
                       "SECRET_KEY": "test", "FORUM_LIVE_MODERATOR_TOKEN": "t", "FORUM_LIVE_API_TOKEN": "a",
                       "FORUM_LIVE_PROXIES": proxies})


@pytest.mark.parametrize("proxies, seen", [(1, "10.1.2.3"), (0, "127.0.0.1")])
def test_the_phone_address_comes_from_the_proxy_only_when_one_is_configured(tmp_path, proxies, seen):
    app = _app(tmp_path, proxies)
    got = []
    app.before_request(lambda: got.append(request.remote_addr))
    headers = {"X-Forwarded-For": "10.1.2.3"}
    assert app.test_client().get("/healthz", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    assert got == [seen]
    # A Socket.IO connection made over HTTP through the app's whole WSGI stack (long-polling).
    client = app.test_client()
    handshake = client.get("/socket.io/?EIO=4&transport=polling", headers=headers,
                           environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    sid = json.loads(handshake[1:])["sid"]
    client.post(f"/socket.io/?EIO=4&transport=polling&sid={sid}", data='40/audience,{"event": "ILO22"}',
                headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    deadline = time.monotonic() + 5
    with app.app_context():
        while not connections() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [c.ip for c in connections().values()] == [seen]
