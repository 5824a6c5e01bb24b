"""Wellbeing check-ins: submitting one, and the trends page over two years, against the feed.

Targets (the wellbeing issue): a check-in submit p50 <= 10 ms including its encryption, and
the trends page of a member with two years of weekly check-ins p50 <= 30 ms, each against
the feed page measured in the same run.

Test data is made before the server starts, in a subprocess of this script (`--seed`), through
the app's own actions: members by operator invite and sign-up, a connection, 200 moments the
author shares with the reader by name (`moments.check_post`: the feed page's baseline shows
the newest 20), and two years of check-ins (`wellbeing.check_checkin` with `now=` each one's
real date): 104 weeks of a mood and a WHO-5, and every fourth week a UCLA-3, some with a
note, for the reader and for every member who submits.

Then one uvicorn worker on core 0 serves the app, and this process on core 1 sends requests
one at a time on a keep-alive connection (service time, no queueing), three blocks per run:

- feed:    GET /feed?since=0 as the reader (cookie), the first 20 of the 200 moments;
- trends:  GET /wellbeing/trends as the reader (cookie): 234 check-ins opened, charted, noted;
- submit:  POST /api/v1/wellbeing/checkins, a WHO-5 with a note (bearer token), the members
           who submit taken in turn.

Each block is `--requests` requests; blocks rotate their order run by run. Before each run
the script waits (up to `--quiet-wait` s) for an idle machine; a run during which other work
used more than `--max-other` cores is printed, marked DISCARDED and repeated (`--attempts`;
the last is kept). After each attempt the check-ins it submitted are deleted through the API
(untimed), so every member who submits keeps exactly two years of history plus at most
requests/submitters of today's; the server runs with SOCIALODE_MOOD_CHECKINS_PER_DAY=24 (the
largest the settings allow) so that many fit in one local day. The report is the median over
runs of each run's p50 and p95. `--profile N` then serves each page N more times from a
fresh server (`wellbeing:profiled`, the app with cProfile switched on around those requests)
and prints where their time goes.

    .venv/bin/python bench/wellbeing.py                          # SQLite, then PostgreSQL
    .venv/bin/python bench/wellbeing.py --backend sqlite --runs 3 --requests 100
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from _common import (
    BENCH,
    GENEROUS,
    LOAD_CPU,
    Quiet,
    Server,
    backend,
    log,
    stop_cleanly_on_sigterm,
    wait_for_quiet,
)
from _live import CpuMeter, KeepAlive, Table, live_machine, p50_p95, page, seed_with

WEEKS = 104
MOMENTS = 200
SUBMIT_TARGET_MS = 10.0
TRENDS_TARGET_MS = 30.0
PER_DAY = 24  # the largest SOCIALODE_MOOD_CHECKINS_PER_DAY the settings accept
SERVER_ENV = {"SOCIALODE_MOOD_CHECKINS_PER_DAY": str(PER_DAY), "SOCIALODE_RATE_MOMENTS": GENEROUS}
WHO5_NOTE = "Slept better this week; a long walk by the river on Sunday helped."
NOTES = ("A quiet week, mostly work.", "Saw Ana on Saturday.", "Tired, but the garden grows.")
FEELINGS = ("calm", "content", "tired", "hopeful", "stressed", "connected")


# Test data, in a subprocess (`--seed`) with the server's settings --------------------------


async def _history(svc: Any, token: str, now: datetime, rng: random.Random) -> int:
    """Two years of weekly check-ins, oldest first, each with its real date."""
    from socialode.accounts.access import access_viewer
    from socialode.wellbeing.actions import check_checkin

    made = 0
    for back in range(WEEKS, 0, -1):
        at = now - timedelta(weeks=back)
        mood = min(5, max(1, 3 + rng.choice((-2, -1, 0, 0, 1, 1, 2))))
        takes: list[tuple[str, dict[str, object], list[str], str]] = [
            ("mood", {"mood": mood}, rng.sample(FEELINGS, 2), rng.choice(NOTES + ("",) * 3)),
            ("who5", {f"q{n}": rng.randint(1, 5) for n in range(1, 6)}, [], ""),
        ]
        if back % 4 == 0:
            takes.append(("ucla3", {f"q{n}": rng.randint(1, 3) for n in range(1, 4)}, [], ""))
        for minute, (name, answers, feelings, note) in enumerate(takes):
            async with svc.db.sessions() as db:
                viewer = await access_viewer(db, token)
                assert viewer is not None
                await check_checkin(
                    svc,
                    db,
                    viewer,
                    name,
                    answers,
                    feelings,
                    note,
                    now=at + timedelta(minutes=minute),
                )
            made += 1
    return made


async def _seed(submitters: int) -> dict[str, Any]:
    from _seed_live import connect, members

    import socialode.app  # noqa: F401  (registers every job kind, as the server does)
    from socialode.accounts.access import access_viewer
    from socialode.config import Settings
    from socialode.moments.actions import check_post
    from socialode.platform.clock import utcnow
    from socialode.platform.services import Services

    svc = Services.build(Settings())
    try:
        started = time.monotonic()
        reader, author = await members(svc, 2, "w")
        people = await members(svc, submitters, "s")
        await connect(svc, reader, author)
        async with svc.db.sessions() as db:
            viewer = await access_viewer(db, author["token"])
            assert viewer is not None
            for n in range(MOMENTS):
                text = f"Moment {n}: the garden after rain, and bread in the oven."
                await check_post(
                    svc, db, viewer, body=text, circle_ids=[], handles=[reader["handle"]]
                )
        print(f"  members and moments in {time.monotonic() - started:.0f} s", file=sys.stderr)
        now = utcnow().replace(hour=6, minute=30, second=0, microsecond=0)
        gate = asyncio.Semaphore(4)

        async def history(n: int, person: dict[str, Any]) -> int:
            async with gate:
                return await _history(svc, person["token"], now, random.Random(n))

        counts = await asyncio.gather(*(history(n, p) for n, p in enumerate([reader, *people])))
        print(
            f"  {sum(counts)} check-ins ({counts[0]} each) in {time.monotonic() - started:.0f} s",
            file=sys.stderr,
        )
        return {"reader": reader, "submitters": people, "history": counts[0]}
    finally:
        await svc.close()


def seed(env: dict[str, str], submitters: int) -> dict[str, Any]:
    """Run this script's `--seed` with the server's settings and return what it printed."""
    return seed_with(env, "wellbeing.py", "--seed", str(submitters))


# Requests ------------------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


ANSWERS = {"q1": 3, "q2": 4, "q3": 2, "q4": 3, "q5": 4}
WHO5 = json.dumps({"instrument": "who5", "answers": ANSWERS, "note": WHO5_NOTE}).encode()


class Workload:
    """The three blocks of a run, and the clean-up of what submitting wrote."""

    def __init__(self, server: Server, seeded: dict[str, Any]) -> None:
        self.client = KeepAlive(server)
        self.reader = seeded["reader"]["token"]
        self.submitters = [p["token"] for p in seeded["submitters"]]
        self.turn = 0
        self.made: list[tuple[str, int]] = []  # (token, check-in id) to delete after a run

    def block(self, label: str, count: int) -> list[float]:
        latencies = []
        for _ in range(count):
            if label == "submit":
                token = self.submitters[self.turn % len(self.submitters)]
                self.turn += 1
                ms, status, body = self.client.send(
                    "POST", "/api/v1/wellbeing/checkins", bearer(token), WHO5
                )
                if status == 201:
                    self.made.append((token, json.loads(body)["id"]))
            else:
                path = "/feed?since=0" if label == "feed" else "/wellbeing/trends"
                ms, status, body = self.client.send("GET", path, page(self.reader))
            if status not in (200, 201):
                raise RuntimeError(f"{label} answered {status}: {body[:300]!r}")
            latencies.append(ms)
        return latencies

    def delete_submitted(self) -> None:
        for token, checkin_id in self.made:
            _, status, body = self.client.send(
                "DELETE", f"/api/v1/wellbeing/checkins/{checkin_id}", bearer(token)
            )
            if status != 204:
                raise RuntimeError(f"deleting check-in {checkin_id} answered {status}: {body!r}")
        self.made.clear()
        self.turn = 0  # every run starts with each member's today at none of these

    def check_pages(self, history: int) -> None:
        """The pages show what they should before anything is timed."""
        _, status, body = self.client.send("GET", "/feed?since=0", page(self.reader))
        shown = body.count(b'<article class="moment')
        assert status == 200 and shown == 20, ("feed", status, shown)
        log(f"  feed: {len(body)} bytes, {shown} moments on the first page")
        _, status, body = self.client.send("GET", "/wellbeing/trends", page(self.reader))
        points = body.count(b'<tr><th scope="row">')
        charts = body.count(b'class="trend"')
        assert status == 200 and points == history and charts == 3, ("trends", status, points)
        log(f"  trends: {len(body)} bytes, {charts} charts, {points} check-ins in their tables")
        _, status, body = self.client.send(
            "POST", "/api/v1/wellbeing/checkins", bearer(self.submitters[0]), WHO5
        )
        made = json.loads(body)
        assert status == 201 and made["note"] == WHO5_NOTE and made["result"], ("submit", status)
        self.made.append((self.submitters[0], made["id"]))
        log(f"  submit: 201, {len(body)} bytes, WHO-5 scored {made['result']['shown']}")
        self.delete_submitted()


# Where the time goes (--profile) -------------------------------------------------------------

PROFILE_PATH = "/__bench/profile/"  # on, off, dump: served by `profiled` below, not the app


class Profiled:
    """socialode.asgi:app unchanged, with cProfile switched on and off from outside, so only
    the event loop's work while requests are served is counted (not start-up). Threads are
    not profiled: aiosqlite's statements run in its own thread. Served as `wellbeing:profiled`
    by `--profile`; cProfile slows every call, so read the shares, not the milliseconds."""

    def __init__(self) -> None:
        self.profiler = cProfile.Profile()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        from socialode.asgi import app

        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PROFILE_PATH):
            await app(scope, receive, send)
            return
        what = path.removeprefix(PROFILE_PATH)
        if what == "on":
            self.profiler.enable()
        elif what == "off":
            self.profiler.disable()
        elif what == "dump":
            self.profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


profiled = Profiled()


def _where(func: tuple[str, int, str]) -> str:
    path, line, name = func
    for marker in ("site-packages/", "src/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path}:{line})" if line else name


def summarise_cprofile(path: Path, requests: int, top: int = 20) -> str:
    """Self time by function, and the app's own functions inclusive, as shares of the
    requests' time (the outermost middleware's inclusive time)."""
    table: dict[Any, Any] = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    outer = max(r[3] for f, r in table.items() if f[2] == "__call__" and "socialode/" in f[0])
    lines = [f"    {1000 * outer / requests:.2f} ms per request under cProfile; self time:"]
    by_self = sorted(table.items(), key=lambda kv: -kv[1][2])[:top]
    lines += [f"    {100 * r[2] / outer:5.1f}%  {_where(f)}" for f, r in by_self]
    lines.append("    inclusive (socialode, SQLAlchemy's async layer, Jinja2, cryptography):")
    keep = ("socialode/", "sqlalchemy/ext/asyncio", "jinja2/environment", "cryptography/")
    mine = [(f, r) for f, r in table.items() if any(k in f[0] for k in keep)]
    by_cumulative = sorted(mine, key=lambda kv: -kv[1][3])[:top]
    lines += [f"    {100 * r[3] / outer:5.1f}%  {_where(f)}" for f, r in by_cumulative]
    return "\n".join(lines)


def profile(env: dict[str, str], seeded: dict[str, Any], requests: int) -> None:
    """Each page's requests on a fresh `profiled` server, one page per server; submits go in
    slices that fit the daily limit, their check-ins deleted between slices, unprofiled."""
    out = Path(tempfile.mkdtemp(prefix="socialode-bench-profile-")) / "stats"
    try:
        for label in LABELS:
            server = Server("wellbeing:profiled", env | {"BENCH_PROFILE_OUT": str(out)})
            server.app_dir = BENCH
            with server.running() as app:
                work = Workload(app, seeded)
                work.block(label, 20)  # warm, unprofiled
                work.delete_submitted()
                per_slice = len(work.submitters) * PER_DAY // 2 if label == "submit" else requests
                for start in range(0, requests, per_slice):
                    work.client.send("GET", PROFILE_PATH + "on", {})
                    work.block(label, min(per_slice, requests - start))
                    work.client.send("GET", PROFILE_PATH + "off", {})
                    work.delete_submitted()
                work.client.send("GET", PROFILE_PATH + "dump", {})
                work.client.close()
            log(f"\n  {label} under cProfile, {requests} requests:")
            log(summarise_cprofile(out, requests))
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


# Runs ----------------------------------------------------------------------------------------

LABELS = ("feed", "trends", "submit")


def measure(app: Server, work: Workload, args: argparse.Namespace) -> dict[str, list[Any]]:
    quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
    assert app.process is not None
    runs: dict[str, list[Any]] = {label: [] for label in LABELS}
    for label in LABELS:  # warm the server up on every path
        work.block(label, args.warmup)
    work.delete_submitted()
    for run in range(1, args.runs + 1):
        order = LABELS[run % 3 :] + LABELS[: run % 3]
        for attempt in range(1, quiet.attempts + 1):
            waited = wait_for_quiet(quiet.wait)
            work.client.reconnect()
            meter = CpuMeter([app.process.pid])
            got = {label: work.block(label, args.requests) for label in order}
            cpu = meter.stop()
            work.delete_submitted()
            disturbed = cpu.other > quiet.max_other
            kept = not disturbed or attempt == quiet.attempts
            for label in order:
                p50, p95 = p50_p95(got[label])
                log(
                    f"  run {run}.{attempt} {label:6} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"
                    f"  ({len(got[label])} requests)"
                )
            log(
                f"    cores: server {cpu.server:.2f}, PG+Redis {cpu.database:.2f}, this "
                f"{cpu.load:.2f}, other {cpu.other:.2f} (waited {waited:.0f} s for quiet)"
                + ("" if kept else "  DISCARDED (other load)")
            )
            if kept:
                for label in order:
                    runs[label].append((*p50_p95(got[label]), cpu.other))
                break
    return runs


def bench_backend(name: str, args: argparse.Namespace) -> dict[str, Any]:
    log(f"\n=== {name}: a fresh database")
    with backend(name, SERVER_ENV) as db:
        server = Server("socialode.asgi:app", db.env)
        seeded = seed(db.env | {"SOCIALODE_BASE_URL": server.url}, args.submitters)
        with server.running() as app:
            work = Workload(app, seeded)
            try:
                work.check_pages(seeded["history"])
                runs = measure(app, work, args)
            finally:
                work.client.close()
        if args.profile:
            profile(db.env, seeded, args.profile)
    out: dict[str, Any] = {}
    table = Table(["page", "runs", "p50 ms (median)", "p95 ms (median)", "p50 range", "/ feed"])
    feed = statistics.median(r[0] for r in runs["feed"])
    for label in LABELS:
        p50s = [r[0] for r in runs[label]]
        row = {"p50": statistics.median(p50s), "p95": statistics.median(r[1] for r in runs[label])}
        row["ratio"] = row["p50"] / feed
        out[label] = row | {"p50s": p50s}
        spread = f"{min(p50s):.2f}-{max(p50s):.2f}"
        table.add(
            label,
            len(p50s),
            f"{row['p50']:.2f}",
            f"{row['p95']:.2f}",
            spread,
            f"{row['ratio']:.2f}",
        )
    log(f"\n{name}: medians over runs of each run's p50 / p95, one request at a time")
    log(table.render())
    for label, target in (("submit", SUBMIT_TARGET_MS), ("trends", TRENDS_TARGET_MS)):
        got = out[label]["p50"]
        met = "met" if got <= target else "MISSED"
        log(f"  {label} p50 {got:.2f} ms (target <= {target:g} ms): {met}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=7, choices=range(3, 21))
    parser.add_argument("--requests", type=int, default=200, help="per page per run")
    parser.add_argument("--warmup", type=int, default=50, help="requests per page, untimed")
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=int, default=0, help="requests per page, cProfiled")
    parser.add_argument("--seed", type=int, metavar="SUBMITTERS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:  # the seeding subprocess
        json.dump(asyncio.run(_seed(args.seed)), sys.stdout)
        return
    most = max(args.requests, args.warmup)
    if most > PER_DAY * args.submitters:
        parser.error(f"{most} submits need at least {-(-most // PER_DAY)} submitters")
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    log(f"wellbeing benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    live_machine()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"  load average {load}; {args.runs} runs x {args.requests} requests per page")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
