"""wellbeing check-ins, sealed, and each member's check-in choices

``wellbeing_checkins.sealed`` holds which check-in it was, its answers, feeling words and
note as one value encrypted at rest (``platform.sealing``); only the member and the time are
in the clear. ``wellbeing_prefs`` holds which check-ins a member wants offered and how often,
whether reminders come (and when each last came), a pause, and whether trends show time with people beside them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wellbeing_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wellbeing_checkins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_checkins")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_wellbeing_checkins_user_id_taken_at",
        "wellbeing_checkins",
        ["user_id", "taken_at"],
        unique=False,
    )
    op.create_table(
        "wellbeing_prefs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column(
            "paused_until", socialode.platform.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("reminded", sa.JSON(), nullable=False),
        sa.Column("line_up", sa.Boolean(), nullable=False),
        sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wellbeing_prefs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_wellbeing_prefs")),
    )


def downgrade() -> None:
    op.drop_table("wellbeing_prefs")
    op.drop_index("ix_wellbeing_checkins_user_id_taken_at", table_name="wellbeing_checkins")
    op.drop_table("wellbeing_checkins")
