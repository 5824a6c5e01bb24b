"""The real ``socialode`` command, run as an operator would, against a fresh SQLite database.

Each test gets its own data directory and database file (a copy of one migrated template, so
only the schema test pays for migrating). Where a check needs the web side, an app is built in
this process against the same database, as a second process would see it.
"""

from __future__ import annotations

import contextlib
import email
import os
import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import anyio
import httpx
import pytest

from socialode import migrate
from socialode.app import create_app
from socialode.config import Settings
from socialode.schema import metadata
from tests.form_helpers import page_of
from tests.helpers import PASSWORD, body_of, token_of

pytestmark = pytest.mark.once  # the same on every database backend

COMMAND_TIMEOUT = 60
SCRIPT = Path(sys.executable).with_name("socialode")
SOCIALODE = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "socialode"]
BASE_URL = "https://social.example.org"
LINK = re.compile(r"(https?://\S+/invite/[A-Za-z0-9_-]{20,})")


@dataclass
class Instance:
    """One operator's installation: a data directory and its database."""

    data_dir: Path
    db_path: Path

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    def env(self, **extra: str) -> dict[str, str]:
        # Nothing from the caller's SOCIALODE_* settings leaks into the command.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALODE_")}
        env.update(
            SOCIALODE_DATA_DIR=str(self.data_dir),
            SOCIALODE_DATABASE_URL=self.database_url,
            SOCIALODE_BASE_URL=BASE_URL,
        )
        env.update(extra)
        return env

    def count(self, table: str, where: str = "1=1") -> int:
        with contextlib.closing(sqlite3.connect(self.db_path)) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])  # noqa: S608

    def outbox(self) -> list[Message]:
        folder = self.data_dir / "outbox"
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        return [email.message_from_bytes(p.read_bytes()) for p in files]


async def run(instance: Instance, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    with anyio.fail_after(COMMAND_TIMEOUT):
        done = await anyio.run_process(
            [*SOCIALODE, *args],
            env=instance.env(**env),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    result = subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


async def run_together(
    instance: Instance, *commands: tuple[list[str], dict[str, str]]
) -> list[subprocess.CompletedProcess[str]]:
    """Independent commands at the same time (each start-up costs about a second)."""
    results: list[subprocess.CompletedProcess[str] | None] = [None] * len(commands)

    async def one(index: int, args: list[str], env: dict[str, str]) -> None:
        results[index] = await run(instance, *args, **env)

    async with anyio.create_task_group() as group:
        for index, (args, env) in enumerate(commands):
            group.start_soon(one, index, args, env)
    return [r for r in results if r is not None]


@contextlib.asynccontextmanager
async def web(instance: Instance) -> AsyncIterator[httpx.AsyncClient]:
    """The app, built in this process against the instance's database."""
    settings = Settings(
        data_dir=instance.data_dir,
        database_url=instance.database_url,
        redis_url=None,
        base_url="http://testserver",
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await app.state.services.close()


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "socialode.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def instance(tmp_path: Path, migrated_template: Path) -> Instance:
    """A fresh installation whose database is already migrated."""
    created = Instance(tmp_path / "data", tmp_path / "db" / "socialode.db")
    created.db_path.parent.mkdir()
    with (
        contextlib.closing(sqlite3.connect(migrated_template)) as source,
        contextlib.closing(sqlite3.connect(created.db_path)) as target,
    ):
        source.backup(target)
    return created


async def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    fresh = Instance(tmp_path / "data", tmp_path / "new" / "socialode.db")
    result = await run(fresh, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "Database is up to date." in result.stdout
    with contextlib.closing(sqlite3.connect(fresh.db_path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} <= tables
    assert journal == "wal"
    assert migrate.is_up_to_date(fresh.database_url)


async def test_admin_create_makes_an_admin_who_can_sign_in(instance: Instance) -> None:
    result = await run(
        instance,
        "admin",
        "create",
        "--handle",
        "root_op",
        "--email",
        "Op@Example.org",
        "--display-name",
        "The Operator",
        SOCIALODE_ADMIN_PASSWORD=PASSWORD,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Administrator @root_op created."
    assert PASSWORD not in result.stdout + result.stderr
    async with web(instance) as client:
        response = await client.post("/login", data={"login": "ROOT_OP", "password": PASSWORD})
        assert response.status_code == 303
        me = (await client.get("/api/v1/me")).json()
        assert (me["handle"], me["display_name"], me["role"]) == (
            "root_op",
            "The Operator",
            "admin",
        )
        assert page_of(await client.get("/admin")).h1 == "Administration"
    again, link = await run_together(
        instance,
        (
            ["admin", "create", "--handle", "Root_Op", "--email", "other@example.org"],
            {"SOCIALODE_ADMIN_PASSWORD": PASSWORD},
        ),
        (["admin", "link"], {}),
    )
    assert again.returncode != 0
    assert "handle is taken" in again.stderr
    assert instance.count("users") == 1
    assert link.returncode == 0
    assert "An administrator exists already" in link.stdout
    assert not LINK.search(link.stdout)
    assert instance.count("invites") == 0


async def test_admin_create_refuses_bad_input(instance: Instance) -> None:
    cases = [
        ("bad handle!", PASSWORD, "3 to 30 characters"),
        ("r\u043e\u043et_op", PASSWORD, "look-alike"),  # Cyrillic o
        ("root_op", "1234567890", "most common"),
    ]
    results = await run_together(
        instance,
        *(
            (
                ["admin", "create", "--handle", handle, "--email", "op@example.org"],
                {"SOCIALODE_ADMIN_PASSWORD": password},
            )
            for handle, password, _ in cases
        ),
    )
    for (handle, password, words), result in zip(cases, results, strict=True):
        assert result.returncode != 0, handle
        assert words in result.stderr, (handle, result.stderr)
        assert "created" not in result.stdout
        assert password not in result.stdout + result.stderr
    assert instance.count("users") == 0


async def test_invites_create_prints_a_link_and_mails_it(instance: Instance) -> None:
    result, refused = await run_together(
        instance,
        (["invites", "create", "--email", "x@y.org"], {}),
        (["invites", "create", "--email", "broken@"], {}),
    )
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert re.fullmatch(re.escape(BASE_URL) + r"/invite/[A-Za-z0-9_-]{20,}", link), link
    (mail,) = instance.outbox()
    assert mail["To"] == "x@y.org"
    assert link in body_of(mail)
    async with web(instance) as client:
        check = await client.get(f"/api/v1/invites/{token_of(link)}")
        assert check.json() == {"valid": True, "email": "x@y.org", "invited_by": None}
    assert refused.returncode != 0
    assert "does not look right" in refused.stderr
    assert instance.count("invites") == 1
    assert len(instance.outbox()) == 1


async def test_a_mail_the_command_cannot_send_stays_queued_for_the_server(
    instance: Instance,
) -> None:
    closed = free_port()  # nothing listens there: the relay is down
    result = await run(
        instance,
        "invites",
        "create",
        "--email",
        "x@y.org",
        SOCIALODE_SMTP_HOST="127.0.0.1",
        SOCIALODE_SMTP_PORT=str(closed),
        SOCIALODE_SMTP_STARTTLS="false",
    )
    assert result.returncode == 0, result.stderr  # the invite exists; its mail will follow
    link = result.stdout.strip()
    assert re.fullmatch(re.escape(BASE_URL) + r"/invite/[A-Za-z0-9_-]{20,}", link), link
    assert "Could not send 1 email(s) yet" in result.stderr
    assert "socialode serve" in result.stderr and "retries" in result.stderr
    assert instance.count("invites") == 1
    assert instance.count("jobs", "kind = 'mail.send' AND state = 'ready' AND attempts = 1") == 1
    assert instance.outbox() == []


async def test_commands_refuse_links_when_the_address_is_unknown(instance: Instance) -> None:
    """No SOCIALODE_BASE_URL and no server ever ran here: a link would lead nowhere."""
    unknown = {"SOCIALODE_BASE_URL": ""}
    results = await run_together(
        instance,
        (["invites", "create", "--email", "x@y.org"], unknown),
        (["invites", "create"], unknown),
        (["admin", "link"], unknown),
    )
    for result in results:
        assert result.returncode == 2, result
        assert "does not know the address people use to reach it" in result.stderr
        assert "socialode serve" in result.stderr and "SOCIALODE_BASE_URL" in result.stderr
        assert "/invite/" not in result.stdout
    assert instance.count("invites") == 0
    assert instance.outbox() == []


async def test_invites_release_follows_signup_order(instance: Instance) -> None:
    line = ["zoe@example.org", "adam@example.org", "mia@example.org"]
    async with web(instance) as client:
        for address in line:
            joined = await client.post("/api/v1/waitlist", json={"email": address})
            assert joined.status_code == 202
    result, refused = await run_together(
        instance, (["invites", "release", "2"], {}), (["invites", "release", "0"], {})
    )
    assert result.returncode == 0, result.stderr
    assert "Released 2 invite(s)" in result.stdout
    invited = {
        m["To"]: m for m in instance.outbox() if "/invite/" in body_of(m) and m["To"] in line
    }
    assert set(invited) == {"zoe@example.org", "adam@example.org"}, "the two who joined first"
    assert instance.count("waitlist_entries", "invited_at IS NULL") == 1
    assert instance.count("waitlist_entries", "invited_at IS NULL AND email = 'mia@example.org'")
    link = LINK.search(body_of(invited["zoe@example.org"]))
    assert link and link.group(1).startswith(BASE_URL)
    async with web(instance) as client:
        check = await client.get(f"/api/v1/invites/{token_of(link.group(1))}")
        assert check.json() == {"valid": True, "email": "zoe@example.org", "invited_by": None}
    assert refused.returncode != 0
    assert "between 1 and 500" in refused.stderr
    assert instance.count("invites") == 2


async def test_admin_link_creates_the_first_admin_once(instance: Instance) -> None:
    first = await run(instance, "admin", "link")
    second = await run(instance, "admin", "link")
    assert first.returncode == second.returncode == 0
    old, new = (LINK.search(r.stdout) for r in (first, second))
    assert old and new and old.group(1) != new.group(1)
    async with web(instance) as client:
        assert (await client.get(f"/invite/{token_of(old.group(1))}")).status_code == 404, (
            "a newer link replaces the older one"
        )
        page = page_of(await client.get(f"/invite/{token_of(new.group(1))}"))
        assert page.h1 == "Create the first administrator"
        created = await client.post(
            f"/invite/{token_of(new.group(1))}",
            data={
                "handle": "first_admin",
                "display_name": "First",
                "email": "first@example.org",
                "password": PASSWORD,
                "timezone": "UTC",
            },
        )
        assert created.status_code == 303
        assert (await client.get("/api/v1/me")).json()["role"] == "admin"
        # Once an administrator exists, the earlier link is spent and no other one works.
        assert (await client.get(f"/invite/{token_of(new.group(1))}")).status_code == 404


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def test_serve_migrates_and_prints_the_first_admin_link(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"  # nothing there yet: no database, no key
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALODE_")}
    env["SOCIALODE_DATA_DIR"] = str(data_dir)
    process = await anyio.open_process(
        [*SOCIALODE, "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    output = ""
    try:
        assert process.stdout is not None
        with anyio.fail_after(COMMAND_TIMEOUT):
            while not LINK.search(output):
                output += (await process.stdout.receive()).decode()
        assert "Preparing the database" in output
        assert f"Socialode is running at http://127.0.0.1:{port}/" in output
        assert f"Links in emails point to http://127.0.0.1:{port}/" in output
        found = LINK.search(output)
        assert found
        link = found.group(1)
        assert link.startswith(f"http://127.0.0.1:{port}/invite/"), link
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            with anyio.fail_after(COMMAND_TIMEOUT):
                while True:
                    with contextlib.suppress(httpx.TransportError):
                        health = await client.get("/healthz")
                        if health.status_code == 200:
                            break
                    await anyio.sleep(0.1)
            assert health.json() == {"status": "ok"}
            page = page_of(await client.get(link))
            assert page.h1 == "Create the first administrator"
        assert (data_dir / "socialode.db").exists()
        assert migrate.is_up_to_date(f"sqlite+aiosqlite:///{data_dir / 'socialode.db'}")
        # A command run beside the server, with no address configured, links to it.
        beside = Instance(data_dir, data_dir / "socialode.db")
        invited = await run(
            beside, "invites", "create", "--email", "x@y.org", SOCIALODE_BASE_URL=""
        )
        assert invited.returncode == 0, invited.stderr
        assert invited.stdout.strip().startswith(f"http://127.0.0.1:{port}/invite/")
        # The command sends its mail before returning, unless the server's worker took the
        # job first: then the server sends it a moment later.
        with anyio.fail_after(COMMAND_TIMEOUT):
            while True:
                if beside.outbox():
                    break
                await anyio.sleep(0.05)
        (mail,) = beside.outbox()
        assert f"http://127.0.0.1:{port}/invite/" in body_of(mail)
    finally:
        process.terminate()
        with anyio.move_on_after(10):
            await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()
        await process.aclose()
