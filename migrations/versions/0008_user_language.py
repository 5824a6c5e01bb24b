"""each member's language

``users.language`` is the code of the language Socialode speaks to them in (pages, emails,
notifications). Members who joined before it speak English until they choose.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on SQLite too: recreating ``users`` with foreign keys on would cascade.
    op.add_column(
        "users", sa.Column("language", sa.String(length=16), nullable=False, server_default="en")
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
