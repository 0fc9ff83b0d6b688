"""Dossiers to a higher authority (hồ sơ đề nghị khen thưởng) and that authority's decision.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY = sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("disclosure_id", sa.Uuid(), nullable=False),
        sa.Column("authority", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rule_set", sa.String(60), nullable=False),
        sa.Column("number", sa.String(50), nullable=False),
        sa.Column("drafted_on", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("issuing_agency", sa.Text(), nullable=False),
        sa.Column("parent_agency", sa.Text(), nullable=False),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("signer_authority", sa.Text(), nullable=False),
        sa.Column("signer_title", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.Text(), nullable=False),
        sa.Column("items", postgresql.JSONB(), nullable=False),
        sa.Column("sent_number", sa.String(50)),
        sa.Column("sent_on", sa.Date()),
        sa.Column("returns", postgresql.JSONB(), server_default=EMPTY, nullable=False),
        sa.Column("decision_id", sa.Uuid()),
        sa.Column("decision_number", sa.String(50)),
        sa.Column("decided_on", sa.Date()),
        sa.Column("decision_signer_title", sa.Text()),
        sa.Column("decision_signer_name", sa.Text()),
        sa.Column("granted", postgresql.JSONB(), server_default=EMPTY, nullable=False),
        sa.Column("refused", postgresql.JSONB(), server_default=EMPTY, nullable=False),
        sa.Column("base_salary_vnd", sa.BigInteger()),
        sa.Column("base_salary_source", sa.Text()),
        sa.Column("fund", sa.Text()),
        sa.Column("fund_citation", sa.Text()),
        sa.Column("total_bonus_vnd", sa.BigInteger()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_dossiers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["disclosure_id"],
            ["disclosures.id"],
            name=op.f("fk_dossiers_disclosure_id_disclosures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("disclosure_id", "authority", name=op.f("uq_dossiers_disclosure_id")),
        sa.UniqueConstraint("number", name=op.f("uq_dossiers_number")),
    )


def downgrade() -> None:
    op.drop_table("dossiers")
