"""The database's own commit rate: a loop of one-row INSERT + COMMIT for a fixed time.

Run by bench/sends.py pinned to core 0, like the server, with the app's drivers:

    _commit_rate.py sqlite FILE SECONDS            aiosqlite, the app's PRAGMAs (WAL,
                                                   synchronous=FULL, busy_timeout)
    _commit_rate.py postgres URL SECONDS CONNS     psycopg 3 async, CONNS connections at once
    _commit_rate.py sqlalchemy URL SECONDS         the app's engine (platform.db.make_engine)
                                                   and an AsyncSession per commit, as actions do

Prints one JSON line: {"commits": N, "seconds": S}. Creates and drops its own table.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

TABLE = "bench_commit_rate"
BODY = "a message of about the length people write in a group chat, give or take."


async def sqlite(path: str, seconds: float) -> int:
    import aiosqlite

    async with aiosqlite.connect(path) as db:
        for pragma in ("journal_mode=WAL", "busy_timeout=5000", "synchronous=FULL"):
            await db.execute(f"PRAGMA {pragma}")
        await db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, body TEXT)")
        await db.commit()
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            await db.execute(f"INSERT INTO {TABLE} (body) VALUES (?)", (BODY,))  # noqa: S608
            await db.commit()
            n += 1
        await db.execute(f"DROP TABLE {TABLE}")
        await db.commit()
    return n


async def postgres(url: str, seconds: float, connections: int) -> int:
    import psycopg

    url = url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
        await admin.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, body text)"
        )
    end = time.perf_counter() + seconds

    async def loop() -> int:
        n = 0
        async with await psycopg.AsyncConnection.connect(url) as db:
            while time.perf_counter() < end:
                await db.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", (BODY,))  # noqa: S608
                await db.commit()
                n += 1
        return n

    total = sum(await asyncio.gather(*(loop() for _ in range(connections))))
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
        await admin.execute(f"DROP TABLE {TABLE}")
    return total


async def sqlalchemy(url: str, seconds: float) -> int:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from socialode.platform.db import make_engine

    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    serial = "INTEGER PRIMARY KEY" if url.startswith("sqlite") else "bigserial PRIMARY KEY"
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {serial}, body TEXT)"))
    insert = text(f"INSERT INTO {TABLE} (body) VALUES (:body)")  # noqa: S608
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        async with sessions() as db:
            await db.execute(insert, {"body": BODY})
            await db.commit()
        n += 1
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TABLE {TABLE}"))
    await engine.dispose()
    return n


def main() -> None:
    import uvloop  # the event loop uvicorn runs the app on

    kind, where, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    started = time.perf_counter()
    if kind == "sqlite":
        n = uvloop.run(sqlite(where, seconds))
    elif kind == "postgres":
        n = uvloop.run(postgres(where, seconds, int(sys.argv[4])))
    elif kind == "sqlalchemy":
        n = uvloop.run(sqlalchemy(where, seconds))
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    print(json.dumps({"commits": n, "seconds": min(seconds, time.perf_counter() - started)}))


if __name__ == "__main__":
    main()
