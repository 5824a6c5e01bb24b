"""background jobs: a durable queue of our own

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:10:00

One row per job, added in the transaction of what causes it. Workers claim rows in state
``ready`` whose ``run_at`` has come (and ``running`` rows whose lease ended) ordered by
``run_at``: both indexes lead with ``state``. ``dedupe_key`` is unique where set (NULLs never
collide), so scheduling twice schedules once. Ids are never reused on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("run_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_jobs_dedupe_key")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_jobs_claim", "jobs", ["state", "run_at"], unique=False)
    op.create_index("ix_jobs_lease", "jobs", ["state", "lease_until"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_lease", table_name="jobs")
    op.drop_index("ix_jobs_claim", table_name="jobs")
    op.drop_table("jobs")
