"""The event's screen language: the projector's and stage view's (issue 15, languages).

Revision ID: 0006_screen_language
Revises: 0005_segment_notes
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006_screen_language"
down_revision: str | Sequence[str] | None = "0005_segment_notes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add event.screen_language ("en" for the events stored before: their screens were English)."""
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("screen_language", sa.String(length=8), nullable=False, server_default="en"))


def downgrade() -> None:
    """Drop event.screen_language."""
    with op.batch_alter_table("event") as batch:
        batch.drop_column("screen_language")
