"""The demo clock's offset as state, so every process of the service keeps the same time.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clock_offset",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("offset_from_os", sa.Interval(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_clock_offset_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_offset")),
    )


def downgrade() -> None:
    op.drop_table("clock_offset")
