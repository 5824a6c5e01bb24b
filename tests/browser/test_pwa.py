"""The installable app in a real Chromium: the service worker takes the whole site, the
manifest is one Chromium accepts with icons of the right sizes, pages that cannot be reached
show the offline page, and the worker's cache holds static files only, never a private page
or an API answer. Devices are listed and removed on the settings page without script.

Headless Chromium here has no network, so a real ``PushManager.subscribe`` cannot reach a
vendor's push service: subscriptions are made through the API (the push path itself is
tested end to end in tests/notifications/test_push.py).
"""

from __future__ import annotations

import base64
import os
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.async_api import Page, expect

from tests.browser.chat_people import people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""

ICON_SIZES = """async (icons) => {
  const sizes = {};
  for (const icon of icons) {
    const image = new Image();
    image.src = icon.src;
    await image.decode();
    sizes[icon.src] = [image.naturalWidth, image.naturalHeight];
  }
  return sizes;
}"""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> dict[str, str]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"p256dh": b64(point), "auth": b64(os.urandom(16))}


async def worker_scope(page: Page) -> str:
    scope: str = await page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    # Controlled once the worker has claimed the page (it does when it activates).
    await page.wait_for_function("navigator.serviceWorker.controller !== null")
    return scope


async def test_the_app_installs_and_works_offline(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    server = live_server
    async with httpx.AsyncClient(base_url=server.base_url) as api:
        (iris,) = await people(server, api, "Iris")
    page = await sign_in(devices, server, iris)

    assert await worker_scope(page) == server.url("/")

    # Chromium's own reading of the manifest: no errors, the fields installing needs.
    cdp = await page.context.new_cdp_session(page)
    found: dict[str, Any] = await cdp.send("Page.getAppManifest")
    assert found["url"] == server.url("/manifest.webmanifest")
    assert found["errors"] == []
    # Chromium's installability check finds nothing missing; the one thing it names is that
    # a test's browser context is incognito-like, where nothing can be installed.
    installable: dict[str, Any] = await cdp.send("Page.getInstallabilityErrors")
    problems = {e["errorId"] for e in installable["installabilityErrors"]}
    assert problems <= {"in-incognito"}, installable
    manifest: dict[str, Any] = await page.evaluate(
        "fetch('/manifest.webmanifest').then((r) => r.json())"
    )
    assert manifest["name"] and manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/app",
        "/",
        "standalone",
    )
    icons = [i for i in manifest["icons"] if i["type"] == "image/png"]
    sizes = await page.evaluate(ICON_SIZES, icons)
    for icon in icons:
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert sizes[icon["src"]] == [width, height], icon
    assert {i["sizes"] for i in icons} >= {"192x192", "512x512"}
    assert any(i.get("purpose") == "maskable" for i in icons)

    # Private pages and API answers go through the worker but are never kept.
    await page.goto(server.url("/feed"))
    await page.goto(server.url("/settings/devices"))
    status = await page.evaluate("fetch('/api/v1/notifications').then((r) => r.status)")
    assert status == 200
    cached = await page.evaluate(CACHED_URLS)
    assert "/offline" in cached and "/static/style.css" in cached
    assert all(url.startswith("/static/") or url == "/offline" for url in cached), cached

    # With the network gone, any page shows the offline page, with its cached styles and icon.
    await page.context.set_offline(True)
    for path in ("/feed", "/conversations"):
        await page.goto(server.url(path))
        await expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")
        assert page.url == server.url(path)
        assert "Hello" not in await page.content()
    icon = await page.evaluate("document.querySelector('main img').naturalWidth")
    assert icon == 192
    assert await page.evaluate("document.styleSheets[0].cssRules.length") > 0
    await a11y.check(page, "offline page")

    await page.context.set_offline(False)
    await page.goto(server.url("/settings/devices"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Notifications on your devices")
    await expect(page.get_by_role("button", name="Turn on notifications here")).to_be_visible()
    await a11y.check(page, "devices page")


async def test_devices_are_listed_and_removed_without_script(
    live_server: LiveServer, devices: Devices
) -> None:
    server = live_server
    async with httpx.AsyncClient(base_url=server.base_url) as api:
        (june,) = await people(server, api, "June")
        for label in ("June's phone", "June's laptop"):
            response = await api.post(
                "/api/v1/push/subscriptions",
                json={
                    "endpoint": f"https://push.example.org/{label.split()[1]}",
                    "keys": browser_keys(),
                    "label": label,
                },
                headers=june.headers,
            )
            assert response.status_code == 201, response.text

    page = await sign_in(devices, server, june, java_script_enabled=False)
    await page.goto(server.url("/settings/devices"))
    listed = page.get_by_role("list", name="Devices")
    await expect(listed.get_by_role("listitem")).to_have_count(2)
    await page.get_by_role("button", name="Remove June's phone").click()
    # Without script the server asks first, on a page of its own.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Remove June's phone?")
    await page.get_by_role("button", name="Remove", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text(
        "That device will get no more notifications from us."
    )
    await expect(listed.get_by_role("listitem")).to_have_count(1)
    await expect(listed).to_contain_text("June's laptop")


# The browser's push service is out of reach here, so this device's subscription is played
# by a stand-in for PushManager.getSubscription; what the page does with it is real.
STAND_IN = """(endpoint) => {
  PushManager.prototype.getSubscription = async function () {
    return { endpoint, unsubscribe: async () => true };
  };
}"""


async def device_labels(api: httpx.AsyncClient, headers: dict[str, str]) -> str:
    page = await api.get("/settings/devices", headers=headers)
    assert page.status_code == 200
    return page.text


async def test_this_device_is_switched_off_and_signing_out_switches_it_off(
    live_server: LiveServer, devices: Devices
) -> None:
    server = live_server
    here = "https://push.example.org/kims-phone"
    async with httpx.AsyncClient(base_url=server.base_url) as api:
        (kim,) = await people(server, api, "Kim")

        async def add(endpoint: str, label: str) -> None:
            body = {"endpoint": endpoint, "keys": browser_keys(), "label": label}
            answer = await api.post("/api/v1/push/subscriptions", json=body, headers=kim.headers)
            assert answer.status_code == 201, answer.text

        await add(here, "Kim's phone")
        await add("https://push.example.org/kims-laptop", "Kim's laptop")
        page = await sign_in(devices, server, kim)
        await page.context.add_init_script(f"({STAND_IN})({here!r})")
        await page.goto(server.url("/settings/devices"))
        await worker_scope(page)
        await expect(page.get_by_text("Notifications are on for this device.")).to_be_visible()
        await page.get_by_role("button", name="Turn off notifications here").click()
        await expect(
            page.get_by_role("list", name="Devices").get_by_role("listitem")
        ).to_have_count(1)
        listed = await device_labels(api, kim.headers)
        assert "Kim&#39;s laptop" in listed and "Kim&#39;s phone" not in listed

        await add(here, "Kim's phone")
        await page.reload()
        await (
            page.get_by_role("navigation", name="Main")
            .get_by_role("link", name="You", exact=True)
            .click()
        )
        await page.get_by_role("button", name="Sign out").click()
        await page.wait_for_url(server.url("/login") + "**")
        listed = await device_labels(api, kim.headers)
        assert "Kim&#39;s laptop" in listed and "Kim&#39;s phone" not in listed
