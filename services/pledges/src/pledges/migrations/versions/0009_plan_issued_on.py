"""The plan's date of issue, which a covenant's căn cứ names ("Kế hoạch số … ngày …").

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("campaigns", sa.Column("issued_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("campaigns", "issued_on")
