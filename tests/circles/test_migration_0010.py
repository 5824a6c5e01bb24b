"""Migration 0010 on an SQLite database that already holds members and circles: each name
gets its folded search key, so those who joined before it are found like everyone else, and
the migration goes down and up again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from socialode import migrate
from tests.old_databases import NOW, insert_user, rows


def test_0010_folds_the_names_already_there_and_goes_down_and_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url, "0009")
    with sqlite3.connect(path) as db:
        for n, name in ((1, "Inês Duarte"), (2, "ZOË  Søndergaard")):
            insert_user(db, n, name)
        db.execute(
            "INSERT INTO circles (id, owner_id, name, name_key, created_at) "
            "VALUES (5, 1, 'Família', 'família', ?)",
            (NOW,),
        )
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
    users = "SELECT id, name_search FROM users ORDER BY id"
    assert rows(path, users) == [(1, "ines duarte"), (2, "zoe sondergaard")]
    assert rows(path, "SELECT id, name_search FROM circles") == [(5, "familia")]
    command.downgrade(migrate.alembic_config(url), "0009")
    assert rows(path, "SELECT id, display_name FROM users ORDER BY id")[0] == (1, "Inês Duarte")
    migrate.upgrade(url)
    assert rows(path, users)[1] == (2, "zoe sondergaard")
