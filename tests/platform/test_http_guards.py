"""Cross-site protection, security headers and caching rules on every response."""

from __future__ import annotations

import asyncio
import re
import socket as socket_module
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, WebSocket
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from socialode.platform.services import Services
from tests.helpers import PASSWORD, bearer, sign_up, snapshot

CROSS_SITE_HEADERS = [
    {"Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    {"Origin": "null"},
]


@pytest.mark.parametrize("headers", CROSS_SITE_HEADERS)
async def test_cross_site_writes_are_refused(
    client: httpx.AsyncClient, services: Services, headers: dict[str, str]
) -> None:
    await sign_up(client, services, "ada_l")
    before = await snapshot(services)
    for path, kwargs in (
        ("/api/v1/auth/login", {"json": {"login": "ada_l", "password": PASSWORD}}),
        ("/login", {"data": {"login": "ada_l", "password": PASSWORD}}),
        ("/waitlist", {"data": {"email": "x@example.org"}}),
        ("/api/v1/waitlist", {"json": {"email": "x@example.org"}}),
    ):
        response = await client.post(path, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 403, (path, response.text)
        assert "another site" in response.text
        assert "set-cookie" not in response.headers
    assert await snapshot(services) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://testserver"},
        {},  # non-browser clients send neither header
    ],
)
async def test_same_origin_writes_pass(
    client: httpx.AsyncClient, services: Services, headers: dict[str, str]
) -> None:
    await sign_up(client, services, "ada_l")
    response = await client.post(
        "/api/v1/auth/login", json={"login": "ada_l", "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 200


async def test_cross_site_reads_still_work(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200


async def test_websocket_handshake_needs_our_origin(app: FastAPI) -> None:
    @app.websocket("/test-socket")
    async def socket(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("hello")
        await ws.close()

    async with running(app) as port:
        url = f"ws://127.0.0.1:{port}/test-socket"
        async with ws_connect(url, origin=Origin(f"http://127.0.0.1:{port}")) as ws:
            assert await ws.recv() == "hello"
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            with pytest.raises(InvalidStatus) as refused:
                async with ws_connect(url, additional_headers=headers):
                    pass
            assert refused.value.response.status_code == 403


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[int]:
    """The app served by a real uvicorn on a free loopback port, inside this event loop."""
    with socket_module.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def test_pages_send_csp_without_inline_scripts(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "ada_l")
    signed_in = {"Cookie": f"socialode_session={token}"}
    pages = [(p, {}) for p in ("/", "/login", "/reset")] + [
        (p, signed_in) for p in ("/feed", "/u/ada_l", "/settings/profile", "/settings/sessions")
    ]
    for path, headers in pages:
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), path
        assert not re.search(r"\son[a-z]+=", response.text), f"inline handler on {path}"


async def test_signed_in_responses_are_never_cached(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "ada_l")
    for path in ("/feed", "/u/ada_l", "/api/v1/me", "/api/v1/sessions"):
        response = await client.get(path, headers=bearer(token))
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", path


async def test_session_cookie_flags(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "ada_l")
    response = await client.post("/login", data={"login": "ada_l", "password": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # served over plain HTTP here


async def test_session_cookie_is_secure_over_https(services: Services, app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        await sign_up(c, services, "ada_l")
        response = await c.post("/login", data={"login": "ada_l", "password": PASSWORD})
    assert "secure" in response.headers["set-cookie"].lower()


async def test_oversized_bodies_are_refused_before_reading(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/waitlist",
        content=b"x" * 10,
        headers={"content-length": str(50 * 1024 * 1024), "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}
