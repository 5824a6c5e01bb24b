"""A real Socialode server in a subprocess, Chromium driven by Playwright, and axe-core checks.

The server runs exactly as an operator starts it (``python -m socialode serve``), with its own
data directory and SQLite database, separate from the database of ``tests/conftest.py``.

Playwright's async API is used on purpose: the sync API marks an event loop as running in the
main thread for as long as it is open, and pytest-asyncio's session loop then refuses to run
the async tests that come after the browser tests. The async API shares that session loop.
"""

from __future__ import annotations

import asyncio
import email
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

CHROMIUM = os.environ.get("SOCIALODE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_ADMIN_RE = re.compile(r"(https?://\S+/invite/\S+)")
LINK_RE = re.compile(r"https?://\S+")
STARTUP_SECONDS = 90.0  # a loaded machine (tests running side by side) starts it slowly
MAIL_WAIT_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    data_dir: Path
    log_path: Path
    env: dict[str, str]
    first_admin_link: str

    def url(self, path: str) -> str:
        return self.base_url + path

    async def cli(self, *args: str) -> str:
        """Run the ``socialode`` command against this server's data; returns its output."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "socialode",
            *args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()
        return out.decode()

    def mail_to(self, address: str) -> list[Message]:
        """Messages in the outbox addressed to ``address``, oldest first."""
        paths = sorted((self.data_dir / "outbox").glob("*.eml"))
        found = [email.message_from_bytes(p.read_bytes()) for p in paths]
        return [m for m in found if m["To"].lower() == address.lower()]

    def link_in_mail(self, address: str, path_part: str) -> str:
        """The ``path_part`` link in the newest mail to ``address`` that has one, waiting
        for the server's job worker to send it (mail leaves as a job after the request)."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while True:
            for message in reversed(self.mail_to(address)):
                payload = message.get_payload(decode=True)
                assert isinstance(payload, bytes)
                for link in LINK_RE.findall(payload.decode()):
                    if path_part in link:
                        return str(link)
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} with a {path_part} link")
            time.sleep(0.05)


def _server_env(data_dir: Path, base_url: str) -> dict[str, str]:
    # Drop every SOCIALODE_* setting of the calling shell (Redis, PostgreSQL, SMTP ...):
    # this server uses only its own data directory and SQLite database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALODE_")}
    env.update(
        SOCIALODE_DATA_DIR=str(data_dir),
        SOCIALODE_DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'browser.db'}",
        SOCIALODE_BASE_URL=base_url,
        # Tests play the push service of the browser vendor on loopback (http).
        SOCIALODE_PUSH_ALLOW_LOCAL="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_healthy(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(base_url + "/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not become healthy in {STARTUP_SECONDS}s:\n{log_path.read_text()}")


@contextmanager
def serve_fresh(root: Path) -> Iterator[LiveServer]:
    """A new server on a new database in ``root``, as an operator starts one."""
    data_dir = root / "data"
    log_path = root / "server.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _server_env(data_dir, base_url)
    command = [sys.executable, "-m", "socialode", "serve", "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        try:
            _wait_until_healthy(proc, base_url, log_path)
            # On a fresh database the server prints a one-time link for the first
            # administrator, before it starts listening: the operator's way in.
            found = FIRST_ADMIN_RE.search(log_path.read_text())
            assert found, f"no first-admin link in the server output:\n{log_path.read_text()}"
            yield LiveServer(base_url, data_dir, log_path, env, found.group(1))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session's tests, each with people of its own."""
    with serve_fresh(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server nobody used yet: no administrator, an empty waitlist (first-run journeys)."""
    with serve_fresh(tmp_path_factory.mktemp("fresh")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("SOCIALODE_REQUIRE_SERVICES") == "1":
            pytest.exit(f"{message}, and this run requires it.", returncode=3)
        pytest.skip(f"{message}: browser tests SKIPPED")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


class Devices:
    """Opens browser contexts, each a separate "device" with its own cookies, for one test.

    Every page is watched for uncaught script errors and for anything the pages'
    Content-Security-Policy blocked; the test fails at teardown if there were any.
    """

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    async def open(self, **options: Any) -> Page:
        """A new device (browser context) with one page open."""
        context = await self.browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.on("page", self._watch)
        self.contexts.append(context)
        return await context.new_page()

    def _watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on("console", lambda m: self._console(page, m.text))

    def _console(self, page: Page, text: str) -> None:
        if "Content Security Policy" in text:
            self.problems.append(f"{page.url}: {text}")

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@pytest.fixture
async def devices(browser: Browser) -> AsyncIterator[Devices]:
    opened = Devices(browser)
    yield opened
    await opened.close()
    assert not opened.problems, "\n".join(opened.problems)


@dataclass
class A11yAudit:
    """Runs axe-core on a page and remembers which pages were checked."""

    axe: Axe = field(default_factory=Axe)
    checked: list[str] = field(default_factory=list)

    async def check(self, page: Page, name: str) -> None:
        # Axe is injected through the DevTools protocol (page.evaluate), which the pages'
        # strict Content-Security-Policy does not apply to: no bypass_csp is needed.
        # It needs JavaScript, so it cannot run in a context with JavaScript disabled.
        # A message sliding in is checked once it has arrived, not at a faded mid-step.
        await page.evaluate(
            "Promise.allSettled(document.getAnimations()"
            ".filter((a) => a.effect?.getTiming().iterations !== Infinity)"
            ".map((a) => a.finished))"
        )
        results = await self.axe.run(page)
        assert results.violations_count == 0, f"{name} ({page.url}):\n{results.generate_report()}"
        self.checked.append(name)


@pytest.fixture
def a11y() -> A11yAudit:
    return A11yAudit()
