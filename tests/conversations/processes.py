"""Child processes for the process tests: app servers, a private Redis, and clients that
follow a stream across reconnects."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed, WebSocketException

from socialode.platform.events import channel_for
from tests import backends
from tests.conversations.people import (
    Member,
    Stream,
    free_port,
)

SECRET = "process-test-secret-" + "k" * 32
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ON_POSTGRES = backends.BACKEND == "postgres"
postgres_and_redis = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL + Redis: runs in the SOCIALODE_TEST_BACKEND=postgres pass",
)
# Where services are required (CI), a missing redis-server fails these tests instead.
needs_redis_server = pytest.mark.skipif(
    not Path(REDIS_SERVER).exists() and not backends.REQUIRED,
    reason="redis-server is not installed",
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
        assert Path(REDIS_SERVER).exists(), (
            f"redis-server is required for this run and is not installed ({REDIS_SERVER})"
        )
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

    def freeze(self) -> None:
        """SIGSTOP: it keeps its port and connections and answers nothing, as when it hangs."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGCONT)


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


@dataclass
class Pair:
    """Two app processes sharing the database and a private Redis, with a client for each."""

    redis: RedisServer
    one: Server
    two: Server
    api_one: httpx.AsyncClient
    api_two: httpx.AsyncClient
    followers: list[Follower] = field(default_factory=list)  # stopped before the servers go


@contextlib.asynccontextmanager
async def two_servers_on_private_redis(database_url: str, tmp_path: Path) -> AsyncIterator[Pair]:
    """Both servers subscribed to the private Redis; afterwards the followers a test started
    stop first, then the servers, then Redis (thawed first if a test froze it)."""
    redis = RedisServer()
    one = Server(database_url, redis.url, tmp_path / "one")
    two = Server(database_url, redis.url, tmp_path / "two")
    try:
        await redis.start()
        async with running(one, two):
            await until_subscribed(redis.url, 2)
            api_one = httpx.AsyncClient(base_url=one.url, timeout=10)
            api_two = httpx.AsyncClient(base_url=two.url, timeout=10)
            pair = Pair(redis, one, two, api_one, api_two)
            try:
                async with api_one, api_two:
                    yield pair
            finally:
                redis.thaw()
                for follower in pair.followers:
                    await follower.stop()
    finally:
        redis.thaw()
        redis.kill()


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
