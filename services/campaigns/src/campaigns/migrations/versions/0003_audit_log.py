"""The audit trail: append-only, hash-chained records of every state-changing request.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from thidua_shared.platform.audit import AUDIT_DDL, AUDIT_DROP

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("action", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    for statement in AUDIT_DDL:
        op.execute(statement)


def downgrade() -> None:
    for statement in AUDIT_DROP:
        op.execute(statement)
    op.drop_table("audit_log")
