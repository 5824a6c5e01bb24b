"""Fan-out latency: from just before a group message is sent to the moment the LAST member's
socket has received it, at a steady rate, with every member connected.

The message goes through the app's real send path: a ``send`` frame on the creator's
WebSocket (/api/v1/stream), i.e. check_send → commit → live recipients → hub → every
member's socket (the sender's own socket included: it gets the event like everyone else).
Sends are open-loop (one every 1/rate seconds, whether or not earlier ones have arrived), so
a slow server shows up as latency instead of a lower send rate. All recipient sockets live in
this one load-generator process (core 1), which timestamps with time.perf_counter() when a
frame's bytes arrive. The floor, measured round-robin in the same run, is
bench/floor_broadcast.py: a bare Starlette broadcast to the same number of sockets, driven
the same way. Both servers: one uvicorn worker on core 0, uvicorn's websockets-sansio (what
`socialode serve` gets).

    .venv/bin/python bench/fanout.py                          # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/fanout.py --backend sqlite --runs 3 --seconds 10
    .venv/bin/python bench/fanout.py --profile 10 --py-spy /tmp/tools/bin/py-spy
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import itertools
import json
import re
import secrets
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from _common import BENCH, Quiet, Variant, backend, log, stop_cleanly_on_sigterm
from _live import (
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

# (members, messages per second, p50 target ms, p99 target ms)
SCENARIOS = {100: (20.0, 10.0, 50.0), 1000: (10.0, 60.0, 150.0)}
FLOOR_FACTOR = 3.0
MARK = re.compile(rb"bench k(\d{8})")
FILLER = "a message of about the length people write in a group chat, give or take."
GRACE = 5.0  # seconds to wait for the last deliveries after the last send


@dataclass
class Run:
    target: str
    sent: int
    latencies_ms: list[float]
    lost: int
    errors: list[bytes]
    cpu: Cpu
    closed: int = 0  # recipient sockets the server had closed by the end of the run
    attempt: int = 1
    discarded: bool = False

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q) if self.latencies_ms else float("nan")


@dataclass
class Target:
    label: str
    server: LiveServer
    sockets: list[WsClient]
    frame: dict[str, object]  # the send frame without client_key/body
    runs: list[Run] = field(default_factory=list)


async def fanout_run(
    target: Target, rate: float, seconds: float, counter: itertools.count[int]
) -> Run:
    sockets = target.sockets
    need = len(sockets)
    sent_at: dict[int, float] = {}
    got: dict[int, int] = {}
    done_at: dict[int, float] = {}
    errors: list[bytes] = []
    keys: list[int] = []
    all_done = asyncio.Event()
    total = max(1, round(rate * seconds))

    def on_message(_client: WsClient, data: bytes, t: float) -> None:
        found = MARK.search(data)
        if found is None:
            if b'"type":"error"' in data:
                errors.append(data[:300])
            return
        k = int(found.group(1))
        if k not in sent_at:
            return  # a late one from an earlier run
        count = got.get(k, 0) + 1
        got[k] = count
        if count == need:
            done_at[k] = t
            if len(done_at) == total:
                all_done.set()

    for socket in sockets:
        socket.on_message = on_message
    sender = sockets[0]
    meter = CpuMeter([target.server.pid])
    start = time.perf_counter() + 0.02
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        k = next(counter)
        text = json.dumps(
            target.frame
            | {"client_key": f"fan-{secrets.token_hex(6)}-{k}", "body": f"bench k{k:08d} {FILLER}"}
        )
        keys.append(k)
        sent_at[k] = time.perf_counter()
        sender.send_text(text)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_done.wait(), GRACE)
    cpu = meter.stop()
    latencies = [(done_at[k] - sent_at[k]) * 1000 for k in keys if k in done_at]
    codes = collections.Counter(s.close_code for s in sockets if s.closed.done())
    closed = sum(codes.values())
    if closed:
        log(f"         server closed {closed} sockets; close codes: {dict(codes)}")
    return Run(target.label, total, latencies, total - len(latencies), errors, cpu, closed)


def print_run(run: Run, n: int) -> None:
    log(
        f"  run {n}  {run.target:<34} sent {run.sent:4d}  p50 {run.p50:7.2f} ms  "
        f"p90 {run.p(90):7.2f}  p99 {run.p(99):7.2f}  max {run.p(100):7.2f} ms  "
        f"lost {run.lost}  server {run.cpu.server:4.2f} cores  db {run.cpu.database:4.2f}  "
        f"loadgen {run.cpu.load:4.2f}  other {run.cpu.other:4.2f}"
        + ("  DISCARDED (other load)" if run.discarded else "")
        + (f"\n         errors: {run.errors[:3]}" if run.errors else "")
        + (
            f"\n         {run.closed} recipient sockets were closed by the server"
            if run.closed
            else ""
        )
    )


async def measure(
    targets: list[Target], rate: float, args: argparse.Namespace, counter: itertools.count[int]
) -> None:
    log(f"warm-up: {args.warmup:g} s per server")
    for target in targets:
        await fanout_run(target, rate, args.warmup, counter)
    quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
    for n in range(1, args.runs + 1):
        for target in targets:
            async for attempt in quiet_attempts(quiet):
                run = await fanout_run(target, rate, args.seconds, counter)
                run.attempt = attempt
                disturbed = run.cpu.other > quiet.max_other
                run.discarded = disturbed and attempt < quiet.attempts
                print_run(run, n)
                if not run.discarded:
                    target.runs.append(run)
                    break


async def profile(
    target: Target, rate: float, args: argparse.Namespace, counter: itertools.count[int]
) -> str:
    """py-spy the app server while it runs this scenario; returns the summary."""
    work = fanout_run(target, rate, args.profile, counter)
    return await pyspy_during(
        args.py_spy, target.server.pid, args.profile, work, args.save_profile, args.native
    )


async def scenario(
    name: str,
    size: int,
    data: dict[str, object],
    app: LiveServer,
    floor: LiveServer,
    variants: list[tuple[Variant, LiveServer]],
    args: argparse.Namespace,
    counter: itertools.count[int],
) -> list[Target]:
    rate = SCENARIOS[size][0]
    groups = data["groups"]
    members = data["members"]
    assert isinstance(groups, dict) and isinstance(members, list)
    # One group per server: servers without Redis never see each other's events, and a
    # socket that sees a gap in a conversation fills it from the database.
    conversation_id, *variant_groups = groups[str(size)]
    log(f"\n--- {name}: {size} members connected, {rate:g} messages/s")
    app_sockets = await open_many(
        size, app.port, lambda n: app_socket(members[n]["token"]), args.deflate
    )
    floor_sockets = await open_many(
        size, floor.port, lambda n: floor_socket(f"g{size}"), args.deflate
    )
    log(f"opened {size} + {size} sockets; extensions: {app_sockets[0].negotiated or 'none'}")
    extra: list[Target] = []
    for (variant, server), group in zip(variants, variant_groups, strict=True):
        sockets = await open_many(
            size, server.port, lambda n: app_socket(members[n]["token"]), args.deflate
        )
        frame = {"type": "send", "conversation_id": group}
        extra.append(Target(f"[{variant.label}] app, {size} members", server, sockets, frame))
    targets = [
        Target(
            f"app, {size} members",
            app,
            app_sockets,
            {"type": "send", "conversation_id": conversation_id},
        ),
        Target(f"floor, {size} members", floor, floor_sockets, {"type": "send"}),
        *extra,
    ]
    try:
        await measure(targets, rate, args, counter)
        if args.profile:
            log(f"\npy-spy profile of the app server, {name}, {size} members at {rate:g}/s:")
            log(await profile(targets[0], rate, args, counter))
    finally:
        await close_all(app_sockets + floor_sockets + [s for t in extra for s in t.sockets])
    return targets


def bench_backend(name: str, args: argparse.Namespace) -> list[Target]:
    log(f"\n=== {name}: preparing a fresh database")
    sizes = sorted(args.members)
    with backend(name, LIVE_ENV) as db, contextlib.ExitStack() as stack:
        data = seed(db.env, "group", *(sizes * (1 + len(args.variant))))
        app = stack.enter_context(
            app_server(db.env | LIVE_ENV, args.ws, args.server_deflate).running()
        )
        floor = stack.enter_context(floor_server(args.ws, args.server_deflate).running())
        log(f"app:   {' '.join(app.command())}")
        log(f"floor: {' '.join(floor.command())}")
        variants = []
        for variant in args.variant:
            server = LiveServer(
                "whatif_app:app",
                db.env | LIVE_ENV | variant.env,
                app_dir=BENCH,
                ws=args.ws,
                deflate=args.server_deflate,
            )
            variants.append((variant, stack.enter_context(server.running())))
            log(f"variant [{variant.label}]: {variant.env} {' '.join(server.command())}")
        counter = itertools.count(1)
        targets: list[Target] = []
        for size in sizes:
            targets += run_async(scenario(name, size, data, app, floor, variants, args, counter))
        for variant, server in variants:
            stats = [line for line in server.tail(400).splitlines() if "GC_STATS" in line]
            if stats:
                log(f"[{variant.label}] garbage collections, cumulative (the server's own count):")
                log("\n".join(f"  {line}" for line in stats[:1] + stats[-1:]))
        return targets


def report(name: str, targets: list[Target]) -> None:
    table = Table(
        [
            "server",
            "msgs/s",
            "runs",
            "msgs/run",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "lost",
            "server cores",
            "server CPU ms/msg",
            "PG+Redis cores",
            "max other load",
        ]
    )
    for t in targets:
        size = int(t.label.split(", ")[1].split()[0])
        rate = SCENARIOS[size][0]
        med = statistics.median
        table.add(
            t.label,
            f"{rate:g}",
            len(t.runs),
            t.runs[0].sent if t.runs else 0,
            f"{med(r.p50 for r in t.runs):.2f}",
            f"{med(r.p(90) for r in t.runs):.2f}",
            f"{med(r.p(99) for r in t.runs):.2f}",
            f"{max(r.p(100) for r in t.runs):.2f}",
            sum(r.lost for r in t.runs),
            f"{med(r.cpu.server for r in t.runs):.2f}",
            f"{med(1000 * r.cpu.server_seconds / r.sent for r in t.runs):.2f}",
            f"{med(r.cpu.database for r in t.runs):.2f}",
            f"{max(r.cpu.other for r in t.runs):.2f}",
        )
    log(f"\n{name}: medians over runs (max ms: the largest of all runs)")
    log(table.render())
    by_label = {t.label: t for t in targets}
    for size, (rate, p50_target, p99_target) in SCENARIOS.items():
        app, floor = by_label.get(f"app, {size} members"), by_label.get(f"floor, {size} members")
        if app is None or floor is None or not app.runs or not floor.runs:
            continue
        p50 = statistics.median(r.p50 for r in app.runs)
        p99 = statistics.median(r.p(99) for r in app.runs)
        f50 = statistics.median(r.p50 for r in floor.runs)
        f99 = statistics.median(r.p(99) for r in floor.runs)
        verdicts = [
            f"p50 <= {p50_target:g} ms {'met' if p50 <= p50_target else 'MISSED'} ({p50:.2f})",
            f"p99 <= {p99_target:g} ms {'met' if p99 <= p99_target else 'MISSED'} ({p99:.2f})",
        ]
        if size == 100:
            verdicts.append(
                f"p99 <= {FLOOR_FACTOR:g}x floor {'met' if p99 <= FLOOR_FACTOR * f99 else 'MISSED'}"
                f" ({p99 / f99:.1f}x; p50 {p50 / f50:.1f}x)"
            )
        log(f"target, {size} members at {rate:g}/s: " + "; ".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=20, help="per run")
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--members", type=int, nargs="+", default=[100, 1000], choices=sorted(SCENARIOS)
    )
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
    parser.add_argument(
        "--variant",
        type=Variant.parse,
        action="append",
        default=[],
        help="also measure a what-if app (whatif_app.py) in the same runs: LABEL:BENCH_KNOB=VALUE",
    )
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=4, choices=range(1, 11))
    parser.add_argument("--profile", type=float, default=0, help="py-spy the app N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "/tmp/tools/bin/py-spy")
    parser.add_argument("--save-profile", type=Path, help="keep py-spy's raw output here")
    parser.add_argument("--native", action="store_true", help="py-spy --native (C frames too)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1..120 and --warmup 0..60")
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
