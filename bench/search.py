"""Search of one's own people, in process: ``circles.access_search.access_search`` for a member
with 150 connections and 100 circles, against the plain read of the same member's connection
list (``circles.access.access_own_connections``, what /connections reads) in the same run.

Each call opens its own database session, as a request does, and runs one read; the two
reads alternate call by call, so both see the same machine. A run is ``--calls`` calls of
each; the report is the median over ``--runs`` runs of each run's p50 (and p90, p99). The
searches rotate over words that find one person, several, a circle, nobody, and a whole
name with accents typed without them. The process is pinned to core 0, like the servers of
the other benchmarks.

Test data is made through the app's own actions in this process (operator invites and
sign-up, requests and acceptances, circles, display names), with Argon2id at its minimum
for the sign-ups only, on a fresh database per backend that is removed afterwards.

    .venv/bin/python bench/search.py                      # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/search.py --backend sqlite --runs 5 --calls 300
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from _common import GENEROUS, SERVER_CPU, backend, log, stop_cleanly_on_sigterm, wait_for_quiet
from _live import SEED_ENV, live_machine

CONNECTIONS = 150
CIRCLES = 100
TARGET_MS = 5.0
FIRST = ("Ana", "Inês", "João", "Maya", "Tom", "Zoë", "Priya", "Jonas", "Lee", "Sam", "Noor",
         "Émile", "Kai", "Lúcia", "Ola")  # fmt: skip
LAST = ("Duarte", "Okafor", "Lind", "Nair", "Weber", "Carter", "Reyes", "Søndergaard", "Ito",
        "Kowalski")  # fmt: skip
SEARCHES = ("ines", "oka", "weber", "fam", "zz", "lucia nair", "emile", "sam", "@m0")
ENV = {
    "SOCIALODE_MAX_CONNECTIONS": str(CONNECTIONS),
    "SOCIALODE_MAX_CIRCLES": str(CIRCLES),
    "SOCIALODE_RATE_CONNECTION_REQUESTS": GENEROUS,
    "SOCIALODE_BASE_URL": "http://127.0.0.1:9",  # invite links are made, never followed
    **SEED_ENV,
}


async def seed(svc: Any) -> Any:
    """The member who searches, with ``CONNECTIONS`` connections and ``CIRCLES`` circles
    (each holding a few of them); returns their Viewer."""
    from _seed_live import connect, members

    from socialode.accounts.access import access_viewer
    from socialode.accounts.actions import check_update_profile
    from socialode.circles import actions as circles

    people = await members(svc, CONNECTIONS + 1, "m")
    me, others = people[0], people[1:]
    for n, person in enumerate(others):
        await connect(svc, me, person)
        async with svc.db.sessions() as db:
            viewer = await access_viewer(db, person["token"])
            assert viewer is not None
            name = f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}"
            await check_update_profile(svc, db, viewer, display_name=name)
    async with svc.db.sessions() as db:
        viewer = await access_viewer(db, me["token"])
        assert viewer is not None
    for n in range(CIRCLES):
        async with svc.db.sessions() as db:
            made = await circles.check_create_circle(svc, db, viewer, circle_name(n))
        for person in others[n % 30 : n % 30 + 5]:
            async with svc.db.sessions() as db:
                await circles.check_add_to_circle(db, viewer, made.id, person["handle"])
    return viewer


def circle_name(n: int) -> str:
    kinds = ("Family", "Old flatmates", "Choir", "Climbing", "Book club", "Neighbours", "Work")
    return f"{kinds[n % len(kinds)]} {n // len(kinds) + 1}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    os.environ.update(env)
    from socialode.app import register_features  # the job kinds the actions enqueue
    from socialode.circles.access import access_own_connections
    from socialode.circles.access_search import access_search
    from socialode.config import Settings
    from socialode.platform.services import Services

    register_features()
    svc = Services.build(Settings())
    try:
        started = time.monotonic()
        viewer = await seed(svc)
        log(f"  seeded in {time.monotonic() - started:.0f} s")
        os.sched_setaffinity(0, {int(SERVER_CPU)})
        counts = {}
        async with svc.db.sessions() as db:
            for q in SEARCHES:
                found = await access_search(db, viewer, q)
                counts[q] = (len(found.people), len(found.circles), found.more)
            assert len(await access_own_connections(db, viewer)) == CONNECTIONS
        log(f"  what each search finds (people, circles, more): {counts}")

        async def search(n: int) -> None:
            async with svc.db.sessions() as db:
                await access_search(db, viewer, SEARCHES[n % len(SEARCHES)])

        async def baseline(n: int) -> None:
            async with svc.db.sessions() as db:
                await access_own_connections(db, viewer)

        reads: dict[str, Callable[[int], Awaitable[None]]] = {
            "baseline: access_own_connections": baseline,
            "access_search": search,
        }
        for n in range(args.warmup):  # warm the pool, the statement cache and the name keys
            for read in reads.values():
                await read(n)
        per_run: dict[str, list[dict[str, float]]] = {label: [] for label in reads}
        for run in range(1, args.runs + 1):
            await asyncio.to_thread(wait_for_quiet, args.quiet_wait)
            times: dict[str, list[float]] = {label: [] for label in reads}
            cpu: dict[str, list[float]] = {label: [] for label in reads}
            for n in range(args.calls):
                for label, read in reads.items():
                    c, t = time.process_time(), time.perf_counter()
                    await read(n)
                    times[label].append((time.perf_counter() - t) * 1000)
                    cpu[label].append((time.process_time() - c) * 1000)
            line = []
            for label, spent in times.items():
                stats = {
                    "p50": percentile(spent, 0.50),
                    "p90": percentile(spent, 0.90),
                    "p99": percentile(spent, 0.99),
                    "mean": statistics.fmean(spent),
                    "cpu": statistics.fmean(cpu[label]),
                }
                per_run[label].append(stats)
                line.append(f"{label.split(': ')[-1]} p50 {stats['p50']:.3f} ms")
            log(f"  run {run}: " + ", ".join(line))
        return {
            label: {
                k: statistics.median(r[k] for r in runs)
                for k in ("p50", "p90", "p99", "mean", "cpu")
            }
            for label, runs in per_run.items()
        }
    finally:
        await svc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="seconds to wait for an idle machine before each run",
    )
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    stop_cleanly_on_sigterm()
    log("Search of one's own people, in process")
    live_machine()
    log(
        f"  {CONNECTIONS} connections, {CIRCLES} circles; {args.runs} runs x {args.calls} calls "
        f"of each read, alternating; medians over runs"
    )
    results: dict[str, Any] = {}
    names = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    for name in names:
        log(f"\n== {name} ==")
        with backend(name, ENV) as made:
            results[name] = asyncio.run(measure(made.env, args))
    log("\n| backend | read | p50 ms | p90 ms | p99 ms | mean ms | CPU ms/call |")
    log("|---|---|---:|---:|---:|---:|---:|")
    for name, reads in results.items():
        for label, s in reads.items():
            log(
                f"| {name} | {label} | {s['p50']:.3f} | {s['p90']:.3f} | {s['p99']:.3f} "
                f"| {s['mean']:.3f} | {s['cpu']:.3f} |"
            )
    for name, reads in results.items():
        p50 = reads["access_search"]["p50"]
        verdict = "met" if p50 <= TARGET_MS else "MISSED"
        log(f"{name}: search p50 {p50:.3f} ms against the target {TARGET_MS} ms: {verdict}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
