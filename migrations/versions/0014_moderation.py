"""moderation: reports, the append-only audit log, and suspensions

``reports`` is each report as stored state (open, in review, resolved) with what the
reporter could see then; one open report per reporter and thing. ``moderation_audit`` is
append-only: a trigger on each database refuses UPDATE and DELETE (and TRUNCATE on
PostgreSQL). ``users.suspended_until`` holds a suspension (a ban: 9999-12-31).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db
from socialode.moderation import audit

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column(
            "suspended_until", socialode.platform.db.UTCDateTime(timezone=True), nullable=True
        ),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.String(length=60), nullable=False),
        sa.Column("paused", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("created_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_reports_reporter_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["users.id"], name=op.f("fk_reports_subject_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_reports_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sqlite_autoincrement=True,
    )  # fmt: skip
    op.create_index("ix_reports_state_id", "reports", ["state", "id"])
    op.create_index("ix_reports_kind_object", "reports", ["kind", "object_id"])
    op.create_index(
        "ix_reports_waiting",
        "reports",
        ["id"],
        sqlite_where=sa.text("state != 'resolved'"),
        postgresql_where=sa.text("state != 'resolved'"),
    )
    op.create_index(op.f("ix_reports_subject_id"), "reports", ["subject_id"])
    op.create_index(
        "uq_reports_open_once",
        "reports",
        ["reporter_id", "kind", "object_id"],
        unique=True,
        sqlite_where=sa.text("state != 'resolved'"),
        postgresql_where=sa.text("state != 'resolved'"),
    )
    op.create_table(
        "moderation_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_moderation_audit_at"), "moderation_audit", ["at"])
    statements = (
        audit.POSTGRES_TRIGGERS
        if op.get_bind().dialect.name == "postgresql"
        else audit.SQLITE_TRIGGERS
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    drops = audit.POSTGRES_DROP if op.get_bind().dialect.name == "postgresql" else audit.SQLITE_DROP
    for statement in drops:
        op.execute(statement)
    op.drop_table("moderation_audit")
    op.drop_table("reports")
    op.execute("ALTER TABLE users DROP COLUMN suspended_until")
