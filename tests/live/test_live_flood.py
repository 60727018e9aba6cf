"""Flood control and origin checks on the real server (the test client skips both)."""
import time

import pytest
import socketio

from support.server import Server

pytestmark = pytest.mark.live


def _try(url, namespace, auth, headers=None):
    client = socketio.Client(reconnection=False)
    try:
        # With an explicit Origin, long-polling: the WebSocket client would add a second Origin.
        client.connect(url, namespaces=[namespace], auth=auth, headers=headers or {},
                       transports=["polling"] if headers else ["websocket"], wait_timeout=5)
        return client
    except (socketio.exceptions.ConnectionError, ValueError):  # refused, or the upgrade answered 400
        client.disconnect()
        return None


def _eventually(url, namespace, auth, headers=None, within_s=5.0):
    """Connect, retrying while the server is still processing earlier disconnects."""
    deadline = time.monotonic() + within_s
    while True:
        client = _try(url, namespace, auth, headers)
        if client is not None or time.monotonic() > deadline:
            return client
        time.sleep(0.2)


def test_the_connection_cap_per_address_and_the_origin_check(tmp_path):
    server = Server(tmp_path, "gevent", env={"FORUM_LIVE_MAX_CONNECTIONS_PER_IP": "3"}).start()
    held = []
    try:
        held = [_try(server.url, "/audience", {"event": "ILO22"}) for _ in range(3)]
        assert all(held)
        assert _try(server.url, "/audience", {"event": "ILO22"}) is None  # a fourth is refused
        held.pop().disconnect()
        again = _eventually(server.url, "/audience", {"event": "ILO22"})
        assert again is not None  # a slot frees when a connection ends
        held.append(again)
        for c in held:
            c.disconnect()
        held = []
        # A page on another site cannot open a socket to the forum with the visitor's cookies.
        assert _try(server.url, "/audience", {"event": "ILO22"}, {"Origin": "http://evil.example"}) is None
        same = _eventually(server.url, "/audience", {"event": "ILO22"}, {"Origin": server.url})
        assert same is not None
        same.disconnect()
    finally:
        for c in held:
            c.disconnect()
        server.stop()


def test_an_oversized_message_drops_only_that_connection(tmp_path):
    server = Server(tmp_path, "gevent").start()
    try:
        big = _try(server.url, "/audience", {"event": "ILO22"})
        # The server closes the connection instead of reading 200 kB (the client raises its own kinds).
        with pytest.raises(Exception):  # noqa: B017
            big.call("question:submit", {"client_id": "too-big-1", "text": "x" * 200_000}, namespace="/audience",
                     timeout=5)
        big.disconnect()
        fine = _try(server.url, "/audience", {"event": "ILO22"})
        assert fine.call("clock:ping", {}, namespace="/audience", timeout=5)["ok"]
        fine.disconnect()
    finally:
        server.stop()
