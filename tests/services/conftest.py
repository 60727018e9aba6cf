"""Service fixtures: a real SQLAlchemy session on a fresh database per test, the default event
loaded. SQLite in tmp_path by default; a module may override ``backend`` to run on PostgreSQL,
each test in a schema of its own that is dropped afterwards."""
import functools
import os
import uuid
from urllib.parse import quote

import pytest

from forum_live.eventfile import load_event_file
from forum_live.persistence.db import make_engine, make_session_factory
from forum_live.services.events import load_event

#: The PostgreSQL the suite uses when reachable (CI starts it); override with the variable.
POSTGRES_URL = os.environ.get("FORUM_LIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def _postgres_problem() -> str | None:
    """Why the test PostgreSQL cannot be used, or None; asked once per run."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


def _postgres_or_skip() -> str:
    """Return the URL of the test PostgreSQL; skip when unreachable, but fail under CI."""
    problem = _postgres_problem()
    if problem is not None:
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{reason} (CI is set, and CI starts PostgreSQL)")
        pytest.skip(reason + " (set CI to make this a failure)")
    return POSTGRES_URL


@pytest.fixture
def backend() -> str:
    """The database kind the service tests run on: ``sqlite`` unless a module overrides it."""
    return "sqlite"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_backend(request) -> str:
    """Both database kinds, for tests that must hold on each (migrations)."""
    return request.param


def _empty_database(backend: str, tmp_path):
    """Yield the SQLAlchemy URL of an empty database of ``backend``: an SQLite file in
    ``tmp_path``, or a PostgreSQL schema of its own (every connection sees only it) that is
    dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'forum.db'}"
        return
    import psycopg

    url = _postgres_or_skip()
    schema = f"forum_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    options = quote(f"-csearch_path={schema}")
    try:
        yield (url.replace("postgresql://", "postgresql+psycopg://", 1)
               + ("&" if "?" in url else "?") + f"options={options}")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def empty_url(backend, tmp_path):
    """The URL of an empty database of the module's ``backend`` (no tables yet)."""
    yield from _empty_database(backend, tmp_path)


@pytest.fixture
def empty_url_each(any_backend, tmp_path):
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    yield from _empty_database(any_backend, tmp_path)


@pytest.fixture
def engine(empty_url):
    """An engine on an empty database with the tables created (make_engine creates them)."""
    engine = make_engine(empty_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def sessions(engine):
    """The session factory the app uses (objects stay readable after commit)."""
    return make_session_factory(engine)


@pytest.fixture
def session(sessions):
    """One session, closed after the test."""
    with sessions() as session:
        yield session


@pytest.fixture
def spec():
    """The shipped default event file, parsed."""
    return load_event_file()


@pytest.fixture
def event(session, spec):
    """The default event (ILO22) loaded and committed."""
    event, _ = load_event(session, spec)
    session.commit()
    return event
