"""The 07:00 wake-up: 10,000 members whose quiet hours end at the same minute, each holding
notifications, released by one worker process: every summary in the app (a live frame) and
by push (to a local push service), against the same number of trivial jobs through the same
worker in the same run.

    .venv/bin/python bench/wakeup.py [--runs 3] [--members 10000] [--held 3]
                                     [--backend sqlite|postgres|both] [--sample 200]
    .venv/bin/python bench/wakeup.py --backend sqlite --runs 1 --members 2000 --profile

Per backend: a fresh database migrated to head (a temporary SQLite file; a new PostgreSQL
database with Redis database 14 for the hub, dropped at the end). Members live in time zones
whose 07:00 is the same UTC instant (Europe/Berlin, Paris, Rome, Oslo, Africa/Lagos in
winter), with the default boundaries (no row: quiet hours 22:00-07:00), one push subscription
each (``http://127.0.0.1:PORT/push/<member>``; all devices share one P-256 key pair to save
seeding time, each has its own auth secret) and ``--held`` notifications of a benchmark kind
(``bench.wave``, live by default, a resolver that shows every row) held through the night.

How the night is made: the first ``--sample`` members get their notifications through the
app at 23:00 local time (``do_notify``, then ``notifications.deliver`` jobs run by a worker
with the clock set to 23:00 by time-machine), which holds them and schedules their release;
the rest are written with bulk SQL as exactly those rows (``held`` notifications, one
``notifications.release`` job per member due at 07:00 with its dedupe key), and the script
checks that the two agree.

The measured part: a child process pinned to core 0 sets the clock to 07:00:00 local (the
release instant; time-machine, ticking) and runs one ``platform.worker.Worker`` (default
batch, lease and poll; in process, as ``socialode worker`` runs it) until every member's
summary frame reached the hub (a sink subscribed for every member) and every push arrived at
the push service: a separate process pinned to core 1 (aiohttp, answers 201, records the
arrival time of each device's first push). Latency is from 07:00:00 (the release jobs'
``run_at``, when quiet hours end) to the frame and to the push's arrival. The baseline, same
process and worker, round-robin in each run: as many no-op jobs as the wake-up runs (releases
plus pushes). Prints each run and the medians over runs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/14"
WORKER_CORE, ENDPOINT_CORE = os.environ.get("BENCH_CORES", "0,1").split(",")
ZONES = ("Europe/Berlin", "Europe/Paris", "Europe/Rome", "Europe/Oslo", "Africa/Lagos")
KIND = "bench.wave"
TARGET_SECONDS = 60.0
GIVE_UP_SECONDS = 900.0


def log(*parts: object) -> None:
    print(*parts, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# The benchmark's notification kind: registered in every process that delivers -------------


def register_bench_kind() -> None:
    from socialode.notifications.registry import Kind, Shown, kind_named, register_kind

    if kind_named(KIND) is not None:
        return

    async def resolve(_db: Any, _viewer: Any, rows: Sequence[Any]) -> dict[int, Any]:
        return {r.id: Shown(f"Member {r.ref[5:]} waved", "/notifications") for r in rows}

    register_kind(Kind(KIND, "Waves", "live", resolve))
    import socialode.notifications.jobs
    import socialode.notifications.push  # noqa: F401 -- registers push.send


def settings(url: str, data_dir: str, redis: str | None) -> Any:
    from socialode.config import Settings

    return Settings(
        database_url=url,
        data_dir=Path(data_dir),
        redis_url=redis,
        secret_key="b" * 48,
        push_allow_local=True,
    )


def release_instant(now: datetime) -> tuple[datetime, list[str]]:
    """The next 07:00 of Europe/Berlin, and the zones whose 07:00 is that same instant."""
    from socialode.platform.clock import next_local_time

    at = next_local_time(ZONES[0], "07:00", now)
    return at, [z for z in ZONES if next_local_time(z, "07:00", at - timedelta(hours=1)) == at]


# The push service: a separate process ------------------------------------------------------


def endpoint_main(port_file: str) -> None:
    """Answer 201 to every push; remember when each device's first one arrived."""
    from aiohttp import web

    arrivals: dict[str, float] = {}
    state: dict[str, Any] = {"duplicates": 0, "bad": 0, "sample": None}

    async def push(request: web.Request) -> web.Response:
        at = time.time()
        body = await request.read()
        key = request.match_info["device"]
        ok = request.headers.get("Content-Encoding") == "aes128gcm" and request.headers.get(
            "Authorization", ""
        ).startswith("vapid t=")
        if not ok:
            state["bad"] += 1
        if key in arrivals:
            state["duplicates"] += 1
        else:
            arrivals[key] = at
        if state["sample"] is None:
            state["sample"] = {"device": key, "body": b64url(body)}
        return web.Response(status=201)

    async def count(_request: web.Request) -> web.Response:
        return web.Response(text=str(len(arrivals)))

    async def report(_request: web.Request) -> web.Response:
        return web.json_response({"arrivals": arrivals, **state})

    async def reset(_request: web.Request) -> web.Response:
        arrivals.clear()
        state.update(duplicates=0, bad=0, sample=None)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/push/{device}", push)
    app.router.add_get("/count", count)
    app.router.add_get("/report", report)
    app.router.add_post("/reset", reset)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    Path(port_file).write_text(str(sock.getsockname()[1]))
    web.run_app(app, sock=sock, print=None, access_log=None, backlog=1024)


@contextmanager
def push_service(tmp: str) -> Iterator[str]:
    port_file = Path(tmp) / "push-port"
    command = [
        "taskset",
        "-c",
        ENDPOINT_CORE,
        sys.executable,
        __file__,
        "--endpoint",
        str(port_file),
    ]
    process = subprocess.Popen(command, cwd=ROOT)
    try:
        for _ in range(200):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def http(method: str, url: str) -> bytes:
    from urllib.request import Request, urlopen

    with urlopen(Request(url, method=method), timeout=30) as answer:
        body: bytes = answer.read()
        return body


# Seeding ----------------------------------------------------------------------------------


def device_keys() -> tuple[str, str]:
    """One P-256 key pair for every device (PEM of the private half, p256dh of the public)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return pem, b64url(point)


async def seed_members(url: str, members: int, origin: str, p256dh: str, zones: list[str]) -> None:
    """Members (default boundaries: no row) with one push subscription each; bulk SQL."""
    from sqlalchemy import insert, select

    from socialode.accounts.models import User
    from socialode.notifications.models import PushSubscription
    from socialode.platform.db import Database

    db = Database(url)
    joined = datetime.now(UTC) - timedelta(days=30)
    users = [
        {
            "handle": f"sleeper{i:05d}",
            "handle_key": f"sleeper{i:05d}",
            "email": f"sleeper{i:05d}@example.org",
            "email_key": f"sleeper{i:05d}@example.org",
            "display_name": f"Sleeper {i}",
            "password_hash": "!",
            "role": "member",
            "timezone": zones[i % len(zones)],
            "created_at": joined,
        }
        for i in range(members)
    ]
    async with db.engine.begin() as conn:
        for start in range(0, members, 5000):
            await conn.execute(insert(User), users[start : start + 5000])
        ids = list((await conn.execute(select(User.id).order_by(User.id))).scalars())
        devices = [
            {
                "user_id": uid,
                "endpoint": f"{origin}/push/{uid}",
                "p256dh": p256dh,
                "auth": b64url(secrets.token_bytes(16)),
                "label": "Phone",
                "created_at": joined,
            }
            for uid in ids
        ]
        for start in range(0, len(devices), 5000):
            await conn.execute(insert(PushSubscription), devices[start : start + 5000])
    await db.dispose()


async def seed_night(
    url: str, data_dir: str, redis: str | None, held: int, sample: int
) -> dict[str, Any]:
    """Everyone's notifications held through the night and their releases scheduled: the
    first ``sample`` members through the app at 23:00 local, the rest as the same rows."""
    import time_machine
    from sqlalchemy import delete, func, insert, select

    from socialode.accounts.models import User
    from socialode.notifications.actions import do_notify
    from socialode.notifications.delivery import RELEASE
    from socialode.notifications.models import HELD, Notification
    from socialode.platform.jobs import jobs
    from socialode.platform.services import Services
    from socialode.platform.worker import Worker

    register_bench_kind()
    at, _zones = release_instant(datetime.now(UTC))
    evening = at - timedelta(hours=8)  # 23:00 local
    services = Services.build(settings(url, data_dir, redis))
    async with services.db.sessions() as db:
        await db.execute(delete(jobs))
        await db.execute(delete(Notification))
        ids = list((await db.scalars(select(User.id).order_by(User.id))).all())
        await db.commit()
    through_app, bulk = ids[:sample], ids[sample:]
    with time_machine.travel(evening, tick=True):
        async with services.db.sessions() as db:
            for n in range(held):
                await do_notify(db, through_app, KIND, f"wave:{n}", None)
            await db.commit()
        worker = Worker(services)
        while await worker.run_once():
            pass
    async with services.db.sessions() as db:
        made = (
            await db.execute(
                select(jobs.c.run_at, jobs.c.dedupe_key, jobs.c.payload, jobs.c.state).where(
                    jobs.c.kind == RELEASE
                )
            )
        ).all()
        states = dict(
            (
                await db.execute(
                    select(Notification.delivery, func.count()).group_by(Notification.delivery)
                )
            ).all()
        )
    expected = {f"release:{u}:{at.isoformat()}" for u in through_app}
    agree = (
        {r.dedupe_key for r in made} == expected
        and all(r.run_at == at and r.state == "ready" for r in made)
        and {r.payload["user"] for r in made} == set(through_app)
        and states == {HELD: held * len(through_app)}
    )
    if not agree:
        raise SystemExit(f"the app's night differs from the bulk one: {made[:3]} {states}")
    rows = [
        {
            "user_id": uid,
            "kind": KIND,
            "ref": f"wave:{n}",
            "actor_id": None,
            "created_at": evening,
            "updated_at": evening,
            "count": 1,
            "delivery": HELD,
        }
        for uid in bulk
        for n in range(held)
    ]
    releases = [
        {
            "kind": RELEASE,
            "payload": {"user": uid},
            "state": "ready",
            "run_at": at,
            "attempts": 0,
            "max_attempts": 5,
            "dedupe_key": f"release:{uid}:{at.isoformat()}",
            "created_at": evening,
        }
        for uid in bulk
    ]
    async with services.db.engine.begin() as conn:
        await conn.execute(jobs.delete().where(jobs.c.kind != RELEASE))  # the deliveries, done
        for start in range(0, len(rows), 5000):
            await conn.execute(insert(Notification), rows[start : start + 5000])
        for start in range(0, len(releases), 5000):
            await conn.execute(jobs.insert(), releases[start : start + 5000])
    if services.db.engine.dialect.name == "postgresql":
        async with services.db.engine.connect() as conn:
            ac = await conn.execution_options(isolation_level="AUTOCOMMIT")
            from sqlalchemy import text

            await ac.execute(text("VACUUM ANALYZE"))
    await services.close()
    return {"at": at.isoformat(), "through_app": len(through_app), "bulk": len(bulk)}


async def seed_noop(url: str, count: int) -> None:
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


# The measured processes --------------------------------------------------------------------


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
    }


async def run_noop(url: str, data_dir: str, redis: str | None, count: int) -> dict[str, Any]:
    """Baseline: ``count`` no-op jobs through the same worker loop."""
    from socialode.platform import jobs
    from socialode.platform.services import Services
    from socialode.platform.worker import Worker

    finished = asyncio.Event()
    done = 0
    last = 0.0

    async def noop(_ctx: jobs.JobContext) -> None:
        nonlocal done, last
        done += 1
        if done >= count:
            last = time.perf_counter()
            finished.set()

    jobs.register("bench.noop", noop)
    services = Services.build(settings(url, data_dir, redis))
    worker = Worker(services)
    cpu = time.process_time()
    start = time.perf_counter()
    worker.start()
    await asyncio.wait_for(finished.wait(), GIVE_UP_SECONDS)
    seconds = last - start
    await worker.close()
    cpu = time.process_time() - cpu
    await services.close()
    return {"jobs": done, "seconds": seconds, "cpu": cpu}


class Frames:
    """A live connection of every member at once: when each one's summary frame arrived."""

    def __init__(self, expected: int, start: float) -> None:
        self.expected, self.start = expected, start
        self.at: dict[int, float] = {}
        self.frames = 0
        self.resyncs = 0
        self.all_in = asyncio.Event()

    def sink(self, user_id: int) -> _Sink:
        return _Sink(self, user_id)

    def arrived(self, user_id: int, envelope: Any) -> None:
        self.frames += 1
        if envelope.payload.get("type") == "notice" and user_id not in self.at:
            self.at[user_id] = time.perf_counter() - self.start
            if len(self.at) >= self.expected:
                self.all_in.set()


class _Sink:
    __slots__ = ("frames", "user_id")

    def __init__(self, frames: Frames, user_id: int) -> None:
        self.frames, self.user_id = frames, user_id

    def deliver(self, envelope: Any) -> None:
        self.frames.arrived(self.user_id, envelope)

    def resync(self) -> None:  # a live client would reload from the database: counted
        self.frames.resyncs += 1


async def run_wakeup(
    url: str, data_dir: str, redis: str | None, origin: str, at_text: str
) -> dict[str, Any]:
    """Set the clock to 07:00:00 local and run one worker until every summary is out."""
    import aiohttp
    import time_machine
    from sqlalchemy import func, select

    from socialode.accounts.models import User
    from socialode.notifications.models import Notification
    from socialode.platform.jobs import jobs
    from socialode.platform.services import Services
    from socialode.platform.worker import Worker

    register_bench_kind()
    services = Services.build(settings(url, data_dir, redis))
    async with services.db.sessions() as db:
        ids = list((await db.scalars(select(User.id))).all())
    at = datetime.fromisoformat(at_text)
    frames = Frames(len(ids), 0.0)
    for uid in ids:
        services.hub.subscribe(uid, frames.sink(uid))
    worker = Worker(services)
    async with aiohttp.ClientSession() as client:
        traveller = time_machine.travel(at, tick=True)
        wall0 = time.time()
        traveller.start()
        frames.start = start = time.perf_counter()
        cpu = time.process_time()
        worker.start()
        await asyncio.wait_for(frames.all_in.wait(), GIVE_UP_SECONDS)
        frames_done = time.perf_counter() - start
        while True:
            async with client.get(f"{origin}/count") as answer:
                if int(await answer.text()) >= len(ids):
                    break
            if time.perf_counter() - start > GIVE_UP_SECONDS:
                raise SystemExit("gave up waiting for the pushes")
            await asyncio.sleep(0.05)
        all_done = time.perf_counter() - start
        await worker.close()
        cpu = time.process_time() - cpu
        traveller.stop()
        async with client.get(f"{origin}/report") as answer:
            report = await answer.json()
    async with services.db.sessions() as db:
        job_states = [
            list(r)
            for r in (
                await db.execute(
                    select(jobs.c.kind, jobs.c.state, func.count()).group_by(
                        jobs.c.kind, jobs.c.state
                    )
                )
            ).all()
        ]
        deliveries = dict(
            (
                await db.execute(
                    select(Notification.delivery, func.count()).group_by(Notification.delivery)
                )
            ).all()
        )
    await services.close()
    pushes = [t - wall0 for t in report["arrivals"].values()]
    return {
        "members": len(ids),
        "frames": frames.frames,
        "resyncs": frames.resyncs,
        "summaries_in_app": len(frames.at),
        "pushes": len(pushes),
        "push_duplicates": report["duplicates"],
        "push_malformed": report["bad"],
        "sample": report["sample"],
        "frames_done": frames_done,
        "all_done": all_done,
        "cpu": cpu,
        "frame_latency": summary(list(frames.at.values())),
        "push_latency": summary(pushes),
        "jobs": job_states,
        "deliveries": deliveries,
    }


def decrypts(sample: dict[str, Any], pem: str, url: str) -> str:
    """The sampled push, decrypted with the device's keys: what the phone would show."""
    import asyncio as _asyncio

    import http_ece
    from cryptography.hazmat.primitives import serialization
    from sqlalchemy import select

    from socialode.notifications.models import PushSubscription
    from socialode.platform.db import Database

    async def auth_of(device: int) -> str:
        db = Database(url)
        async with db.sessions() as s:
            found = await s.scalar(
                select(PushSubscription.auth).where(PushSubscription.user_id == device)
            )
        await db.dispose()
        return str(found)

    secret = _asyncio.run(auth_of(int(sample["device"])))
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    body = base64.urlsafe_b64decode(sample["body"] + "=" * (-len(sample["body"]) % 4))
    plain = http_ece.decrypt(
        body,
        private_key=key,
        auth_secret=base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4)),
        version="aes128gcm",
    )
    return str(plain.decode())


async def run_steps(members: int) -> None:
    """Each kind of the wake-up's jobs on its own, one at a time (no batch around it), on
    SQLite with the push service in its own process: CPU and statements per job."""
    import time_machine
    from sqlalchemy import event

    from socialode import migrate
    from socialode.platform import jobs
    from socialode.platform.services import Services

    register_bench_kind()
    with (
        tempfile.TemporaryDirectory(prefix="bench-wakeup-steps-") as tmp,
        push_service(tmp) as origin,
    ):
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        _pem, p256dh = device_keys()
        at, zones = release_instant(datetime.now(UTC))
        await seed_members(url, members, origin, p256dh, zones)
        await seed_night(url, tmp, None, 3, 1)
        services = Services.build(settings(url, tmp, None))
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(services.db.engine.sync_engine, "before_cursor_execute", count)
        log(f"one job at a time, SQLite, {members} members: CPU per job (loop thread / process)")
        with time_machine.travel(at, tick=True):
            for kind in ("notifications.release", "push.send"):
                async with services.db.sessions() as db:
                    claimed = await jobs.claim(db, "steps", limit=10 * members, kinds=[kind])
                handler = jobs.handler_for(kind)
                statements = 0
                thread, process = time.thread_time(), time.process_time()
                for one in claimed:
                    await handler(jobs.JobContext(one, services, 60.0))
                thread, process = time.thread_time() - thread, time.process_time() - process
                n = len(claimed)
                log(
                    f"  {kind}: {n} jobs, {thread / n * 1000:.2f} / {process / n * 1000:.2f} ms"
                    f" CPU, {statements / n:.1f} statements each (commits not counted)"
                )
        await services.close()


# Orchestration -----------------------------------------------------------------------------


def child(*args: str, profile: bool = False) -> dict[str, Any]:
    """Run this script's ``args`` mode pinned to the worker's core; its last JSON line."""
    command = ["taskset", "-c", WORKER_CORE, sys.executable, __file__, *args]
    env = {**os.environ, "BENCH_PROFILE": "1"} if profile else None
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode:
        sys.stderr.write(out.stderr[-5000:])
        raise SystemExit(f"{args[0]} failed ({out.returncode})")
    lines = out.stdout.strip().splitlines()
    marked = [i for i, line in enumerate(lines) if line.startswith("{")]
    parsed: dict[str, Any] = json.loads(lines[marked[0]])
    if profile:
        log("\n".join(lines[marked[0] + 1 :]))
    return parsed


@contextmanager
def database(backend: str) -> Iterator[tuple[str, str, str | None]]:
    from socialode import migrate

    with tempfile.TemporaryDirectory(prefix="bench-wakeup-") as tmp:
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            migrate.upgrade(url)
            yield url, tmp, None
            return
        import psycopg

        name = f"bench_wakeup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        try:
            migrate.upgrade(url)
            yield url, tmp, REDIS_URL
        finally:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def bench(backend: str, args: argparse.Namespace) -> None:
    log(
        f"\n== {backend}{' + Redis' if backend == 'postgres' else ''}: {args.runs} runs, "
        f"{args.members:,} members x {args.held} held, 1 device each =="
    )
    pem, p256dh = device_keys()
    results: list[dict[str, Any]] = []
    with database(backend) as (url, tmp, redis), push_service(tmp) as origin:
        at, zones = release_instant(datetime.now(UTC))
        log(f"quiet hours end at {at.isoformat()} (07:00 in {', '.join(zones)}); push {origin}")
        started = time.perf_counter()
        asyncio.run(seed_members(url, args.members, origin, p256dh, zones))
        log(f"seeded members and devices in {time.perf_counter() - started:.1f} s")
        for run in range(1, args.runs + 1):
            asyncio.run(seed_noop(url, 2 * args.members))
            base = child("--noop", url, tmp, redis or "", str(2 * args.members))
            started = time.perf_counter()
            night = asyncio.run(seed_night(url, tmp, redis, args.held, args.sample))
            http("POST", f"{origin}/reset")
            seeded = time.perf_counter() - started
            woke = child("--wake", url, tmp, redis or "", origin, night["at"], profile=args.profile)
            woke["baseline"] = base
            results.append(woke)
            ok = (
                woke["summaries_in_app"] == woke["pushes"] == args.members
                and woke["push_duplicates"] == 0
                and woke["push_malformed"] == 0
                and woke["deliveries"] == {"summed": args.members * args.held}
                and all(
                    state == "done"
                    for kind, state, _n in woke["jobs"]
                    if kind in ("notifications.release", "push.send")
                )
            )
            log(
                f"run {run}: night seeded in {seeded:.1f} s ({night['through_app']} members "
                f"through the app, {night['bulk']:,} bulk); baseline {base['jobs']:,} no-op jobs "
                f"in {base['seconds']:.2f} s ({base['jobs'] / base['seconds']:,.0f}/s, "
                f"CPU {base['cpu']:.1f} s); load average {os.getloadavg()[0]:.1f}"
            )
            log(
                f"  wake-up: all {woke['summaries_in_app']:,} summaries in the app after "
                f"{woke['frames_done']:.2f} s, all {woke['pushes']:,} pushes after "
                f"{woke['all_done']:.2f} s; worker CPU {woke['cpu']:.1f} s "
                f"({woke['cpu'] / woke['members'] * 1000:.2f} ms per member)"
            )
            f, p = woke["frame_latency"], woke["push_latency"]
            log(
                f"  in-app frame ms  p50 {ms(f['p50'])}  p95 {ms(f['p95'])}  "
                f"p99 {ms(f['p99'])}  max {ms(f['max'])}"
            )
            log(
                f"  push arrival ms  p50 {ms(p['p50'])}  p95 {ms(p['p95'])}  "
                f"p99 {ms(p['p99'])}  max {ms(p['max'])}"
            )
            log(
                f"  jobs {woke['jobs']}; notifications {woke['deliveries']}; "
                f"checks {'ok' if ok else 'FAILED'}"
            )
            if run == 1:
                log(f"  a push as the device reads it: {decrypts(woke['sample'], pem, url)}")
    med = statistics.median
    base_rate = med(r["baseline"]["jobs"] / r["baseline"]["seconds"] for r in results)
    base_s = med(r["baseline"]["seconds"] for r in results)
    all_done = med(r["all_done"] for r in results)
    log(
        f"median of {len(results)}: all summaries in the app "
        f"{med(r['frames_done'] for r in results):.2f} s, "
        f"all pushes {all_done:.2f} s; in-app p50/p99 "
        f"{ms(med(r['frame_latency']['p50'] for r in results))}/"
        f"{ms(med(r['frame_latency']['p99'] for r in results))} ms; push p50/p95/p99 "
        f"{ms(med(r['push_latency']['p50'] for r in results))}/"
        f"{ms(med(r['push_latency']['p95'] for r in results))}/"
        f"{ms(med(r['push_latency']['p99'] for r in results))} ms; worker CPU "
        f"{med(r['cpu'] for r in results):.1f} s; baseline {2 * args.members:,} no-op jobs "
        f"{base_s:.2f} s ({base_rate:,.0f}/s)"
    )
    verdict = "met" if all_done <= TARGET_SECONDS else "MISSED"
    log(
        f"target: everything within {TARGET_SECONDS:.0f} s on one worker — {verdict} "
        f"({all_done:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--held", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200, help="members held through the app")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile the wake-up process")
    parser.add_argument("--steps", type=int, help="CPU per job, one at a time, N members")
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--noop", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--wake", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.endpoint:
        endpoint_main(args.endpoint)
        return
    if args.steps:
        asyncio.run(run_steps(args.steps))
        return
    if args.noop:
        url, tmp, redis, count = args.noop
        print(json.dumps(asyncio.run(run_noop(url, tmp, redis or None, int(count)))), flush=True)
        return
    if args.wake:
        url, tmp, redis, origin, at = args.wake
        wake = run_wakeup(url, tmp, redis or None, origin, at)
        if not os.environ.get("BENCH_PROFILE"):
            print(json.dumps(asyncio.run(wake)), flush=True)
            return
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.thread_time)  # CPU of the event loop's thread
        result = profiler.runcall(asyncio.run, wake)
        print(json.dumps(result), flush=True)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
        return
    log(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; worker on core {WORKER_CORE}, "
        f"push service on core {ENDPOINT_CORE}; commit {git_head()}"
    )
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        bench(backend, args)


def git_head() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    )
    return out.stdout.strip()


if __name__ == "__main__":
    main()
