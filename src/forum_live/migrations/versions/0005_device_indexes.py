"""Indexes on vote.device_id and ballot.device_id: a device's own part (``mine``) is read after
each of its upvotes and ballots, and without them each read scanned every vote (issue 16).

Revision ID: 0005_device_indexes
Revises: 0004_takeaway_client_id
Create Date: 2026-12-03
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005_device_indexes'
down_revision: str | Sequence[str] | None = "0004_takeaway_client_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: two indexes, no data change."""
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_device_id'), ['device_id'], unique=False)
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_device_id'), ['device_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_device_id'))
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_device_id'))
