"""The real server's listening socket queues a room's worth of phones (issue 16): under
eventlet, Flask-SocketIO's ``socketio.run`` listens with a backlog of 50, and 1,000 phones joining
at once waited for SYN retries (1, 3, 7, 15 s). Read from the kernel (``ss``: a listening socket's
Send-Q is its backlog)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from run import LISTEN_BACKLOG  # noqa: E402


def _backlog(port: int) -> int:
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    line = out.split("\n")[0].split()
    return int(line[2])  # State Recv-Q Send-Q ...: Send-Q of a LISTEN socket is its backlog


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2) to read the listen backlog")
@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_the_server_listens_with_a_backlog_for_a_room_of_phones(server_factory, async_mode):
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    server = server_factory(async_mode)
    assert _backlog(server.port) == min(LISTEN_BACKLOG, somaxconn) >= 1000
