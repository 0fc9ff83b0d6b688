"""The unit directory and clusters, amendments, cancellation, the plan's remaining text.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_clusters")),
    )
    op.create_table(
        "units",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.String(length=50), nullable=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["units.code"], name=op.f("fk_units_parent_code_units")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_units")),
    )
    op.create_table(
        "amendments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("amended_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_amendments_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
        sa.UniqueConstraint("campaign_id", "number", name=op.f("uq_amendments_campaign_id")),
    )
    op.create_table(
        "cluster_leaderships",
        sa.Column("cluster_code", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("leader_unit", sa.String(length=50), nullable=False),
        sa.Column("deputy_unit", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_code"],
            ["clusters.code"],
            name=op.f("fk_cluster_leaderships_cluster_code_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deputy_unit"], ["units.code"], name=op.f("fk_cluster_leaderships_deputy_unit_units")
        ),
        sa.ForeignKeyConstraint(
            ["leader_unit"], ["units.code"], name=op.f("fk_cluster_leaderships_leader_unit_units")
        ),
        sa.PrimaryKeyConstraint("cluster_code", "year", name=op.f("pk_cluster_leaderships")),
    )
    op.create_table(
        "cluster_members",
        sa.Column("cluster_code", sa.String(length=50), nullable=False),
        sa.Column("unit_code", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_code"],
            ["clusters.code"],
            name=op.f("fk_cluster_members_cluster_code_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_cluster_members_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("cluster_code", "unit_code", name=op.f("pk_cluster_members")),
    )
    op.create_index(op.f("ix_participants_unit_code"), "participants", ["unit_code"])
    op.add_column(
        "campaigns", sa.Column("parent_agency", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "campaigns",
        sa.Column(
            "introduction",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns", sa.Column("tasks_introduction", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "campaigns",
        sa.Column(
            "implementation",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column("campaigns", sa.Column("closing", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "campaigns",
        sa.Column(
            "cluster_codes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "campaigns", sa.Column("amendment_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("campaigns", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("campaigns", sa.Column("cancel_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("campaigns", "cancel_reason")
    op.drop_column("campaigns", "cancelled_at")
    op.drop_column("campaigns", "amendment_count")
    op.drop_column("campaigns", "cluster_codes")
    op.drop_column("campaigns", "closing")
    op.drop_column("campaigns", "implementation")
    op.drop_column("campaigns", "tasks_introduction")
    op.drop_column("campaigns", "introduction")
    op.drop_column("campaigns", "parent_agency")
    op.drop_index(op.f("ix_participants_unit_code"), table_name="participants")
    op.drop_table("cluster_members")
    op.drop_table("cluster_leaderships")
    op.drop_table("amendments")
    op.drop_table("units")
    op.drop_table("clusters")
