"""Both databases give back aware UTC datetimes; SQLite runs crash-safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from socialode.accounts.models import WaitlistEntry
from socialode.platform.services import Services


async def test_datetimes_come_back_aware_utc(services: Services) -> None:
    local = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5)))
    async with services.db.sessions() as db:
        db.add(WaitlistEntry(email="t@example.org", email_key="t@example.org", created_at=local))
        await db.commit()
    async with services.db.sessions() as db:
        stored = (await db.execute(select(WaitlistEntry.created_at))).scalar_one()
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == local and stored.astimezone(UTC).hour == 20


async def test_naive_datetimes_are_refused(services: Services) -> None:
    async with services.db.sessions() as db:
        db.add(
            WaitlistEntry(
                email="n@example.org",
                email_key="n@example.org",
                created_at=datetime(2026, 1, 1),  # noqa: DTZ001
            )
        )
        with pytest.raises(Exception, match="naive"):
            await db.commit()


async def test_sqlite_pragmas(services: Services) -> None:
    if not services.db.url.startswith("sqlite"):
        pytest.skip("SQLite only")
    async with services.db.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await conn.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
