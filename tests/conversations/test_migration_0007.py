"""Migration 0007 on an SQLite database that already holds a conversation: the reply and
photo columns arrive without recreating ``messages`` (dropping it with foreign keys on would
cascade into the events that name its rows), nothing is lost, a deleted original clears the
reply that named it, and the migration goes down and up again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from socialode import migrate

NOW = "2026-12-02 10:00:00.000000"


def _seed(path: Path) -> None:
    with sqlite3.connect(path) as db:
        for n in (1, 2):
            db.execute(
                "INSERT INTO users (id, handle, handle_key, email, email_key, display_name, "
                "password_hash, role, timezone, bio, pronouns, interests, invites_left, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 'member', 'UTC', '', '', '[]', 0, ?)",
                (n, f"p{n}", f"p{n}", f"p{n}@example.org", f"p{n}@example.org", f"P{n}", NOW),
            )
        db.execute(
            "INSERT INTO conversations (id, kind, name, direct_key, last_seq, last_activity_at, "
            "created_at) VALUES (1, 'direct', '', '1:2', 2, ?, ?)",
            (NOW, NOW),
        )
        for seq in (1, 2):
            db.execute(
                "INSERT INTO messages (id, conversation_id, seq, sender_id, client_key, body, "
                "body_html, quote, created_at) VALUES (?, 1, ?, 1, ?, 'hi', 'hi', '', ?)",
                (seq, seq, f"key-{seq:04d}", NOW),
            )
            db.execute(
                "INSERT INTO conversation_events (conversation_id, seq, kind, message_id, "
                "actor_id, created_at) VALUES (1, ?, 'message', ?, 1, ?)",
                (seq, seq, NOW),
            )


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def test_0007_keeps_everything_and_goes_down_and_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url, "0006")
    _seed(path)
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
    assert (_count(path, "messages"), _count(path, "conversation_events")) == (2, 2)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("UPDATE messages SET reply_to_id = 1, photo_key = 'k' WHERE id = 2")
        db.execute("DELETE FROM conversation_events WHERE message_id = 1")
        db.execute("DELETE FROM messages WHERE id = 1")
        reply, key = db.execute("SELECT reply_to_id, photo_key FROM messages").fetchone()
    assert (reply, key) == (None, "k")  # ON DELETE SET NULL
    command.downgrade(migrate.alembic_config(url), "0006")
    assert _count(path, "conversation_events") == 1
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
