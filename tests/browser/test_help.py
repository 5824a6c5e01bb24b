"""The path to help in a real Chromium: a member follows "Get help" from the feed, at phone
and desktop size, to the crisis lines of their own language (English, then European
Portuguese), and axe finds nothing to fix on /help, signed in or not.

The link's own words are looked up by address (``/help``), not by name: the Portuguese
words of the page come from the catalog, the entries from the help directory.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.chat_people import connect, people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def follow_get_help(page: Page) -> None:
    """From the feed, one tap on the "Get help" link this screen size shows."""
    link = page.locator("a.help-link:visible")
    await expect(link).to_have_count(1)
    await link.click()
    await expect(page).to_have_url(re.compile(r"/help$"))


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_member_follows_get_help_to_their_crisis_lines(
    live_server: LiveServer,
    api: httpx.AsyncClient,
    devices: Devices,
    a11y: A11yAudit,
    size: dict[str, int],
) -> None:
    maya, ines = await people(live_server, api, "Maya", "Ines")
    await connect(api, maya, ines)
    page = await sign_in(devices, live_server, maya, viewport=size)
    await follow_get_help(page)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Get help")
    crisis = page.locator("#crisis")
    await expect(crisis.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    await expect(crisis.get_by_role("link", name="Call 116 123")).to_have_attribute(
        "href", "tel:116123"
    )
    # Reach out now: Ines, a connection, is one tap away.
    await expect(page.get_by_role("button", name="Message Ines")).to_be_visible()
    await page.get_by_role("link", name="In danger now? Crisis lines").click()
    await expect(crisis.get_by_role("heading", name="Crisis lines")).to_be_in_viewport()
    await a11y.check(page, f"help, English, {size['width']}px")

    chose = await api.patch("/api/v1/me", json={"language": "pt_PT"}, headers=maya.headers)
    assert chose.status_code == 200, chose.text
    await page.goto(live_server.url("/feed"))
    await follow_get_help(page)
    await expect(page.locator("html")).to_have_attribute("lang", "pt-PT")
    await expect(crisis.locator("a[href='tel:112']")).to_be_visible()
    await expect(crisis.locator("a[href='tel:808242424']")).to_be_visible()
    await expect(crisis).to_contain_text("SNS 24")
    await expect(crisis).to_contain_text("liga já para o 112")
    await expect(page.locator("a[href='tel:988']")).to_have_count(0)
    await a11y.check(page, f"help, Portuguese, {size['width']}px")


async def test_anyone_signed_out_reaches_help_in_one_step(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    page = await devices.open(viewport=PHONE, locale="pt-PT")
    await page.goto(live_server.url("/login"))
    await page.locator("a.help-link:visible").click()
    await expect(page.locator("#crisis a[href='tel:112']")).to_be_visible()
    await a11y.check(page, "help, signed out, Portuguese, phone")
    english = await devices.open(viewport=DESKTOP, locale="en-GB")
    await english.goto(live_server.url("/"))
    await english.locator("a.help-link:visible").click()
    await expect(english.locator("#crisis a[href='tel:116123']")).to_be_visible()
    await expect(english.get_by_text("Tell someone you trust")).to_be_visible()
    await a11y.check(english, "help, signed out, English, desktop")
