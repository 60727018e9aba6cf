"""The hot path (issue 16): indexes on vote.device_id and ballot.device_id (a device's own part,
``mine``, is read after each of its upvotes and ballots; without them each read scanned every
vote), and event.public_version (the stored version of the public parts, which every process's
shared copy of them is compared against).

Revision ID: 0008_hot_path
Revises: 0007_participation
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0008_hot_path'
down_revision: str | Sequence[str] | None = "0007_participation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: two indexes and a counter starting at 0 (no data change)."""
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_version', sa.Integer(), server_default='0', nullable=False))
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
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('public_version')
