"""Report content (results, member evaluations), drafts, lateness; approved registrations;
review rounds and the units a review was closed without.

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
    op.create_table(
        "registrations",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=50), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("commitments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("members", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "unit_code", name=op.f("pk_registrations")),
    )
    op.create_table(
        "phase_review_gaps",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("phase_number", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=50), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id", "phase_number"],
            ["phases.campaign_id", "phases.number"],
            name=op.f("fk_phase_review_gaps_campaign_id_phases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "campaign_id", "phase_number", "unit_code", name=op.f("pk_phase_review_gaps")
        ),
    )
    op.add_column(
        "campaigns", sa.Column("amendment_number", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("campaigns", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "participants", sa.Column("active", sa.Boolean(), server_default="true", nullable=False)
    )
    op.add_column(
        "phases", sa.Column("review_round", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("phases", sa.Column("reviewed_by", sa.String(length=200), nullable=True))
    op.add_column("phases", sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("phases", sa.Column("reopen_reason", sa.Text(), nullable=True))
    op.add_column(
        "report_versions",
        sa.Column(
            "results", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
    )
    op.add_column(
        "report_versions",
        sa.Column(
            "member_evaluations",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "report_versions",
        sa.Column(
            "members_left",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "report_versions",
        sa.Column(
            "item_reasons",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "report_versions", sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "report_versions",
        sa.Column("approval_withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "report_versions", sa.Column("approval_withdrawn_reason", sa.Text(), nullable=True)
    )
    op.add_column(
        "reports",
        sa.Column(
            "results", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
    )
    op.add_column(
        "reports",
        sa.Column(
            "member_evaluations",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "reports",
        sa.Column(
            "members_left",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "reports",
        sa.Column(
            "item_reasons",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "reports", sa.Column("late", sa.Boolean(), server_default="false", nullable=False)
    )
    op.alter_column(
        "reports", "submitted_at", existing_type=postgresql.TIMESTAMP(timezone=True), nullable=True
    )
    # Phases reviewed before rounds were counted were reviewed once.
    op.execute("UPDATE phases SET review_round = 1 WHERE reviewed_at IS NOT NULL")


def downgrade() -> None:
    op.alter_column(
        "reports", "submitted_at", existing_type=postgresql.TIMESTAMP(timezone=True), nullable=False
    )
    op.drop_column("reports", "late")
    op.drop_column("reports", "item_reasons")
    op.drop_column("reports", "members_left")
    op.drop_column("reports", "member_evaluations")
    op.drop_column("reports", "results")
    op.drop_column("report_versions", "approval_withdrawn_reason")
    op.drop_column("report_versions", "approval_withdrawn_at")
    op.drop_column("report_versions", "approved_at")
    op.drop_column("report_versions", "item_reasons")
    op.drop_column("report_versions", "members_left")
    op.drop_column("report_versions", "member_evaluations")
    op.drop_column("report_versions", "results")
    op.drop_column("phases", "reopen_reason")
    op.drop_column("phases", "reopened_at")
    op.drop_column("phases", "reviewed_by")
    op.drop_column("phases", "review_round")
    op.drop_column("participants", "active")
    op.drop_column("campaigns", "cancelled_at")
    op.drop_column("campaigns", "amendment_number")
    op.drop_table("phase_review_gaps")
    op.drop_table("registrations")
