"""The first user journey through the JSON API: waitlist → invite → account → profile → sessions."""

from __future__ import annotations

import httpx

from socialode.config import Settings
from socialode.platform.services import Services
from tests.helpers import PASSWORD, bearer, link_in, make_admin, sent_to, token_of


async def test_whole_journey(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    # Join the waitlist; the place in line arrives by email.
    r = await client.post(
        "/api/v1/waitlist", json={"email": " Ada@Example.org ", "reason": "Family"}
    )
    assert r.status_code == 202
    status_link = link_in((await sent_to(services, "Ada@example.org"))[-1], "/waitlist/status/")
    r = await client.get(f"/api/v1/waitlist/status/{token_of(status_link)}")
    assert r.status_code == 200 and r.json()["place"] == 1

    # An administrator releases the next invite.
    await make_admin(services)
    r = await client.post("/api/v1/auth/login", json={"login": "root_admin", "password": PASSWORD})
    admin = r.json()["session_token"]
    client.cookies.clear()
    r = await client.post("/api/v1/admin/invites/release", json={"count": 5}, headers=bearer(admin))
    assert r.status_code == 200 and r.json() == {"released": 1}

    # The emailed link creates an account.
    invite = token_of(link_in((await sent_to(services, "ada@example.org"))[-1], "/invite/"))
    r = await client.get(f"/api/v1/invites/{invite}")
    assert r.json() == {"valid": True, "email": "Ada@example.org", "invited_by": None}
    r = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": invite,
            "handle": "ada_l",
            "display_name": "Ada",
            "email": "ada@example.org",
            "password": PASSWORD,
            "timezone": "Europe/London",
        },
    )
    assert r.status_code == 201, r.text
    first = r.json()["session_token"]
    assert r.json()["user"]["invites_left"] == settings.member_invites

    # Sign out, sign in again (by email this time).
    client.cookies.clear()
    r = await client.post("/api/v1/auth/logout", headers=bearer(first))
    assert r.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(first))).status_code == 401
    r = await client.post(
        "/api/v1/auth/login", json={"login": "ADA@example.org", "password": PASSWORD}
    )
    assert r.status_code == 200
    second = r.json()["session_token"]
    client.cookies.clear()

    # Edit the profile.
    r = await client.patch(
        "/api/v1/me",
        json={
            "bio": "Engines and poetry.",
            "pronouns": "she/her",
            "interests": ["maths", " Maths", "looms"],
        },
        headers=bearer(second),
    )
    assert r.status_code == 200, r.text
    assert r.json()["interests"] == ["maths", "looms"]

    # A second device; list sessions and end the other one.
    r = await client.post("/api/v1/auth/login", json={"login": "ada_l", "password": PASSWORD})
    third = r.json()["session_token"]
    client.cookies.clear()
    sessions = (await client.get("/api/v1/sessions", headers=bearer(second))).json()["sessions"]
    assert len(sessions) == 2
    other = next(s for s in sessions if not s["current"])
    r = await client.delete(f"/api/v1/sessions/{other['id']}", headers=bearer(second))
    assert r.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(third))).status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 200

    # The invite was single-use.
    assert (await client.get(f"/api/v1/invites/{invite}")).status_code == 404
