"""notification delivery, boundaries and push subscriptions

Notifications learn how many things one entry stands for (``count``, messages collapse per
conversation) and where they are on their way to the member (``delivery``); those written
before this revision are taken as already delivered. ``boundaries`` holds a member's quiet
hours, digest times and channels once they change a default. ``push_subscriptions`` holds
each installed device's Web Push endpoint and keys.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:01:04.562911
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (autogenerate renders JSONB with Text)

import socialode.platform.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "boundaries",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quiet_on", sa.Boolean(), nullable=False),
        sa.Column("quiet_start", sa.String(length=5), nullable=False),
        sa.Column("quiet_end", sa.String(length=5), nullable=False),
        sa.Column("digest_times", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("email_digest", sa.Boolean(), nullable=False),
        sa.Column("push_previews", sa.Boolean(), nullable=False),
        sa.Column("share_sleep_line", sa.Boolean(), nullable=False),
        sa.Column(
            "together_until", socialode.platform.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_boundaries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_boundaries")),
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1024), nullable=False),
        sa.Column("p256dh", sa.String(length=128), nullable=False),
        sa.Column("auth", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_push_subscriptions_user_id"), ["user_id"], unique=False
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("count", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("delivery", sa.String(length=8), nullable=False, server_default="summed")
        )
        batch_op.add_column(
            sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_notifications_delivery", ["user_id", "delivery"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_delivery")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("delivery")
        batch_op.drop_column("count")

    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_subscriptions_user_id"))

    op.drop_table("push_subscriptions")
    op.drop_table("boundaries")
