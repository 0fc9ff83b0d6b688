"""The office's own rating of a unit's approved report, and a member's accepted research.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "approved_reports", sa.Column("office_rating", sa.String(length=50), nullable=True)
    )
    op.add_column(
        "member_evaluations",
        sa.Column(
            "research",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("member_evaluations", "research")
    op.drop_column("approved_reports", "office_rating")
