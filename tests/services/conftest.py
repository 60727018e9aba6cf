"""Service fixtures: a real SQLAlchemy session on a fresh database per test, the default event
loaded. SQLite in tmp_path by default; a module may override ``backend`` to run on PostgreSQL,
each test in a schema of its own that is dropped afterwards."""
import pytest

from forum_live.eventfile import load_event_file
from forum_live.persistence.db import make_engine, make_session_factory
from forum_live.services.events import load_event
from support.postgres import postgres_schema


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
    with postgres_schema() as url:
        yield url


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
