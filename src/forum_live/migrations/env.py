"""Alembic environment for forum-live.

The server runs it through ``forum_live.persistence.migrate.upgrade_database``, which passes an
open connection in ``config.attributes["connection"]``. Developers run it with the ``alembic``
command from the repository root (``alembic.ini``): the database is ``DATABASE_URL`` or the
default SQLite file ``instance/forum-live.db`` (the server's own default, config.py);
``alembic revision --autogenerate -m "..."`` writes a new revision from the models (review it
before committing: see the README's contributor notes).
"""
import os
from pathlib import Path

from alembic import context
from sqlalchemy import create_engine

from forum_live.persistence.models import Base
from forum_live.persistence.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Render the models' UTCDateTime as the plain column type it stores (no import of ours in
    revisions, so an old revision never breaks when the models change)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_item=render_item,
                      render_as_batch=True,  # SQLite alters tables by copy-and-move
                      compare_type=True)


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    default = f"sqlite:///{Path.cwd() / 'instance' / 'forum-live.db'}"
    engine = create_engine(os.environ.get("DATABASE_URL") or default)
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
