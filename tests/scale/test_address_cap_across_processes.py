"""The per-address connection cap holds across two processes on one PostgreSQL and one Redis
(issue 17, item 3): connections from one address spread over both processes are refused past
FORUM_LIVE_MAX_CONNECTIONS_PER_IP, a slot freed on one process is free on the other, and the
connections of a process that was killed stop counting once its liveness key expired
(protocol/shared.py ALIVE_TTL_S)."""
import pytest
import socketio

from forum_live.protocol.shared import ALIVE_TTL_S
from scale.conftest import _cluster
from support.server import clients
from support.wait import until

pytestmark = pytest.mark.live

CAP = 4
CODE = "ILO22"


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """Two processes (as the ``pair`` fixture) with a cap of CAP connections per address."""
    with _cluster(tmp_path_factory, 2, env={"FORUM_LIVE_MAX_CONNECTIONS_PER_IP": str(CAP)}) as made:
        yield made


def _refused(connect, server, namespace="/audience") -> bool:
    """True if a connection to ``server`` from this address (127.0.0.1) is refused."""
    try:
        connect(server.url, namespace, {"event": CODE}).state()
    except socketio.exceptions.ConnectionError:
        return True
    return False


def test_the_cap_holds_across_both_processes_and_a_killed_process_stops_counting(capped):
    a, b = capped["servers"]
    with clients() as connect:
        held = {a: [], b: []}
        for server in (a, b, a, b):  # CAP connections, spread over both processes
            held[server].append(connect(server.url, "/audience", {"event": CODE}))
            held[server][-1].state()
        assert _refused(connect, a) and _refused(connect, b) and _refused(connect, b, "/screen")

        held[a].pop().close()  # a slot freed on A can be taken on B (once A has counted the disconnect)
        until(lambda: not _refused(connect, b), 5, "a connection on B after one ended on A")
        assert _refused(connect, a) and _refused(connect, b)  # full again: A holds 1, B holds 3

        b.kill()  # B's 3 connections die with it; its liveness key expires within ALIVE_TTL_S
        for _ in range(CAP - 1):
            until(lambda: not _refused(connect, a), ALIVE_TTL_S + 5, "A letting in the killed process's slots")
        assert _refused(connect, a)  # and the cap still holds on the survivor
