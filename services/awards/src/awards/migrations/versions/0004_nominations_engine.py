"""Nominations engine: read model of registrations, reports, units and clusters; award history;
explained nominations and refusals; compilation versions with their differences.

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

JSONB = postgresql.JSONB(astext_type=sa.Text())
TEXT_ARRAY = postgresql.ARRAY(sa.Text())


def _empty_list() -> sa.TextClause:
    return sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.add_column("campaigns", sa.Column("cancelled_at", sa.DateTime(timezone=True)))
    op.add_column(
        "campaigns",
        sa.Column("amendment_number", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "campaigns", sa.Column("phases", JSONB, server_default=_empty_list(), nullable=False)
    )
    op.add_column(
        "campaigns", sa.Column("clusters", JSONB, server_default=_empty_list(), nullable=False)
    )
    op.add_column(
        "phase_reviews",
        sa.Column("review_round", sa.Integer(), server_default="1", nullable=False),
    )

    op.create_table(
        "directory_units",
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), server_default="", nullable=False),
        sa.Column("parent_code", sa.String(50)),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_directory_units")),
    )
    op.create_table(
        "directory_clusters",
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit_codes", JSONB, nullable=False),
        sa.Column("year", sa.Integer()),
        sa.Column("leader_unit", sa.String(50)),
        sa.Column("deputy_unit", sa.String(50)),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_directory_clusters")),
    )
    op.create_table(
        "registrations",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(50), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("collective_title", sa.String(100)),
        sa.Column("cluster", sa.Text()),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "unit_code", name=op.f("pk_registrations")),
    )
    op.create_table(
        "registered_members",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(50), nullable=False),
        sa.Column("staff_code", sa.String(50), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("gender", sa.String(10)),
        sa.Column("title_aimed", sa.String(100)),
        sa.PrimaryKeyConstraint(
            "campaign_id", "unit_code", "staff_code", name=op.f("pk_registered_members")
        ),
    )
    op.create_table(
        "approved_reports",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("phase_number", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(50), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("self_assessment", sa.String(50)),
        sa.Column("results", JSONB, server_default=_empty_list(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "campaign_id", "phase_number", "unit_code", name=op.f("pk_approved_reports")
        ),
    )
    op.create_table(
        "member_evaluations",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("phase_number", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(50), nullable=False),
        sa.Column("staff_code", sa.String(50), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("task_rating", sa.String(30), nullable=False),
        sa.Column("discipline", sa.String(30), server_default="none", nullable=False),
        sa.Column("discipline_from", sa.Date()),
        sa.Column("discipline_to", sa.Date()),
        sa.Column("under_investigation", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("initiatives", JSONB, server_default=_empty_list(), nullable=False),
        sa.Column("gender", sa.String(10)),
        sa.PrimaryKeyConstraint(
            "campaign_id",
            "phase_number",
            "unit_code",
            "staff_code",
            name=op.f("pk_member_evaluations"),
        ),
    )
    op.create_table(
        "award_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_code", sa.String(50), nullable=False),
        sa.Column("subject_name", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_code", sa.String(50), server_default="", nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("decision_id", sa.Uuid()),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revocation_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("initiative_identifiers", JSONB, server_default=_empty_list(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_history")),
        sa.UniqueConstraint(
            "subject_kind",
            "subject_code",
            "year",
            "title",
            name=op.f("uq_award_history_subject_kind"),
        ),
    )
    op.create_index("ix_award_history_subject_code", "award_history", ["subject_code"])

    op.add_column(
        "compilations", sa.Column("rule_set", sa.String(60), server_default="", nullable=False)
    )
    op.add_column(
        "compilations", sa.Column("review_rounds", JSONB, server_default="{}", nullable=False)
    )
    op.add_column(
        "compilations", sa.Column("added", JSONB, server_default=_empty_list(), nullable=False)
    )
    op.add_column(
        "compilations", sa.Column("removed", JSONB, server_default=_empty_list(), nullable=False)
    )
    for column in (
        sa.Column("subject_name", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_code", sa.String(50), server_default="", nullable=False),
        sa.Column("rule_id", sa.String(100), server_default="", nullable=False),
        sa.Column("citation", sa.Text(), server_default="", nullable=False),
        sa.Column("multiplier", sa.Numeric(6, 2), server_default="0", nullable=False),
        sa.Column("facts", TEXT_ARRAY, server_default="{}", nullable=False),
        sa.Column("initiative_identifiers", TEXT_ARRAY, server_default="{}", nullable=False),
    ):
        op.add_column("nominations", column)
    # Rows are written with COPY, leaving the key to the database.
    op.alter_column("nominations", "id", server_default=sa.text("gen_random_uuid()"))
    op.create_table(
        "refusals",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("compilation_id", sa.Uuid(), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_code", sa.String(50), nullable=False),
        sa.Column("subject_name", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_code", sa.String(50), server_default="", nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("failed_condition", sa.Text(), nullable=False),
        sa.Column("facts", TEXT_ARRAY, server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["compilation_id"],
            ["compilations.id"],
            name=op.f("fk_refusals_compilation_id_compilations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusals")),
    )
    op.create_index("ix_refusals_compilation_id", "refusals", ["compilation_id"])
    op.create_index("ix_nominations_compilation_id", "nominations", ["compilation_id"])


def downgrade() -> None:
    op.drop_index("ix_nominations_compilation_id", "nominations")
    op.alter_column("nominations", "id", server_default=None)
    op.drop_table("refusals")
    for name in (
        "initiative_identifiers",
        "facts",
        "multiplier",
        "citation",
        "rule_id",
        "unit_code",
        "subject_name",
    ):
        op.drop_column("nominations", name)
    for name in ("removed", "added", "review_rounds", "rule_set"):
        op.drop_column("compilations", name)
    op.drop_table("award_history")
    op.drop_table("member_evaluations")
    op.drop_table("approved_reports")
    op.drop_table("registered_members")
    op.drop_table("registrations")
    op.drop_table("directory_clusters")
    op.drop_table("directory_units")
    op.drop_column("phase_reviews", "review_round")
    for name in ("clusters", "phases", "amendment_number", "cancelled_at"):
        op.drop_column("campaigns", name)
