"""The per-address connection cap: an address holds at most FORUM_LIVE_MAX_CONNECTIONS_PER_IP
connections over every namespace; a slot frees when one ends; other addresses are not counted
with it; the count kept per address always equals a count of the live connections."""
from collections import Counter

import pytest
import socketio

from forum_live.identity import view_key
from forum_live.protocol.outcome import Connection
from forum_live.protocol.presence import connections, connections_per_address
from forum_live.sockets.binding import bind

CAP = 3
HOME, OTHER = "192.0.2.7", "198.51.100.9"


def _open(app, namespace: str, address: str):
    """A Socket.IO test client in ``namespace`` connecting from ``address``."""
    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = address
    auth = {"event": "ILO22"}
    if namespace == "/screen":
        auth["key"] = view_key(app.config["SECRET_KEY"], "ILO22", "projector")
    return app.extensions["socketio"].test_client(app, namespace=namespace, auth=auth, flask_test_client=http)


def _counts(app) -> tuple[dict, dict]:
    """(the count kept per address, a recount of the live connections)."""
    with app.app_context():
        return dict(connections_per_address()), dict(Counter(c.ip for c in connections().values() if c.ip))


@pytest.mark.parametrize("app_config", [{"FORUM_LIVE_MAX_CONNECTIONS_PER_IP": CAP}])
def test_an_address_holds_at_most_the_cap_over_every_namespace_and_a_slot_frees_on_disconnect(app):
    held = [(_open(app, ns, HOME), ns) for ns in ("/audience", "/screen", "/audience")]
    assert all(client.is_connected(ns) for client, ns in held)
    assert _counts(app) == ({HOME: CAP},) * 2
    for namespace in ("/audience", "/screen"):
        assert not _open(app, namespace, HOME).is_connected(namespace)
    assert _counts(app) == ({HOME: CAP},) * 2          # a refused connection takes no slot
    elsewhere = _open(app, "/audience", OTHER)          # another address has slots of its own
    assert elsewhere.is_connected("/audience")
    assert _counts(app) == ({HOME: CAP, OTHER: 1},) * 2
    client, namespace = held.pop(0)
    client.disconnect(namespace=namespace)
    assert _counts(app) == ({HOME: CAP - 1, OTHER: 1},) * 2
    again = _open(app, "/audience", HOME)
    assert again.is_connected("/audience")
    assert _counts(app) == ({HOME: CAP, OTHER: 1},) * 2
    for client, namespace in [*held, (again, "/audience"), (elsewhere, "/audience")]:
        client.disconnect(namespace=namespace)
    assert _counts(app) == ({}, {})                      # an address with none is forgotten


def test_the_cap_refuses_with_a_code_and_binds_nothing(app):
    app.config["FORUM_LIVE_MAX_CONNECTIONS_PER_IP"] = 0
    with app.test_request_context("/socket.io/"):
        with pytest.raises(socketio.exceptions.ConnectionRefusedError) as refused:
            bind(Connection("/audience", 1, "device", ip=HOME))
        assert refused.value.error_args["data"]["code"] == "rate_limited"
        assert connections() == {} and connections_per_address() == {}
