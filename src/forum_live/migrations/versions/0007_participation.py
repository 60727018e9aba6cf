"""Participation: the devices that joined an event and its peak connected (issue 14, item 2).

Revision ID: 0007_participation
Revises: 0006_screen_language
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007_participation"
down_revision: str | Sequence[str] | None = "0006_screen_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the device_join table and event.peak_connected(_at). An event made before has no
    joins recorded and a peak of 0 (nothing was counted then)."""
    op.create_table(
        "device_join",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.PrimaryKeyConstraint("event_id", "device_id"),
    )
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("peak_connected", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("peak_connected_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("event") as batch:
        batch.drop_column("peak_connected_at")
        batch.drop_column("peak_connected")
    op.drop_table("device_join")
