"""The campaign's issuing agency and place of issue, read from its launch, for the minutes'
header and place line.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("issuing_agency", "parent_agency", "place_of_issue")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("campaigns", sa.Column(name, sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("campaigns", name)
