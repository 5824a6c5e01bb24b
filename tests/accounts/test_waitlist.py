"""The waitlist: one entry per address, a private place in line, invites in signup order."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import time_machine
from sqlalchemy import select

from socialode.accounts import actions
from socialode.accounts.models import Invite, WaitlistEntry
from socialode.config import Settings
from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.helpers import (
    PASSWORD,
    bearer,
    link_in,
    login,
    make_admin,
    sent_to,
    token_of,
)


async def join(client: httpx.AsyncClient, address: str, reason: str = "") -> httpx.Response:
    return await client.post("/api/v1/waitlist", json={"email": address, "reason": reason})


async def place_of(client: httpx.AsyncClient, services: Services, address: str) -> int | None:
    link = link_in((await sent_to(services, address))[-1], "/waitlist/status/")
    place: int | None = (await client.get(f"/api/v1/waitlist/status/{token_of(link)}")).json()[
        "place"
    ]
    return place


async def test_joining_twice_keeps_one_entry_and_answers_alike(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    first = await join(client, "ada@example.org", "to see family")
    again = await join(client, "  ADA@Example.ORG ", "another reason")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    async with services.db.sessions() as db:
        entries = list((await db.execute(select(WaitlistEntry))).scalars())
    assert len(entries) == 1 and entries[0].reason == "to see family"
    page = await client.post("/waitlist", data={"email": "ADA@example.org"})
    fresh = await client.post("/waitlist", data={"email": "new@example.org"})
    assert page.status_code == fresh.status_code == 200
    assert page.text == fresh.text  # the page never reveals whether the address was known


async def test_place_in_line_and_release_in_signup_order(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    people = [f"p{n}@example.org" for n in range(5)]
    for address in people:
        assert (await join(client, address)).status_code == 202
    assert [await place_of(client, services, a) for a in people] == [1, 2, 3, 4, 5]

    await make_admin(services)
    admin = await login(client, "root_admin")
    r = await client.post("/api/v1/admin/invites/release", json={"count": 2}, headers=bearer(admin))
    assert r.json() == {"released": 2}
    invited = [
        a for a in people if any("/invite/" in m.as_string() for m in (await sent_to(services, a)))
    ]
    assert invited == people[:2]
    # Everyone still waiting moved up; the invited see that their invite went out.
    assert [await place_of(client, services, a) for a in people[2:]] == [1, 2, 3]
    link = link_in((await sent_to(services, people[0]))[0], "/waitlist/status/")
    status = (await client.get(f"/api/v1/waitlist/status/{token_of(link)}")).json()
    assert status["place"] is None and status["invited_at"]

    page = (await client.get("/api/v1/admin/waitlist", headers=bearer(admin))).json()
    assert [e["email"] for e in page["entries"]] == people
    assert page["next"] is None


async def test_release_more_than_waiting_releases_who_is_there(
    client: httpx.AsyncClient, services: Services
) -> None:
    await join(client, "only@example.org")
    async with services.db.sessions() as db:
        assert await actions.do_release_invites(services, db, 10, None) == 1
        assert await actions.do_release_invites(services, db, 10, None) == 0


async def test_released_invites_expire_after_fourteen_days(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await join(client, "late@example.org")
    async with services.db.sessions() as db:
        await actions.do_release_invites(services, db, 1, None)
    token = token_of(link_in((await sent_to(services, "late@example.org"))[-1], "/invite/"))
    with time_machine.travel(utcnow() + timedelta(days=13), tick=False):
        assert (await client.get(f"/api/v1/invites/{token}")).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=14, minutes=1), tick=False):
        assert (await client.get(f"/api/v1/invites/{token}")).status_code == 404


async def test_invite_tokens_are_stored_hashed_with_enough_randomness(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await join(client, "hash@example.org")
    async with services.db.sessions() as db:
        await actions.do_release_invites(services, db, 1, None)
        stored = (await db.execute(select(Invite))).scalar_one()
    token = token_of(link_in((await sent_to(services, "hash@example.org"))[-1], "/invite/"))
    assert len(token) >= 22  # >= 128 bits in URL-safe base64
    assert token not in stored.token_hash and len(stored.token_hash) == 64


async def test_member_invites_skip_the_line_and_are_tied_to_the_issuer(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await make_admin(services)
    admin = await login(client, "root_admin")
    await join(client, "waiting@example.org")
    made = await client.post(
        "/api/v1/me/invites", json={"email": "friend@example.org"}, headers=bearer(admin)
    )
    assert made.status_code == 201
    link = link_in((await sent_to(services, "friend@example.org"))[-1], "/invite/")
    assert made.json()["link"] == link
    r = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": token_of(link),
            "handle": "friend",
            "display_name": "F",
            "email": "friend@example.org",
            "password": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert r.status_code == 201
    mine = (await client.get("/api/v1/me/invites", headers=bearer(admin))).json()["invites"]
    assert [i["state"] for i in mine] == ["used"]
    async with services.db.sessions() as db:
        invite = (await db.execute(select(Invite))).scalar_one()
    assert invite.issued_by_id is not None and invite.used_by_id is not None


async def test_withdrawn_invite_returns_to_the_allowance(
    client: httpx.AsyncClient, services: Services
) -> None:
    await make_admin(services)
    admin = await login(client, "root_admin")
    made = (await client.post("/api/v1/me/invites", json={}, headers=bearer(admin))).json()
    left = (await client.get("/api/v1/me", headers=bearer(admin))).json()["invites_left"]
    r = await client.delete(f"/api/v1/me/invites/{made['id']}", headers=bearer(admin))
    assert r.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(admin))).json()[
        "invites_left"
    ] == left + 1
    assert (await client.get(f"/api/v1/invites/{token_of(made['link'])}")).status_code == 404


@pytest.mark.parametrize("signed", ["garbage", "MQ.forged-signature"])
async def test_forged_status_links_are_not_found(client: httpx.AsyncClient, signed: str) -> None:
    r = await client.get(f"/api/v1/waitlist/status/{signed}")
    assert r.status_code == 404


async def test_first_admin_link_works_once_and_only_while_no_admin(
    client: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.sessions() as db:
        old = await actions.do_create_first_admin_link(services, db)
        link = await actions.do_create_first_admin_link(services, db)
    assert (await client.get(f"/api/v1/invites/{token_of(old)}")).status_code == 404
    r = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": token_of(link),
            "handle": "boss",
            "display_name": "Boss",
            "email": "boss@example.org",
            "password": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert r.status_code == 201 and r.json()["user"]["role"] == "admin"
    async with services.db.sessions() as db:
        later = await actions.do_create_first_admin_link(services, db)
    assert (await client.get(f"/api/v1/invites/{token_of(later)}")).status_code == 404
