"""ids never reused on SQLite; former members see a group as it was when they left

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:40:00

SQLite gives the largest rowid of a table to the next row when that row was deleted, unless
the table is declared AUTOINCREMENT; ids that are seen outside their row (feed marks, links,
cursors, API clients) must never point at a different thing. SQLite cannot add AUTOINCREMENT
to a table, so each such table is rebuilt (batch mode, foreign keys off: see env.py) and its
counter set to the largest id it holds. PostgreSQL's identity sequences never go back, so
nothing changes there.

Conversations: a membership period that ends keeps the group's name then and how it ended
(``leave`` or ``remove``), and ``message_revisions`` keeps a message's text from before an edit
while someone who read it has left since. Periods closed before this revision get how they
ended from their closing event and the group's current name (the older names were not kept).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import socialode.platform.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table with an integer surrogate id whose rows can be deleted and whose id is used
# outside the row. Keep in step with the models' {"sqlite_autoincrement": True}.
NEVER_REUSED = (
    "users",
    "sessions",
    "waitlist_entries",
    "invites",
    "password_resets",
    "connection_requests",
    "circles",
    "conversations",
    "conversation_members",
    "messages",
    "moment_photos",
    "moments",
    "notifications",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    sqlite = _sqlite()
    for name in NEVER_REUSED:
        if name == "conversation_members" or not sqlite:
            continue
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    with op.batch_alter_table(
        "conversation_members",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as batch_op:
        batch_op.add_column(sa.Column("name_then", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("ended", sa.String(length=8), nullable=True))
    op.create_table(
        "message_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("edited_at", socialode.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_revisions_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_revisions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("message_revisions", schema=None) as batch_op:
        batch_op.create_index("ix_message_revisions_message", ["message_id", "seq"], unique=False)
    op.execute(
        """
        UPDATE conversation_members SET
          ended = (SELECT e.kind FROM conversation_events e
                   WHERE e.conversation_id = conversation_members.conversation_id
                     AND e.seq = conversation_members.until_seq),
          name_then = (SELECT c.name FROM conversations c
                       WHERE c.id = conversation_members.conversation_id)
        WHERE until_seq IS NOT NULL
        """
    )
    if sqlite:
        # The copy above already moved each counter to the largest id; make sure of it.
        for name in (*NEVER_REUSED, "message_revisions"):
            op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{name}'")
            op.execute(
                f"INSERT INTO sqlite_sequence (name, seq) "
                f"SELECT '{name}', COALESCE(MAX(id), 0) FROM {name}"
            )


def downgrade() -> None:
    # The tables stay AUTOINCREMENT on SQLite: harmless to the older code, and never reusing
    # an id is what every version wants.
    with op.batch_alter_table("message_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_message_revisions_message")
    op.drop_table("message_revisions")
    with op.batch_alter_table("conversation_members", schema=None) as batch_op:
        batch_op.drop_column("ended")
        batch_op.drop_column("name_then")
