"""People, pages and network controls for the live conversation browser tests."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from playwright.async_api import Locator, Page, WebSocket, WebSocketRoute, expect

from tests.browser.conftest import Devices, LiveServer

PASSWORD = "amber-orchard-kettle-73"
CONVERSATION_URL = re.compile(r"/conversations/(\d+)(#[\w-]+)?$")
_addresses = itertools.count(1)


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    token: str
    address: str  # where this person's requests come from

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Forwarded-For": self.address}


def new_address() -> str:
    n = next(_addresses)
    return f"10.88.{n // 250}.{n % 250 + 1}"


async def people(server: LiveServer, api: httpx.AsyncClient, *names: str) -> list[Person]:
    """New members: the first through an operator invite, the rest through the first's invites."""
    suffix = uuid.uuid4().hex[:8]
    link = (await server.cli("invites", "create")).strip()
    made: list[Person] = []
    for name in names:
        if made:
            response = await api.post("/api/v1/me/invites", json={}, headers=made[0].headers)
            assert response.status_code == 201, response.text
            link = response.json()["link"]
        made.append(await _sign_up(api, link, f"{name.lower()}_{suffix}", name))
    return made


async def _sign_up(api: httpx.AsyncClient, link: str, handle: str, name: str) -> Person:
    address = new_address()
    response = await api.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": link.rstrip("/").rsplit("/", 1)[1],
            "handle": handle,
            "display_name": name,
            "email": f"{handle}@example.org",
            "password": PASSWORD,
            "timezone": "Europe/Paris",
            "connect": False,  # each test decides who is connected with whom
        },
        headers={"X-Forwarded-For": address},
    )
    assert response.status_code == 201, response.text
    api.cookies.clear()
    return Person(handle, name, response.json()["session_token"], address)


async def connect(api: httpx.AsyncClient, a: Person, b: Person) -> None:
    """Each asks the other: the second request accepts the first."""
    for one, other in ((a, b), (b, a)):
        response = await api.post(
            "/api/v1/connections/requests", json={"handle": other.handle}, headers=one.headers
        )
        assert response.status_code == 201, response.text


async def open_direct(api: httpx.AsyncClient, a: Person, b: Person) -> int:
    response = await api.post(
        "/api/v1/conversations/direct", json={"handle": b.handle}, headers=a.headers
    )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


async def api_send(api: httpx.AsyncClient, who: Person, conversation_id: int, body: str) -> int:
    response = await api.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"client_key": uuid.uuid4().hex, "body": body},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def api_bodies(api: httpx.AsyncClient, who: Person, conversation_id: int) -> list[str]:
    response = await api.get(f"/api/v1/conversations/{conversation_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    return [m["body"] for m in response.json()["messages"]]


async def sign_in(devices: Devices, server: LiveServer, person: Person, **options: Any) -> Page:
    """A browser context of the person's own, signed in through the /login page."""
    page = await devices.open(extra_http_headers={"X-Forwarded-For": person.address}, **options)
    await page.goto(server.url("/login"))
    await page.get_by_label("Handle or email").fill(person.handle)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your people")
    return page


def bodies(page: Page) -> Locator:
    """The texts of the messages shown, in page order."""
    return page.locator("#messages > li[id^='m-'] .body")


def message(page: Page, text: str) -> Locator:
    return page.locator("#messages > li[id^='m-']").filter(has_text=text)


async def send_in_page(page: Page, text: str) -> None:
    await page.get_by_label("Message").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()


async def mark_loaded(page: Page) -> None:
    """Remember this document, to show later that the page was not reloaded."""
    await page.evaluate("window.socialodeTestMark = 'still the same page'")


async def assert_not_reloaded(page: Page) -> None:
    assert await page.evaluate("window.socialodeTestMark") == "still the same page"


def conversation_id_of(page: Page) -> int:
    found = CONVERSATION_URL.search(page.url.split("#", 1)[0])
    assert found, page.url
    return int(found.group(1))


@dataclass
class Frames:
    """Every frame the WebSockets of a page receive, decoded; with ``watch_conversation``
    only the conversation page's socket (``chat.js`` connects with a cursor, the menu's
    socket on other pages does not: a page left just before its socket was ready would
    otherwise add a second ``ready``)."""

    conversation_only: bool = False

    received: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def watch(cls, page: Page) -> Frames:
        frames = cls()
        page.on("websocket", frames._opened)
        return frames

    @classmethod
    def watch_conversation(cls, page: Page) -> Frames:
        frames = cls(conversation_only=True)
        page.on("websocket", frames._opened)
        return frames

    def _opened(self, socket: WebSocket) -> None:
        if not self.conversation_only or "cursor=" in socket.url:
            socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload.decode() if isinstance(payload, bytes) else payload
        self.received.append(json.loads(text))

    def count(self, kind: str) -> int:
        return sum(1 for f in self.received if f.get("type") == kind)

    def bodies(self) -> list[str]:
        return [
            f["message"]["body"]
            for f in self.received
            if f.get("type") == "event" and f.get("message")
        ]


class Network:
    """A person's network, which the test can cut: fetches fail (the context goes offline)
    and open WebSockets drop, as on a train in a tunnel.

    Chromium's offline mode alone leaves open WebSockets open, so the page's sockets go
    through Playwright's WebSocket routing, which can close them; while the network is cut,
    new sockets are refused at once.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.up = True
        self.routes: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    @classmethod
    async def of(cls, page: Page) -> Network:
        network = cls(page)
        await page.route_web_socket(re.compile(r"/api/v1/stream"), network._route)
        return network

    async def _route(self, socket: WebSocketRoute) -> None:
        if not self.up:
            await socket.close(reason="offline")
            return
        self.routes.append((socket, socket.connect_to_server()))

    async def cut(self) -> None:
        self.up = False
        await self.page.context.set_offline(True)
        routes, self.routes = self.routes, []
        for page_side, server_side in routes:
            await server_side.close()
            await page_side.close()

    async def restore(self, *, sockets: bool = True) -> None:
        """Back online; with ``sockets=False`` new sockets are still refused (a reconnect
        still waiting on its back-off while requests already go through)."""
        await self.page.context.set_offline(False)
        self.up = sockets


# A reconnect waits out its back-off (up to a few seconds after a short cut) before it replays.
RECONNECT_MS = 15_000


async def eventually(check: Callable[[], bool], what: str, timeout_ms: int = 10_000) -> None:
    """Poll ``check`` (about frames the test watches) until it holds."""
    for _ in range(timeout_ms // 50):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")
