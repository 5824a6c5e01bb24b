"""Login throughput (POST /api/v1/auth/login) against the Argon2id hash that bounds it.

Baseline, measured in the same run on the server's core (core 0): the cost of one
argon2-cffi PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).verify, sequentially
and with 20 verifying threads at once (the server hashes in a thread pool, and 20 clients
keep up to 20 hashes in flight). Its inverse is the hash-bound ceiling in logins/s.

Then one uvicorn worker pinned to core 0 serves logins to wrk (one thread, 20 connections,
closed loop) pinned to core 1. Logins rotate over several accounts, and the per-account and
per-client rate limits are raised for the benchmark server so nothing is refused.

    .venv/bin/python bench/login.py                    # SQLite, then PostgreSQL (+ Redis)
    .venv/bin/python bench/login.py --backend sqlite --runs 3 --seconds 5
    .venv/bin/python bench/login.py --variant hashlimit1:BENCH_HASH_LIMIT=1   # what-if, same run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from _common import (
    PASSWORD,
    PYTHON,
    SERVER_CPU,
    STATUS_LUA,
    Quiet,
    Server,
    Variant,
    WrkResult,
    backend,
    check_tools,
    children_cpu,
    create_members,
    http,
    log,
    machine_busy,
    measured_run,
    print_machine,
    profile_server,
    stop_cleanly_on_sigterm,
    summarise,
    summarise_profile,
    wait_for_quiet,
    wrk,
)

TIME_COST, MEMORY_KIB, PARALLELISM = 2, 19456, 1  # the app's defaults (Settings.argon2_*)


def measure_hash(count: int, threads: int) -> dict[str, float]:
    """Time `count` sequential verifies, then verifies spread over `threads` warm threads."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)
    stored = hasher.hash(PASSWORD)
    for _ in range(3):
        hasher.verify(stored, PASSWORD)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        hasher.verify(stored, PASSWORD)
        times.append(time.perf_counter() - started)
    with ThreadPoolExecutor(threads) as pool:
        # Warm every thread first (its first 19 MiB allocation page-faults), as the server's
        # long-lived worker threads are; then time a steady stream of verifies.
        barrier = threading.Barrier(threads)
        list(pool.map(lambda _: (hasher.verify(stored, PASSWORD), barrier.wait()), range(threads)))
        total = max(count, 4 * threads)
        started = time.perf_counter()
        list(pool.map(lambda _: hasher.verify(stored, PASSWORD), range(total)))
        threaded = time.perf_counter() - started
    return {
        "median_ms": 1000 * statistics.median(times),
        "mean_ms": 1000 * statistics.mean(times),
        "min_ms": 1000 * min(times),
        "max_ms": 1000 * max(times),
        "threaded_per_s": total / threaded,
    }


def hash_baseline(count: int, threads: int, quiet: Quiet) -> dict[str, float]:
    """measure_hash in a fresh process pinned to the server's core, on a quiet machine."""
    cmd = ["taskset", "-c", SERVER_CPU, str(PYTHON), __file__, "--measure-hash", str(count)]
    cmd += ["--hash-threads", str(threads)]
    for attempt in range(1, quiet.attempts + 1):
        wait_for_quiet(quiet.wait)
        busy0, total0 = machine_busy()
        child0 = children_cpu()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
        busy1, total1 = machine_busy()
        wall = max(1e-9, (total1 - total0) / (os.cpu_count() or 1))
        other = max(0.0, (busy1 - busy0) - (children_cpu() - child0)) / wall
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        result["other_cores"] = other
        if other <= quiet.max_other:
            return result
        log(f"  (hash baseline attempt {attempt} disturbed by {other:.2f} other cores)")
    return result


def print_hash(label: str, h: dict[str, float], count: int, threads: int) -> None:
    log(
        f"  {label}: one verify median {h['median_ms']:.1f} ms (mean {h['mean_ms']:.1f}, "
        f"min {h['min_ms']:.1f}, max {h['max_ms']:.1f}; {count} sequential) -> ceiling "
        f"{1000 / h['median_ms']:.1f}/s; {threads} threads: {h['threaded_per_s']:.1f} verifies/s"
        f" = {1000 / h['threaded_per_s']:.1f} ms each (other load {h['other_cores']:.2f} cores)"
    )


def login_lua(handles: list[str]) -> str:
    names = ", ".join(f'"{h}"' for h in handles)
    return (
        STATUS_LUA
        + f"""
local handles = {{{names}}}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = '{{"login": "' .. handles[(n % #handles) + 1] .. '", "password": "{PASSWORD}"}}'
  return wrk.format("POST", "/api/v1/auth/login", nil, body)
end
"""
    )


@dataclass
class LoginSummary:
    backend: str
    runs: int
    logins_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms_per_login: float


def bench_backend(name: str, args: argparse.Namespace) -> list[LoginSummary]:
    log(f"\n=== {name}: preparing a fresh database")
    with backend(name) as db, contextlib.ExitStack() as stack:
        app = stack.enter_context(Server("socialode.asgi:app", db.env).running())
        servers = [("", app)] + [
            (f"[{v.label}] ", stack.enter_context(v.server(db.env).running())) for v in args.variant
        ]
        for prefix, server in servers:
            log(f"{prefix or 'socialode: '}{' '.join(server.command())}")
        log(f"accounts: signing up {args.accounts} members through invites")
        handles = [handle for handle, _ in create_members(app, args.accounts)]
        for _, server in servers:
            status, body = http(
                "POST",
                server.url + "/api/v1/auth/login",
                {"login": handles[0], "password": PASSWORD},
            )
            assert status == 200 and b"session_token" in body, (status, body[:300])
        log(f"login checked: {status}, response has session_token")

        lua = login_lua(handles)
        log(f"warm-up: {args.warmup:g} s")
        for _, server in servers:
            wrk("login", server.url + "/api/v1/auth/login", args.warmup, args.connections, lua=lua)
        quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
        log(f"measuring: {args.runs} runs x {args.seconds:g} s, {args.connections} connections")
        results: dict[str, list[WrkResult]] = {prefix: [] for prefix, _ in servers}
        for run in range(1, args.runs + 1):
            for prefix, server in servers:
                assert server.process is not None
                results[prefix].append(
                    measured_run(
                        f"{prefix}POST /api/v1/auth/login",
                        server.url + "/api/v1/auth/login",
                        args.seconds,
                        args.connections,
                        [],
                        [server.process.pid],
                        run,
                        quiet,
                        lua=lua,
                    )
                )
        if args.raw:
            log(f"raw wrk output of the last run:\n{results[''][-1].raw}")
        if args.profile:
            assert app.process is not None
            wait_for_quiet(args.quiet_wait)
            out = profile_server(args.py_spy, app.process.pid, args.profile, gil=False)
            try:
                time.sleep(0.5)
                url = app.url + "/api/v1/auth/login"
                wrk("login", url, args.profile + 1, args.connections, lua=lua)
                time.sleep(1.5)
                log(f"\npy-spy profile of the server (all threads not idle), {name}, logins:")
                log(summarise_profile(out))
            finally:
                out.unlink(missing_ok=True)
        rows = []
        for prefix, runs in results.items():
            s = summarise("login", runs)
            rows.append(
                LoginSummary(
                    f"{prefix}{name}",
                    s.runs,
                    s.rps,
                    s.p50_ms,
                    s.p99_ms,
                    s.errors,
                    s.server_cpu_ms_per_request,
                )
            )
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=20, choices=range(1, 257))
    parser.add_argument("--accounts", type=int, default=10, choices=range(1, 51))
    parser.add_argument("--hash-count", type=int, default=40, choices=range(5, 501))
    parser.add_argument("--hash-threads", type=int, default=20, choices=range(1, 65))
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=4, choices=range(1, 11))
    parser.add_argument(
        "--variant",
        type=Variant.parse,
        action="append",
        default=[],
        help="also measure a what-if server in the same run: LABEL:BENCH_KNOB=VALUE,... "
        "(see whatif_app.py)",
    )
    parser.add_argument("--raw", action="store_true", help="print wrk's own output once")
    parser.add_argument("--profile", type=float, default=0, help="py-spy the server N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--measure-hash", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_hash:  # the pinned child process of hash_baseline()
        print(json.dumps(measure_hash(args.measure_hash, args.hash_threads)))
        return
    if not 1 <= args.seconds <= 60 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1..60 and --warmup 0..60")
    if not 0 <= args.profile <= 60 or not 0 <= args.quiet_wait <= 600:
        parser.error("--profile must be 0..60 and --quiet-wait 0..600")
    if args.profile and shutil.which(args.py_spy) is None:
        parser.error(f"--profile needs py-spy; not found at {args.py_spy!r}")
    check_tools()
    stop_cleanly_on_sigterm()
    log("machine:")
    print_machine()

    quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
    log(f"\nArgon2id baseline on core {SERVER_CPU} (t={TIME_COST}, m={MEMORY_KIB} KiB, p=1):")
    before = hash_baseline(args.hash_count, args.hash_threads, quiet)
    print_hash("before", before, args.hash_count, args.hash_threads)

    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    rows = [row for name in names for row in bench_backend(name, args)]

    after = hash_baseline(args.hash_count, args.hash_threads, quiet)
    print_hash("after ", after, args.hash_count, args.hash_threads)
    hash_ms = statistics.mean([before["median_ms"], after["median_ms"]])
    threaded_ms = statistics.mean([1000 / before["threaded_per_s"], 1000 / after["threaded_per_s"]])
    ceiling, threaded_ceiling = 1000 / hash_ms, 1000 / threaded_ms
    log(
        f"\nhash-bound ceilings on one core: sequential 1 / {hash_ms:.1f} ms = {ceiling:.1f} "
        f"logins/s; with {args.hash_threads} hashes in flight 1 / {threaded_ms:.1f} ms = "
        f"{threaded_ceiling:.1f} logins/s"
    )
    log(
        "| backend | runs | logins/s (median) | % of sequential ceiling "
        f"| % of {args.hash_threads}-thread ceiling | p50 ms | p99 ms | server CPU ms/login "
        "| minus one verify (ms) | errors |"
    )
    log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        log(
            f"| {row.backend} | {row.runs} | {row.logins_per_s:.1f} | "
            f"{100 * row.logins_per_s / ceiling:.0f}% | "
            f"{100 * row.logins_per_s / threaded_ceiling:.0f}% | {row.p50_ms:.1f} | "
            f"{row.p99_ms:.1f} | {row.server_cpu_ms_per_login:.1f} | "
            f"{row.server_cpu_ms_per_login - hash_ms:.1f} | {row.errors} |"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "hash_before": before,
                    "hash_after": after,
                    "ceiling_sequential": ceiling,
                    "ceiling_threaded": threaded_ceiling,
                    "rows": [row.__dict__ for row in rows],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    sys.exit(main())
