"""The plan's content on a campaign: issuer, kind, parent, bases, objectives, tasks with
targets, recipients, signer. Server defaults keep existing rows valid.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "campaigns", sa.Column("issuing_agency", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "campaigns", sa.Column("place_of_issue", sa.Text(), server_default="", nullable=False)
    )
    op.add_column("campaigns", sa.Column("issued_on", sa.Date(), nullable=True))
    op.add_column(
        "campaigns",
        sa.Column("kind", sa.String(length=20), server_default="regular", nullable=False),
    )
    op.add_column("campaigns", sa.Column("parent_campaign_id", sa.Uuid(), nullable=True))
    op.add_column(
        "campaigns",
        sa.Column(
            "legal_bases",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns",
        sa.Column(
            "objectives",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns",
        sa.Column(
            "tasks",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns",
        sa.Column(
            "recipients",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns", sa.Column("signer_name", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "campaigns", sa.Column("signer_title", sa.Text(), server_default="", nullable=False)
    )
    op.create_foreign_key(
        op.f("fk_campaigns_parent_campaign_id_campaigns"),
        "campaigns",
        "campaigns",
        ["parent_campaign_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_campaigns_parent_campaign_id_campaigns"), "campaigns", type_="foreignkey"
    )
    op.drop_column("campaigns", "signer_title")
    op.drop_column("campaigns", "signer_name")
    op.drop_column("campaigns", "recipients")
    op.drop_column("campaigns", "tasks")
    op.drop_column("campaigns", "objectives")
    op.drop_column("campaigns", "legal_bases")
    op.drop_column("campaigns", "parent_campaign_id")
    op.drop_column("campaigns", "kind")
    op.drop_column("campaigns", "issued_on")
    op.drop_column("campaigns", "place_of_issue")
    op.drop_column("campaigns", "issuing_agency")
