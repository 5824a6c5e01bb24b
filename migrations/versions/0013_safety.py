"""safety: what senders chose at a pause before sending, and who folds hurtful texts

``paused`` on messages, moments and gatherings records what the sender chose when their
words read as hurtful ("sent_anyway:threat", "rephrased:harassment"); NULL when there was no
pause. ``safety_settings.fold_hurtful`` is a member's choice to have texts sent anyway after a
pause folded behind "This may be hurtful — show?".

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 02:27:23.718088
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAUSED_ON = ("messages", "moments", "gatherings")


def upgrade() -> None:
    op.create_table(
        "safety_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("fold_hurtful", sa.Boolean(), nullable=False),
        sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_safety_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_safety_settings")),
    )
    for table in PAUSED_ON:
        # A plain ADD COLUMN on both databases (no table rebuild on SQLite).
        op.add_column(table, sa.Column("paused", sa.String(length=40), nullable=True))


def downgrade() -> None:
    for table in PAUSED_ON:
        # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild would rewrite the tables'
        # foreign keys as they are now, which older revisions' downgrades do not expect.
        op.execute(f"ALTER TABLE {table} DROP COLUMN paused")
    op.drop_table("safety_settings")
