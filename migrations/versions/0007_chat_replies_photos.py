"""replies to a message and photos in messages

``messages.reply_to_id`` names the message a message answers (cleared when that one is
removed). ``photo_key``, ``photo_width`` and ``photo_height`` describe a processed photo sent
in the message (the file lives under the media folder); a message with a photo may have no
text.

On SQLite the columns are added with ``ALTER TABLE ... ADD COLUMN`` (which accepts a
reference when the default is NULL) rather than by recreating ``messages``: dropping the old
table while foreign keys are on would cascade into the conversation events that name it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHOTO_COLUMNS = (
    ("photo_key", "VARCHAR(32)", sa.String(32)),
    ("photo_width", "INTEGER", sa.Integer()),
    ("photo_height", "INTEGER", sa.Integer()),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE messages ADD COLUMN reply_to_id INTEGER "
            "CONSTRAINT fk_messages_reply_to_id_messages "
            "REFERENCES messages (id) ON DELETE SET NULL"
        )
        for name, sql_type, _type in PHOTO_COLUMNS:
            op.execute(f"ALTER TABLE messages ADD COLUMN {name} {sql_type}")
    else:
        op.add_column("messages", sa.Column("reply_to_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_messages_reply_to_id_messages",
            "messages",
            "messages",
            ["reply_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        for name, _sql, type_ in PHOTO_COLUMNS:
            op.add_column("messages", sa.Column(name, type_, nullable=True))
    op.create_index("ix_messages_reply_to_id", "messages", ["reply_to_id"])
    op.create_index("ix_messages_photo_key", "messages", ["photo_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_messages_photo_key", table_name="messages")
    op.drop_index("ix_messages_reply_to_id", table_name="messages")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_messages_reply_to_id_messages", "messages", type_="foreignkey")
    for name in ("photo_height", "photo_width", "photo_key", "reply_to_id"):
        op.execute(f"ALTER TABLE messages DROP COLUMN {name}")
