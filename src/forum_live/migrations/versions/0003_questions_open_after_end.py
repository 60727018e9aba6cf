"""Questions kept open for follow-up after the end of the show (issue 11, item 8).

Revision ID: 0003_questions_open_after_end
Revises: 0002_takeaways
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003_questions_open_after_end"
down_revision: str | Sequence[str] | None = "0002_takeaways"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add event.questions_open_after_end (false: an ended show takes no more questions)."""
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("questions_open_after_end", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    """Drop event.questions_open_after_end."""
    with op.batch_alter_table("event") as batch:
        batch.drop_column("questions_open_after_end")
