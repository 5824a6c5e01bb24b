"""Server-side sessions: new on sign-in, ended by sign-out, revocable, cut by password changes."""

from __future__ import annotations

from datetime import timedelta

import httpx
import time_machine

from socialode.config import Settings
from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.helpers import PASSWORD, bearer, link_in, login, sent_to, sign_up, token_of


async def me_status(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/v1/me", headers=bearer(token))).status_code


async def test_each_login_is_a_new_session(client: httpx.AsyncClient, services: Services) -> None:
    first = await sign_up(client, services, "ada_l")
    second = await login(client, "ada_l")
    assert first != second
    sessions = (await client.get("/api/v1/sessions", headers=bearer(second))).json()["sessions"]
    assert {s["current"] for s in sessions} == {True, False}
    assert all(s["device"] for s in sessions)


async def test_end_own_session_but_not_someone_elses(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada = await sign_up(client, services, "ada_l")
    grace = await sign_up(client, services, "grace_h")
    grace_session = (await client.get("/api/v1/sessions", headers=bearer(grace))).json()[
        "sessions"
    ][0]["id"]
    r = await client.delete(f"/api/v1/sessions/{grace_session}", headers=bearer(ada))
    assert r.status_code == 404
    assert await me_status(client, grace) == 200
    r = await client.delete("/api/v1/sessions/999999", headers=bearer(ada))
    assert r.status_code == 404


async def test_password_change_ends_every_other_session(
    client: httpx.AsyncClient, services: Services
) -> None:
    keep = await sign_up(client, services, "ada_l")
    other = await login(client, "ada_l")
    r = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-brand-new-lantern-7"},
        headers=bearer(keep),
    )
    assert r.status_code == 204
    assert await me_status(client, keep) == 200
    assert await me_status(client, other) == 401
    assert await login(client, "ada_l", "a-brand-new-lantern-7")


async def test_password_reset_by_email_ends_all_sessions(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    token = await sign_up(client, services, "ada_l", email_address="ada@example.org")
    r = await client.post("/api/v1/auth/password-reset", json={"email": "ADA@example.org "})
    assert r.status_code == 202
    unknown = await client.post("/api/v1/auth/password-reset", json={"email": "no@example.org"})
    assert unknown.json() == r.json()  # never says whether an account exists
    assert (await sent_to(services, "no@example.org")) == []
    reset = token_of(link_in((await sent_to(services, "ada@example.org"))[-1], "/reset/"))
    r = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": reset, "password": "lantern-river-99"}
    )
    assert r.status_code == 204
    assert await me_status(client, token) == 401
    assert await login(client, "ada_l", "lantern-river-99")
    again = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": reset, "password": "other-river-99"}
    )
    assert again.status_code == 404  # single use


async def test_reset_links_expire_after_an_hour(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await sign_up(client, services, "ada_l", email_address="ada@example.org")
    await client.post("/api/v1/auth/password-reset", json={"email": "ada@example.org"})
    reset = token_of(link_in((await sent_to(services, "ada@example.org"))[-1], "/reset/"))
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        r = await client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": reset, "password": "lantern-river-99"},
        )
    assert r.status_code == 404
    assert "expired" in r.json()["detail"]


async def test_sessions_expire(client: httpx.AsyncClient, services: Services) -> None:
    token = await sign_up(client, services, "ada_l")
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        assert await me_status(client, token) == 401


async def test_web_logout_ends_the_session(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "ada_l")
    r = await client.post("/login", data={"login": "ada_l", "password": PASSWORD})
    cookie = r.cookies["socialode_session"]
    assert (await client.get("/settings/sessions")).status_code == 200
    r = await client.post("/logout")
    assert r.status_code == 303
    assert await me_status(client, cookie) == 401


async def test_last_seen_is_recorded(client: httpx.AsyncClient, services: Services) -> None:
    token = await sign_up(client, services, "ada_l")
    before = (await client.get("/api/v1/sessions", headers=bearer(token))).json()["sessions"][0]
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        await client.get("/api/v1/me", headers=bearer(token))
        after = (await client.get("/api/v1/sessions", headers=bearer(token))).json()["sessions"][0]
    assert after["last_seen_at"] > before["last_seen_at"]
