"""plan tasks, commitments, attachments, member gender and post, cancellation, directory,
covenant document fields

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_LIST = sa.text("'[]'::jsonb")


def _json_list(name: str) -> sa.Column[object]:
    return sa.Column(
        name, postgresql.JSONB(astext_type=sa.Text()), server_default=EMPTY_LIST, nullable=False
    )


def upgrade() -> None:
    op.add_column(
        "campaigns", sa.Column("document_number", sa.Text(), server_default="", nullable=False)
    )
    for column in ("issuing_agency", "parent_agency", "place_of_issue"):
        op.add_column("campaigns", sa.Column(column, sa.Text(), server_default="", nullable=False))
    op.add_column("campaigns", _json_list("tasks"))
    op.add_column(
        "campaigns", sa.Column("amendment_number", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("campaigns", sa.Column("cancelled_at", sa.DateTime(timezone=True)))
    op.add_column("campaigns", sa.Column("cancel_reason", sa.Text()))

    for column in ("document_number", "place"):
        op.add_column("covenants", sa.Column(column, sa.Text(), server_default="", nullable=False))

    op.add_column("registrations", _json_list("commitments"))
    op.add_column("registrations", _json_list("attachments"))
    op.add_column("registration_versions", _json_list("commitments"))
    op.add_column("registration_versions", _json_list("attachments"))

    # "position" was the member's place in the list; it now means the member's post (chức vụ).
    op.alter_column("registration_members", "position", new_column_name="list_order")
    op.add_column("registration_members", sa.Column("gender", sa.String(length=10)))
    op.add_column("registration_members", sa.Column("position", sa.Text()))

    op.create_table(
        "directory_units",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_directory_units")),
    )
    op.create_table(
        "directory_clusters",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit_codes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("leader_unit", sa.String(length=50), nullable=True),
        sa.Column("deputy_unit", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_directory_clusters")),
    )


def downgrade() -> None:
    op.drop_table("directory_clusters")
    op.drop_table("directory_units")
    op.drop_column("registration_members", "position")
    op.drop_column("registration_members", "gender")
    op.alter_column("registration_members", "list_order", new_column_name="position")
    op.drop_column("covenants", "place")
    op.drop_column("covenants", "document_number")
    for table in ("registration_versions", "registrations"):
        op.drop_column(table, "attachments")
        op.drop_column(table, "commitments")
    for column in (
        "cancel_reason",
        "cancelled_at",
        "amendment_number",
        "tasks",
        "place_of_issue",
        "parent_agency",
        "issuing_agency",
        "document_number",
    ):
        op.drop_column("campaigns", column)
