"""Rows written straight into an SQLite database at an older migration, for the tests that
show a migration carrying existing data forward (actions only write the current schema)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

NOW = "2026-12-02 10:00:00.000000"


def insert_user(db: sqlite3.Connection, n: int, display_name: str) -> None:
    """Member ``n`` (handle ``p<n>``) as the users table held them before migration 0010."""
    db.execute(
        "INSERT INTO users (id, handle, handle_key, email, email_key, display_name, "
        "password_hash, role, timezone, bio, pronouns, interests, invites_left, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 'member', 'UTC', '', '', '[]', 0, ?)",
        (n, f"p{n}", f"p{n}", f"p{n}@example.org", f"p{n}@example.org", display_name, NOW),
    )


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return list(db.execute(sql).fetchall())
