"""gatherings: proposals with time options, answers, RSVPs, private feelings, calendar feeds

``gatherings`` holds what was proposed and its state (polling, fixed, cancelled) with the
final time; ``gathering_options`` the times offered and ``gathering_votes`` each invitee's
answer to each; ``gathering_invitees`` who was invited (the organiser too) and their RSVP.
``gathering_feelings.sealed`` holds what someone felt afterwards, encrypted at rest
(``platform.sealing``). ``gathering_calendar_feeds`` holds the generation of each member's
private calendar address (resetting it moves to the next, so older addresses stop working).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:31:53.735988
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gathering_calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("created_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gathering_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_gathering_calendar_feeds")),
    )
    op.create_table(
        "gatherings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("map_url", sa.String(length=500), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("starts_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "poll_closes_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("suggest_again", sa.Boolean(), nullable=False),
        sa.Column("created_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_gatherings_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["users.id"],
            name=op.f("fk_gatherings_organiser_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gatherings")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        batch_op.create_index("ix_gatherings_organiser_id", ["organiser_id"], unique=False)

    op.create_table(
        "gathering_feelings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_gathering_feelings_gathering_id_gatherings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gathering_feelings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_feelings")),
        sa.UniqueConstraint(
            "gathering_id", "user_id", name=op.f("uq_gathering_feelings_gathering_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gathering_feelings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gathering_feelings_user_id_taken_at", ["user_id", "taken_at"], unique=False
        )

    op.create_table(
        "gathering_invitees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rsvp", sa.String(length=8), nullable=False),
        sa.Column("answered_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("invited_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_gathering_invitees_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gathering_invitees_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_invitees")),
        sa.UniqueConstraint(
            "gathering_id", "user_id", name=op.f("uq_gathering_invitees_gathering_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gathering_invitees", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gathering_invitees_user_id", ["user_id", "gathering_id"], unique=False
        )

    op.create_table(
        "gathering_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_gathering_options_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering_options")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gathering_options", schema=None) as batch_op:
        batch_op.create_index("ix_gathering_options_gathering_id", ["gathering_id"], unique=False)

    op.create_table(
        "gathering_votes",
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=False),
        sa.Column("answered_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_gathering_votes_gathering_id_gatherings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["gathering_options.id"],
            name=op.f("fk_gathering_votes_option_id_gathering_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gathering_votes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("option_id", "user_id", name=op.f("pk_gathering_votes")),
    )
    with op.batch_alter_table("gathering_votes", schema=None) as batch_op:
        batch_op.create_index("ix_gathering_votes_gathering_id", ["gathering_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gathering_votes", schema=None) as batch_op:
        batch_op.drop_index("ix_gathering_votes_gathering_id")

    op.drop_table("gathering_votes")
    with op.batch_alter_table("gathering_options", schema=None) as batch_op:
        batch_op.drop_index("ix_gathering_options_gathering_id")

    op.drop_table("gathering_options")
    with op.batch_alter_table("gathering_invitees", schema=None) as batch_op:
        batch_op.drop_index("ix_gathering_invitees_user_id")

    op.drop_table("gathering_invitees")
    with op.batch_alter_table("gathering_feelings", schema=None) as batch_op:
        batch_op.drop_index("ix_gathering_feelings_user_id_taken_at")

    op.drop_table("gathering_feelings")
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        batch_op.drop_index("ix_gatherings_organiser_id")

    op.drop_table("gatherings")
    op.drop_table("gathering_calendar_feeds")
