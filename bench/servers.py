"""The servers under test, each in its own subprocess on 127.0.0.1: forum-live (run.py), the bare
python-socketio server (bare.py), and the scale-out set (several run.py behind nginx, sharing
PostgreSQL and a Redis message queue)."""
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psutil
import requests

from . import nginx

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-moderator-token"
#: The servers' secret key, given so that the driver can make the projector's view key
#: (identity.view_key) without reading it from a page.
SECRET_KEY = "bench-secret-key"
#: Settings of every forum-live server measured. Each phone connects from a loopback address of
#: its own (swarm.Phone.source_address), as phones on a venue LAN do, so the per-address
#: connection cap and rate limits apply as they would there; behind nginx the servers take the
#: phone's address from X-Forwarded-For (FORUM_LIVE_PROXIES=1).
FORUM_ENV = {"FORUM_LIVE_API_TOKEN": "bench-api-token", "FORUM_LIVE_SECRET_KEY": SECRET_KEY}
#: The scale-out's PostgreSQL pool per process, as docs/deploy.md advises for ~1,000 phones a
#: process (3 x (10 + 15 + 1) = 78 connections, under PostgreSQL's default 100); an operator's own
#: FORUM_LIVE_DB_POOL_SIZE / FORUM_LIVE_DB_MAX_OVERFLOW in the environment win.
SCALE_POOL = {"FORUM_LIVE_DB_POOL_SIZE": "10", "FORUM_LIVE_DB_MAX_OVERFLOW": "15"}


def projector_key(event_code: str) -> str:
    """The projector's view key of ``event_code`` on the bench's servers (see SECRET_KEY)."""
    from forum_live.identity import view_key

    return view_key(SECRET_KEY, event_code, "projector")


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database that ``url`` names if it does not exist (connecting to
    the server's ``postgres`` database to do it); raises psycopg.OperationalError if the
    server cannot be reached at all."""
    import psycopg
    from psycopg import errors, sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    name = conninfo_to_dict(url).get("dbname")
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True, connect_timeout=5) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except errors.DuplicateDatabase:  # made meanwhile by another run: fine
            pass


def ensure_free(port: int) -> None:
    """Raise if something already listens on 127.0.0.1:``port`` (it would answer for us)."""
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME-WAIT is no owner
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise RuntimeError(f"port {port} is in use: stop what runs there or pass --port") from None


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30.0, step: float = 0.1) -> float:
    """Wait until ``url``/healthz answers (asking every ``step`` s); return when it did
    (``time.time()``); raise with the log if the process dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return time.time()
        except requests.RequestException:
            pass
        time.sleep(step)
    raise RuntimeError(f"{url} did not answer in {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


def py_spy() -> str:
    """The py-spy command: on PATH, or beside this Python (a venv that is not activated)."""
    beside = Path(sys.executable).with_name("py-spy")
    return shutil.which("py-spy") or (str(beside) if beside.exists() else "py-spy")


class Profiler:
    """py-spy attached to a running server, sampling 100 times a second into ``out`` (collapsed
    stacks without idle threads; ``python -m bench.profile`` summarises them)."""

    def __init__(self, pid: int, out: Path):
        self.out = out
        with open(str(out) + ".log", "wb") as log:
            self.proc = subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--rate", "100", "--format", "raw",
                                          "--output", str(out)], stdout=subprocess.DEVNULL, stderr=log)

    def stop(self) -> None:
        """SIGINT: py-spy writes the profile and exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def stop_process(proc: subprocess.Popen | None) -> None:
    """Terminate ``proc`` (ours, by its pid), then kill it if it lingers."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


class PostgresSchema:
    """A fresh schema in ``base_url``'s database (the database made if missing), dropped at the
    end; ``url`` for SQLAlchemy."""

    def __init__(self, base_url: str):
        import psycopg

        self.base_url, self.name = base_url, f"forum_bench_{uuid.uuid4().hex[:10]}"
        ensure_database(base_url)
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')
        options = quote(f"-csearch_path={self.name}")
        self.url = (base_url.replace("postgresql://", "postgresql+psycopg://", 1)
                    + ("&" if "?" in base_url else "?") + f"options={options}")

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{self.name}" CASCADE')


class Single:
    """One server process: ``kind`` forum (run.py) or bare (bench/bare.py) in ``mode``."""

    def __init__(self, kind: str, mode: str, port: int, workdir: Path, database: str = "sqlite",
                 profile: bool = False):
        self.kind, self.mode, self.port, self.workdir = kind, mode, port, workdir
        self.profile = profile
        self.name = f"{kind}-{mode}"
        self.url = f"http://127.0.0.1:{port}"
        self.database, self.schema, self.proc = database, None, None

    def start(self) -> "Single":
        ensure_free(self.port)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / f"{self.name}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "FORUM_LIVE_MODERATOR_TOKEN": TOKEN,
               "FORUM_LIVE_INSTANCE_PATH": str(self.workdir / f"instance-{self.name}"), **FORUM_ENV}
        if self.kind == "bare":
            cmd = [sys.executable, "-m", "bench.bare", "--port", str(self.port), "--async-mode", self.mode]
        else:
            if self.database == "sqlite":
                db = f"sqlite:///{self.workdir / (self.name + '.db')}"
            else:
                self.schema = PostgresSchema(self.database)
                db = self.schema.url
            cmd = [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(self.port),
                   "--async-mode", self.mode, "--database", db]
        self.cmd, self.env, self.restarts = cmd, env, 0
        self._launch("wb")
        return self

    def _launch(self, log_mode: str) -> float:
        """Start the server process with ``self.cmd``; return when it first answered /healthz."""
        with open(self.log, log_mode) as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        up_at = wait_healthy(self.url, self.proc, self.log, step=0.02)
        suffix = f"-restart{self.restarts}" if self.restarts else ""
        self.profiler = (Profiler(self.proc.pid, self.workdir / f"{self.name}{suffix}.pyspy.txt")
                         if self.profile else None)
        return up_at

    def restart(self) -> dict:
        """Stop the server (SIGTERM, wait for it to exit) and start it again on the same port with
        the same database, secret and settings; returns the times (``time.time()``, s) of the
        SIGTERM, of the exit and of the new process's first /healthz answer. The bare server keeps
        its state in memory: it comes back empty."""
        if self.profiler:
            self.profiler.stop()
        sigterm_at = time.time()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        exited_at = time.time()
        self.restarts += 1
        with open(self.log, "ab") as out:
            out.write(f"\n--- bench: SIGTERM, exit code {self.proc.returncode}; started again ---\n".encode())
        up_at = self._launch("ab")
        return {"sigterm_at": sigterm_at, "exited_at": exited_at, "up_at": up_at}

    def pids(self) -> list[int]:
        return [self.proc.pid]

    def rss(self) -> int:
        """Resident memory of the server process, in bytes."""
        return sum(psutil.Process(pid).memory_info().rss for pid in self.pids())

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far, in seconds."""
        return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in self.pids())

    def stop(self) -> None:
        if getattr(self, "profiler", None):
            self.profiler.stop()
        stop_process(self.proc)
        if self.schema:
            self.schema.drop()


class ScaleOut:
    """``processes`` run.py servers (gevent) behind nginx, sharing PostgreSQL and Redis.

    Ports: nginx on ``port``, the servers on ``port + 1 ..``. The Redis channel is new for each
    run, so runs (and tests) on one Redis never hear each other.
    """

    def __init__(self, processes: int, port: int, workdir: Path, postgres: str, redis: str,
                 mode: str = "gevent", profile: bool = False):
        self.processes, self.port, self.workdir = processes, port, workdir
        self.profile, self.profilers = profile, []
        self.postgres, self.redis, self.mode = postgres, redis, mode
        self.name = f"forum-{mode}-x{processes}-nginx"
        self.url = f"http://127.0.0.1:{port}"
        self.procs: list[subprocess.Popen] = []
        self.nginx = None
        self.schema = None
        self.channel = f"forum-live-bench-{uuid.uuid4().hex[:8]}"

    def server_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.port + 1 + i}" for i in range(self.processes)]

    def start(self) -> "ScaleOut":
        for port in range(self.port, self.port + self.processes + 1):
            ensure_free(port)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.schema = PostgresSchema(self.postgres)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "FORUM_LIVE_MODERATOR_TOKEN": TOKEN,
               "FORUM_LIVE_INSTANCE_PATH": str(self.workdir / "instance-scaleout"),
               "FORUM_LIVE_MESSAGE_QUEUE_CHANNEL": self.channel, "FORUM_LIVE_PROXIES": "1",
               **FORUM_ENV, **{k: os.environ.get(k, v) for k, v in SCALE_POOL.items()}}
        logs = []
        for i in range(self.processes):  # all at once: the start-up race is part of the setup
            log = self.workdir / f"{self.name}-{i + 1}.log"
            with open(log, "wb") as out:
                self.procs.append(subprocess.Popen(
                    [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(self.port + 1 + i),
                     "--async-mode", self.mode, "--database", self.schema.url, "--message-queue", self.redis],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            logs.append(log)
        for url, proc, log in zip(self.server_urls(), self.procs, logs):
            wait_healthy(url, proc, log)
        if self.profile:
            self.profilers = [Profiler(p.pid, self.workdir / f"{self.name}-{i + 1}.pyspy.txt")
                              for i, p in enumerate(self.procs)]
        self.nginx = nginx.Nginx(self.workdir / "nginx", self.port,
                                 [f"127.0.0.1:{self.port + 1 + i}" for i in range(self.processes)]).start()
        wait_healthy(self.url, None, self.nginx.error_log)
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    rss = Single.rss
    cpu_seconds = Single.cpu_seconds

    def stop(self) -> None:
        for profiler in self.profilers:
            profiler.stop()
        if self.nginx:
            self.nginx.stop()
        for proc in self.procs:
            stop_process(proc)
        if self.schema:
            self.schema.drop()
