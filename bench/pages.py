"""Page latency: GET / (anonymous) and GET /u/<handle> (signed in) at 20 concurrent clients.

One uvicorn worker pinned to core 0, wrk (one thread, 20 connections, closed loop) pinned to
core 1. Baselines in the same run: bare Starlette and FastAPI "hello" apps served by uvicorn
the same way, and GET /healthz of the Socialode server itself (FastAPI + one `SELECT 1`).
The profile page is also measured with a single connection: its service time without
queueing. Runs are interleaved round-robin (run 1 of every endpoint, then run 2, ...) so
drift hits every endpoint alike; the report is the median over runs of each run's p50, p99
and req/s.

    .venv/bin/python bench/pages.py                    # SQLite, then PostgreSQL (+ Redis)
    .venv/bin/python bench/pages.py --backend sqlite --runs 3 --seconds 5
    .venv/bin/python bench/pages.py --profile 8 --py-spy /path/to/py-spy
    .venv/bin/python bench/pages.py --variant gcfreeze:BENCH_GC=freeze   # what-if, same run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from _common import (
    BENCH,
    Backend,
    Quiet,
    Server,
    Summary,
    Variant,
    WrkResult,
    backend,
    check_tools,
    create_members,
    http,
    log,
    measured_run,
    print_machine,
    print_summary_table,
    profile_server,
    stop_cleanly_on_sigterm,
    summarise,
    summarise_profile,
    wait_for_quiet,
    wrk,
)

TARGET_P50_MS = 5.0
TARGET_P99_MS = 20.0
PROFILE_LABEL = "GET /u/<handle> (cookie)"


def bench_backend(name: str, args: argparse.Namespace) -> list[Summary]:
    log(f"\n=== {name}: preparing a fresh database")
    with backend(name) as db, contextlib.ExitStack() as stack:
        app = stack.enter_context(Server("socialode.asgi:app", db.env).running())
        hello = stack.enter_context(
            Server("hello_app:app", {}, app_dir=BENCH, health_path="/").running()
        )
        fastapi = stack.enter_context(
            Server("hello_app:fastapi_app", {}, app_dir=BENCH, health_path="/").running()
        )
        variants = [(v, stack.enter_context(v.server(db.env).running())) for v in args.variant]
        assert app.process and hello.process and fastapi.process
        log(f"socialode: {' '.join(app.command())}")
        log(f"hello:     {' '.join(hello.command())}")
        log(f"fastapi:   {' '.join(fastapi.command())}")
        for variant, server in variants:
            log(f"variant [{variant.label}]: {variant.env} {' '.join(server.command())}")
        [(handle, token)] = create_members(app, 1)
        cookie_value = f"socialode_session={token}"
        cookie = f"Cookie: {cookie_value}"
        for server in [app] + [server for _, server in variants]:
            status, body = http("GET", f"{server.url}/u/{handle}", headers={"Cookie": cookie_value})
            assert status == 200 and b"Member 0" in body and b"Sign out" in body, status
            status, landing = http("GET", server.url + "/")
            assert status == 200 and b"Sign in" in landing, status
        log(
            f"pages checked: profile {len(body)} bytes (signed in as @{handle}), landing "
            f"{len(landing)} bytes (anonymous)"
        )

        c = args.connections
        endpoints: list[tuple[str, str, list[str], int, Server]] = [
            ("baseline: Starlette hello", hello.url + "/", [], c, hello),
            ("baseline: FastAPI hello", fastapi.url + "/", [], c, fastapi),
        ]
        for prefix, server in [("", app)] + [(f"[{v.label}] ", s) for v, s in variants]:
            endpoints += [
                (f"{prefix}baseline: GET /healthz", server.url + "/healthz", [], c, server),
                (f"{prefix}GET / (anonymous)", server.url + "/", [], c, server),
                (f"{prefix}{PROFILE_LABEL}", f"{server.url}/u/{handle}", [cookie], c, server),
                (
                    f"{prefix}{PROFILE_LABEL}, 1 conn",
                    f"{server.url}/u/{handle}",
                    [cookie],
                    1,
                    server,
                ),
            ]
        log(f"warm-up: {args.warmup:g} s per endpoint")
        for label, url, headers, conns, _ in endpoints:
            wrk(label, url, args.warmup, conns, headers)
        results: dict[str, list[WrkResult]] = {e[0]: [] for e in endpoints}
        log(f"measuring: {args.runs} runs x {args.seconds:g} s per endpoint, round-robin")
        quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
        for run in range(1, args.runs + 1):
            for label, url, headers, conns, server in endpoints:
                assert server.process is not None
                pid = server.process.pid
                is_app = server not in (hello, fastapi)
                opened = db.connections_opened() if is_app else None
                result = measured_run(label, url, args.seconds, conns, headers, [pid], run, quiet)
                results[label].append(result)
                if opened is not None:
                    time.sleep(1.5)
                    now = db.connections_opened()
                    if now is not None:
                        log(
                            f"         new PostgreSQL connections during the run "
                            f"({result.attempt} attempt(s)): {now - opened}"
                        )
        if args.raw:
            last = results[PROFILE_LABEL][-1]
            log(f"raw wrk output of the last profile-page run:\n{last.raw}")
        for variant, server in variants:
            stats = [line for line in server.tail(200).splitlines() if "GC_STATS" in line]
            if stats:
                log(f"[{variant.label}] cumulative garbage collections (server's own count):")
                log("\n".join(f"  {line}" for line in (stats[:1] + stats[-1:])))
        if args.profile:
            profile_url = f"{app.url}/u/{handle}"
            profile_app(db, app, args, [("GET / (anonymous)", app.url + "/", [])])
            profile_app(db, app, args, [(PROFILE_LABEL, profile_url, [cookie])])
        return [summarise(label, runs) for label, runs in results.items()]


def profile_app(
    db: Backend, app: Server, args: argparse.Namespace, targets: list[tuple[str, str, list[str]]]
) -> None:
    assert app.process is not None
    for label, url, headers in targets:
        wait_for_quiet(args.quiet_wait)
        out = profile_server(args.py_spy, app.process.pid, args.profile, gil=True)
        try:
            time.sleep(0.5)
            wrk(label, url, args.profile + 1, args.connections, headers)
            time.sleep(1.5)
            log(f"\npy-spy --gil profile of the server, {db.name}, {label} under load:")
            log(summarise_profile(out))
        finally:
            out.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=20, choices=range(1, 257))
    parser.add_argument(
        "--quiet-wait", type=float, default=60, help="max seconds to wait for an idle machine"
    )
    parser.add_argument(
        "--max-other", type=float, default=0.15, help="other people's load (cores) tolerated"
    )
    parser.add_argument("--attempts", type=int, default=4, choices=range(1, 11))
    parser.add_argument(
        "--variant",
        type=Variant.parse,
        action="append",
        default=[],
        help="also measure a what-if server in the same run: LABEL:BENCH_KNOB=VALUE,... "
        "(see whatif_app.py) or LABEL:ACCESS_LOG=1",
    )
    parser.add_argument("--raw", action="store_true", help="print wrk's own output once")
    parser.add_argument("--profile", type=float, default=0, help="py-spy the server N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args()
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
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    summaries, verdicts = {}, {}
    for name in names:
        rows = summaries[name] = bench_backend(name, args)
        print_summary_table(f"{name}: medians over runs", rows)
        [profile] = [row for row in rows if row.label == PROFILE_LABEL]
        p50_ok, p99_ok = profile.p50_ms <= TARGET_P50_MS, profile.p99_ms <= TARGET_P99_MS
        verdicts[name] = {"p50_met": p50_ok, "p99_met": p99_ok}
        log(
            f"target, profile page at {args.connections} connections: "
            f"p50 <= {TARGET_P50_MS:g} ms {'met' if p50_ok else 'MISSED'} "
            f"({profile.p50_ms:.2f} ms); p99 <= {TARGET_P99_MS:g} ms "
            f"{'met' if p99_ok else 'MISSED'} ({profile.p99_ms:.2f} ms)"
        )
    if args.json:
        out = {
            name: {"rows": [asdict(row) for row in rows], "targets": verdicts[name]}
            for name, rows in summaries.items()
        }
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
