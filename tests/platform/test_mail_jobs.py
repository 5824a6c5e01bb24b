"""Every outgoing mail is a ``mail.send`` job: it exists exactly when the write that causes it
does, an SMTP failure is retried with backoff and parked dead after the last attempt, and a
retry of a mail already in the outbox does not write it twice."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import httpx
import pytest
import time_machine
from aiosmtpd.controller import Controller
from sqlalchemy import select

from socialode.platform import jobs as q
from socialode.platform.jobs import jobs
from socialode.platform.mail import MAIL_KIND, MAIL_MAX_ATTEMPTS, enqueue_mail, send_mail
from socialode.platform.services import Services
from socialode.platform.worker import run_due
from tests.helpers import (
    bearer,
    body_of,
    login,
    mail_to,
    make_admin,
    outbox,
    run_jobs,
    sent_to,
    sign_up,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    """``"relay"`` (indirect): mail goes by SMTP to a loopback port where nothing listens
    until the test starts a real SMTP server there."""
    if getattr(request, "param", None) != "relay":
        return {}
    return {"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_starttls": False}


relay = pytest.mark.parametrize("settings_overrides", ["relay"], indirect=True)


class Collect:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(services: Services) -> Iterator[Callable[[], Collect]]:
    """Starts a real SMTP server on the relay port once called: the relay comes back."""
    handler = Collect()
    controllers: list[Controller] = []

    def start() -> Collect:
        controller = Controller(handler, hostname="127.0.0.1", port=services.settings.smtp_port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


async def mail_jobs(services: Services) -> list[Any]:
    async with services.db.sessions() as db:
        rows = await db.execute(select(jobs).where(jobs.c.kind == MAIL_KIND).order_by(jobs.c.id))
        return list(rows.all())


async def test_a_mail_enqueued_in_a_rolled_back_transaction_is_never_sent(
    services: Services,
) -> None:
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Rolled back", "Never sent.")
        await db.rollback()
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Not committed", "Never sent either.")
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Committed", "Sent.")
        await db.commit()
    assert await run_jobs(services) == 1
    assert [m["Subject"] for m in outbox(services.settings)] == ["Committed"]
    assert [j.state for j in await mail_jobs(services)] == ["done"]


async def test_waitlist_invite_and_reset_mails_arrive_only_once_their_jobs_run(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "emmy_n", email_address="emmy@example.org")
    await make_admin(services)
    admin = await login(client, "root_admin")
    joined = await client.post("/api/v1/waitlist", json={"email": "ada@example.org"})
    invited = await client.post(
        "/api/v1/me/invites", json={"email": "friend@example.org"}, headers=bearer(admin)
    )
    reset = await client.post("/api/v1/auth/password-reset", json={"email": "emmy@example.org"})
    assert (joined.status_code, invited.status_code, reset.status_code) == (202, 201, 202)

    assert outbox(services.settings) == [], "the requests answered without sending anything"
    queued = await mail_jobs(services)
    assert [(j.state, j.payload["to"]) for j in queued] == [
        ("ready", "ada@example.org"),
        ("ready", "friend@example.org"),
        ("ready", "emmy@example.org"),
    ]

    assert await run_jobs(services) == 3
    assert "/waitlist/status/" in body_of((await sent_to(services, "ada@example.org"))[0])
    assert invited.json()["link"] in body_of(mail_to(services.settings, "friend@example.org")[0])
    assert "/reset/" in body_of(mail_to(services.settings, "emmy@example.org")[0])
    sent = {m["To"]: m["Message-ID"] for m in outbox(services.settings)}
    assert sent == {j.payload["to"]: j.payload["message_id"] for j in queued}
    assert {j.state for j in await mail_jobs(services)} == {"done"}


async def test_a_retry_after_a_crash_does_not_write_the_same_mail_twice(
    services: Services,
) -> None:
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Once", "Only one copy.")
        await db.commit()
    # A worker claims the job, writes the mail, and dies before recording that it is done.
    async with services.db.sessions() as db:
        (claimed,) = await q.claim(db, "doomed", lease_seconds=5)
    await send_mail(q.JobContext(claimed, services, 5))
    (first,) = services.settings.outbox_dir.glob("*.eml")
    written = first.read_bytes()

    (row,) = await mail_jobs(services)
    assert row.state == "running"
    with time_machine.travel(row.lease_until + timedelta(seconds=1), tick=True):
        ran = await run_due(services)
    assert len(ran.done) == 1 and ran.done[0].attempts == 2, "another worker took it up"
    (again,) = services.settings.outbox_dir.glob("*.eml")
    assert (again.name, again.read_bytes()) == (first.name, written)
    assert message_from_bytes(written)["Message-ID"] == row.payload["message_id"]
    assert [j.state for j in await mail_jobs(services)] == ["done"]


@relay
async def test_an_smtp_failure_is_retried_with_backoff_and_sent_later(
    services: Services, smtp_server: Callable[[], Collect]
) -> None:
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Your invite", "Come in.")
        await db.commit()

    failed = await run_due(services)  # nothing listens on the relay port yet
    assert len(failed.failed) == 1 and not failed.done
    (row,) = await mail_jobs(services)
    assert (row.state, row.attempts) == ("ready", 1)
    assert "SMTPConnectError" in row.last_error
    assert row.run_at - row.created_at >= timedelta(seconds=q.BACKOFF_BASE_SECONDS / 2)
    assert await run_jobs(services) == 0, "not tried again before its backoff"

    received = smtp_server()  # the relay is back
    with time_machine.travel(row.run_at + timedelta(milliseconds=10), tick=True):
        later = await run_due(services)
    assert len(later.done) == 1 and not later.failed
    (message,) = received.messages
    assert message.rcpt_tos == ["ada@example.org"]
    parsed = message_from_bytes(message.content)
    assert parsed["Subject"] == "Your invite"
    assert parsed["Message-ID"] == row.payload["message_id"], "the same mail as queued"
    (done,) = await mail_jobs(services)
    assert (done.state, done.attempts) == ("done", 2)
    assert not services.settings.outbox_dir.exists()


@relay
async def test_a_mail_that_keeps_failing_is_parked_dead_with_its_error(
    client: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.sessions() as db:
        await enqueue_mail(db, "ada@example.org", "Never arrives", "The relay stays down.")
        await db.commit()
    for attempt in range(1, MAIL_MAX_ATTEMPTS + 1):
        (row,) = await mail_jobs(services)
        assert (row.state, row.attempts) == ("ready", attempt - 1)
        with time_machine.travel(row.run_at + timedelta(milliseconds=10), tick=True):
            ran = await run_due(services)
        assert len(ran.failed) == 1, attempt
    (dead,) = await mail_jobs(services)
    assert (dead.state, dead.attempts) == ("dead", MAIL_MAX_ATTEMPTS)
    assert "SMTPConnectError" in dead.last_error
    assert await run_jobs(services) == 0

    await make_admin(services)
    admin = await login(client, "root_admin")
    page = await client.get("/admin", headers=bearer(admin))
    assert "Background jobs that failed" in page.text
    assert f"<td>{MAIL_KIND}</td>" in page.text and "SMTPConnectError" in page.text
