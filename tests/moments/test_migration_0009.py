"""Migration 0009 on an SQLite database that already holds a moment with its one photo: the
photo becomes the moment's first, nothing else moves (its audience stays: ``moments`` is not
recreated), and the migration goes down and up again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from socialode import migrate
from tests.old_databases import NOW, insert_user, rows


def _seed(path: Path) -> None:
    with sqlite3.connect(path) as db:
        for n in (1, 2):
            insert_user(db, n, f"P{n}")
        db.execute(
            "INSERT INTO moment_photos (id, owner_id, key, width, height, attached, created_at) "
            "VALUES (7, 1, 'k7', 40, 30, 1, ?), (8, 1, 'k8', 40, 30, 0, ?)",
            (NOW, NOW),
        )
        db.execute(
            "INSERT INTO moments (id, author_id, kind, body, body_html, content_note, "
            "prompt_text, photo_id, created_at) VALUES (3, 1, 'moment', 'lake', 'lake', '', "
            "'', 7, ?), (4, 1, 'moment', 'words', 'words', '', '', NULL, ?)",
            (NOW, NOW),
        )
        db.execute(
            "INSERT INTO moment_audience (viewer_id, moment_id, direct) VALUES (2, 3, 1), (2, 4, 1)"
        )


def test_0009_makes_the_one_photo_the_first_and_goes_down_and_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url, "0008")
    _seed(path)
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
    photos = "SELECT id, moment_id, position, alt, attached FROM moment_photos ORDER BY id"
    assert rows(path, photos) == [(7, 3, 0, "", 1), (8, None, 0, "", 0)]
    assert rows(path, "SELECT id, photo_id FROM moments ORDER BY id") == [(3, None), (4, None)]
    assert len(rows(path, "SELECT * FROM moment_audience")) == 2
    command.downgrade(migrate.alembic_config(url), "0008")
    assert rows(path, "SELECT id, photo_id FROM moments ORDER BY id") == [(3, 7), (4, None)]
    migrate.upgrade(url)
    assert rows(path, photos)[0] == (7, 3, 0, "", 1)
    with sqlite3.connect(path) as db:  # a deleted moment takes its photos' rows with it
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("DELETE FROM moment_audience WHERE moment_id = 3")
        db.execute("DELETE FROM moments WHERE id = 3")
    assert rows(path, photos) == [(8, None, 0, "", 0)]
