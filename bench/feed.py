"""Feed read latency: GET /api/v1/feed at 50 concurrent readers, 10,000 members with 100
connections and 20 moments each, against the query's own time measured in the same run.

One uvicorn worker pinned to core 0 (as `socialode serve` runs the app, without the access
log); the load generator is this process, pinned to core 1 (uvloop, a minimal keep-alive
HTTP/1.1 client that timestamps each response when its last byte arrives), plus wrk for the
closed-loop rows. Every request carries the bearer token of a reader drawn at random from
1,000 seeded readers; each reader sees 2,000 moments, so the first page is never the last,
the feed mark never moves, and every read returns that reader's 20 newest moments.

- open loop ("50 readers"): 50 connections, each sending at random (Poisson) times at R reads
  per second, whatever the server does; a read whose time came while its connection was
  still waiting for the previous answer is timed from when it should have gone out
  (coordinated omission corrected, as wrk2 does). Rates: 50 x 1/s and 50 x 2/s by default.
- closed loop (wrk, no think time): 50 connections (throughput; latency there is the queue),
  and 1 connection (the service time without queueing).
- baselines in the same runs: GET /healthz of the same server (FastAPI + one `SELECT 1`) and
  a bare FastAPI "hello" app (bench/hello_app.py), at the same offered loads.
- the query itself, in the same runs: bench/_feed_query.py on core 0, between the HTTP runs,
  executes the app's own feed statement (captured from ``moments.access.access_feed``) with
  the plain driver for random readers, and the request's work without HTTP (session lookup,
  ``check_read_feed``, the JSON response) through the app's engine.

Runs go round-robin (run 1 of everything, then run 2, ...); the report is the median over
runs of each run's p50, p99 and req/s. Test data is written with bulk SQL (_feed_seed.py),
once per backend per invocation; --keep leaves it in place and --reuse DIR uses it again.

    .venv/bin/python bench/feed.py                         # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/feed.py --backend sqlite --runs 3 --seconds 5
    .venv/bin/python bench/feed.py --backend postgres --keep          # prints the DIR to reuse
    .venv/bin/python bench/feed.py --backend postgres --reuse /tmp/socialode-bench-feed-...
    .venv/bin/python bench/feed.py --drop /tmp/socialode-bench-feed-...   # remove a kept seed
    .venv/bin/python bench/feed.py --variant notouch:BENCH_TOUCH=off --profile 8
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    BENCH,
    GENEROUS,
    HOST,
    PG_ADMIN_URL,
    PYTHON,
    REDIS_URL,
    SERVER_CPU,
    STATUS_LUA,
    Quiet,
    Server,
    Variant,
    WrkResult,
    _clear_redis_limits,
    _pg,
    check_tools,
    cli,
    http,
    log,
    measured_run,
    print_machine,
    profile_server,
    stop_cleanly_on_sigterm,
    summarise_profile,
    wait_for_quiet,
    wrk,
)
from _feed_seed import SEED_FILE, Seeded, Shape, seed_postgres, seed_sqlite
from _live import Cpu, CpuMeter, Table, percentile, pin_load_generator, run_async

TARGET_P50_MS = 5.0
TARGET_P99_MS = 20.0
FEED = "/api/v1/feed"
MOMENT_MARK = b'"url":"/moments/'  # once per moment in the feed's JSON


# Test data -----------------------------------------------------------------------------------


@dataclass
class FeedBackend:
    name: str
    env: dict[str, str]
    data_dir: Path
    database_url: str
    seeded: Seeded

    @property
    def tokens(self) -> list[str]:
        return [token for _uid, token in self.seeded.readers]


def _size(backend: FeedBackend) -> str:
    if backend.name == "sqlite":
        files = sorted(backend.data_dir.glob("socialode.db*"))
        total = sum(f.stat().st_size for f in files)
        return f"{total / 2**20:,.0f} MiB ({', '.join(f.name for f in files)})"
    database = backend.database_url.rsplit("/", 1)[1]
    out = subprocess.run(
        ["psql", PG_ADMIN_URL, "-At", "-v", f"db={database}"],
        input="SELECT pg_size_pretty(pg_database_size(:'db'));\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    tables = subprocess.run(
        ["psql", backend.database_url.replace("+psycopg", ""), "-At", "-F", " "],
        input="SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
        "WHERE relname IN ('moment_audience', 'moments', 'connections', 'circle_members') "
        "ORDER BY 1;\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.split("\n")
    return f"{out} (with indexes: {'; '.join(t for t in tables if t)})"


@contextlib.contextmanager
def feed_backend(name: str, args: argparse.Namespace) -> Iterator[FeedBackend]:
    """A seeded database: reused from --reuse, or made now and removed afterwards (unless
    --keep)."""
    reuse = [Path(d) for d in args.reuse if Seeded.load(Path(d)).backend == name]
    keep = args.keep or bool(reuse)
    env = {
        "SOCIALODE_RATE_LOGIN_ACCOUNT": GENEROUS,
        "SOCIALODE_RATE_LOGIN_CLIENT": GENEROUS,
        "SOCIALODE_RATE_SIGNUP_CLIENT": GENEROUS,
    }
    created_db = None
    data_dir = reuse[0] if reuse else Path(tempfile.mkdtemp(prefix=f"socialode-bench-feed-{name}-"))
    try:
        env["SOCIALODE_DATA_DIR"] = str(data_dir)
        if reuse:
            seeded = Seeded.load(data_dir)
            url = seeded.database_url
            log(
                f"reusing the {name} data seeded at {seeded.seeded_at} "
                f"(in {seeded.seconds:.0f} s) in {data_dir}"
            )
        elif name == "sqlite":
            url = f"sqlite+aiosqlite:///{data_dir / 'socialode.db'}"
        else:
            database = f"socialode_bench_feed_{os.getpid()}"
            _pg(f"CREATE DATABASE {database}")
            created_db = database
            url = f"postgresql+psycopg://postgres@{HOST}:5432/{database}"
        env["SOCIALODE_DATABASE_URL"] = url
        if name == "postgres":
            env["SOCIALODE_REDIS_URL"] = REDIS_URL
            _clear_redis_limits()
        if not reuse:
            cli(env, "db", "upgrade")
            shape = Shape(members=args.members, readers=args.reader_accounts)
            log(
                f"seeding {shape.members:,} members x {shape.degree} connections x "
                f"{shape.moments_each} moments, {shape.readers:,} reader sessions (bulk SQL)"
            )
            if name == "sqlite":
                seeded = seed_sqlite(data_dir / "socialode.db", shape)
            else:
                seeded = seed_postgres(url.replace("+psycopg", ""), shape)
            seeded.database_url = url
            seeded.save(data_dir)
            log(f"seeded in {seeded.seconds:.0f} s")
        backend = FeedBackend(name, env, data_dir, url, seeded)
        log(f"database size: {_size(backend)}")
        yield backend
    finally:
        if name == "postgres":
            with contextlib.suppress(Exception):
                _clear_redis_limits()
        if keep:
            log(f"kept the {name} data: --reuse {data_dir}")
        else:
            if created_db:
                _pg(f"DROP DATABASE IF EXISTS {created_db} WITH (FORCE)")
            shutil.rmtree(data_dir, ignore_errors=True)


def drop_reused(directory: Path) -> None:
    """--drop DIR: remove a kept seed (its PostgreSQL database too)."""
    seeded = Seeded.load(directory)
    if seeded.backend == "postgres":
        database = seeded.database_url.rsplit("/", 1)[1]
        if not re.fullmatch(r"socialode_bench_feed_\d+", database):
            raise SystemExit(f"not a benchmark database: {database}")
        _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    if not (directory / SEED_FILE).exists():
        raise SystemExit(f"{directory} holds no {SEED_FILE}")
    shutil.rmtree(directory)
    log(f"removed {directory}")


# The query worker ------------------------------------------------------------------------------


class QueryWorker:
    """bench/_feed_query.py on the server's core, driven over pipes."""

    def __init__(self, backend: FeedBackend) -> None:
        env = {**os.environ, **backend.env}
        cmd = ["taskset", "-c", SERVER_CPU, str(PYTHON), str(BENCH / "_feed_query.py")]
        self.process = subprocess.Popen(
            [*cmd, backend.database_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=BENCH,
        )

    def ask(self, cmd: str, **kwargs: Any) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **kwargs}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the query worker stopped (exit {self.process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"query worker: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


# The open-loop client ------------------------------------------------------------------------


class HttpConn(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time; the answer's time is taken
    when its last byte arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes, float]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None:
            return
        head = bytes(self.buffer[:end]).lower()
        found = re.search(rb"\r\ncontent-length: *(\d+)", head)
        if found is None:
            self._fail(RuntimeError(f"no content-length in {head[:200]!r}"))
            return
        total = end + 4 + int(found.group(1))
        if len(self.buffer) < total:
            return
        status = int(head[9:12])
        body = bytes(self.buffer[end + 4 : total])
        del self.buffer[:total]
        waiter, self.waiter = self.waiter, None
        if not waiter.done():
            waiter.set_result((status, body, now))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(ConnectionError(f"connection lost: {exc}"))

    def _fail(self, error: Exception) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)

    async def request(self, payload: bytes) -> tuple[int, bytes, float]:
        assert self.transport is not None and self.waiter is None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return await self.waiter


@dataclass
class Target:
    label: str
    server: Server
    path: str
    tokens: list[str] = field(default_factory=list)  # one drawn at random per request
    check: Callable[[bytes], bool] = lambda _body: True
    feed: bool = False

    def requests(self) -> list[bytes]:
        host = f"Host: {HOST}:{self.server.port}\r\n"
        if not self.tokens:
            return [f"GET {self.path} HTTP/1.1\r\n{host}\r\n".encode()]
        return [
            f"GET {self.path} HTTP/1.1\r\n{host}Authorization: Bearer {t}\r\n\r\n".encode()
            for t in self.tokens
        ]


@dataclass
class Run:
    label: str
    mode: str  # "open 100/s", "closed 50", ...
    offered: float  # requests/s (open loop); 0 for closed loop
    requests: int
    rps: float
    p50: float
    p90: float
    p99: float
    max: float
    errors: int
    server_cpu: float
    server_ms_per_request: float
    database_cpu: float
    other_cpu: float
    late: int = 0  # open loop: reads whose time came while their connection was busy
    touches: int | None = None  # feed: sessions the app wrote (last_seen_at) during the run
    attempt: int = 1
    discarded: bool = False
    detail: str = ""


async def open_loop(
    target: Target, connections: int, rate_each: float, seconds: float, seed: int
) -> tuple[list[float], int, int, int, Cpu]:
    """Poisson reads at `rate_each`/s on each of `connections` connections for `seconds`.
    Returns (latencies ms, late, errors, requests, cpu)."""
    loop = asyncio.get_running_loop()
    payloads = target.requests()
    conns: list[HttpConn] = []

    async def connect() -> HttpConn:
        _transport, conn = await loop.create_connection(HttpConn, HOST, target.server.port)
        conns.append(conn)  # all of them are closed at the end
        return conn

    for _ in range(connections):
        await connect()
    for conn in conns:  # the first answer on each connection is not timed
        status, body, _ = await conn.request(payloads[0])
        if status != 200 or not target.check(body):
            raise RuntimeError(f"{target.label}: warm-up answered {status}: {body[:300]!r}")
    latencies: list[float] = []
    counts = {"late": 0, "errors": 0, "reconnects": 0}
    rng = random.Random(seed)
    assert target.server.process is not None
    meter = CpuMeter([target.server.process.pid])
    start = time.perf_counter() + 0.05
    end = start + seconds

    async def reader(conn: HttpConn, rng: random.Random) -> None:
        due = start + rng.expovariate(rate_each)
        previous_done = start
        while due < end:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if conn.closed:  # uvicorn closes a connection idle for 5 s; browsers reconnect
                conn = await connect()
                counts["reconnects"] += 1
            sent = time.perf_counter()
            try:
                status, body, done = await conn.request(rng.choice(payloads))
            except (ConnectionError, RuntimeError):
                counts["errors"] += 1
                conn = await connect()
                previous_done = due = time.perf_counter()
                continue
            # Timed from when it should have gone out if the connection was still busy
            # then; otherwise from the send (event-loop timers are late by up to a ms).
            late = previous_done > due
            counts["late"] += late
            latencies.append(((done - due) if late else (done - sent)) * 1000)
            if status != 200 or not target.check(body):
                counts["errors"] += 1
            previous_done = done
            due += rng.expovariate(rate_each)

    await asyncio.gather(*(reader(c, random.Random(rng.random())) for c in list(conns)))
    cpu = meter.stop()
    for conn in conns:
        if conn.transport is not None:
            conn.transport.close()
    if counts["reconnects"]:
        log(f"         reconnected {counts['reconnects']} connection(s) the server had closed")
    return latencies, counts["late"], counts["errors"], len(latencies), cpu


def measure_open(
    target: Target,
    connections: int,
    rate_each: float,
    args: argparse.Namespace,
    run: int,
    quiet: Quiet,
    worker: QueryWorker | None,
) -> Run:
    offered = connections * rate_each
    mode = f"open {offered:g}/s"
    for attempt in range(1, quiet.attempts + 1):
        wait_for_quiet(quiet.wait)
        began = time.time()
        seed = args.seed * 1000 + run * 10 + attempt
        lat, late, errors, count, cpu = run_async(
            open_loop(target, connections, rate_each, args.seconds, seed)
        )
        result = Run(
            label=target.label,
            mode=mode,
            offered=offered,
            requests=count,
            rps=count / args.seconds,
            p50=statistics.median(lat),
            p90=percentile(lat, 90),
            p99=percentile(lat, 99),
            max=max(lat),
            errors=errors,
            server_cpu=cpu.server,
            server_ms_per_request=1000 * cpu.server_seconds / max(1, count),
            database_cpu=cpu.database,
            other_cpu=cpu.other,
            late=late,
            attempt=attempt,
        )
        if target.feed and worker is not None:
            result.touches = worker.ask("touches", since=began)["touches"]
        disturbed = cpu.other > quiet.max_other
        result.discarded = disturbed and attempt < quiet.attempts
        print_run(result, run)
        if not disturbed:
            return result
    log(f"  (run {run} of {target.label} kept although disturbed)")
    return result


def measure_closed(
    target: Target,
    connections: int,
    args: argparse.Namespace,
    run: int,
    quiet: Quiet,
    worker: QueryWorker | None,
) -> Run:
    lua = STATUS_LUA
    if target.tokens:
        tokens = ",".join(f'"{t}"' for t in target.tokens)
        lua += (
            f"local tokens = {{{tokens}}}\n"
            f"math.randomseed({args.seed * 1000 + run})\n"
            "request = function()\n"
            f'  return wrk.format("GET", "{target.path}", '
            '{["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]})\n'
            "end\n"
        )
    assert target.server.process is not None
    began = time.time()
    result: WrkResult = measured_run(  # prints wrk's line for each attempt
        f"{target.label} closed {connections}",
        target.server.url + target.path,
        args.seconds,
        connections,
        [],
        [target.server.process.pid],
        run,
        quiet,
        lua,
    )
    run_result = Run(
        label=target.label,
        mode=f"closed {connections}",
        offered=0.0,
        requests=result.requests,
        rps=result.rps,
        p50=result.p50_ms,
        p90=result.p90_ms,
        p99=result.p99_ms,
        max=result.max_ms,
        errors=result.errors + sum(n for code, n in result.statuses.items() if code != "200"),
        server_cpu=result.server_cpu,
        server_ms_per_request=result.server_cpu_ms_per_request,
        database_cpu=result.database_cpu,
        other_cpu=result.other_cpu,
        attempt=result.attempt,
        detail=result.error_detail,
    )
    if target.feed and worker is not None:
        run_result.touches = worker.ask("touches", since=began)["touches"]
        log(f"         sessions touched (written) during the run: {run_result.touches}")
    return run_result


def print_run(r: Run, run: int) -> None:
    log(
        f"  run {run}  {r.label:<26} {r.mode:<12} {r.rps:7.1f} req/s  p50 {r.p50:7.2f} ms  "
        f"p90 {r.p90:7.2f}  p99 {r.p99:7.2f}  max {r.max:7.2f}  err {r.errors}"
        f"  server {r.server_cpu:4.2f} cores ({r.server_ms_per_request:.2f} ms/req)"
        f"  db {r.database_cpu:4.2f}  other {r.other_cpu:4.2f}"
        + (f"  late {r.late}" if r.offered else "")
        + (f"  touches {r.touches}" if r.touches is not None else "")
        + (f"  attempt {r.attempt}" if r.attempt > 1 else "")
        + ("  DISCARDED (other load)" if r.discarded else "")
        + (f"\n         errors: {r.detail}" if r.detail else "")
    )


# One backend ---------------------------------------------------------------------------------


def wait_for_low_load(limit: float, max_wait: float) -> None:
    """The brief's rule before measuring: the 1-minute load average below `limit`."""
    started = time.monotonic()
    while True:
        load = float(Path("/proc/loadavg").read_text().split()[0])
        waited = time.monotonic() - started
        if load < limit or waited >= max_wait:
            note = "" if load < limit else f" (still above {limit:g}; going ahead)"
            log(
                f"load average before measuring: {Path('/proc/loadavg').read_text().strip()}"
                f" after {waited:.0f} s of waiting{note}"
            )
            return
        time.sleep(5)


def check_feed(app: Server, tokens: list[str]) -> str:
    """Every reader's first page: 200, 20 moments, not the last page, the same on a repeat."""
    rng = random.Random(1)
    sizes = []
    for token in rng.sample(tokens, 5):
        pages = []
        for _ in range(2):
            status, body = http("GET", app.url + FEED, headers={"Authorization": f"Bearer {token}"})
            data = json.loads(body)
            assert status == 200, (status, body[:300])
            assert len(data["moments"]) == 20 and data["next"] and not data["caught_up"], data
            pages.append([m["id"] for m in data["moments"]])
            sizes.append(len(body))
        assert pages[0] == pages[1], "the feed moved between two reads"
    return f"200, 20 moments, next page present, same page on a repeat; {min(sizes)} bytes"


def profile_feed(app: Server, feed: Target, args: argparse.Namespace) -> None:
    """py-spy (--gil) the server while one wrk connection reads the feed, no think time."""
    assert app.process is not None
    tokens = ",".join(f'"{t}"' for t in feed.tokens)
    lua = (
        f"local tokens = {{{tokens}}}\n"
        "request = function()\n"
        f'  return wrk.format("GET", "{FEED}", '
        '{["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]})\n'
        "end\n"
    )
    wait_for_quiet(args.quiet_wait)
    out = profile_server(args.py_spy, app.process.pid, args.profile, gil=True)
    try:
        time.sleep(0.5)
        wrk("feed, 1 connection", app.url + FEED, args.profile + 1, 1, [], lua)
        time.sleep(1.5)
        log(
            f"\npy-spy --gil profile of the server, feed read by 1 wrk connection, "
            f"{args.profile:g} s:"
        )
        log(summarise_profile(out, top=25))
    finally:
        out.unlink(missing_ok=True)


def summarise_query(rounds: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    med = statistics.median
    out: dict[str, dict[str, float]] = {}
    for key in ("raw",):
        out[key] = {k: med(r["raw"][key][k] for r in rounds) for k in ("p50", "p90", "p99")}
    for part in ("session", "feed", "json", "total", "what-if core", "what-if prebuilt"):
        out[f"app {part}"] = {
            k: med(r["app"]["app"][part][k] for r in rounds) for k in ("p50", "p90", "p99")
        }
    return out


def bench_backend(name: str, args: argparse.Namespace) -> dict[str, Any]:
    log(f"\n=== {name}")
    with feed_backend(name, args) as db, contextlib.ExitStack() as stack:
        app = stack.enter_context(Server("socialode.asgi:app", db.env).running())
        hello = stack.enter_context(
            Server("hello_app:fastapi_app", {}, app_dir=BENCH, health_path="/").running()
        )
        log(f"socialode: {' '.join(app.command())}")
        log(f"hello:     {' '.join(hello.command())}")
        variants = [(v, stack.enter_context(v.server(db.env).running())) for v in args.variant]
        for variant, server in variants:
            log(f"variant [{variant.label}]: {variant.env} {' '.join(server.command())}")
        worker = QueryWorker(db)
        stack.callback(worker.close)
        captured = worker.ask("capture")
        log(f"the feed statement, captured from access_feed:\n{captured['sql']}")
        log(f"parameters (stand-in viewer {987_654_321}): {captured['params']}")
        readers = [uid for uid, _ in db.seeded.readers]
        log(
            f"\nquery plan ({name}), reader {readers[0]}:\n"
            + worker.ask("explain", viewer=readers[0])["plan"]
        )
        log(f"feed checked: {check_feed(app, db.tokens)}")
        for variant, server in variants:
            log(f"[{variant.label}] feed checked: {check_feed(server, db.tokens)}")

        feed = Target(
            "GET /api/v1/feed",
            app,
            FEED,
            db.tokens,
            check=lambda body: body.count(MOMENT_MARK) == 20,
            feed=True,
        )
        healthz = Target("baseline: GET /healthz", app, "/healthz")
        hello_t = Target("baseline: FastAPI hello", hello, "/")
        c = args.connections
        plan: list[tuple[str, Callable[[int], Run]]] = []
        quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
        variant_feeds = [
            Target(f"[{v.label}] GET /api/v1/feed", server, FEED, db.tokens, feed.check, True)
            for v, server in variants
        ]
        baselines = () if args.feed_only else (healthz, hello_t)
        for rate in args.rates:
            for target in (feed, *variant_feeds, *baselines):
                plan.append(
                    (
                        f"{target.label}|open {c * rate:g}/s",
                        (
                            lambda run, t=target, r=rate: measure_open(
                                t, c, r, args, run, quiet, worker
                            )
                        ),
                    )
                )
        closed = () if args.feed_only else ((feed, c), (feed, 1), (healthz, c))
        for target, conns in closed:
            plan.append(
                (
                    f"{target.label}|closed {conns}",
                    (lambda run, t=target, n=conns: measure_closed(t, n, args, run, quiet, worker)),
                )
            )

        log(f"\nwarm-up: {args.warmup:g} s of each")
        warm = argparse.Namespace(**{**vars(args), "seconds": args.warmup})
        for rate in args.rates[-1:]:
            for target in (feed, *variant_feeds, *baselines):
                run_async(open_loop(target, c, rate, warm.seconds, 0))
        worker.ask("raw", viewers=readers, n=200, seed=0)
        wait_for_low_load(args.load_limit, args.load_wait)

        results: dict[str, list[Run]] = {key: [] for key, _ in plan}
        rounds: list[dict[str, Any]] = []
        log(
            f"measuring: {args.runs} runs x {args.seconds:g} s each, round-robin; then the "
            f"query in process ({args.sql_samples} raw executions, {args.sql_samples // 2} "
            "app reads) per round"
        )
        for run in range(1, args.runs + 1):
            log(f"load average: {Path('/proc/loadavg').read_text().strip()}")
            for key, measure in plan:
                results[key].append(measure(run))
            wait_for_quiet(args.quiet_wait)
            seed = args.seed * 1000 + run
            raw = worker.ask("raw", viewers=readers, n=args.sql_samples, seed=seed)
            app_part = worker.ask(
                "app", readers=db.seeded.readers, n=args.sql_samples // 2, seed=seed
            )
            rounds.append({"raw": raw, "app": app_part})
            s, a = raw["raw"], app_part["app"]
            log(
                f"  run {run}  query in process (core {SERVER_CPU}): raw SQL p50 {s['p50']:.3f}"
                f" p90 {s['p90']:.3f} p99 {s['p99']:.3f} max {s['max']:.2f} ms (rows "
                f"{raw['rows']}); app without HTTP p50 {a['total']['p50']:.3f} p99 "
                f"{a['total']['p99']:.3f} ms = session {a['session']['p50']:.3f} + feed "
                f"{a['feed']['p50']:.3f} + JSON {a['json']['p50']:.3f} (p50s)"
            )
        if args.profile:
            profile_feed(app, feed, args)
        log(
            f"\nquery plan ({name}) after the runs, reader {readers[1]}:\n"
            + worker.ask("explain", viewer=readers[1])["plan"]
        )
        return {
            "backend": name,
            "seed_seconds": db.seeded.seconds,
            "size": _size(db),
            "results": {k: [asdict(r) for r in v] for k, v in results.items()},
            "query": summarise_query(rounds),
        }


def report(out: dict[str, Any], args: argparse.Namespace) -> None:
    name = out["backend"]
    med = statistics.median
    table = Table(
        [
            "endpoint",
            "load",
            "runs",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "errors",
            "server CPU ms/req",
            "PG+Redis cores",
            "late",
            "touches/run",
            "max other load",
        ]
    )
    verdicts = []
    for key, runs in out["results"].items():
        label, mode = key.split("|")
        p50, p99 = med(r["p50"] for r in runs), med(r["p99"] for r in runs)
        touches = [r["touches"] for r in runs if r["touches"] is not None]
        table.add(
            label,
            mode,
            len(runs),
            f"{med(r['rps'] for r in runs):.1f}",
            f"{p50:.2f}",
            f"{med(r['p90'] for r in runs):.2f}",
            f"{p99:.2f}",
            f"{max(r['max'] for r in runs):.2f}",
            sum(r["errors"] for r in runs),
            f"{med(r['server_ms_per_request'] for r in runs):.2f}",
            f"{med(r['database_cpu'] for r in runs):.2f}",
            sum(r["late"] for r in runs) if mode.startswith("open") else "",
            f"{med(touches):.0f}" if touches else "",
            f"{max(r['other_cpu'] for r in runs):.2f}",
        )
        if label == "GET /api/v1/feed" and mode.startswith("open"):
            ok50, ok99 = p50 <= TARGET_P50_MS, p99 <= TARGET_P99_MS
            verdicts.append(
                f"target, feed at {args.connections} readers, {mode}: p50 <= {TARGET_P50_MS:g} ms"
                f" {'met' if ok50 else 'MISSED'} ({p50:.2f}); p99 <= {TARGET_P99_MS:g} ms "
                f"{'met' if ok99 else 'MISSED'} ({p99:.2f})"
            )
    log(
        f"\n{name}: medians over runs (max ms: the largest of all runs; late and errors: "
        "sums over runs)"
    )
    log(table.render())
    q = Table(["in process, core 0, one at a time", "p50 ms", "p90 ms", "p99 ms"])
    names = {
        "raw": "the feed statement, plain driver (raw SQL)",
        "app session": "app: session lookup (access_viewer)",
        "app feed": "app: check_read_feed (feed mark + the statement + ORM rows)",
        "app json": "app: FeedOut to JSON",
        "app total": "app: all three (the request without HTTP)",
        "app what-if core": "what-if: the same page as Core rows of the needed columns",
        "app what-if prebuilt": "what-if: the app's statement built once, bound parameters",
    }
    for key, row in out["query"].items():
        q.add(names[key], f"{row['p50']:.3f}", f"{row['p90']:.3f}", f"{row['p99']:.3f}")
    log(f"\n{name}: the query in the same run (medians over rounds of each round's percentile)")
    log(q.render())
    log(f"seeded in {out['seed_seconds']:.0f} s; database {out['size']}")
    for verdict in verdicts:
        log(verdict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--connections", type=int, default=50, choices=range(1, 257))
    parser.add_argument(
        "--rates",
        type=float,
        nargs="+",
        default=[1.0, 2.0],
        help="reads per second per reader (connection), open loop",
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--reader-accounts", type=int, default=1_000)
    parser.add_argument("--sql-samples", type=int, default=2_000, help="raw executions a round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the seeded data for --reuse")
    parser.add_argument(
        "--reuse", action="append", default=[], help="a directory printed by --keep (repeatable)"
    )
    parser.add_argument("--drop", type=Path, help="remove a kept seed (and its database), exit")
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=4, choices=range(1, 11))
    parser.add_argument("--load-limit", type=float, default=0.5, help="1-min load average")
    parser.add_argument("--load-wait", type=float, default=600)
    parser.add_argument(
        "--variant",
        type=Variant.parse,
        action="append",
        default=[],
        help="also read the feed (open loop) from a what-if server in the same runs: "
        "LABEL:BENCH_KNOB=VALUE,... (whatif_app.py), e.g. notouch:BENCH_TOUCH=off",
    )
    parser.add_argument(
        "--feed-only",
        action="store_true",
        help="only the open-loop feed rows (app and variants): for quick what-if runs",
    )
    parser.add_argument("--profile", type=float, default=0, help="py-spy the server N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "/tmp/tools/bin/py-spy")
    parser.add_argument("--json", type=Path, help="also write every run here")
    args = parser.parse_args()
    if args.drop:
        drop_reused(args.drop)
        return
    if not 1 <= args.seconds <= 120 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1..120 and --warmup 0..60")
    check_tools()
    stop_cleanly_on_sigterm()
    pin_load_generator()
    log("machine:")
    print_machine()
    log("  load generator: this process on core 1 (uvloop, open loop) and wrk (closed loop)")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    outputs = [bench_backend(name, args) for name in names]
    for out in outputs:
        report(out, args)
    if args.json:
        args.json.write_text(json.dumps(outputs, indent=1))


if __name__ == "__main__":
    main()
