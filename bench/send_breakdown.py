"""Where a batched send's time goes: the group-commit write path timed in process, by phase.

Calls socialode.conversations.actions.sending.write_batch and then fan_out (what the batcher
calls, the second after answering the callers) directly, with batches of 1, 10 and 100
one-to-one sends from different senders, on a seeded database, pinned to core 0 like the
server. Nobody is connected, so the fan-out only computes the audience and hands the event to
the hub (and, on PostgreSQL, queues it for Redis, published by the hub's own task). The
phases are timed by wrapping the module's own functions from outside (nothing in src/ is
changed): the access rule in bulk (writable), the idempotency lookup (_stored), the insert
statements, the commit, and the fan-out; statements are counted with SQLAlchemy events.

    .venv/bin/python bench/send_breakdown.py                 # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/send_breakdown.py --backend sqlite --repeat 20
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from _common import SERVER_CPU, backend, log, stop_cleanly_on_sigterm, wait_for_quiet
from _live import LIVE_ENV, Table, live_machine, run_async, seed

BODY = "a message of about the length people write to a friend, give or take a few."
PHASES = ("writable", "_stored", "insert statements", "commit", "_fan_out")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads (aiosqlite's included)
    return usage.ru_utime + usage.ru_stime


class Tally:
    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.statements = 0

    def clear(self) -> None:
        self.spent.clear()
        self.statements = 0

    def count(self, *_: Any) -> None:
        self.statements += 1

    def timed(self, name: str, fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return await fn(*a, **k)
            finally:
                self.spent[name] += time.perf_counter() - t

        return wrapper


async def measure(env: dict[str, str], data: dict[str, Any], args: argparse.Namespace) -> Table:
    os.environ.update(env | LIVE_ENV)
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import AsyncSession

    from socialode.accounts.access import access_viewer
    from socialode.config import Settings
    from socialode.conversations import access_live
    from socialode.conversations.actions import sending
    from socialode.platform.services import Services

    svc = Services.build(Settings())
    await svc.hub.start()
    tally = Tally()
    event.listen(svc.db.engine.sync_engine, "before_cursor_execute", tally.count)
    originals = (
        access_live.writable,
        sending._stored,
        sending._insert,
        sending.fan_out,
        AsyncSession.commit,
    )
    access_live.writable = tally.timed("writable", access_live.writable)  # type: ignore[assignment]
    sending._stored = tally.timed("_stored", sending._stored)  # type: ignore[assignment]
    sending._insert = tally.timed("_insert", sending._insert)  # type: ignore[assignment]
    sending.fan_out = tally.timed("_fan_out", sending.fan_out)  # type: ignore[assignment]
    AsyncSession.commit = tally.timed("commit", AsyncSession.commit)  # type: ignore[method-assign]
    try:
        senders = []
        for pair in data["pairs"]:
            async with svc.db.sessions() as db:
                viewer = await access_viewer(db, pair["a"]["token"])
            assert viewer is not None
            senders.append((viewer.user, pair["conversation_id"]))
        return await batches(sending, svc, senders, tally, args)
    finally:
        (
            access_live.writable,
            sending._stored,
            sending._insert,
            sending.fan_out,
            AsyncSession.commit,
        ) = originals  # type: ignore[assignment]
        await svc.close()


async def batches(
    sending: Any, svc: Any, senders: list[tuple[Any, int]], tally: Tally, args: argparse.Namespace
) -> Table:
    keys = itertools.count(1)
    table = Table(
        [
            "batch",
            "ms per batch",
            "ms per send",
            "CPU ms per send",
            "statements per batch",
            *(f"{p} ms" for p in PHASES),
        ]
    )
    for size in args.sizes:
        rows: list[dict[str, float]] = []
        for n in range(args.warmup + args.repeat):
            batch = [
                sending.Outgoing(user, cid, f"brk-{os.getpid()}-{next(keys)}", BODY)
                for user, cid in senders[:size]
            ]
            tally.clear()
            t0, c0 = time.perf_counter(), cpu_seconds()
            results = await sending.write_batch(svc, batch)
            await sending.fan_out(svc, batch, results)
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            assert all(isinstance(r, sending.Sent) for r in results), results[:3]
            if n >= args.warmup:
                spent = tally.spent
                row = {"wall": wall, "cpu": cpu, "statements": float(tally.statements)}
                row |= {p: spent.get(p, 0.0) for p in PHASES if p != "insert statements"}
                row["insert statements"] = spent["_insert"] - spent["commit"]
                rows.append(row)
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        table.add(
            size,
            f"{1000 * med['wall']:.2f}",
            f"{1000 * med['wall'] / size:.3f}",
            f"{1000 * med['cpu'] / size:.3f}",
            f"{med['statements']:.0f}",
            *(f"{1000 * med[p]:.2f}" for p in PHASES),
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--quiet-wait", type=float, default=300)
    args = parser.parse_args()
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(SERVER_CPU)})
    log("machine:")
    live_machine()
    log(f"this process (the write path, in process): core {SERVER_CPU}")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for name in names:
        log(f"\n=== {name}")
        with backend(name, LIVE_ENV) as db:
            data = seed(db.env, "pairs", max(args.sizes))
            wait_for_quiet(args.quiet_wait, window=3)  # nothing else checks the machine here
            table = run_async(measure(db.env, data, args))
        log(f"\n{name}: medians over {args.repeat} batches each (phases: wall time)")
        log(table.render())


if __name__ == "__main__":
    main()
