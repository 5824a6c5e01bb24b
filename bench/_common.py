"""Shared parts of the benchmarks: machine facts, a pinned server, test data, and wrk runs.

Everything here talks to 127.0.0.1 only, every wait is bounded, and every server or database
this module starts is stopped or dropped by the context manager that made it.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
SERVER_CPU = "0"
LOAD_CPU = "1"
HOST = "127.0.0.1"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/14"
RATE_LIMIT_PREFIX = "socialode-limits"
PASSWORD = "quiet-harbour-lantern-47"  # a benchmark account, not a secret
ADMIN_PASSWORD = "amber-orchard-violin-82"
GENEROUS = "1000000/minute"  # rate limits raised so the benchmark measures work, not refusals

# Printed by wrk after each run; parsed below. Latencies are in microseconds.
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write,
    e.status, e.timeout))
  if threads then  -- scripts that count status codes per thread (see STATUS_LUA)
    for _, t in ipairs(threads) do
      for code, n in pairs(t:get("statuses") or {}) do
        io.write(string.format("WRK_STATUS %s %d\\n", tostring(code), n))
      end
    end
  end
end
"""

# Optional: count responses by status code (costs a little wrk CPU per response).
STATUS_LUA = """
threads = {}
setup = function(thread) table.insert(threads, thread) end
statuses = {}
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
"""


def log(message: str) -> None:
    print(message, flush=True)


# Machine -----------------------------------------------------------------------------------


def machine_description() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    versions = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "import importlib.metadata as m; print(' '.join(f'{p}=={m.version(p)}' for p in "
            "('uvicorn','uvloop','httptools','starlette','fastapi','SQLAlchemy','aiosqlite',"
            "'psycopg','Jinja2','limits','redis','argon2-cffi')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
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
    return {
        "code": f"{head}{' (src/ has uncommitted changes)' if dirty else ''}",
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": subprocess.run(
            [str(PYTHON), "-VV"], capture_output=True, text=True, check=True
        ).stdout.strip(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "packages": versions.stdout.strip(),
    }


def print_machine() -> None:
    for key, value in machine_description().items():
        log(f"  {key}: {value}")


# Servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def http(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    assert url.startswith(f"http://{HOST}:"), url
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@dataclass
class Server:
    """One uvicorn worker on SERVER_CPU; stopped when its `running` block ends."""

    app: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    app_dir: Path | None = None
    health_path: str = "/healthz"
    access_log: bool = False
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        cmd = ["taskset", "-c", SERVER_CPU, str(VENV_BIN / "uvicorn"), self.app]
        cmd += ["--host", HOST, "--port", str(self.port), "--workers", "1"]
        if self.access_log:  # as `socialode serve` runs it: one INFO line per request
            cmd += ["--log-level", "info"]
        else:
            cmd += ["--log-level", "warning", "--no-access-log"]
        if self.app_dir is not None:
            cmd += ["--app-dir", str(self.app_dir)]
        return cmd

    @contextlib.contextmanager
    def running(self, startup_timeout: float = 60) -> Iterator[Server]:
        fd, name = tempfile.mkstemp(prefix="socialode-bench-server-", suffix=".log")
        self.log_path = Path(name)
        env = {**os.environ, **self.env, "SOCIALODE_BASE_URL": self.url}
        with os.fdopen(fd, "wb") as out:
            self.process = subprocess.Popen(
                self.command(), env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
            )
        try:
            self._wait_ready(startup_timeout)
            yield self
        finally:
            self.stop()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.tail()}")
            with contextlib.suppress(OSError):
                status, _ = http("GET", self.url + self.health_path, timeout=2)
                if status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        if self.log_path is not None:
            self.report_errors()
            self.log_path.unlink(missing_ok=True)

    def report_errors(self) -> None:
        """Print what the server logged about failed requests (exceptions), once each."""
        assert self.log_path is not None
        if not self.log_path.exists():
            return
        lines = self.log_path.read_text(errors="replace").splitlines()
        if not any(line.startswith("Traceback") for line in lines):
            return
        counts: dict[str, int] = {}
        for n, line in enumerate(lines):
            if line.startswith("Traceback"):
                # The exception line ends the traceback: the next line not indented.
                end = next((m for m in range(n + 1, len(lines)) if not lines[m].startswith(" ")), n)
                counts[lines[end]] = counts.get(lines[end], 0) + 1
        log(f"server {self.app} logged {sum(counts.values())} exception(s):")
        for message, count in counts.items():
            log(f"  {count} x {message[:300]}")


@dataclass
class Variant:
    """A what-if server (bench/whatif_app.py) measured in the same run as the real one."""

    label: str
    env: dict[str, str]
    access_log: bool = False

    @classmethod
    def parse(cls, spec: str) -> Variant:
        """LABEL:KEY=VALUE,...; keys are whatif_app's BENCH_* knobs or ACCESS_LOG=1."""
        label, _, settings = spec.partition(":")
        variant = cls(label.strip() or spec, {})
        for item in filter(None, settings.split(",")):
            key, _, value = item.partition("=")
            if key == "ACCESS_LOG":
                variant.access_log = value == "1"
            elif key.startswith("BENCH_"):
                variant.env[key] = value
            else:
                raise ValueError(f"unknown variant setting {key!r} in {spec!r}")
        return variant

    def server(self, env: dict[str, str]) -> Server:
        return Server("whatif_app:app", env | self.env, app_dir=BENCH, access_log=self.access_log)


# Backends and test data --------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    env: dict[str, str]
    data_dir: Path
    database: str | None = None  # the PostgreSQL database, when there is one

    def connections_opened(self) -> int | None:
        """PostgreSQL sessions established to the benchmark database so far (None on SQLite).

        PostgreSQL counts a session when its backend flushes statistics (at exit, or within
        about a second of a transaction), so read it a moment after a run.
        """
        if self.database is None:
            return None
        out = subprocess.run(
            ["psql", PG_ADMIN_URL, "-At", "-v", f"db={self.database}"],
            input="SELECT sessions FROM pg_stat_database WHERE datname = :'db';\n",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if out.returncode != 0:  # e.g. the server is out of connection slots
            log(f"  (could not read PostgreSQL statistics: {out.stderr.strip()[:200]})")
            return None
        return int(out.stdout.strip() or 0)


def _pg(sql: str) -> None:
    subprocess.run(
        ["psql", PG_ADMIN_URL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        check=True,
        timeout=60,
    )


def _clear_redis_limits() -> None:
    """Delete this app's rate-limit keys from the benchmark's Redis database (14) only."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=10)
    try:
        keys = list(client.scan_iter(match=f"{RATE_LIMIT_PREFIX}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()


@contextlib.contextmanager
def backend(name: str, extra_env: dict[str, str] | None = None) -> Iterator[Backend]:
    """A fresh, migrated database ("sqlite" or "postgres"), removed afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"socialode-bench-{name}-"))
    env = {
        "SOCIALODE_DATA_DIR": str(data_dir),
        "SOCIALODE_RATE_LOGIN_ACCOUNT": GENEROUS,
        "SOCIALODE_RATE_LOGIN_CLIENT": GENEROUS,
        "SOCIALODE_RATE_SIGNUP_CLIENT": GENEROUS,
        **(extra_env or {}),
    }
    database = f"socialode_bench_{os.getpid()}"
    created = False
    try:
        if name == "postgres":
            _pg(f"CREATE DATABASE {database}")
            created = True
            env["SOCIALODE_DATABASE_URL"] = f"postgresql+psycopg://postgres@{HOST}:5432/{database}"
            env["SOCIALODE_REDIS_URL"] = REDIS_URL
            _clear_redis_limits()
        elif name != "sqlite":
            raise ValueError(name)
        cli(env, "db", "upgrade")
        cli(
            {**env, "SOCIALODE_ADMIN_PASSWORD": ADMIN_PASSWORD},
            "admin",
            "create",
            "--handle",
            "benchadmin",
            "--email",
            "a@example.org",
            "--display-name",
            "Admin",
        )
        yield Backend(name, env, data_dir, database if created else None)
    finally:
        if name == "postgres":
            with contextlib.suppress(Exception):
                _clear_redis_limits()
        if created:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "socialode"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"socialode {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def create_members(server: Server, count: int) -> list[tuple[str, str]]:
    """Sign up `count` members through invites and the API; returns (handle, session_token)."""
    members = []
    for n in range(count):
        link = cli(server.env | {"SOCIALODE_BASE_URL": server.url}, "invites", "create").strip()
        token = link.rstrip("/").rsplit("/", 1)[-1]
        handle = f"member{n:02d}"
        status, body = http(
            "POST",
            server.url + "/api/v1/auth/signup",
            {
                "invite_token": token,
                "handle": handle,
                "display_name": f"Member {n}",
                "email": f"{handle}@example.org",
                "password": PASSWORD,
                "timezone": "Europe/Berlin",
            },
        )
        if status != 201:
            raise RuntimeError(f"signup of {handle} answered {status}: {body[:300]!r}")
        session_token = json.loads(body)["session_token"]
        status, body = http(
            "PATCH",
            server.url + "/api/v1/me",
            {
                "bio": "Gardener, slow reader, occasional baker of bread.",
                "pronouns": "they/them",
                "interests": ["gardening", "books", "bread"],
            },
            headers={"Authorization": f"Bearer {session_token}"},
        )
        if status != 200:
            raise RuntimeError(f"profile update of {handle} answered {status}: {body[:300]!r}")
        members.append((handle, session_token))
    return members


# CPU accounting ----------------------------------------------------------------------------
# This machine is shared: other sessions may run test suites on the same two cores. Each run
# therefore waits (bounded) for a quiet machine first and then reports how much CPU the server
# used and how much went to anything other than the server and wrk.

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    busy = user + nice + system + irq + softirq + steal
    return busy / TICK, (busy + idle + iowait) / TICK


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def database_cpu() -> float:
    """CPU seconds of the PostgreSQL and Redis servers, including exited PostgreSQL backends.

    Live processes named postgres/redis-server count with their own time; the postmaster also
    adds the time of children it has reaped, so connections that came and went still count.
    """
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name not in ("postgres", "redis-server"):
            continue
        fields = text.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICK
        if name == "postgres" and fields[1] == "1":  # the postmaster: add reaped backends
            total += (int(fields[13]) + int(fields[14])) / TICK
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for_quiet(max_wait: float, threshold: float = 0.15, window: float = 1.0) -> float:
    """Wait until the whole machine is nearly idle for `window` seconds (at most `max_wait`).

    Called between runs, when our own servers are idle, so any load seen is someone else's.
    Returns the seconds waited; gives up (and lets the run go ahead, flagged) after max_wait.
    """
    started = time.monotonic()
    while True:
        busy0, _ = machine_busy()
        time.sleep(window)
        busy1, _ = machine_busy()
        load = (busy1 - busy0) / window  # in cores
        waited = time.monotonic() - started
        if load <= threshold or waited >= max_wait:
            if load > threshold:
                log(f"  (machine still busy: {load:.2f} cores after {waited:.0f} s; running)")
            return waited
        time.sleep(1)


# Load generation ---------------------------------------------------------------------------


@dataclass
class WrkResult:
    label: str
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    raw: str
    discarded: bool = False
    attempt: int = 1
    error_detail: str = ""
    statuses: dict[str, int] = field(default_factory=dict)
    server_cpu: float = 0.0  # cores used by the server process during the run
    database_cpu: float = 0.0  # cores used by PostgreSQL and Redis (anyone's use of them)
    other_cpu: float = 0.0  # cores used by everything else except wrk: other people's load
    server_cpu_ms_per_request: float = 0.0


def wrk(
    label: str,
    url: str,
    seconds: float,
    connections: int = 20,
    headers: Sequence[str] = (),
    lua: str = "",
    timeout_s: int = 5,
    server_pids: Sequence[int] = (),
) -> WrkResult:
    """One closed-loop wrk run (one thread, `connections` connections) pinned to LOAD_CPU."""
    assert url.startswith(f"http://{HOST}:"), url
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + "\n" + REPORT_LUA)
    try:
        cmd = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}"]
        cmd += [f"-d{seconds:g}s", f"--timeout={timeout_s}s", "--latency", "-s", script.name]
        for header in headers:
            cmd += ["-H", header]
        cmd.append(url)
        busy0, total0 = machine_busy()
        server0 = sum(process_cpu(pid) for pid in server_pids)
        db0 = database_cpu()
        wrk0 = children_cpu()
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
        busy1, total1 = machine_busy()
        server1 = sum(process_cpu(pid) for pid in server_pids)
        db1 = database_cpu()
        wrk1 = children_cpu()
    finally:
        os.unlink(script.name)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    match = re.search(r"^WRK_JSON (.*)$", done.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no report from wrk:\n{done.stdout}\n{done.stderr}")
    data = json.loads(match.group(1))
    errors = sum(
        data[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    wall = max(1e-9, (total1 - total0) / (os.cpu_count() or 1))
    server_cpu, db_cpu = server1 - server0, db1 - db0
    other = (busy1 - busy0) - server_cpu - db_cpu - (wrk1 - wrk0)
    return WrkResult(
        label=label,
        requests=data["requests"],
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=errors,
        error_detail=", ".join(
            f"{k} {data[k]}"
            for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
            if data[k]
        ),
        raw=done.stdout.strip(),
        statuses={
            code: int(n) for code, n in re.findall(r"^WRK_STATUS (\S+) (\d+)$", done.stdout, re.M)
        },
        server_cpu=server_cpu / wall,
        database_cpu=db_cpu / wall,
        other_cpu=max(0.0, other) / wall,
        server_cpu_ms_per_request=1000 * server_cpu / max(1, data["requests"]),
    )


def print_run(result: WrkResult, run: int) -> None:
    log(
        f"  run {run}  {result.label:<30} {result.rps:8.1f} req/s  p50 {result.p50_ms:7.2f} ms"
        f"  p90 {result.p90_ms:7.2f}  p99 {result.p99_ms:7.2f}  max {result.max_ms:7.2f} ms"
        f"  err {result.errors}  server {result.server_cpu:4.2f} cores"
        f" ({result.server_cpu_ms_per_request:.3f} ms/req)  db {result.database_cpu:4.2f}"
        f"  other {result.other_cpu:4.2f}{'  DISCARDED (other load)' if result.discarded else ''}"
        + (f"\n         errors: {result.error_detail}" if result.errors else "")
        + (f"\n         status codes: {result.statuses}" if set(result.statuses) - {"200"} else "")
    )


def measured_run(
    label: str,
    url: str,
    seconds: float,
    connections: int,
    headers: Sequence[str],
    server_pids: Sequence[int],
    run: int,
    quiet: Quiet,
    lua: str = "",
) -> WrkResult:
    """A run on a quiet machine: wait for quiet, run, and repeat (bounded) when someone else
    used more than `quiet.max_other` cores meanwhile. Every attempt is printed; the last one
    is kept (and flagged in its line when it, too, was disturbed)."""
    for attempt in range(1, quiet.attempts + 1):
        wait_for_quiet(quiet.wait)
        result = wrk(label, url, seconds, connections, headers, lua, server_pids=server_pids)
        disturbed = result.other_cpu > quiet.max_other
        result.discarded = disturbed and attempt < quiet.attempts
        result.attempt = attempt
        print_run(result, run)
        if not disturbed:
            return result
    log(f"  (run {run} of {label} kept although disturbed: {result.other_cpu:.2f} other cores)")
    return result


@dataclass
class Quiet:
    """How hard to try for undisturbed runs on a shared machine."""

    wait: float = 60  # max seconds to wait for an idle machine before each attempt
    max_other: float = 0.15  # cores of other people's load tolerated during a run
    attempts: int = 4  # attempts per run before keeping a disturbed one


@dataclass
class Summary:
    label: str
    runs: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms_per_request: float
    max_other_cpu: float
    database_cpu: float


def summarise(label: str, results: Sequence[WrkResult]) -> Summary:
    return Summary(
        label=label,
        runs=len(results),
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
        server_cpu_ms_per_request=statistics.median(r.server_cpu_ms_per_request for r in results),
        max_other_cpu=max(r.other_cpu for r in results),
        database_cpu=statistics.median(r.database_cpu for r in results),
    )


def print_summary_table(title: str, rows: Sequence[Summary]) -> None:
    log(f"\n{title}")
    log(
        "| endpoint | runs | req/s | p50 ms | p99 ms | server CPU ms/req | PG+Redis cores "
        "| errors | max other load (cores) |"
    )
    log("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        log(
            f"| {row.label} | {row.runs} | {row.rps:.1f} | {row.p50_ms:.2f} | "
            f"{row.p99_ms:.2f} | {row.server_cpu_ms_per_request:.3f} | {row.database_cpu:.2f} | "
            f"{row.errors} | {row.max_other_cpu:.2f} |"
        )


# Profiling (optional: needs py-spy, e.g. `pip install py-spy` into any virtualenv) -----------

IDLE_LEAVES = ("SimpleQueue.get", "Queue.get", "Condition.wait", "_worker (concurrent")
STDLIB_LIKE = ("<", "asyncio/", "concurrent/", "threading.py", "contextlib.py", "queue.py")


def profile_server(py_spy: str, pid: int, seconds: float, gil: bool) -> Path:
    """Sample the server with py-spy (pinned next to wrk) for `seconds`; returns the raw file."""
    out = Path(tempfile.mkstemp(prefix="socialode-bench-pyspy-", suffix=".txt")[1])
    cmd = ["taskset", "-c", LOAD_CPU, py_spy, "record", "-p", str(pid), "-d", f"{seconds:g}"]
    cmd += ["-r", "100", "-f", "raw", "-o", str(out)] + (["--gil"] if gil else [])
    subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def _package(frame: str) -> str:
    where = frame.rsplit("(", 1)[-1].rstrip(")")
    if where.endswith(".html") or ".html:" in where:
        return "jinja2 (templates)"
    if where.startswith(STDLIB_LIKE) or "/" not in where:
        return ""
    return where.split("/", 1)[0]


def summarise_profile(path: Path, top: int = 12) -> str:
    """Samples by package (innermost non-stdlib frame) and the heaviest functions inclusive."""
    by_package: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = idle = 0
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        stack, count_text = line.rsplit(" ", 1)
        count = int(count_text)
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        if frames[-1].startswith(IDLE_LEAVES):
            idle += count
            continue
        total += count
        package = next((p for p in map(_package, reversed(frames)) if p), "stdlib/event loop")
        by_package[package] = by_package.get(package, 0) + count
        for frame in set(frames):
            if frame.split("(")[-1].startswith(("socialode/", "argon2/")):
                inclusive[frame] = inclusive.get(frame, 0) + count
    lines = [f"  {total} busy samples ({idle} idle thread samples dropped)", "  by package:"]
    for name, count in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"    {100 * count / max(1, total):5.1f}%  {name}")
    lines.append("  heaviest socialode/argon2 functions (inclusive; SQLAlchemy's greenlet")
    lines.append("  frames appear as separate stacks, so DB work is under 'sqlalchemy' above):")
    for name, count in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"    {100 * count / max(1, total):5.1f}%  {name}")
    return "\n".join(lines)


def stop_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so servers, databases and temp dirs are still removed."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def check_tools() -> None:
    for tool in ("wrk", "taskset", "psql"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed (apt-get install -y wrk util-linux postgresql-client)")
    if (os.cpu_count() or 1) < 2:
        sys.exit("the benchmarks pin server and load generator to two different cores")
