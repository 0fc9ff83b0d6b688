"""Outbox holds pending rows only; relays in other processes are notified of commits.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

from thidua_shared.platform.db import OUTBOX_NOTIFY_DDL, OUTBOX_NOTIFY_DROP

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in OUTBOX_NOTIFY_DDL:
        op.execute(statement)


def downgrade() -> None:
    for statement in OUTBOX_NOTIFY_DROP:
        op.execute(statement)
