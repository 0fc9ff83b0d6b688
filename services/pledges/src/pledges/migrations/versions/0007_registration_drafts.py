"""registration drafts: no submission time until a draft is submitted

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The status column is a plain string: "draft" needs no change there.
    op.alter_column(
        "registrations", "submitted_at", existing_type=sa.DateTime(timezone=True), nullable=True
    )


def downgrade() -> None:
    # Drafts are kept rather than lost; the older code shows them but cannot submit them.
    op.execute("UPDATE registrations SET submitted_at = created_at WHERE submitted_at IS NULL")
    op.alter_column(
        "registrations", "submitted_at", existing_type=sa.DateTime(timezone=True), nullable=False
    )
