"""Sign-in, sign-up, waitlist and reset are rate limited per account and per client address."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from socialode.platform.services import Services
from tests.helpers import PASSWORD, invite_token, sign_up


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "rate_login_account": "3/minute",
        "rate_login_client": "5/minute",
        "rate_signup_client": "3/minute",
        "rate_waitlist_client": "2/minute",
        "rate_reset_client": "4/minute",
        "rate_reset_account": "2/minute",
    }


def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    retry = int(response.headers["retry-after"])
    assert 1 <= retry <= 60
    text = (
        response.json()["detail"] if "json" in response.headers["content-type"] else response.text
    )
    assert "wait" in text


async def test_login_is_limited_per_account_across_addresses(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "ada_l")
    for n in range(3):
        async with client_at(app, f"198.51.100.{n}") as c:
            r = await c.post(
                "/api/v1/auth/login", json={"login": "ada_l", "password": "nope-nope-1"}
            )
            assert r.status_code == 401
    async with client_at(app, "198.51.100.99") as c:
        # Even the right password waits: the account is being guessed at.
        r = await c.post("/api/v1/auth/login", json={"login": "ADA_L", "password": PASSWORD})
        assert_limited(r)
        r = await c.post("/login", data={"login": "ada_l", "password": PASSWORD})
        assert_limited(r)
    # Another account is unaffected.
    await sign_up(client, services, "grace_h")
    async with client_at(app, "198.51.100.98") as c:
        r = await c.post("/api/v1/auth/login", json={"login": "grace_h", "password": PASSWORD})
        assert r.status_code == 200


async def test_login_is_limited_per_client_address(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    async with client_at(app, "192.0.2.10") as c:
        for n in range(5):
            r = await c.post("/api/v1/auth/login", json={"login": f"who{n}", "password": "x" * 12})
            assert r.status_code == 401
        assert_limited(
            await c.post("/api/v1/auth/login", json={"login": "someone", "password": "x" * 12})
        )
    async with client_at(app, "192.0.2.11") as c:
        r = await c.post("/api/v1/auth/login", json={"login": "someone", "password": "x" * 12})
        assert r.status_code == 401


async def test_signup_is_limited_per_client(app: FastAPI, services: Services) -> None:
    async with client_at(app, "192.0.2.20") as c:
        for _ in range(3):
            r = await c.post(
                "/api/v1/auth/signup",
                json={
                    "invite_token": "forged",
                    "handle": "abc",
                    "display_name": "A",
                    "email": "a@example.org",
                    "password": PASSWORD,
                    "timezone": "UTC",
                },
            )
            assert r.status_code == 404
        token = await invite_token(services)
        r = await c.post(
            "/api/v1/auth/signup",
            json={
                "invite_token": token,
                "handle": "abc",
                "display_name": "A",
                "email": "a@example.org",
                "password": PASSWORD,
                "timezone": "UTC",
            },
        )
        assert_limited(r)


async def test_waitlist_is_limited_per_client(app: FastAPI) -> None:
    async with client_at(app, "192.0.2.30") as c:
        for n in range(2):
            r = await c.post("/api/v1/waitlist", json={"email": f"p{n}@example.org"})
            assert r.status_code == 202
        assert_limited(await c.post("/api/v1/waitlist", json={"email": "p9@example.org"}))
        assert_limited(await c.post("/waitlist", data={"email": "p9@example.org"}))


async def test_reset_is_limited_per_account_and_client(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "ada_l")
    for n in range(2):
        async with client_at(app, f"192.0.2.{40 + n}") as c:
            r = await c.post("/api/v1/auth/password-reset", json={"email": "ada_l@example.org"})
            assert r.status_code == 202
    async with client_at(app, "192.0.2.49") as c:
        assert_limited(
            await c.post("/api/v1/auth/password-reset", json={"email": "ADA_L@example.org"})
        )
    async with client_at(app, "192.0.2.50") as c:
        for n in range(4):
            r = await c.post("/api/v1/auth/password-reset", json={"email": f"x{n}@example.org"})
            assert r.status_code == 202
        assert_limited(
            await c.post("/api/v1/auth/password-reset", json={"email": "x9@example.org"})
        )
