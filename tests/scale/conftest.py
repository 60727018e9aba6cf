"""Scale-out fixtures: three run.py processes started at once on one fresh PostgreSQL schema,
one Redis message queue (a channel of their own) and one instance folder, behind nginx with
deploy/nginx/forum-live.conf. Skipped where PostgreSQL, Redis or nginx is missing, except under
CI (which starts PostgreSQL and Redis and installs nginx), where that is a failure."""
import os
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from bench.nginx import Nginx, nginx_binary
from support.server import Server, free_port

POSTGRES_URL = os.environ.get("FORUM_LIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("FORUM_LIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PROCESSES = 3


def _missing() -> str | None:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {str(exc).strip().splitlines()[0]}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {REDIS_URL}: {exc}"
    if nginx_binary() is None:
        return "nginx is not installed (apt-get install nginx)"
    return None


@contextmanager
def _cluster(tmp_path_factory, processes: int, env: dict | None = None):
    """``processes`` run.py processes started at once on a fresh schema, behind nginx (see ``cluster``)."""
    missing = _missing()
    if missing:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{missing} (CI is set, and .ci/run provides it)")
        pytest.skip(missing + " (set CI to make this a failure)")
    import psycopg

    tmp_path = tmp_path_factory.mktemp("scale")
    schema = f"forum_scale_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    database = (POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
                + ("&" if "?" in POSTGRES_URL else "?") + "options=" + quote(f"-csearch_path={schema}"))
    # As deployed (docs/deploy.md): one proxy in front, the API token given (not made at start).
    env = {"FORUM_LIVE_MESSAGE_QUEUE_CHANNEL": f"forum-live-test-{uuid.uuid4().hex[:8]}",
           "FORUM_LIVE_PROXIES": "1", "FORUM_LIVE_API_TOKEN": "scale-test-api-token", **(env or {})}
    # One instance folder for all, so they also race to make the shared secret key.
    servers = [Server(tmp_path, "gevent", database=database, args=("--message-queue", REDIS_URL), env=env)
               for _ in range(processes)]
    proxy = None
    try:
        for s in servers:  # all at once: the start-up races are part of what is tested
            s.launch()
        for s in servers:
            s.wait_ready(timeout=40)
        port = free_port()
        proxy = Nginx(tmp_path / "nginx", port, [f"127.0.0.1:{s.port}" for s in servers]).start()
        yield {"servers": servers, "nginx_url": f"http://127.0.0.1:{port}", "database": POSTGRES_URL,
               "schema": schema}
    finally:
        if proxy:
            proxy.stop()
        for s in servers:
            s.stop()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``{"servers": [Server x3], "nginx_url": str, "database": url, "schema": name}``."""
    with _cluster(tmp_path_factory, PROCESSES) as made:
        yield made


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two processes (as ``cluster``), for the tests that compare them with one process."""
    with _cluster(tmp_path_factory, 2) as made:
        yield made
