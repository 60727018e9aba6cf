"""The test PostgreSQL: whether it can be used, and a schema of its own per test.

Skipped when PostgreSQL is unreachable, except under CI (the CI variable set), where CI starts
PostgreSQL and an unreachable server is a failure.
"""
import contextlib
import functools
import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

#: The PostgreSQL the suite uses when reachable (CI starts it); override with the variable.
POSTGRES_URL = os.environ.get("FORUM_LIVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def postgres_problem() -> str | None:
    """Why the test PostgreSQL cannot be used, or None; asked once per run."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


def postgres_or_skip() -> str:
    """Return the URL of the test PostgreSQL; skip when unreachable, but fail under CI."""
    problem = postgres_problem()
    if problem is not None:
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{reason} (CI is set, and CI starts PostgreSQL)")
        pytest.skip(reason + " (set CI to make this a failure)")
    return POSTGRES_URL


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A SQLAlchemy URL whose every connection sees only a new, empty schema of its own
    (``forum_test_<hex>``), dropped on exit; dispose of engines on it before leaving."""
    import psycopg

    url = postgres_or_skip()
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
