"""Building test data through the same actions the app uses, and reading the outbox."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import httpx

from socialode.config import Settings
from socialode.platform.services import Services

LINK_RE = re.compile(r"https?://\S+")
PASSWORD = "quiet-harbour-lantern-42"


def outbox(settings: Settings) -> list[Message]:
    folder = settings.outbox_dir
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(Path(folder).glob("*.eml"))]


def mail_to(settings: Settings, address: str) -> list[Message]:
    """What the outbox holds for ``address`` now, oldest first (without running jobs)."""
    return [m for m in outbox(settings) if m["To"].lower() == address.lower()]


async def run_jobs(services: Services) -> int:
    """Run every due job until none is left, as the server's worker would (tests build the
    app without its lifespan, so no worker runs unless a test does this). Returns how many
    ran; failures stay on their jobs."""
    from socialode.platform.worker import run_due

    ran = await run_due(services)
    return len(ran.done) + len(ran.failed)


async def sent_to(services: Services, address: str) -> list[Message]:
    """The mail ``address`` has received once the due jobs have run, oldest first."""
    await run_jobs(services)
    return mail_to(services.settings, address)


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_in(message: Message, path_part: str) -> str:
    for link in LINK_RE.findall(body_of(message)):
        if path_part in link:
            return str(link)
    raise AssertionError(f"no {path_part} link in mail: {body_of(message)}")


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


async def invite_token(services: Services, email_address: str | None = None) -> str:
    from socialode.accounts import actions

    async with services.db.sessions() as db:
        issued = await actions.do_issue_operator_invite(services, db, email_address)
    return token_of(issued.link)


async def sign_up(
    client: httpx.AsyncClient,
    services: Services,
    handle: str,
    *,
    password: str = PASSWORD,
    email_address: str | None = None,
) -> str:
    """A member created through an operator invite and the sign-up API; returns their token."""
    token = await invite_token(services)
    response = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": token,
            "handle": handle,
            "display_name": handle.title(),
            "email": email_address or f"{handle}@example.org",
            "password": password,
            "timezone": "Europe/Berlin",
        },
    )
    assert response.status_code == 201, response.text
    session_token: str = response.json()["session_token"]
    client.cookies.clear()
    return session_token


async def make_admin(services: Services, handle: str = "root_admin") -> None:
    from socialode.accounts import actions

    async with services.db.sessions() as db:
        await actions.check_create_admin(
            services,
            db,
            handle=handle,
            email=f"{handle}@example.org",
            display_name="Admin",
            password=PASSWORD,
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def snapshot(services: Services) -> dict[str, int]:
    """Row counts of every table and the number of mails in the outbox."""
    from sqlalchemy import func, select

    from socialode.schema import metadata

    counts: dict[str, int] = {}
    async with services.db.sessions() as db:
        for table in metadata.sorted_tables:
            counts[table.name] = int(await db.scalar(select(func.count()).select_from(table)) or 0)
    counts["outbox"] = len(outbox(services.settings))
    return counts


async def login(client: httpx.AsyncClient, who: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/login", json={"login": who, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    token: str = response.json()["session_token"]
    return token


@dataclass(frozen=True)
class Member:
    """A member signed up through the API, with the bearer token of their session."""

    handle: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


async def members(client: httpx.AsyncClient, services: Services, *handles: str) -> list[Member]:
    return [Member(h, await sign_up(client, services, h)) for h in handles]


async def make_members(
    client: httpx.AsyncClient, services: Services, n: int, prefix: str = "member"
) -> list[Member]:
    """``n`` new members named ``<prefix>_1`` … ``<prefix>_n``."""
    return await members(client, services, *(f"{prefix}_{i}" for i in range(1, n + 1)))


async def connect(client: httpx.AsyncClient, a: Member, b: Member) -> None:
    """Make a and b connected through the API: a asks, b accepts."""
    sent = await client.post(
        "/api/v1/connections/requests", json={"handle": b.handle}, headers=a.headers
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["outcome"] == "sent", sent.text
    request_id = sent.json()["request"]["id"]
    accepted = await client.post(
        f"/api/v1/connections/requests/{request_id}/accept", headers=b.headers
    )
    assert accepted.status_code == 201, accepted.text
