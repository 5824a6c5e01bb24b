"""Real app processes: two behind one PostgreSQL + Redis, a Redis outage, and kill -9.

Each server is ``uvicorn socialode.asgi:app`` in its own process, configured only through
``SOCIALODE_*`` variables, as an operator runs it. Test data goes through the servers' HTTP
API (invites are issued through the accounts action, as everywhere in the suite). Every child
process is killed in ``finally``; waits poll with deadlines and no test asserts a duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from socialode import migrate
from socialode.platform.events import Envelope, Hub, channel_for
from socialode.platform.services import Services
from tests import backends
from tests.conftest import clear_tables, make_settings
from tests.conversations.people import (
    Member,
    Stream,
    connect,
    direct,
    free_port,
    group,
    members,
    send,
)

SECRET = "process-test-secret-" + "k" * 32
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ON_POSTGRES = backends.BACKEND == "postgres"
postgres_and_redis = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL + Redis: runs in the SOCIALODE_TEST_BACKEND=postgres pass",
)
needs_redis_server = pytest.mark.skipif(
    not Path(REDIS_SERVER).exists(), reason="redis-server is not installed"
)


async def until(check: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


# -- child processes ------------------------------------------------------------------------
@dataclass
class Server:
    """One app process (``uvicorn socialode.asgi:app``), restartable on the same port."""

    database_url: str
    redis_url: str | None
    data_dir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.data_dir / f"server-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALODE_")}
        env.update(
            SOCIALODE_DATABASE_URL=self.database_url,
            SOCIALODE_DATA_DIR=str(self.data_dir),
            SOCIALODE_SECRET_KEY=SECRET,
            SOCIALODE_BASE_URL=self.url,
            SOCIALODE_RATE_SIGNUP_CLIENT="1000/hour",
            SOCIALODE_RATE_LOGIN_CLIENT="1000/hour",
            SOCIALODE_RATE_MESSAGES="100000/minute",
            SOCIALODE_RATE_CONNECTION_REQUESTS="1000/day",
            SOCIALODE_ARGON2_MEMORY_KIB="8192",
            SOCIALODE_ARGON2_TIME_COST="1",
        )
        if self.redis_url:
            env["SOCIALODE_REDIS_URL"] = self.redis_url
        return env

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "uvicorn", "socialode.asgi:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--ws-max-size", "65536", "--log-level", "warning"]
        command += ["--no-access-log", "--timeout-graceful-shutdown", "2"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, env=self.env(), stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    async def ready(self) -> None:
        deadline = time.monotonic() + 60  # start-up on a loaded machine can be slow
        async with httpx.AsyncClient(base_url=self.url, timeout=2) as client:
            while True:
                assert self.proc is not None and self.proc.poll() is None, self.tail()
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        return
                assert time.monotonic() < deadline, f"server never became ready:\n{self.tail()}"
                await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or the OOM killer."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    async def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc.wait()


@dataclass
class RedisServer:
    """A private redis-server (never the machine's shared one), killable and restartable."""

    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def spawn(self) -> subprocess.Popen[bytes]:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    async def start(self) -> None:
        self.proc = self.spawn()
        deadline = time.monotonic() + 10
        while not await self._pong():
            assert self.proc.poll() is None, "redis-server exited (port taken?)"
            assert time.monotonic() < deadline, "redis-server did not answer PING"
            await asyncio.sleep(0.02)

    async def _pong(self) -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            await writer.drain()
            return (await asyncio.wait_for(reader.readline(), 2)).startswith(b"+PONG")
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()


async def subscribers(redis_url: str) -> int:
    """How many app processes listen on the events channel of this Redis."""
    client = Redis.from_url(redis_url)
    try:
        channel = channel_for(redis_url)
        return int(dict(await client.pubsub_numsub(channel)).get(channel.encode(), 0))
    finally:
        await client.aclose()


async def until_subscribed(redis_url: str, count: int) -> None:
    deadline = time.monotonic() + 20
    while await subscribers(redis_url) < count:
        assert time.monotonic() < deadline, f"fewer than {count} hubs subscribed to Redis"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running(*servers: Server) -> AsyncIterator[None]:
    try:
        for server in servers:
            server.start()
        for server in servers:
            await server.ready()
        yield
    finally:
        for server in servers:
            await server.stop()


# -- stream clients ---------------------------------------------------------------------------
def message_bodies(stream: Stream, conversation_id: int) -> list[str]:
    return [
        e["message"]["body"]
        for e in stream.events
        if e["conversation_id"] == conversation_id and e["kind"] == "message"
    ]


async def live_message(stream: Stream, conversation_id: int, body: str) -> dict[str, Any]:
    """Read this socket (no reconnect) until the message's event arrives; other frames pass."""
    deadline = time.monotonic() + 15
    while True:
        frame = await stream.next(max(0.1, deadline - time.monotonic()))
        if (
            frame["type"] == "event"
            and frame["conversation_id"] == conversation_id
            and frame.get("message", {}).get("body") == body
        ):
            return frame


class Follower:
    """A stream client that, whenever the server closes it, reconnects from its cursor."""

    def __init__(self, port: int, member: Member) -> None:
        self.stream = Stream(port, member)
        self.closes: list[int | None] = []
        self.connects = 0
        self.ready = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> Follower:
        self._task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        while True:
            try:
                await self.stream.open()
            except (OSError, TimeoutError, WebSocketException):
                await self._drop()
                await asyncio.sleep(0.05)  # the server is unreachable: try again
                continue
            self.connects += 1
            self.ready = True
            try:
                while True:
                    await self.stream.next(3600)
            except ConnectionClosed as closed:
                self.ready = False
                self.closes.append(closed.rcvd.code if closed.rcvd else None)
                await self._drop()

    async def _drop(self) -> None:
        with contextlib.suppress(Exception):
            await self.stream.close()
        self.stream.ws = None

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._drop()


# -- 1. two processes, one PostgreSQL, one Redis -----------------------------------------------
@pytest.mark.slow
@postgres_and_redis
async def test_a_message_sent_through_one_process_arrives_live_on_the_other(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    one = Server(database_url, backends.REDIS_URL, tmp_path / "one")
    two = Server(database_url, backends.REDIS_URL, tmp_path / "two")
    async with running(one, two), httpx.AsyncClient(base_url=one.url, timeout=10) as api:
        await until_subscribed(backends.REDIS_URL, 2)
        ada, bob = await members(api, services, "ada_p", "bob_p")
        await connect(api, ada, bob)
        conversation = await direct(api, ada, bob)
        ada_s = await Stream(one.port, ada).open()
        bob_s = await Stream(two.port, bob).open()
        try:
            sent = await send(api, ada, conversation, "sent through process one")
            assert sent.status_code == 201, sent.text
            event = await live_message(bob_s, conversation, "sent through process one")
            assert event["seq"] == sent.json()["seq"] and event["notify"] is True

            async with httpx.AsyncClient(base_url=two.url, timeout=10) as api_two:
                back = await send(api_two, bob, conversation, "sent through process two")
            assert back.status_code == 201, back.text
            event = await live_message(ada_s, conversation, "sent through process two")
            assert event["seq"] == back.json()["seq"]

            # The socket's own send frame on process two, acknowledged after its commit.
            assert bob_s.ws is not None
            key = uuid.uuid4().hex
            frame = {"type": "send", "conversation_id": conversation, "client_key": key}
            await bob_s.ws.send(json.dumps({**frame, "body": "a socket frame on two"}))
            event = await live_message(ada_s, conversation, "a socket frame on two")
            assert event["actor"]["handle"] == "bob_p"
            ack = await bob_s.next()
            while ack.get("type") != "ack":
                ack = await bob_s.next()
            assert ack["client_key"] == key and ack["seq"] == event["seq"]
        finally:
            await ada_s.close()
            await bob_s.close()


# -- 2. Redis stops, sends go on, Redis returns ------------------------------------------------
@pytest.mark.slow
@postgres_and_redis
@needs_redis_server
async def test_redis_outage_loses_nothing_and_live_delivery_resumes(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    redis = RedisServer()
    one = Server(database_url, redis.url, tmp_path / "one")
    two = Server(database_url, redis.url, tmp_path / "two")
    followers: list[Follower] = []
    try:
        await redis.start()
        async with running(one, two):
            await until_subscribed(redis.url, 2)
            api_one = httpx.AsyncClient(base_url=one.url, timeout=10)
            api_two = httpx.AsyncClient(base_url=two.url, timeout=10)
            try:
                async with api_one, api_two:
                    await _outage(api_one, api_two, services, one, two, redis, followers)
            finally:
                for follower in followers:  # before the servers go
                    await follower.stop()
    finally:
        redis.kill()


async def _outage(
    api_one: httpx.AsyncClient,
    api_two: httpx.AsyncClient,
    services: Services,
    one: Server,
    two: Server,
    redis: RedisServer,
    followers: list[Follower],
) -> None:
    # Every account first: sign-ups count against a Redis rate limit that fails closed.
    ada, bob, cy = await members(api_one, services, "ada_r", "bob_r", "cy_r")
    await connect(api_one, ada, bob)
    await connect(api_one, ada, cy)
    walks = await group(api_one, ada, "Walks", bob, cy)
    pair = await direct(api_one, ada, bob)
    sent: dict[int, list[str]] = {walks: [], pair: []}

    async def post(api: httpx.AsyncClient, who: Member, conversation_id: int, body: str) -> None:
        response = await send(api, who, conversation_id, body)
        assert response.status_code == 201, response.text  # acknowledged = committed
        sent[conversation_id].append(body)
        detail = await api.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert body in [m["body"] for m in detail.json()["messages"]]

    bob_f = Follower(two.port, bob).start()  # on the other process than the senders
    cy_f = Follower(one.port, cy).start()  # on the same process as ada's sends
    followers += [bob_f, cy_f]
    await until(lambda: bob_f.ready and cy_f.ready, "both sockets ready")
    await post(api_one, ada, walks, "before the outage")
    await post(api_one, ada, pair, "before, one to one")
    await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "live before outage")

    redis.kill()
    # Both hubs lost Redis: their sockets are closed with 1012 (service restart).
    await until(lambda: bool(bob_f.closes) and bool(cy_f.closes), "sockets closed on loss")
    assert bob_f.closes[0] == 1012, bob_f.closes
    assert cy_f.closes[0] == 1012, cy_f.closes
    for i in range(3):
        await post(api_one, ada, walks, f"during the outage {i}")
        await post(api_one, ada, pair, f"during the outage, one to one {i}")
    await until(lambda: bob_f.ready and cy_f.ready, "sockets back while Redis is down")
    for i in range(3, 6):
        await post(api_one, ada, walks, f"during the outage {i}")
        await post(api_one, ada, pair, f"during the outage, one to one {i}")
    await post(api_two, bob, walks, "during the outage, through process two")

    closes = (len(bob_f.closes), len(cy_f.closes))
    await redis.start()  # same port, empty
    # Back on Redis, each hub has its sockets resume once more (they may have missed events).
    await until(
        lambda: len(bob_f.closes) > closes[0] and len(cy_f.closes) > closes[1],
        "sockets closed when the hubs got Redis back",
    )
    assert bob_f.closes[-1] == 1012 and cy_f.closes[-1] == 1012, (bob_f.closes, cy_f.closes)
    await until(lambda: bob_f.ready and cy_f.ready, "sockets back after Redis returned")
    assert await subscribers(redis.url) == 2

    # Live again, in both directions between the processes, on the same sockets.
    connects = (bob_f.connects, cy_f.connects)
    await post(api_one, ada, pair, "after Redis is back")
    await post(api_two, bob, walks, "after Redis is back, through process two")
    await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "bob live after")
    await until(lambda: message_bodies(cy_f.stream, walks) == sent[walks], "cy live after")
    await until(lambda: message_bodies(bob_f.stream, walks) == sent[walks], "bob's group")
    assert (bob_f.connects, cy_f.connects) == connects, "delivered by a reconnect, not live"

    # Exactly once and in order on every socket, and the same as the server stored.
    for stream in (bob_f.stream, cy_f.stream):
        seen = [(e["conversation_id"], e["seq"]) for e in stream.events]
        assert len(seen) == len(set(seen)), "an event arrived twice"
    assert message_bodies(bob_f.stream, walks) == sent[walks]
    assert message_bodies(bob_f.stream, pair) == sent[pair]
    assert message_bodies(cy_f.stream, walks) == sent[walks]
    for conversation_id, bodies in sent.items():
        detail = await api_two.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert [m["body"] for m in detail.json()["messages"]] == bodies


class Inbox:
    """A hub sink that records what it is handed, standing in for a socket."""

    def __init__(self) -> None:
        self.bodies: list[str] = []
        self.resyncs = 0

    def deliver(self, envelope: Envelope) -> None:
        self.bodies.append(str(envelope.payload["body"]))

    def resync(self) -> None:
        self.resyncs += 1


@pytest.mark.slow
@needs_redis_server
async def test_the_first_publish_after_redis_returns_reaches_the_other_hubs() -> None:
    """Regression: a connection idle in the pool since before the restart failed the first
    publish afterwards, while the other hubs had already resynced: that event was lost live."""
    redis = RedisServer()
    sender, receiver = Hub(redis.url), Hub(redis.url)
    inbox = Inbox()
    receiver.subscribe(7, inbox)
    try:
        await redis.start()
        await sender.start()
        await receiver.start()
        await until_subscribed(redis.url, 2)
        await sender.publish(Envelope([7], {"body": "before"}))
        await until(lambda: inbox.bodies == ["before"], "the first event")
        redis.kill()
        await until(lambda: not sender.connected and not receiver.connected, "hubs see the loss")
        await redis.start()
        await until(lambda: sender.connected and receiver.connected, "hubs back on Redis")
        # Told its client to resume on the loss, on its own return, and when the other hub
        # came back (that hub may have skipped publishing while it was away).
        assert inbox.resyncs >= 2
        await sender.publish(Envelope([7], {"body": "after"}))
        await until(lambda: inbox.bodies == ["before", "after"], "the event after the return")
    finally:
        await sender.close()
        await receiver.close()
        redis.kill()


@pytest.mark.slow
@needs_redis_server
async def test_a_hub_whose_subscription_dropped_still_reaches_the_others() -> None:
    """Redis stays up; only one process's subscription drops (as Redis does to a slow
    subscriber, or while hubs reconnect one after another after an outage). An event sent
    through that process meanwhile must reach the other processes' sockets, or they must be
    told to resume from their cursors."""
    redis = RedisServer()
    sender, receiver = Hub(redis.url), Hub(redis.url)
    inbox = Inbox()
    receiver.subscribe(7, inbox)
    admin = Redis.from_url(redis.url, decode_responses=True)
    try:
        await redis.start()
        await sender.start()
        await until_subscribed(redis.url, 1)
        await receiver.start()
        await until_subscribed(redis.url, 2)
        listeners = [c for c in await admin.client_list() if int(c.get("sub", 0))]
        first = min(listeners, key=lambda c: int(c["id"]))  # the sender's, made first
        await admin.client_kill_filter(_id=first["id"])
        await until(lambda: not sender.connected, "the sender's hub sees its subscription drop")
        await sender.publish(Envelope([7], {"body": "meanwhile"}))
        await until(
            lambda: inbox.bodies == ["meanwhile"] or inbox.resyncs > 0,
            "the event, or a resync, at the other hub",
            seconds=5,
        )
    finally:
        await admin.aclose()
        await sender.close()
        await receiver.close()
        redis.kill()


# -- 3. kill -9 in the middle of a burst of sends --------------------------------------------------
@dataclass
class Attempt:
    key: str
    sender: Member
    conversation_id: int
    channel: str  # "ws" or "http"
    acked: tuple[int, int] | None = None  # (message id, seq) from the ack / 201

    @property
    def body(self) -> str:
        return f"burst {self.key}"


@dataclass
class Burst:
    attempts: list[Attempt] = field(default_factory=list)
    acks: int = 0
    errors: list[str] = field(default_factory=list)

    def begin(self, sender: Member, conversation_id: int, channel: str) -> Attempt:
        attempt = Attempt(uuid.uuid4().hex, sender, conversation_id, channel)
        self.attempts.append(attempt)  # recorded before it leaves: maybe in flight
        return attempt

    def ack(self, attempt: Attempt, message_id: int, seq: int) -> None:
        attempt.acked = (message_id, seq)
        self.acks += 1


def send_frame(attempt: Attempt) -> str:
    return json.dumps(
        {
            "type": "send",
            "conversation_id": attempt.conversation_id,
            "client_key": attempt.key,
            "body": attempt.body,
        }
    )


async def stream_socket(port: int, member: Member) -> ClientConnection:
    ws = await ws_connect(f"ws://127.0.0.1:{port}/api/v1/stream", additional_headers=member.headers)
    while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "ready":
        pass
    return ws


async def ws_sender(port: int, member: Member, targets: list[int], burst: Burst) -> None:
    """Sends pipelined, up to four unacknowledged at a time, until the server dies."""
    pending: dict[str, Attempt] = {}
    room = asyncio.Semaphore(4)
    gone = False

    async def read(ws: ClientConnection) -> None:
        nonlocal gone
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "ack" and frame["client_key"] in pending:
                    burst.ack(pending.pop(frame["client_key"]), frame["message_id"], frame["seq"])
                    room.release()
                elif frame["type"] == "error":
                    burst.errors.append(str(frame))
        gone = True
        for _ in range(8):
            room.release()

    with contextlib.suppress(OSError, ConnectionClosed):
        ws = await stream_socket(port, member)
        reader = asyncio.create_task(read(ws))
        try:
            for i in range(2000):
                await room.acquire()
                if gone:
                    break
                attempt = burst.begin(member, targets[i % len(targets)], "ws")
                pending[attempt.key] = attempt
                await ws.send(send_frame(attempt))
        finally:
            await ws.close()
            await reader


async def http_sender(base_url: str, member: Member, targets: list[int], burst: Burst) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as api:
        for i in range(2000):
            attempt = burst.begin(member, targets[i % len(targets)], "http")
            try:
                response = await send(
                    api, member, attempt.conversation_id, attempt.body, attempt.key
                )
            except httpx.TransportError:
                return
            if response.status_code != 201:
                burst.errors.append(response.text)
                return
            burst.ack(attempt, response.json()["id"], response.json()["seq"])


async def retry(port: int, api: httpx.AsyncClient, attempt: Attempt) -> tuple[int, int, bool]:
    """The same send again, same key, same channel: (message id, seq, created now)."""
    if attempt.channel == "http":
        response = await send(
            api, attempt.sender, attempt.conversation_id, attempt.body, attempt.key
        )
        assert response.status_code in (200, 201), response.text
        return response.json()["id"], response.json()["seq"], response.status_code == 201
    ws = await stream_socket(port, attempt.sender)
    try:
        await ws.send(send_frame(attempt))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame.get("client_key") == attempt.key:
                assert frame["type"] == "ack", frame
                return frame["message_id"], frame["seq"], not frame["duplicate"]
    finally:
        await ws.close()


async def stored_messages(api: httpx.AsyncClient, who: Member, conversation_id: int) -> list[Any]:
    """Every message of the conversation, following the pages back to the first."""
    found: list[Any] = []
    before: int | None = None
    while True:
        params = {"before_seq": before} if before else {}
        response = await api.get(
            f"/api/v1/conversations/{conversation_id}", params=params, headers=who.headers
        )
        assert response.status_code == 200, response.text
        found = response.json()["messages"] + found
        before = response.json()["earlier_before_seq"]
        if before is None:
            return found


@pytest.fixture
def burst_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLite: a file of its own, migrated. PostgreSQL: the suite's test database."""
    if backend == "postgres":
        yield str(request.getfixturevalue("database_url"))
        return
    url = f"sqlite+aiosqlite:///{tmp_path / 'burst.db'}"
    migrate.upgrade(url)
    yield url


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(
            "sqlite",
            marks=pytest.mark.skipif(ON_POSTGRES, reason="runs in the SQLite pass"),
        ),
        pytest.param(
            "postgres",
            marks=pytest.mark.skipif(
                not ON_POSTGRES, reason="runs in the SOCIALODE_TEST_BACKEND=postgres pass"
            ),
        ),
    ],
)
async def test_kill_9_during_a_burst_loses_no_ack_and_duplicates_nothing(
    backend: str, burst_database: str, tmp_path: Path
) -> None:
    redis_url = backends.REDIS_URL if backend == "postgres" else None
    setup = Services.build(make_settings(tmp_path / "setup", burst_database, redis_url=redis_url))
    server = Server(burst_database, redis_url, tmp_path / "server")
    try:
        await clear_tables(setup)
        async with running(server), httpx.AsyncClient(base_url=server.url, timeout=10) as api:
            ada, bob, cy, dee = await members(api, setup, "ada_k", "bob_k", "cy_k", "dee_k")
            await setup.close()  # the server alone holds the database from here
            for other in (bob, cy, dee):
                await connect(api, ada, other)
            crowd = await group(api, ada, "Crowd", bob, cy, dee)
            pair = await direct(api, ada, bob)

            burst = Burst()
            senders = [
                ws_sender(server.port, ada, [crowd, pair], burst),
                ws_sender(server.port, bob, [pair, crowd], burst),
                ws_sender(server.port, cy, [crowd], burst),
                http_sender(server.url, dee, [crowd], burst),
                http_sender(server.url, ada, [pair], burst),
                http_sender(server.url, bob, [crowd], burst),
            ]
            tasks = [asyncio.create_task(s) for s in senders]
            try:
                await until(lambda: burst.acks >= 60 or all(t.done() for t in tasks), "acks")
                assert not any(t.done() for t in tasks), f"a sender stopped early: {burst.errors}"
                server.kill()  # mid-burst: every sender has more to send
                async with asyncio.timeout(30):
                    await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
            assert not burst.errors, burst.errors
            unacked = [a for a in burst.attempts if a.acked is None]
            assert unacked, "the kill came after the burst, not during it"

            server.start()  # the same database, the same port
            await server.ready()
            await _check_after_crash(server, api, burst, ada, [crowd, pair])
    finally:
        await setup.close()
        await server.stop()
    if backend == "sqlite":
        with contextlib.closing(sqlite3.connect(tmp_path / "burst.db")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def _check_after_crash(
    server: Server, api: httpx.AsyncClient, burst: Burst, ada: Member, conversations: list[int]
) -> None:
    before = {c: await stored_messages(api, ada, c) for c in conversations}
    stored = [m for messages in before.values() for m in messages]
    count = {m["body"]: 0 for m in stored}
    for m in stored:
        count[m["body"]] += 1
    # (a) every acknowledged send survived the crash, exactly once, as acknowledged.
    by_body = {m["body"]: m for m in stored}
    for attempt in burst.attempts:
        if attempt.acked is not None:
            assert count.get(attempt.body) == 1, attempt
            assert (by_body[attempt.body]["id"], by_body[attempt.body]["seq"]) == attempt.acked
    # Nothing is stored that nobody sent.
    assert set(count) <= {a.body for a in burst.attempts}

    # (b) retrying any send with its key stores it at most once: acked ones are duplicates.
    for attempt in burst.attempts:
        message_id, seq, created = await retry(server.port, api, attempt)
        if attempt.acked is not None or attempt.body in count:
            assert not created, attempt
            assert message_id == by_body[attempt.body]["id"] and seq == by_body[attempt.body]["seq"]
    after = {c: await stored_messages(api, ada, c) for c in conversations}
    bodies = [m["body"] for messages in after.values() for m in messages]
    assert sorted(bodies) == sorted(a.body for a in burst.attempts), "lost or doubled"

    # (c) per conversation: unique seqs, and an event log without holes that matches them.
    for conversation_id, messages in after.items():
        seqs = [m["seq"] for m in messages]
        assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)
        replay = Stream(server.port, ada)
        replay.cursor = {"c": {str(conversation_id): 0}}
        await replay.open()
        await replay.close()
        events = [e for e in replay.events if e["conversation_id"] == conversation_id]
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), "a hole or repeat"
        detail = await api.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert detail.json()["last_seq"] == len(events)
        assert {(e["seq"], e["message"]["id"]) for e in events if e["kind"] == "message"} == {
            (m["seq"], m["id"]) for m in messages
        }
