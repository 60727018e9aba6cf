"""Takeaways: the client_id that makes a resent takeaway:add store nothing new (issue 14).

Revision ID: 0004_takeaway_client_id
Revises: 0003_questions_open_after_end
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004_takeaway_client_id'
down_revision: str | Sequence[str] | None = "0003_questions_open_after_end"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: a nullable column (rows written before have none) and a unique index
    per event (NULLs never collide, on SQLite and PostgreSQL alike)."""
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_takeaway_event_client', ['event_id', 'client_id'], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.drop_index('ix_takeaway_event_client')
        batch_op.drop_column('client_id')
