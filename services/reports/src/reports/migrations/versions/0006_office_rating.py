"""The standing office's own rating of a unit, recorded when it approves the final report.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("office_rating", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("reports", "office_rating")
