"""names folded for search

``users.name_search`` and ``circles.name_search`` hold the display name and the circle name
folded for finding (``socialode.platform.folding.search_key``: no accents, no case), written
by the actions that write the names. A search of one's own people narrows on them in SQL with
a plain ``LIKE`` instead of folding every name in Python on every call. Existing names are
folded here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from socialode.platform.folding import search_key

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (("users", "display_name"), ("circles", "name"))


def upgrade() -> None:
    bind = op.get_bind()
    for table, source in TABLES:
        # A plain ADD COLUMN on SQLite too: recreating a table with foreign keys on would
        # cascade.
        op.add_column(
            table, sa.Column("name_search", sa.Text(), nullable=False, server_default="")
        )
        rows = bind.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()  # noqa: S608
        update = sa.text(f"UPDATE {table} SET name_search = :key WHERE id = :id")  # noqa: S608
        for row_id, name in rows:
            bind.execute(update, {"key": search_key(name), "id": row_id})


def downgrade() -> None:
    for table, _source in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("name_search")
