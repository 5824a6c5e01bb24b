"""Shared parts of the live-stream benchmarks (fanout.py, sends.py, idle_sockets.py).

- a minimal WebSocket client (an asyncio.Protocol): it timestamps each frame with
  time.perf_counter() the moment its bytes arrive, answers pings, and can offer
  permessage-deflate the way browsers do. It is far cheaper per frame than a full client
  library, so the load generator's own work adds as little as possible to the latencies.
- the servers: the app (`socialode.asgi:app`) and the floor (`floor_broadcast:app`), each one
  uvicorn worker pinned to core 0, with a chosen uvicorn WebSocket implementation;
- test data through bench/_seed_live.py (the app's actions, in a subprocess);
- CPU accounting of a run and the idle-machine wait shared with the other benchmarks.

The benchmark process itself is the load generator: it pins itself to core 1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _common import (
    BENCH,
    GENEROUS,
    HOST,
    LOAD_CPU,
    PYTHON,
    ROOT,
    SERVER_CPU,
    VENV_BIN,
    Quiet,
    Server,
    database_cpu,
    log,
    machine_busy,
    process_cpu,
    wait_for_quiet,
)

WS_MAX_SIZE = 64 * 1024  # what `socialode serve` passes (settings.stream_max_frame_bytes)
# The uvicorn WebSocket implementations. `socialode serve` runs websockets-sansio (also what
# uvicorn 0.54's "auto" picks) with per-message compression off.
WS_IMPLS = ("websockets-sansio", "websockets", "wsproto")
WSPROTO_DIR = Path("/tmp/socialode-bench-wsproto")  # pip install --target (not the venv)
# Settings of the benchmark servers: large groups, many connections, no message rate limit.
LIVE_ENV = {
    "SOCIALODE_GROUP_MAX_MEMBERS": "1000",
    "SOCIALODE_MAX_CONNECTIONS": "5000",
    "SOCIALODE_RATE_MESSAGES": GENEROUS,
    "SOCIALODE_RATE_CONNECTION_REQUESTS": GENEROUS,
}
# Only the seeding process hashes passwords: at Argon2id's minimum cost, to seed quickly.
SEED_ENV = {"SOCIALODE_ARGON2_MEMORY_KIB": "8192", "SOCIALODE_ARGON2_TIME_COST": "1"}
DEFLATE_OFFER = "permessage-deflate; client_max_window_bits"  # what Chromium and Firefox send
TAIL = b"\x00\x00\xff\xff"
CONNECT_TIMEOUT = 30.0


# The load generator --------------------------------------------------------------------------


def pin_load_generator() -> None:
    """Run this process (the load generator) on core 1 only; servers get core 0."""
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def run_async(coro: Any) -> Any:
    import uvloop

    return uvloop.run(coro)


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# A minimal WebSocket client ------------------------------------------------------------------

OnMessage = Callable[["WsClient", bytes, float], None]


class HandshakeError(Exception):
    pass


class WsClient(asyncio.Protocol):
    """One client socket. `on_message(client, data, t)` gets every complete text/binary message
    with t = time.perf_counter() taken when the bytes that completed it arrived."""

    def __init__(
        self,
        host: str,
        path: str,
        headers: Sequence[str] = (),
        deflate: bool = False,
        on_message: OnMessage | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        self.host, self.path, self.headers, self.deflate = host, path, headers, deflate
        self.on_message: OnMessage = on_message or WsClient._await_ready
        self.handshake: asyncio.Future[None] = loop.create_future()
        self.ready: asyncio.Future[bytes] = loop.create_future()  # the first message
        self.closed: asyncio.Future[int | None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.inflate: Any = None
        self.inflate_reset = False
        self.fragments: list[bytes] = []
        self.compressed = False
        self.close_code: int | None = None
        self.negotiated = ""
        self.tag: Any = None  # for the benchmark's own bookkeeping

    @staticmethod
    def _await_ready(client: WsClient, data: bytes, _t: float) -> None:
        if not client.ready.done():
            client.ready.set_result(data)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  (uvloop's is not a subclass)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: {self.host}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            *self.headers,
        ]
        if self.deflate:
            lines.append(f"Sec-WebSocket-Extensions: {DEFLATE_OFFER}")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        if not self.upgraded and not self._upgrade():
            return
        self._frames(now)

    def _upgrade(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end]).decode("latin-1")
        del self.buffer[: end + 4]
        status, *lines = head.split("\r\n")
        if status.split(" ")[1:2] != ["101"]:
            self._fail(HandshakeError(status))
            return False
        for line in lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-extensions":
                self.negotiated = value.strip()
        if "permessage-deflate" in self.negotiated:
            self.inflate = zlib.decompressobj(-15)
            self.inflate_reset = "server_no_context_takeover" in self.negotiated
        self.upgraded = True
        self.handshake.set_result(None)
        return True

    def _frames(self, now: float) -> None:
        buf = self.buffer
        pos, size = 0, len(buf)
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length, head = b1 & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if size - pos < head + length:
                break
            payload = bytes(buf[pos + head : pos + head + length])
            pos += head + length
            opcode = b0 & 0x0F
            if opcode in (0, 1, 2):
                if opcode:
                    self.fragments, self.compressed = [payload], bool(b0 & 0x40)
                else:
                    self.fragments.append(payload)
                if b0 & 0x80:
                    message = b"".join(self.fragments)
                    self.fragments = []
                    if self.compressed:
                        message = self.inflate.decompress(message + TAIL)
                        if self.inflate_reset:
                            self.inflate = zlib.decompressobj(-15)
                    self.on_message(self, message, now)
            elif opcode == 9:  # ping
                self._send(0xA, payload)
            elif opcode == 8:  # close
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self._send(0x8, payload[:2])
                if self.transport is not None:
                    self.transport.close()
        del buf[:pos]

    def _send(self, opcode: int, payload: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        n = len(payload)
        if n < 126:
            header = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = (
            (
                int.from_bytes(payload, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")
            ).to_bytes(n, "big")
            if n
            else b""
        )
        self.transport.write(header + mask + masked)

    def send_text(self, text: str) -> None:
        self._send(0x1, text.encode())

    def _fail(self, error: Exception) -> None:
        for future in (self.handshake, self.ready):
            if not future.done():
                future.set_exception(error)
                future.exception()  # retrieved: no "never retrieved" warning when unused
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError(f"closed ({self.close_code})"))
        if not self.closed.done():
            self.closed.set_result(self.close_code)

    async def close(self) -> None:
        """Send a close frame and wait (2 s at most) for the server to close."""
        if self.transport is None or self.closed.done():
            return
        self._send(0x8, (1000).to_bytes(2, "big"))
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), 2)
        except TimeoutError:
            self.transport.abort()


async def open_socket(
    port: int,
    path: str,
    headers: Sequence[str] = (),
    deflate: bool = False,
) -> WsClient:
    """Connect, upgrade and wait for the server's first message (the `ready` frame)."""
    loop = asyncio.get_running_loop()
    host = f"{HOST}:{port}"
    _, client = await asyncio.wait_for(
        loop.create_connection(lambda: WsClient(host, path, headers, deflate), HOST, port),
        CONNECT_TIMEOUT,
    )
    first = await asyncio.wait_for(client.ready, CONNECT_TIMEOUT)
    if b'"ready"' not in first:
        raise HandshakeError(f"expected a ready frame, got {first[:200]!r}")
    return client


async def open_many(
    count: int,
    port: int,
    path_and_headers: Callable[[int], tuple[str, Sequence[str]]],
    deflate: bool,
    concurrency: int = 64,
) -> list[WsClient]:
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> WsClient:
        path, headers = path_and_headers(n)
        async with gate:
            for attempt in range(3):
                try:
                    return await open_socket(port, path, headers, deflate)
                except (OSError, HandshakeError, TimeoutError):
                    if attempt == 2:
                        raise
                    await asyncio.sleep(0.5)
        raise AssertionError

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def close_all(clients: Sequence[WsClient]) -> None:
    for start in range(0, len(clients), 1000):
        await asyncio.gather(*(c.close() for c in clients[start : start + 1000]))


def app_socket(token: str) -> tuple[str, list[str]]:
    return "/api/v1/stream", [f"Authorization: Bearer {token}"]


def floor_socket(room: str) -> tuple[str, list[str]]:
    return f"/ws?room={room}", []


# Servers -------------------------------------------------------------------------------------


def wsproto_available() -> bool:
    """wsproto is not a project dependency: it is installed into WSPROTO_DIR when wanted."""
    if not (WSPROTO_DIR / "wsproto").is_dir():
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                [
                    str(PYTHON),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--target",
                    str(WSPROTO_DIR),
                    "wsproto",
                ],
                check=True,
                timeout=300,
                capture_output=True,
            )
    return (WSPROTO_DIR / "wsproto").is_dir()


@dataclass
class LiveServer(Server):
    """A uvicorn worker on core 0 with a chosen WebSocket implementation."""

    ws: str = "websockets-sansio"
    deflate: bool = False  # `socialode serve` turns per-message compression off

    def command(self) -> list[str]:
        return [
            *super().command(),
            *("--ws", self.ws, "--ws-max-size", str(WS_MAX_SIZE)),
            *("--ws-per-message-deflate", str(self.deflate)),
        ]

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def app_server(
    env: dict[str, str], ws: str = "websockets-sansio", deflate: bool = False
) -> LiveServer:
    """socialode.asgi:app, as `socialode serve` runs it. Its Redis channel is per database
    (platform/events.channel_for), so the benchmark's database 14 is apart from the tests'."""
    extra = {"PYTHONPATH": str(WSPROTO_DIR)} if ws == "wsproto" else {}
    return LiveServer("socialode.asgi:app", env | extra, ws=ws, deflate=deflate)


def floor_server(ws: str = "websockets-sansio", deflate: bool = False) -> LiveServer:
    extra = {"PYTHONPATH": str(WSPROTO_DIR)} if ws == "wsproto" else {}
    return LiveServer("floor_broadcast:app", extra, app_dir=BENCH, ws=ws, deflate=deflate)


# Test data -----------------------------------------------------------------------------------


def seed(env: dict[str, str], kind: str, *counts: int) -> dict[str, Any]:
    """Run bench/_seed_live.py with the server's settings and return what it printed."""
    return seed_with(env, "_seed_live.py", kind, *map(str, counts))


def seed_with(env: dict[str, str], script: str, *args: str) -> dict[str, Any]:
    """Run a seeding script of bench/ with the server's settings (both cores: it runs before
    any measurement) and return the JSON it printed."""
    started = time.monotonic()
    done = subprocess.run(
        [*("taskset", "-c", f"{SERVER_CPU},{LOAD_CPU}", str(PYTHON)), str(BENCH / script), *args],
        env={**os.environ, **env, **SEED_ENV},
        stdout=subprocess.PIPE,
        stderr=None,
        timeout=3600,
        cwd=ROOT,
        check=False,
    )
    what = " ".join((script, *args))
    if done.returncode != 0:
        raise RuntimeError(f"seeding ({what}) failed ({done.returncode})")
    log(f"seeded ({what}) through the app's actions in {time.monotonic() - started:.0f} s")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# CPU accounting of a run ---------------------------------------------------------------------


@dataclass
class Cpu:
    """Cores used during a run: server(s), PostgreSQL+Redis, this load generator, and the rest
    (other people's work on the shared machine)."""

    wall: float = 0.0
    server: float = 0.0
    server_seconds: float = 0.0
    database: float = 0.0
    load: float = 0.0
    other: float = 0.0


class CpuMeter:
    def __init__(self, pids: Sequence[int]) -> None:
        self.pids = pids
        self.busy0, self.total0 = machine_busy()
        self.server0 = sum(process_cpu(p) for p in pids)
        self.db0 = database_cpu()
        self.own0 = own_cpu()
        self.t0 = time.monotonic()

    def stop(self) -> Cpu:
        busy1, _ = machine_busy()
        server = sum(process_cpu(p) for p in self.pids) - self.server0
        db = database_cpu() - self.db0
        own = own_cpu() - self.own0
        wall = max(1e-9, time.monotonic() - self.t0)
        other = (busy1 - self.busy0) - server - db - own
        return Cpu(wall, server / wall, server, db / wall, own / wall, max(0.0, other) / wall)


async def quiet_attempts(quiet: Quiet) -> AsyncIterator[int]:
    """Attempt numbers for one run; each first waits (bounded) for an idle machine, in a
    thread, so this process keeps answering the servers' pings meanwhile."""
    for attempt in range(1, quiet.attempts + 1):
        await asyncio.to_thread(wait_for_quiet, quiet.wait)
        yield attempt


# Statistics ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def render(self) -> str:
        head = "| " + " | ".join(self.columns) + " |"
        rule = "|" + "|".join("---" if n == 0 else "---:" for n in range(len(self.columns))) + "|"
        return "\n".join([head, rule] + ["| " + " | ".join(r) + " |" for r in self.rows])


def live_machine() -> None:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    packages = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "import importlib.metadata as m; print(' '.join(f'{p}=={m.version(p)}' for p in "
            "('uvicorn','uvloop','httptools','websockets','starlette','fastapi','SQLAlchemy',"
            "'aiosqlite','psycopg','redis')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    auto = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol as P;"
            "print(P.__module__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %ad %s", "--date=iso"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "migrations"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    diff = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "HEAD", "--", "src", "migrations"],
        capture_output=True,
        check=False,
    ).stdout
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "HEAD", "--stat", "--", "src", "migrations"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    fingerprint = hashlib.sha1(diff).hexdigest()[:10] if diff else ""  # noqa: S324
    log(f"  code: {head}")
    if dirty:
        log(f"  src/ has uncommitted changes (diff sha1 {fingerprint}):")
        log("\n".join(f"    {line}" for line in changed.splitlines()))
    log(f"  cpu: {cpu}, nproc {os.cpu_count()}, kernel {platform.release()}")
    log(f"  python: {sys.version.split()[0]} ({PYTHON})")
    log(f"  packages: {packages}")
    log(f"  uvicorn --ws auto (what `socialode serve` uses) resolves to: {auto}")
    log(
        f"  server: taskset -c {SERVER_CPU} {VENV_BIN / 'uvicorn'} ...; load generator: core "
        f"{LOAD_CPU} (this process, uvloop)"
    )


# Profiles ------------------------------------------------------------------------------------


def _short(frame: str) -> str:
    """'func (path/to/module.py:12)' → 'func (module.py)'; keeps the package for site-packages."""
    frame = re.sub(r":\d+\)$", ")", frame)
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    parts = where.split("/")
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif "socialode" in parts:
        parts = parts[parts.index("socialode") :]
    else:
        parts = parts[-2:]
    return f"{name} ({'/'.join(parts)})"


IDLE_NATIVE = ("epoll_pwait", "epoll_wait", "0x")  # with --native: waits, unnamed libc calls


def summarise_pyspy(path: Path, top: int = 25, native: bool = False) -> str:
    """Busy samples of a `py-spy record -f raw` file: where the time is spent (self, by
    package and function) and which functions hold most of it (inclusive)."""
    self_time: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    packages: dict[str, int] = {}
    loop_inclusive: dict[str, int] = {}
    total = loop_total = 0
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if " (" in f]
        if not frames or frames[-1].startswith(IDLE_NATIVE):
            continue  # waiting, not working (native stacks of idle threads and the loop)
        total += count
        leaf = frames[-1]
        self_time[leaf] = self_time.get(leaf, 0) + count
        package = leaf.partition(" (")[2].split("/")[0].rstrip(")")
        packages[package] = packages.get(package, 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        if native and any(f.startswith("run (uvicorn/main.py") for f in frames):
            loop_total += count
            for frame in set(frames):
                loop_inclusive[frame] = loop_inclusive.get(frame, 0) + count
    lines = [
        f"  {total} busy samples (all threads, waits left out)",
        "  self time by package/module:",
    ]
    for name, count in sorted(packages.items(), key=lambda kv: -kv[1])[:15]:
        lines.append(f"    {100 * count / max(1, total):5.1f}%  {name}")
    lines.append("  self time by function:")
    for name, count in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"    {100 * count / max(1, total):5.1f}%  {name}")
    lines.append("  inclusive (socialode, uvicorn, starlette, sqlalchemy, websockets, redis):")
    keep = ("socialode/", "uvicorn/", "starlette/", "sqlalchemy/", "websockets/", "redis/")
    wanted = [(n, c) for n, c in inclusive.items() if any(k in n for k in keep)]
    for name, count in sorted(wanted, key=lambda kv: -kv[1])[:top]:
        lines.append(f"    {100 * count / max(1, total):5.1f}%  {name}")
    if loop_total:  # --native: whole stacks, so the event-loop thread can be read on its own
        lines.append(f"  event-loop thread only ({loop_total} busy samples), inclusive:")
        keep += ("limits/", "gc_collect", "json/", "fastapi/", "asyncio/queues")
        wanted = [(n, c) for n, c in loop_inclusive.items() if any(k in n for k in keep)]
        for name, count in sorted(wanted, key=lambda kv: -kv[1])[: top + 15]:
            lines.append(f"    {100 * count / loop_total:5.1f}%  {name}")
    return "\n".join(lines)


def start_pyspy(
    py_spy: str, pid: int, seconds: float, native: bool = False
) -> tuple[subprocess.Popen[bytes], Path]:
    """Start `py-spy record` on `pid` (itself on core 1) for `seconds`, raw output; with
    `native`, C frames too (zlib, sqlite3, uvloop, the kernel calls they make)."""
    fd, name = tempfile.mkstemp(prefix="socialode-bench-pyspy-", suffix=".txt")
    os.close(fd)
    cmd = ["taskset", "-c", LOAD_CPU, py_spy, "record", "-p", str(pid), "-d", f"{seconds:g}"]
    cmd += ["-r", "200", "-f", "raw", "-o", name]
    # --native needs to stop the process for each sample; without it, sample without stopping
    cmd.append("--native" if native else "--nonblocking")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), Path(name)


def finish_pyspy(
    spy: subprocess.Popen[bytes], out: Path, timeout: float, save: Path | None, native: bool
) -> str:
    try:
        spy.wait(timeout)
        if save is not None:
            shutil.copy(out, save)
        if out.stat().st_size == 0:
            stderr = spy.stderr.read().decode() if spy.stderr else ""
            return f"  (py-spy wrote nothing: {stderr[:300]})"
        return summarise_pyspy(out, native=native)
    finally:
        if spy.poll() is None:
            spy.kill()
        out.unlink(missing_ok=True)


async def pyspy_during(
    py_spy: str,
    pid: int,
    seconds: float,
    work: Any,
    save: Path | None = None,
    native: bool = False,
) -> str:
    """Run the awaitable `work` while py-spy samples `pid` for `seconds`; the summary."""
    spy, out = start_pyspy(py_spy, pid, seconds, native)
    await asyncio.sleep(0.5)
    await work
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, finish_pyspy, spy, out, seconds + 30, save, native)


# One request at a time on a keep-alive connection --------------------------------------


class KeepAlive:
    """One keep-alive connection; each request timed from sending to the last body byte."""

    def __init__(self, server: Server) -> None:
        self.port = urlsplit(server.url).port
        self.connection = HTTPConnection(HOST, self.port, timeout=30)

    def reconnect(self) -> None:
        """A fresh connection, warmed by one untimed request: uvicorn closes one idle for
        5 s (its keep-alive timeout), as during a wait for a quiet machine."""
        self.connection.close()
        self.connection = HTTPConnection(HOST, self.port, timeout=30)
        self.send("GET", "/healthz", {})

    def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        return (time.perf_counter() - started) * 1000, response.status, data

    def close(self) -> None:
        self.connection.close()


def page(token: str) -> dict[str, str]:
    """Headers of a signed-in page request (the session cookie)."""
    return {"Cookie": f"socialode_session={token}", "Accept": "text/html"}


def p50_p95(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[94]
