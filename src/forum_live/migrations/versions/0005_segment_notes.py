"""Segments: the organiser's notes (an event file's or a spreadsheet's notes column, issue 12).

Revision ID: 0005_segment_notes
Revises: 0004_takeaway_client_id
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005_segment_notes'
down_revision: str | Sequence[str] | None = "0004_takeaway_client_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: a non-null text column, empty for the segments stored before."""
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.drop_column('notes')
