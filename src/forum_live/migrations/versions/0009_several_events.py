"""Several events on one server (issue 12): the event's room, when the organiser archived it,
and the digest of its own moderator token (NULL: the server's moderator token, which every
event stored before this revision keeps).

Revision ID: 0009_several_events
Revises: 0008_hot_path
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009_several_events'
down_revision: str | Sequence[str] | None = "0008_hot_path"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: three columns; stored events get no room, are not archived and keep the
    server's moderator token."""
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('moderator_digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('moderator_digest')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('room')
