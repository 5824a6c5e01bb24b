"""Memory per idle authenticated WebSocket: open 10,000 sockets to one server process and
compare its resident memory (VmRSS in /proc/<pid>/status) before and after.

Each socket is a member signed in with their own session (Authorization: Bearer) on
/api/v1/stream, replayed (nothing to replay) and `ready`, then left idle: only uvicorn's
keep-alive pings (every 20 s, answered) pass. For each uvicorn WebSocket implementation the
app and the floor (bench/floor_broadcast.py: a bare Starlette socket that only accepts) are
measured the same way, each run in a fresh server process: start, open and close 20 sockets
(so the database pool, caches and lazy imports are warm), read VmRSS, open the sockets
(64 handshakes at a time), wait until the server is idle, read VmRSS again; the result is
(after - before) / sockets. Clients offer permessage-deflate as browsers do, and the default
implementation is also measured with clients that do not.

    .venv/bin/python bench/idle_sockets.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/idle_sockets.py --backend sqlite --runs 3 --impls websockets-sansio

wsproto is not a project dependency; for its rows it is installed with pip into
/tmp/socialode-bench-wsproto and put on the server's PYTHONPATH (the venv is not touched).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from _common import Quiet, backend, log, stop_cleanly_on_sigterm, wait_for_quiet
from _live import (
    LIVE_ENV,
    WS_IMPLS,
    CpuMeter,
    LiveServer,
    Table,
    app_server,
    app_socket,
    close_all,
    floor_server,
    floor_socket,
    live_machine,
    open_many,
    pin_load_generator,
    run_async,
    seed,
    wsproto_available,
)

TARGET_KB = 50.0
WARM_SOCKETS = 20


@dataclass
class Config:
    server: str  # "app" or "floor"
    ws: str
    deflate: bool

    @property
    def label(self) -> str:
        deflate = "deflate offered" if self.deflate else "no deflate"
        if self.ws == "websockets-sansio" and not self.deflate:
            deflate += " (as `socialode serve`)"
        return f"{self.server}, --ws {self.ws}, {deflate}"


@dataclass
class Run:
    before_kib: int
    after_kib: int
    sockets: int
    open_seconds: float
    server_cpu_ms_per_socket: float
    alive: int
    extensions: str
    other: float

    @property
    def kb_per_socket(self) -> float:
        return (self.after_kib - self.before_kib) * 1024 / 1000 / self.sockets


@dataclass
class Result:
    config: Config
    runs: list[Run] = field(default_factory=list)


async def fill(
    server: LiveServer, config: Config, tokens: list[str], args: argparse.Namespace
) -> Run:
    def path(n: int) -> tuple[str, list[str]]:
        if config.server == "app":
            return app_socket(tokens[n % len(tokens)])
        return floor_socket("idle")

    warm = await open_many(WARM_SOCKETS, server.port, path, config.deflate)
    await close_all(warm)
    await asyncio.sleep(1)
    before = server.rss_kib()
    meter = CpuMeter([server.pid])
    started = time.monotonic()
    sockets = await open_many(args.sockets, server.port, path, config.deflate)
    opened = time.monotonic() - started
    cpu = meter.stop()
    await asyncio.sleep(args.settle)
    after = server.rss_kib()
    alive = sum(1 for s in sockets if not s.closed.done())
    extensions = sockets[0].negotiated or "none"
    await close_all(sockets)
    return Run(
        before,
        after,
        args.sockets,
        opened,
        1000 * cpu.server_seconds / args.sockets,
        alive,
        extensions,
        cpu.other,
    )


def configs(args: argparse.Namespace) -> list[Config]:
    out: list[Config] = []
    for ws in args.impls:
        if ws == "wsproto" and not wsproto_available():
            log("wsproto could not be installed: its rows are left out")
            continue
        out += [Config("app", ws, True), Config("floor", ws, True)]
        if ws == "websockets-sansio" and args.no_deflate_too:
            out += [Config("app", ws, False), Config("floor", ws, False)]
    return out


def bench_backend(name: str, args: argparse.Namespace) -> list[Result]:
    log(f"\n=== {name}: preparing a fresh database")
    with backend(name, LIVE_ENV) as db:
        data: dict[str, Any] = seed(db.env, "users", args.users)
        tokens = [m["token"] for m in data["members"]]
        results = [Result(c) for c in configs(args)]
        quiet = Quiet(args.quiet_wait, args.max_other, 1)
        for n in range(1, args.runs + 1):
            for result in results:
                config = result.config
                # The server accepts compression exactly when the client offers it here.
                if config.server == "app":
                    server = app_server(db.env | LIVE_ENV, config.ws, config.deflate)
                else:
                    server = floor_server(config.ws, config.deflate)
                with server.running():
                    wait_for_quiet(quiet.wait)
                    run = run_async(fill(server, config, tokens, args))
                result.runs.append(run)
                log(
                    f"  run {n}  {config.label:<48} RSS {run.before_kib / 1024:7.1f} -> "
                    f"{run.after_kib / 1024:7.1f} MiB  {run.kb_per_socket:6.1f} KB/socket  "
                    f"alive {run.alive}/{run.sockets}  opened in {run.open_seconds:5.1f} s "
                    f"({run.server_cpu_ms_per_socket:.2f} ms server CPU each)  "
                    f"extensions: {run.extensions}  other load {run.other:.2f}"
                )
        return results


def report(name: str, results: list[Result]) -> None:
    table = Table(
        [
            "server, uvicorn --ws, client",
            "runs",
            "sockets",
            "RSS before MiB",
            "RSS after MiB",
            "KB per socket",
            "range",
            "open time s",
            "server CPU ms per open",
        ]
    )
    med = statistics.median
    for result in results:
        runs = result.runs
        per = [r.kb_per_socket for r in runs]
        table.add(
            result.config.label,
            len(runs),
            f"{runs[0].sockets:,}",
            f"{med(r.before_kib for r in runs) / 1024:.1f}",
            f"{med(r.after_kib for r in runs) / 1024:.1f}",
            f"**{med(per):.1f}**" if result.config.server == "app" else f"{med(per):.1f}",
            f"{min(per):.1f}-{max(per):.1f}",
            f"{med(r.open_seconds for r in runs):.1f}",
            f"{med(r.server_cpu_ms_per_socket for r in runs):.2f}",
        )
    log(f"\n{name}: medians over runs (1 KB = 1000 bytes)")
    log(table.render())
    for result in results:
        c = result.config
        if c.server == "app":
            kb = med(r.kb_per_socket for r in result.runs)
            verdict = "met" if kb <= TARGET_KB else "MISSED"
            log(f"target <= {TARGET_KB:g} KB per idle socket, {c.label}: {verdict} ({kb:.1f} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 11))
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=10_000, help="sockets share them in turn")
    parser.add_argument("--settle", type=float, default=5, help="idle seconds before reading RSS")
    parser.add_argument("--impls", nargs="+", default=list(WS_IMPLS), choices=WS_IMPLS)
    parser.add_argument(
        "--no-deflate-too",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure websockets-sansio with clients that do not offer deflate",
    )
    parser.add_argument("--quiet-wait", type=float, default=30)
    parser.add_argument("--max-other", type=float, default=0.15)
    args = parser.parse_args()
    if not 100 <= args.sockets <= 15_000 or not 1 <= args.users <= args.sockets:
        parser.error("--sockets must be 100..15000 and --users 1..sockets")
    stop_cleanly_on_sigterm()
    pin_load_generator()
    log("machine:")
    live_machine()
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    for name, rows in results.items():
        report(name, rows)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
