"""reports by reporter: a member's own reports, newest first, read through an index

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 07:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_reporter_id", table_name="reports")
