"""Members, connections and conversations built through the API, for conversation tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from socialode.platform.services import Services
from tests.helpers import bearer, sign_up


@dataclass
class Member:
    handle: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


async def members(client: httpx.AsyncClient, services: Services, *handles: str) -> list[Member]:
    return [Member(h, await sign_up(client, services, h)) for h in handles]


async def connect(client: httpx.AsyncClient, a: Member, b: Member) -> None:
    """Make a and b connected: each asks the other (the second request accepts the first)."""
    for one, other in ((a, b), (b, a)):
        response = await client.post(
            "/api/v1/connections/requests", json={"handle": other.handle}, headers=one.headers
        )
        assert response.status_code == 201, response.text


async def direct(client: httpx.AsyncClient, a: Member, b: Member) -> int:
    response = await client.post(
        "/api/v1/conversations/direct", json={"handle": b.handle}, headers=a.headers
    )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


async def group(client: httpx.AsyncClient, creator: Member, name: str, *others: Member) -> int:
    response = await client.post(
        "/api/v1/conversations/groups",
        json={"name": name, "members": [o.handle for o in others]},
        headers=creator.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def send(
    client: httpx.AsyncClient, who: Member, conversation_id: int, body: str, key: str | None = None
) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"client_key": key or uuid.uuid4().hex, "body": body},
        headers=who.headers,
    )


async def bodies(client: httpx.AsyncClient, who: Member, conversation_id: int) -> list[str]:
    response = await client.get(f"/api/v1/conversations/{conversation_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    return [m["body"] for m in response.json()["messages"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[int]:
    """The app on a real uvicorn (WebSockets need one), inside the test's event loop."""
    port = free_port()
    config = uvicorn.Config(app, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(250):
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


class Stream:
    """A client of /api/v1/stream that records events and can reconnect from its cursor."""

    def __init__(self, port: int, member: Member) -> None:
        self.port = port
        self.member = member
        self.cursor: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self.others: list[dict[str, Any]] = []  # frames about anything but conversations
        self.ws: ClientConnection | None = None

    async def open(self) -> Stream:
        url = f"ws://127.0.0.1:{self.port}/api/v1/stream"
        if self.cursor is not None:
            url += "?cursor=" + urllib.parse.quote(json.dumps(self.cursor))
        self.ws = await ws_connect(url, additional_headers=self.member.headers)
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), 5))
            if frame["type"] == "ready":
                self.cursor = frame["cursor"]
                return self
            self._record(frame)

    def _record(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "event":
            self.events.append(frame)
            assert self.cursor is not None
            self.cursor["c"][str(frame["conversation_id"])] = frame["seq"]

    async def next(self, wait: float = 5) -> dict[str, Any]:
        assert self.ws is not None
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
            if frame["type"] == "event":
                self._record(frame)
            elif frame["type"] not in ("ready", "pong", "ack", "error"):
                self.others.append(frame)
            return dict(frame)

    async def drain(self, quiet: float = 0.3) -> None:
        """Read until nothing arrives for ``quiet`` seconds."""
        with contextlib.suppress(TimeoutError):
            while True:
                await self.next(quiet)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None
