"""Which database and Redis the suite runs against, and whether they must be there."""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

BACKEND = os.environ.get("SOCIALODE_TEST_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get(
    "SOCIALODE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SOCIALODE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRED = os.environ.get("SOCIALODE_REQUIRE_SERVICES") == "1"
# scripts/test sets this in the SQLite pass when the PostgreSQL + Redis pass runs too.
POSTGRES_PASS_FOLLOWS = os.environ.get("SOCIALODE_POSTGRES_PASS") == "1"


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def create_postgres_database() -> str:
    """A fresh, uniquely named database on the test server; returns its URL."""
    import psycopg

    name = f"socialode_test_{uuid.uuid4().hex[:12]}"
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
