"""Live tests: the real server (run.py) in a subprocess, driven by python-socketio clients."""
import pytest

from support.server import Server


@pytest.fixture
def server_factory(tmp_path):
    """Factory: ``server_factory(async_mode)`` -> a started Server, stopped at the end."""
    started = []

    def make(async_mode="gevent", **kw):
        server = Server(tmp_path, async_mode, **kw).start()
        started.append(server)
        return server
    yield make
    for s in started:
        s.stop()
