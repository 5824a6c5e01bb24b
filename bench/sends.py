"""One-to-one sends committed and delivered per second, on one core.

Many pairs of connected members, each with its one-to-one conversation. In each pair the
sender sends ``send`` frames over its WebSocket (/api/v1/stream), one at a time: the next
goes when the last one's ``ack`` (after the commit) has reached the sender AND its event has
reached the partner's socket. A message counts when both have arrived; the result is the
number counted inside a fixed window, per second. All sockets live in this one
load-generator process (core 1); the server is one uvicorn worker on core 0.

Measured round-robin in the same run:
- the floor: bench/floor_broadcast.py, a bare Starlette server that acks each frame and
  broadcasts it to the pair's two sockets (no database), driven the same way;
- the database's own commit rate on core 0 (bench/_commit_rate.py): one-row INSERT + COMMIT
  in a loop with the app's driver (aiosqlite with the app's PRAGMAs / psycopg 3), on
  PostgreSQL also with 16 connections at once, and through the app's SQLAlchemy engine.

    .venv/bin/python bench/sends.py                       # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/sends.py --backend sqlite --runs 3 --seconds 5
    .venv/bin/python bench/sends.py --profile 10 --py-spy /tmp/tools/bin/py-spy
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import re
import secrets
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    PYTHON,
    SERVER_CPU,
    Backend,
    Quiet,
    backend,
    children_cpu,
    log,
    stop_cleanly_on_sigterm,
)
from _live import (
    BENCH,
    LIVE_ENV,
    Cpu,
    CpuMeter,
    LiveServer,
    Table,
    WsClient,
    app_server,
    app_socket,
    close_all,
    floor_server,
    floor_socket,
    live_machine,
    open_many,
    percentile,
    pin_load_generator,
    pyspy_during,
    quiet_attempts,
    run_async,
    seed,
)

TARGET_PER_SECOND = 3000.0
MARK = re.compile(rb"bench k(\d{8})")
ACK = re.compile(rb'"client_key":"snd-(\d+)-')
BODY = "a message of about the length people write to a friend, give or take a few."
TIMEOUT = 10.0  # a send not acked and delivered within this is counted as failed


@dataclass
class Run:
    label: str
    per_second: float
    counted: int
    latencies_ms: list[float] = field(default_factory=list)
    failed: int = 0
    errors: list[bytes] = field(default_factory=list)
    cpu: Cpu = field(default_factory=Cpu)
    discarded: bool = False


@dataclass
class Pair:
    sender: WsClient
    receiver: WsClient
    frame: dict[str, Any]


@dataclass
class Target:
    label: str
    server: LiveServer | None
    pairs: list[Pair] = field(default_factory=list)
    commit: list[str] = field(default_factory=list)  # a _commit_rate.py command instead
    runs: list[Run] = field(default_factory=list)


class Pending:
    __slots__ = ("acked", "delivered", "future", "sent")

    def __init__(self, future: asyncio.Future[float]) -> None:
        self.sent = time.perf_counter()
        self.acked = 0.0
        self.delivered = 0.0
        self.future = future


async def sends_run(
    target: Target,
    warmup: float,
    seconds: float,
    counter: itertools.count[int],
    bodies: tuple[str, ...] = (BODY,),
    period: float = 0,
) -> Run:
    """Send for `warmup` + `seconds`; message k carries bodies[k % len(bodies)].

    Each pair sends its next message as soon as the last one arrived (a closed loop: with
    many pairs the server is saturated and a send's latency is mostly its wait in line,
    pairs / sends per second), or, with ``period`` (seconds), once every ``period`` from a
    start of its own spread over the first period (seeded), so the server works below its
    limit and a send's latency is what one person waits at that load."""
    loop = asyncio.get_running_loop()
    pending: dict[int, Pending] = {}
    errors: list[bytes] = []

    def finish(k: int, item: Pending) -> None:
        if item.acked and item.delivered and not item.future.done():
            item.future.set_result(max(item.acked, item.delivered))

    def on_sender(_client: WsClient, data: bytes, t: float) -> None:
        if data.startswith(b'{"type":"event"'):
            return  # the sender's own copy of the event
        found = ACK.search(data)
        if found is None:
            errors.append(data[:300])
            return
        k = int(found.group(1))
        item = pending.get(k)
        if item is None:
            return
        if b'"type":"ack"' in data:
            item.acked = t
            finish(k, item)
        elif not item.future.done():
            errors.append(data[:300])
            item.future.set_exception(RuntimeError("error frame"))

    def on_receiver(_client: WsClient, data: bytes, t: float) -> None:
        found = MARK.search(data)
        if found is None:
            return
        k = int(found.group(1))
        item = pending.get(k)
        if item is not None:
            item.delivered = t
            finish(k, item)

    done: list[tuple[float, float]] = []  # (completed at, latency)
    failed = 0
    stop = False

    phases = random.Random(len(target.pairs)).sample(range(1000), len(target.pairs))

    async def pair_loop(pair: Pair, phase: float) -> None:
        nonlocal failed
        pair.sender.on_message = on_sender
        pair.receiver.on_message = on_receiver
        due = loop.time() + phase * period
        while not stop:
            if period:
                await asyncio.sleep(max(0.0, due - loop.time()))
                due = max(due + period, loop.time())
                if stop:
                    break
            k = next(counter)
            text = json.dumps(
                pair.frame
                | {
                    "client_key": f"snd-{k}-{secrets.token_hex(4)}",
                    "body": f"bench k{k:08d} {bodies[k % len(bodies)]}",
                }
            )
            item = pending[k] = Pending(loop.create_future())
            pair.sender.send_text(text)
            try:
                completed = await asyncio.wait_for(item.future, TIMEOUT)
                done.append((completed, completed - item.sent))
            except (TimeoutError, RuntimeError):
                failed += 1
            finally:
                del pending[k]

    tasks = [
        asyncio.create_task(pair_loop(p, phase / 1000))
        for p, phase in zip(target.pairs, phases, strict=True)
    ]
    await asyncio.sleep(warmup)
    assert target.server is not None
    meter = CpuMeter([target.server.pid])
    start = time.perf_counter()
    before = len(done)
    await asyncio.sleep(seconds)
    end = time.perf_counter()
    cpu = meter.stop()
    counted = [latency for at, latency in done[before:] if start <= at <= end]
    stop = True
    await asyncio.gather(*tasks)
    return Run(
        target.label,
        len(counted) / (end - start),
        len(counted),
        [1000 * x for x in counted],
        failed,
        errors,
        cpu,
    )


def commit_run(target: Target) -> Run:
    """The database's commit loop, pinned to the server's core."""
    meter = CpuMeter([])
    child0 = children_cpu()
    done = subprocess.run(
        target.commit, capture_output=True, text=True, timeout=300, check=False, cwd=BENCH
    )
    cpu = meter.stop()
    if done.returncode != 0:
        raise RuntimeError(f"commit-rate loop failed:\n{done.stdout}\n{done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    # The loop's process stands where the server stands (core 0): count it as "server".
    cpu.server_seconds = children_cpu() - child0
    cpu.server = cpu.server_seconds / cpu.wall
    cpu.other = max(0.0, cpu.other - cpu.server)
    return Run(target.label, data["commits"] / data["seconds"], data["commits"], cpu=cpu)


def print_run(run: Run, n: int) -> None:
    lat = (
        f"  p50 {statistics.median(run.latencies_ms):6.2f} ms  p99 "
        f"{percentile(run.latencies_ms, 99):7.2f} ms"
        if run.latencies_ms
        else ""
    )
    log(
        f"  run {n}  {run.label:<44} {run.per_second:8.1f}/s{lat}  failed {run.failed}"
        f"  server {run.cpu.server:4.2f} cores  db {run.cpu.database:4.2f}"
        f"  loadgen {run.cpu.load:4.2f}  other {run.cpu.other:4.2f}"
        + ("  DISCARDED (other load)" if run.discarded else "")
        + (f"\n         errors: {run.errors[:3]}" if run.errors else "")
    )


async def measure(
    targets: list[Target], args: argparse.Namespace, counter: itertools.count[int]
) -> None:
    quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
    for n in range(1, args.runs + 1):
        for target in targets:
            async for attempt in quiet_attempts(quiet):
                if target.commit:
                    loop = asyncio.get_running_loop()
                    run = await loop.run_in_executor(None, commit_run, target)
                else:
                    run = await sends_run(target, args.warmup, args.seconds, counter)
                run.discarded = run.cpu.other > quiet.max_other and attempt < quiet.attempts
                print_run(run, n)
                if not run.discarded:
                    target.runs.append(run)
                    break


def commit_targets(db: Backend, seconds: float) -> list[Target]:
    pin = ["taskset", "-c", SERVER_CPU, str(PYTHON), str(BENCH / "_commit_rate.py")]
    secs = f"{seconds:g}"
    url = db.env.get("SOCIALODE_DATABASE_URL")
    if url is None:
        path = str(Path(db.env["SOCIALODE_DATA_DIR"]) / "commit-rate.db")
        sqlite_url = f"sqlite+aiosqlite:///{path}"
        return [
            Target(
                "raw commits: aiosqlite, 1 connection", None, commit=[*pin, "sqlite", path, secs]
            ),
            Target(
                "raw commits: SQLAlchemy AsyncSession",
                None,
                commit=[*pin, "sqlalchemy", sqlite_url, secs],
            ),
        ]
    return [
        Target(
            "raw commits: psycopg, 1 connection", None, commit=[*pin, "postgres", url, secs, "1"]
        ),
        Target(
            "raw commits: psycopg, 16 connections", None, commit=[*pin, "postgres", url, secs, "16"]
        ),
        Target(
            "raw commits: SQLAlchemy AsyncSession", None, commit=[*pin, "sqlalchemy", url, secs]
        ),
    ]


async def session(
    name: str,
    db: Backend,
    data: dict[str, Any],
    app: LiveServer,
    floor: LiveServer,
    args: argparse.Namespace,
) -> list[Target]:
    pairs = data["pairs"]
    count = len(pairs)
    tokens = [p[side]["token"] for p in pairs for side in ("a", "b")]
    app_sockets = await open_many(
        2 * count, app.port, lambda n: app_socket(tokens[n]), args.deflate
    )
    floor_sockets = await open_many(
        2 * count, floor.port, lambda n: floor_socket(f"p{n // 2}"), args.deflate
    )
    extensions = app_sockets[0].negotiated or "none"
    log(f"opened {2 * count} + {2 * count} sockets; extensions: {extensions}")
    app_target = Target(f"app, {count} pairs", app)
    floor_target = Target(f"floor, {count} pairs", floor)
    for n, pair in enumerate(pairs):
        frame = {"type": "send", "conversation_id": pair["conversation_id"]}
        app_target.pairs.append(Pair(app_sockets[2 * n], app_sockets[2 * n + 1], frame))
        floor_target.pairs.append(
            Pair(floor_sockets[2 * n], floor_sockets[2 * n + 1], {"type": "send"})
        )
    targets = [app_target, floor_target, *commit_targets(db, args.commit_seconds)]
    counter = itertools.count(1)
    try:
        await measure(targets, args, counter)
        if args.profile:
            log(f"\npy-spy profile of the app server, {name}, {count} pairs sending:")
            work = sends_run(app_target, 0.5, args.profile, counter)
            log(
                await pyspy_during(
                    args.py_spy, app.pid, args.profile, work, args.save_profile, args.native
                )
            )
    finally:
        await close_all(app_sockets + floor_sockets)
    return targets


def bench_backend(name: str, args: argparse.Namespace) -> list[Target]:
    log(f"\n=== {name}: preparing a fresh database")
    with backend(name, LIVE_ENV) as db, contextlib.ExitStack() as stack:
        data = seed(db.env, "pairs", args.pairs)
        app = stack.enter_context(
            app_server(db.env | LIVE_ENV, args.ws, args.server_deflate).running()
        )
        floor = stack.enter_context(floor_server(args.ws, args.server_deflate).running())
        log(f"app:   {' '.join(app.command())}")
        log(f"floor: {' '.join(floor.command())}")
        result: list[Target] = run_async(session(name, db, data, app, floor, args))
        return result


def report(name: str, targets: list[Target]) -> None:
    table = Table(
        [
            "what",
            "runs",
            "per second",
            "p50 ms",
            "p99 ms",
            "failed",
            "server cores",
            "server CPU ms/msg",
            "PG+Redis cores",
            "max other load",
        ]
    )
    med = statistics.median
    for t in targets:
        runs = t.runs
        if not runs:
            continue
        timed = [r for r in runs if r.latencies_ms]
        table.add(
            t.label,
            len(runs),
            f"{med(r.per_second for r in runs):,.0f}",
            f"{med(med(r.latencies_ms) for r in timed):.2f}" if timed else "",
            f"{med(percentile(r.latencies_ms, 99) for r in timed):.2f}" if timed else "",
            sum(r.failed for r in runs),
            f"{med(r.cpu.server for r in runs):.2f}",
            (
                f"{med(1000 * r.cpu.server * r.cpu.wall / max(1, r.counted) for r in runs):.3f}"
                if t.server
                else ""
            ),
            f"{med(r.cpu.database for r in runs):.2f}",
            f"{max(r.cpu.other for r in runs):.2f}",
        )
    log(f"\n{name}: medians over runs")
    log(table.render())
    app = targets[0]
    if app.runs:
        rate = statistics.median(r.per_second for r in app.runs)
        verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
        log(
            f"target: >= {TARGET_PER_SECOND:,.0f} sends/s committed and delivered: "
            f"{verdict} ({rate:,.0f}/s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=10, help="the counted window per run")
    parser.add_argument("--warmup", type=float, default=2, help="sending before each window")
    parser.add_argument("--commit-seconds", type=float, default=5)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument(
        "--deflate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="offer permessage-deflate as browsers do (default); --no-deflate to not",
    )
    parser.add_argument("--ws", default="websockets-sansio", help="uvicorn --ws for both servers")
    parser.add_argument(
        "--server-deflate",
        action="store_true",
        help="let both servers accept permessage-deflate (uvicorn's default; `socialode serve` "
        "turns it off)",
    )
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=4, choices=range(1, 11))
    parser.add_argument("--profile", type=float, default=0, help="py-spy the app N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "/tmp/tools/bin/py-spy")
    parser.add_argument("--save-profile", type=Path, help="keep py-spy's raw output here")
    parser.add_argument("--native", action="store_true", help="py-spy --native (C frames too)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120 or not 0 <= args.warmup <= 60 or not 1 <= args.pairs <= 2000:
        parser.error("--seconds must be 1..120, --warmup 0..60, --pairs 1..2000")
    stop_cleanly_on_sigterm()
    pin_load_generator()
    log("machine:")
    live_machine()
    offered = "offered (as browsers do)" if args.deflate else "not offered"
    accepted = "accept it" if args.server_deflate else "decline it, as `socialode serve` does"
    log(f"client: permessage-deflate {offered}; servers {accepted}")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    for name, targets in results.items():
        report(name, targets)


if __name__ == "__main__":
    main()
