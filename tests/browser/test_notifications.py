"""Notifications as a member meets them, in real Chromium contexts against a real server.

One cast for the module: Ada writes; Bea reads on another page, with a device that takes
pushes; Cal, never resting, has a device too (when his push has arrived, the server's worker
has run past Bea's delivery as well); Dora gets a daily email. Dora's email is set up first,
for a digest time a minute or two ahead, and checked last, while the other tests run.

The test plays the push service of the browser vendor on loopback (headless Chromium here has
no network to subscribe with a real one; the push path itself is tested end to end in
tests/notifications): it records every request that reaches it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.async_api import Locator, Page, expect

from tests.browser.chat_people import (
    Frames,
    Person,
    api_send,
    assert_not_reloaded,
    bodies,
    connect,
    eventually,
    mark_loaded,
    open_direct,
    people,
    send_in_page,
    sign_in,
)
from tests.browser.conftest import A11yAudit, Devices, LiveServer, free_port

# The first test starts the server and makes the cast; the last waits for a digest minute.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# Zones one for every hour of offset from UTC: one of them has its morning two hours from now.
ZONES = (
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Cape_Verde",
    "Africa/Abidjan",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
)
EMAIL_ZONE = "Europe/Paris"
SUBJECT = "Your day on Socialode"
SECRET = "the spare key is under the blue pot"  # words no digest or notice may carry
MAIL_SLACK = timedelta(seconds=45)  # after the digest minute: the digest job, then its mail
PUSH_WAIT_MS = 15_000


# -- the push service of the browser vendor, on loopback ----------------------------------------
@dataclass(frozen=True)
class Pushed:
    path: str
    headers: dict[str, str]
    body: bytes


class PushService:
    """Takes every push (201) and remembers it, by the path of the device's endpoint."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Pushed] = []
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size)
                with service.lock:
                    service.received.append(
                        Pushed(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def endpoint(self, device: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{device}"

    def to(self, device: str) -> list[Pushed]:
        with self.lock:
            return [p for p in self.received if p.path == f"/push/{device}"]


@pytest.fixture(scope="module")
def push_service() -> Iterator[PushService]:
    service = PushService()
    service.thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
    service.thread.join(timeout=10)


# -- the cast --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cast:
    ada: Person
    bea: Person
    cal: Person
    dora: Person
    to_bea: int
    to_cal: int
    to_dora: int
    dora_digest_at: datetime  # when Dora's daily email leaves (UTC)
    bea_phone: DeviceKeys


async def put_settings(api: httpx.AsyncClient, who: Person, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.put("/api/v1/settings/notifications", json=body, headers=who.headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# Nobody rests or gets digests unless a test says so, whatever the hour where the tests run.
AT_ANY_HOUR = {
    "quiet_hours": {"on": False, "start": "22:00", "end": "07:00"},
    "digests": {"times": [], "email_digest": False},
}


@dataclass(frozen=True)
class DeviceKeys:
    """The keys a browser keeps for its push subscription: only it can read its pushes."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> DeviceKeys:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    def subscription_keys(self) -> dict[str, str]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth)}

    def read(self, pushed: Pushed) -> dict[str, Any]:
        plain = http_ece.decrypt(
            pushed.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        found: dict[str, Any] = json.loads(plain)
        return found


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def add_device(
    api: httpx.AsyncClient, who: Person, push_service: PushService, device: str
) -> DeviceKeys:
    keys = DeviceKeys.new()
    response = await api.post(
        "/api/v1/push/subscriptions",
        json={"endpoint": push_service.endpoint(device), "keys": keys.subscription_keys()},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    return keys


def next_minute(zone: str, now: datetime) -> tuple[str, datetime]:
    """A local "HH:MM" a little ahead (30 to 90 s away), and that instant in UTC."""
    local = now.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    ahead = 1 if now.second < 30 else 2
    at = local + timedelta(minutes=ahead)
    return at.strftime("%H:%M"), at.astimezone(UTC)


@pytest.fixture(scope="module")
async def cast(live_server: LiveServer, push_service: PushService) -> AsyncIterator[Cast]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as api:
        ada, bea, cal, dora = await people(live_server, api, "Ada", "Bea", "Cal", "Dora")
        for other in (bea, cal, dora):
            await connect(api, ada, other)
        for who in (ada, bea, cal, dora):
            await put_settings(api, who, AT_ANY_HOUR)
        bea_phone = await add_device(api, bea, push_service, "bea")
        await add_device(api, cal, push_service, "cal")
        to_bea = await open_direct(api, ada, bea)
        to_cal = await open_direct(api, ada, cal)
        to_dora = await open_direct(api, ada, dora)

        # Dora opts into the daily email, which leaves with her last digest of the day: a
        # minute or two from now. Then a message arrives for her.
        response = await api.patch(
            "/api/v1/me", json={"timezone": EMAIL_ZONE}, headers=dora.headers
        )
        assert response.status_code == 200, response.text
        hhmm, at = next_minute(EMAIL_ZONE, datetime.now(UTC))
        saved = await put_settings(api, dora, {"digests": {"times": [hhmm], "email_digest": True}})
        assert saved["digests"] == {"times": [hhmm], "email_digest": True}
        await api_send(api, ada, to_dora, f"Dora, {SECRET}.")
        # Decided (live, and her email scheduled) before that minute, or it would be tomorrow's.
        await eventually(
            lambda: deliveries(live_server, dora, to_dora) == ["live"], "Dora's message is told"
        )
        assert datetime.now(UTC) < at, "the machine was too slow to set up before the digest"
        yield Cast(ada, bea, cal, dora, to_bea, to_cal, to_dora, at, bea_phone)


# -- helpers ---------------------------------------------------------------------------------------
def nav_link(page: Page, mark: str) -> Locator:
    return page.locator(f'nav[aria-label="Main"] [data-mark="{mark}"]')


async def assert_calm_menu(page: Page) -> None:
    """The menu marks with a dot at most: no number anywhere in it."""
    text = await page.get_by_role("navigation", name="Main").inner_text()
    assert not re.search(r"\d", text), text


async def on_page_with_stream(devices: Devices, server: LiveServer, who: Person, path: str) -> Page:
    """The person signed in and sitting on ``path``, its live stream open."""
    page = await sign_in(devices, server, who)
    frames = Frames.watch(page)
    await page.goto(server.url(path))
    await eventually(lambda: frames.count("ready") > 0, f"{who.name}'s stream is open")
    await mark_loaded(page)
    return page


def resting_range(now: datetime) -> tuple[str, str, str]:
    """A zone where two hours from now is the morning, and quiet hours from an hour ago to
    then, there (local "HH:MM"; a range may cross midnight)."""

    def wake_hour(zone: str) -> int:
        return (now + timedelta(hours=2)).astimezone(ZoneInfo(zone)).hour

    zone = min(ZONES, key=lambda z: abs(wake_hour(z) - 8))
    assert wake_hour(zone) in range(4, 12), zone
    local = now.astimezone(ZoneInfo(zone))
    start = (local - timedelta(hours=1)).strftime("%H:%M")
    end = (local + timedelta(hours=2)).strftime("%H:%M")
    return zone, start, end


def deliveries(server: LiveServer, who: Person, conversation_id: int) -> list[str]:
    """How the server decided the person's unread notifications about the conversation
    (read from its database: no page or API shows a delivery state)."""
    database = f"file:{server.data_dir / 'browser.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(database, uri=True)) as db:
        rows = db.execute(
            "SELECT n.delivery FROM notifications n JOIN users u ON u.id = n.user_id"
            " WHERE u.handle = ? AND n.kind = 'message' AND n.ref = ? AND n.read_at IS NULL",
            (who.handle, f"conversation:{conversation_id}"),
        ).fetchall()
    return [str(r[0]) for r in rows]


# -- 1. a message marks Conversations, live ------------------------------------------------------
async def test_a_message_marks_conversations_live_on_another_page(
    live_server: LiveServer,
    devices: Devices,
    cast: Cast,
    push_service: PushService,
) -> None:
    server = live_server
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as api:
        await put_settings(api, cast.bea, AT_ANY_HOUR)  # reachable now, whatever ran before
    b_page = await on_page_with_stream(devices, server, cast.bea, "/circles")
    a_page = await sign_in(devices, server, cast.ada)
    conversations = nav_link(b_page, "conversations")
    await expect(conversations.locator(".dot")).to_have_count(0)
    await expect(conversations).not_to_have_class(re.compile(r"\bmarked\b"))
    assert not (await b_page.title()).startswith("•")
    pushed_before = len(push_service.to("bea"))

    await a_page.goto(server.url(f"/conversations/{cast.to_bea}"))
    await expect(a_page.get_by_role("heading", level=1)).to_have_text("Bea")
    await expect(a_page.locator("#sleep-line")).to_have_count(0)  # Bea is not resting
    await send_in_page(a_page, "Shall we walk by the river at six?")

    # Bea, on another page, sees a calm dot on Conversations, without a reload.
    await expect(conversations.locator(".dot")).to_have_count(1)
    await expect(conversations).to_have_class(re.compile(r"\bmarked\b"))
    await expect(conversations).to_contain_text("(something new)")
    await expect(nav_link(b_page, "notifications").locator(".dot")).to_have_count(0)
    await expect(b_page).to_have_title(re.compile(r"^• Your circles · Socialode$"))
    notice = b_page.locator("#live-notice")
    await expect(notice).to_be_visible()
    await expect(notice).to_have_text("Ada wrote a message.")
    await assert_calm_menu(b_page)
    await assert_not_reloaded(b_page)
    # Her device got a push too: who and what kind, encrypted for it.
    await eventually(
        lambda: len(push_service.to("bea")) > pushed_before, "Bea's push arrived", PUSH_WAIT_MS
    )
    push = push_service.to("bea")[-1]
    assert push.headers["content-encoding"] == "aes128gcm"
    assert int(push.headers["ttl"]) > 0
    assert push.headers["authorization"].startswith("vapid ")
    # Who and what kind; the words stay off her lock screen (previews are off by default).
    assert cast.bea_phone.read(push) == {
        "title": "Socialode",
        "body": "Ada wrote a message.",
        "url": f"/conversations/{cast.to_bea}#first-unread",
        "tag": f"conversation:{cast.to_bea}",
    }

    # The note leads to the conversation; having read it, the mark is gone.
    await notice.get_by_role("link", name="Ada wrote a message.").click()
    await b_page.wait_for_url(server.url(f"/conversations/{cast.to_bea}#first-unread"))
    await expect(bodies(b_page)).to_contain_text(["Shall we walk by the river at six?"])
    await b_page.goto(server.url("/circles"))
    await expect(nav_link(b_page, "conversations").locator(".dot")).to_have_count(0)
    assert not (await b_page.title()).startswith("•")
    assert deliveries(server, cast.bea, cast.to_bea) == []


# -- 2. quiet hours: nothing pushed, the morning line, stored for when she looks -----------------
async def test_in_quiet_hours_nothing_is_pushed_and_the_writer_sees_the_morning_line(
    live_server: LiveServer,
    devices: Devices,
    cast: Cast,
    push_service: PushService,
    a11y: A11yAudit,
) -> None:
    server = live_server
    # Bea is on another page when she starts resting.
    b_page = await on_page_with_stream(devices, server, cast.bea, "/circles")
    a_page = await sign_in(devices, server, cast.ada)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as api:
        zone, start, end = resting_range(datetime.now(UTC))
        response = await api.patch("/api/v1/me", json={"timezone": zone}, headers=cast.bea.headers)
        assert response.status_code == 200, response.text
        saved = await put_settings(
            api, cast.bea, {"quiet_hours": {"on": True, "start": start, "end": end}}
        )
        assert saved["zone"] == zone
        assert saved["in_quiet_hours"] is True, saved
        pushed_to_bea = len(push_service.to("bea"))
        pushed_to_cal = len(push_service.to("cal"))

        # Ada opens their conversation: she is told, gently, when Bea will see it.
        await a_page.goto(server.url(f"/conversations/{cast.to_bea}"))
        await expect(a_page.locator("#sleep-line")).to_have_text(
            "Bea will see this in the morning. No need to wait for an answer."
        )
        await a11y.check(a_page, "conversation with the sleep line")
        await send_in_page(a_page, "Are you still up? No rush at all.")
        await expect(a_page.locator("#live-status")).to_have_text("Sent.")
        # Cal, not resting, gets a message right after: once his push has arrived, the
        # server's worker has decided Bea's too.
        await api_send(api, cast.ada, cast.to_cal, "Cal, lunch tomorrow?")
    await eventually(
        lambda: len(push_service.to("cal")) > pushed_to_cal, "Cal's push arrived", PUSH_WAIT_MS
    )
    assert deliveries(server, cast.bea, cast.to_bea) == ["held"]
    await asyncio.sleep(0.5)  # anything sent for Bea would have left with Cal's by now
    assert len(push_service.to("bea")) == pushed_to_bea, "a push reached Bea in quiet hours"
    # Nor a live mark: her page is as it was.
    await expect(nav_link(b_page, "conversations").locator(".dot")).to_have_count(0)
    await expect(b_page.locator("#live-notice")).to_be_hidden()
    assert not (await b_page.title()).startswith("•")
    await assert_not_reloaded(b_page)

    # It is stored: the menu the server renders shows the dot on her next page.
    await b_page.reload()
    await expect(b_page).to_have_url(server.url("/circles"))
    await expect(nav_link(b_page, "conversations").locator(".dot")).to_have_count(1)
    await expect(nav_link(b_page, "notifications").locator(".dot")).to_have_count(0)
    await expect(b_page).to_have_title(re.compile(r"^• Your circles · Socialode$"))
    await assert_calm_menu(b_page)
    # Opening the app shows the wind-down page first, with a way to continue.
    await b_page.goto(server.url("/app"))
    await expect(b_page).to_have_url(re.compile(r"/wind-down\?next=%2Fapp$"))
    await expect(b_page.get_by_role("heading", level=1)).to_have_text("Time to wind down")
    await expect(b_page.get_by_text(f"your quiet hours run until {end}")).to_be_visible()
    await a11y.check(b_page, "wind-down page")
    await b_page.get_by_role("button", name="Continue to Socialode").click()
    await expect(b_page).to_have_url(server.url("/feed"))
    await expect(nav_link(b_page, "conversations").locator(".dot")).to_have_count(1)
    await expect(b_page).to_have_title(re.compile(r"^• "))
    await b_page.goto(server.url(f"/conversations/{cast.to_bea}"))
    await expect(bodies(b_page)).to_contain_text(["Are you still up? No rush at all."])
    assert len(push_service.to("bea")) == pushed_to_bea
    # Read now: nothing is left to release for this conversation when her quiet hours end.
    assert deliveries(server, cast.bea, cast.to_bea) == []


# -- 3. the daily email ---------------------------------------------------------------------------
def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_the_daily_email_lands_in_the_outbox_naming_who_and_what(
    live_server: LiveServer, cast: Cast
) -> None:
    server = live_server
    address = f"{cast.dora.handle}@example.org"
    deadline = cast.dora_digest_at + MAIL_SLACK
    while True:
        digests = [m for m in server.mail_to(address) if m["Subject"] == SUBJECT]
        if digests or datetime.now(UTC) > deadline:
            break
        await asyncio.sleep(0.2)
    assert len(digests) == 1, f"no digest mail to {address} by {deadline}"
    text = body_of(digests[0])
    assert text.startswith("Hello Dora,\n"), text
    assert "- Ada wrote a message.\n" in text, text
    assert f"  {server.url(f'/conversations/{cast.to_dora}#first-unread')}\n" in text, text
    assert server.url("/settings/notifications") in text, text
    assert SECRET not in text and "spare key" not in text, text
    # It was written at her digest time, not before.
    assert parsedate_to_datetime(digests[0]["Date"]) >= cast.dora_digest_at
