"""The real server (run.py) in a subprocess, and python-socketio clients that drive it."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "live-test-token"
SECRET = "live-test-secret"  # so tests can compute the projector's and stage view's keys


def projector_key(code: str = "ILO22") -> str:
    """The projector key of ``code`` on a test server (see forum_live.identity.view_key)."""
    from forum_live.identity import view_key
    return view_key(SECRET, code, "projector")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python run.py`` in a subprocess on 127.0.0.1, with its own instance folder and database."""

    def __init__(self, tmp_path: Path, async_mode: str, port: int | None = None, database: str | None = None,
                 args: tuple[str, ...] = (), env: dict | None = None):
        self.tmp_path, self.async_mode = tmp_path, async_mode
        self.args, self.env = tuple(args), dict(env or {})
        self.port = port or free_port()
        self.database = database or f"sqlite:///{tmp_path / 'forum.db'}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, timeout: float = 20.0) -> "Server":
        """Start the server and wait until /healthz answers."""
        return self.launch().wait_ready(timeout)

    def launch(self) -> "Server":
        """Start the server process without waiting for it (see wait_ready)."""
        env = {**os.environ, "FORUM_LIVE_INSTANCE_PATH": str(self.tmp_path / "instance"),
               "FORUM_LIVE_MODERATOR_TOKEN": TOKEN, "FORUM_LIVE_SECRET_KEY": SECRET, "PYTHONUNBUFFERED": "1",
               # Test swarms all come from 127.0.0.1: lift the per-address connection cap.
               "FORUM_LIVE_MAX_CONNECTIONS_PER_IP": "100000", **self.env}
        self.log = open(self.tmp_path / f"server-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(self.port),
             "--async-mode", self.async_mode, "--database", self.database, *self.args],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout: float = 20.0) -> "Server":
        """Wait until /healthz answers; raise with the server's output if it exits or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early: {self.output()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout}s: {self.output()}")

    def output(self) -> str:
        """What the server printed so far."""
        self.log.flush()
        return (self.tmp_path / f"server-{self.port}.log").read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when a laptop's process dies."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        """Terminate politely, then kill."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class LiveClient:
    """A python-socketio client in one namespace that records every event it receives."""

    def __init__(self, url: str, namespace: str, auth: dict, transports=("websocket",)):
        """Connect to ``namespace`` at ``url``; ``transports=None``: polling first, then upgrade
        to a WebSocket, as a browser does."""
        self.namespace = namespace
        self.events: dict[str, list] = {}
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self._record, namespace=namespace)
        if namespace == "/screen" and "stage" not in auth:  # a projector opened from its link
            auth = {"key": projector_key(auth.get("event", "ILO22")), **auth}
        self.sio.connect(url, namespaces=[namespace], auth=auth, transports=list(transports) if transports else None,
                         wait_timeout=10)

    def _record(self, name, *args):
        with self.lock:
            self.events.setdefault(name, []).append(args[0] if args else None)

    def call(self, event: str, payload: dict | None = None, timeout: float = 10) -> dict:
        """Emit ``event`` and wait for its ack."""
        return self.sio.call(event, payload or {}, namespace=self.namespace, timeout=timeout)

    def wait_for(self, name: str, predicate=lambda p: True, timeout: float = 5.0):
        """Wait until an event ``name`` whose payload satisfies ``predicate`` has arrived; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for payload in reversed(self.events.get(name, [])):
                    if predicate(payload):
                        return payload
            time.sleep(0.02)
        raise AssertionError(f"no {name!r} event matching the condition within {timeout}s")

    def state(self) -> dict:
        """The first full snapshot."""
        return self.wait_for("state")

    def close(self) -> None:
        self.sio.disconnect()


@contextmanager
def clients():
    """Collect LiveClients and disconnect them all at the end."""
    made = []

    def make(url, namespace, auth):
        c = LiveClient(url, namespace, auth)
        made.append(c)
        return c
    try:
        yield make
    finally:
        for c in made:
            try:
                c.close()
            except Exception:
                pass
