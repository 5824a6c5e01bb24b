"""up to four ordered photos per moment, each with its description

``moment_photos.moment_id`` names the moment a photo belongs to (deleted with it),
``position`` its place (0-3) and ``alt`` the author's description of it, used as the image's
alternative text (empty: none given). A moment's one photo so far (``moments.photo_id``)
becomes its first.

``moments.photo_id`` is no longer read or written and is left NULL. It stays in the table:
SQLite cannot drop a column that carries a reference without recreating ``moments``, which
the audience, circles and photo tables reference (and whose id counter must never go back).

On SQLite the columns are added with ``ALTER TABLE ... ADD COLUMN`` (which accepts a
reference when the default is NULL) rather than by recreating ``moment_photos``, which
``moments.photo_id`` references.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE moment_photos ADD COLUMN moment_id INTEGER "
            "CONSTRAINT fk_moment_photos_moment_id_moments "
            "REFERENCES moments (id) ON DELETE CASCADE"
        )
        op.execute("ALTER TABLE moment_photos ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
        op.execute("ALTER TABLE moment_photos ADD COLUMN alt VARCHAR(500) NOT NULL DEFAULT ''")
    else:
        op.add_column("moment_photos", sa.Column("moment_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_moment_photos_moment_id_moments",
            "moment_photos",
            "moments",
            ["moment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        op.add_column(
            "moment_photos",
            sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
        )
        op.add_column(
            "moment_photos",
            sa.Column("alt", sa.String(length=500), nullable=False, server_default=""),
        )
    op.create_index("ix_moment_photos_moment", "moment_photos", ["moment_id", "position"])
    op.execute(
        """
        UPDATE moment_photos SET
          moment_id = (SELECT m.id FROM moments m WHERE m.photo_id = moment_photos.id),
          position = 0
        WHERE id IN (SELECT photo_id FROM moments WHERE photo_id IS NOT NULL)
        """
    )
    op.execute("UPDATE moments SET photo_id = NULL WHERE photo_id IS NOT NULL")


def downgrade() -> None:
    # Each moment keeps its first photo; the others (and every description) are forgotten,
    # their rows and files left to the sweep of unused uploads.
    op.execute(
        """
        UPDATE moments SET photo_id = (
          SELECT p.id FROM moment_photos p WHERE p.moment_id = moments.id AND p.position = 0
        )
        """
    )
    op.execute(
        """
        UPDATE moment_photos SET attached = false
        WHERE moment_id IS NOT NULL AND position > 0
        """
    )
    op.drop_index("ix_moment_photos_moment", table_name="moment_photos")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            "fk_moment_photos_moment_id_moments", "moment_photos", type_="foreignkey"
        )
    with op.batch_alter_table(
        "moment_photos", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("alt")
        batch.drop_column("position")
        batch.drop_column("moment_id")
