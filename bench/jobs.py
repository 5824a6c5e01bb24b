"""Background jobs: trivial jobs claimed, run and completed per second by one worker process,
against the database's own one-row INSERT + COMMIT and UPDATE + COMMIT rates in the same run.

    .venv/bin/python bench/jobs.py [--runs 3] [--jobs 20000] [--seconds 3]
                                   [--backend sqlite|postgres|both]

Per backend: a fresh database migrated to head (a temporary SQLite file; a new PostgreSQL
database, dropped at the end), then, round-robin for each run: the commit-rate baseline
(the app's engine, one AsyncSession per commit, as actions do) and one worker process
(``platform.worker.Worker``, default batch and lease) draining ``--jobs`` no-op jobs seeded
in one bulk insert. Everything measured runs pinned to core 0. Prints the median of the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
CORE = "0"


def _settings(url: str, data_dir: str) -> object:
    from socialode.config import Settings

    return Settings(database_url=url, data_dir=Path(data_dir), redis_url=None, secret_key="b" * 48)


async def seed(url: str, count: int) -> None:
    from socialode.platform.db import Database
    from socialode.platform.jobs import jobs

    db = Database(url)
    now = datetime.now(UTC)
    rows = [
        {
            "kind": "bench.noop",
            "payload": {"n": n},
            "state": "ready",
            "run_at": now,
            "attempts": 0,
            "max_attempts": 5,
            "created_at": now,
        }
        for n in range(count)
    ]
    async with db.engine.begin() as conn:
        await conn.execute(jobs.delete())
        for start in range(0, count, 5000):
            await conn.execute(jobs.insert(), rows[start : start + 5000])
    await db.dispose()


async def drain(url: str, data_dir: str) -> dict[str, float]:
    """In the worker process: run jobs until none is left; the time from the first claim."""
    from socialode.platform import jobs
    from socialode.platform.services import Services
    from socialode.platform.worker import Worker

    async def noop(_ctx: jobs.JobContext) -> None:
        return None

    jobs.register("bench.noop", noop)
    services = Services.build(_settings(url, data_dir))  # type: ignore[arg-type]
    worker = Worker(services)
    done, claims = 0, 0
    start = time.perf_counter()
    while claimed := await worker.run_once():
        done += claimed
        claims += 1
    seconds = time.perf_counter() - start
    await services.close()
    return {"jobs": done, "seconds": seconds, "batches": claims}


async def commit_rate(url: str, seconds: float) -> dict[str, float]:
    """One-row INSERT + COMMIT, then one-row UPDATE + COMMIT, each for ``seconds``."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from socialode.platform.db import make_engine

    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    serial = "INTEGER PRIMARY KEY" if url.startswith("sqlite") else "bigserial PRIMARY KEY"
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE TABLE bench_rate (id {serial}, n INTEGER)"))
    result: dict[str, float] = {}
    for name, sql in (
        ("insert", "INSERT INTO bench_rate (n) VALUES (1)"),
        ("update", "UPDATE bench_rate SET n = n + 1 WHERE id = 1"),
    ):
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            async with sessions() as db:
                await db.execute(text(sql))
                await db.commit()
            n += 1
        result[name] = n / seconds
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE bench_rate"))
    await engine.dispose()
    return result


def child(*args: str) -> dict[str, float]:
    """Run this script's ``args`` mode pinned to the measured core; its one JSON line."""
    command = ["taskset", "-c", CORE, sys.executable, __file__, *args]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    parsed: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return parsed


@contextmanager
def database(backend: str) -> Iterator[tuple[str, str]]:
    from socialode import migrate

    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            migrate.upgrade(url)
            yield url, tmp
            return
        import psycopg

        name = f"bench_jobs_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        try:
            migrate.upgrade(url)
            yield url, tmp
        finally:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(backend: str, runs: int, count: int, seconds: float) -> None:
    print(f"\n== {backend}: {runs} runs, {count} jobs each, baselines {seconds:g} s ==")
    rates: dict[str, list[float]] = {"insert": [], "update": [], "jobs": []}
    with database(backend) as (url, tmp):
        for run in range(1, runs + 1):
            base = child("--commit-rate", url, str(seconds))
            asyncio.run(seed(url, count))
            drained = child("--drain", url, tmp)
            per_second = drained["jobs"] / drained["seconds"]
            rates["insert"].append(base["insert"])
            rates["update"].append(base["update"])
            rates["jobs"].append(per_second)
            print(
                f"run {run}: INSERT+COMMIT {base['insert']:,.0f}/s, "
                f"UPDATE+COMMIT {base['update']:,.0f}/s, "
                f"jobs {per_second:,.0f}/s ({drained['jobs']:.0f} in {drained['seconds']:.2f} s,"
                f" {drained['batches']:.0f} batches)"
            )
    median = {k: statistics.median(v) for k, v in rates.items()}
    verdict = "met" if median["jobs"] >= 2000 else "missed"
    print(
        f"median: INSERT+COMMIT {median['insert']:,.0f}/s, UPDATE+COMMIT "
        f"{median['update']:,.0f}/s, jobs {median['jobs']:,.0f}/s — target 2,000/s {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--drain", nargs=2, metavar=("URL", "DATA_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--commit-rate", nargs=2, metavar=("URL", "S"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drain:
        print(json.dumps(asyncio.run(drain(*args.drain))))
        return
    if args.commit_rate:
        url, secs = args.commit_rate
        print(json.dumps(asyncio.run(commit_rate(url, float(secs)))))
        return
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, measured on core {CORE}")
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        bench(backend, args.runs, args.jobs, args.seconds)


if __name__ == "__main__":
    main()
