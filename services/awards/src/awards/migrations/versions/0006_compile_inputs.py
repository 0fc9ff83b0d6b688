"""What each compilation read besides the review rounds (versions of the listed reports, the
campaign's amendment), so that a late correction or an amendment compiles a new version, and
the decisions already issued when it was compiled.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONB = postgresql.JSONB(astext_type=sa.Text())

# The latest version of each campaign was compiled before these were kept: taking what the read
# model holds now as what it read keeps a redelivered event from compiling every campaign again.
# Earlier versions keep the defaults; only the latest is ever compared.
_BACKFILL_LATEST = """
UPDATE compilations c
SET report_versions = coalesce((
        SELECT jsonb_object_agg(r.phase_number || ':' || a.unit_code, a.version)
        FROM phase_reviews r
        JOIN campaigns k ON k.id = r.campaign_id AND r.phase_number BETWEEN 1 AND k.phases_total
        CROSS JOIN jsonb_array_elements(r.approved_reports) AS ref
        JOIN approved_reports a
          ON a.campaign_id = r.campaign_id AND a.phase_number = r.phase_number
         AND a.unit_code = ref ->> 'unit_code' AND a.report_id::text = ref ->> 'report_id'
        WHERE r.campaign_id = c.campaign_id
    ), '{}'::jsonb),
    amendment_number = (SELECT amendment_number FROM campaigns WHERE id = c.campaign_id)
WHERE c.version = (SELECT max(version) FROM compilations WHERE campaign_id = c.campaign_id)
"""


def upgrade() -> None:
    op.add_column(
        "compilations",
        sa.Column("report_versions", JSONB, server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column(
        "compilations",
        sa.Column("amendment_number", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "compilations",
        sa.Column("issued_decisions", JSONB, server_default=sa.text("'[]'::jsonb"), nullable=False),
    )
    op.execute(_BACKFILL_LATEST)


def downgrade() -> None:
    op.drop_column("compilations", "issued_decisions")
    op.drop_column("compilations", "amendment_number")
    op.drop_column("compilations", "report_versions")
