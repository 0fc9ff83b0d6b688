"""The plan's number and date of issue, read from its launch, and the decision's "Xét đề nghị"
line, for the decision's grounds; each revoked award's revocation decision (number, date,
signer) and the bonus it recovers.

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

REVOCATION_TEXTS = ("revocation_number", "revocation_signer_title", "revocation_signer_name")


def upgrade() -> None:
    op.add_column(
        "campaigns", sa.Column("plan_number", sa.Text(), server_default="", nullable=False)
    )
    op.add_column("campaigns", sa.Column("plan_issued_on", sa.Date(), nullable=True))
    op.add_column("decisions", sa.Column("proposal", sa.Text(), server_default="", nullable=False))
    for name in REVOCATION_TEXTS:
        op.add_column("decision_awards", sa.Column(name, sa.Text(), nullable=True))
    op.add_column("decision_awards", sa.Column("revoked_on", sa.Date(), nullable=True))
    op.add_column(
        "decision_awards", sa.Column("bonus_recovered_vnd", sa.BigInteger(), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("decision_awards", "bonus_recovered_vnd")
    op.drop_column("decision_awards", "revoked_on")
    for name in reversed(REVOCATION_TEXTS):
        op.drop_column("decision_awards", name)
    op.drop_column("decisions", "proposal")
    op.drop_column("campaigns", "plan_issued_on")
    op.drop_column("campaigns", "plan_number")
