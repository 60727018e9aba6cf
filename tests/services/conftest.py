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


@pytest.fixture
def engine(backend, tmp_path):
    """An engine on an empty database with the tables created (make_engine creates them)."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'forum.db'}")
        yield engine
        engine.dispose()
        return
    with postgres_schema() as url:  # every connection sees only the test's own schema
        engine = make_engine(url)
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
