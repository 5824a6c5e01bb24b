"""Asking first, in Chromium: with script, a dialog that takes focus, lets Escape keep things
as they are, and acts only when agreed; without script, a page asking the same question."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import Person, connect, people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser


async def connection_names(api: httpx.AsyncClient, who: Person) -> list[str]:
    listed = await api.get("/api/v1/connections", headers=who.headers)
    assert listed.status_code == 200, listed.text
    return [c["display_name"] for c in listed.json()["connections"]]


async def test_removing_a_connection_asks_in_a_dialog(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    async with httpx.AsyncClient(base_url=live_server.base_url) as api:
        maya, ines = await people(live_server, api, "Maya", "Ines")
        await connect(api, maya, ines)
        page = await sign_in(devices, live_server, maya)
        await page.goto(live_server.url("/connections"))
        button = page.get_by_role("button", name="Remove Ines", exact=True)

        await button.click()
        dialog = page.get_by_role("dialog", name="Remove Ines from your connections?")
        await expect(dialog).to_be_visible()
        await expect(dialog).to_contain_text("They won't be told.")
        await expect(dialog.get_by_role("button", name="Keep")).to_be_focused()
        await a11y.check(page, "connections, asking first")
        await page.keyboard.press("Escape")  # keeps things as they are
        await expect(dialog).to_be_hidden()
        await expect(button).to_be_focused()
        assert await connection_names(api, maya) == ["Ines"]

        await button.click()
        await dialog.get_by_role("button", name="Keep").click()
        await expect(dialog).to_be_hidden()
        assert await connection_names(api, maya) == ["Ines"]

        await button.click()
        await dialog.get_by_role("button", name="Remove", exact=True).click()
        await expect(page.get_by_role("status").first).to_have_text(
            "Ines is no longer in your connections. They are not told."
        )
        assert await connection_names(api, maya) == []


async def test_without_script_a_page_asks_the_same_question(
    live_server: LiveServer, devices: Devices
) -> None:
    async with httpx.AsyncClient(base_url=live_server.base_url) as api:
        maya, ines = await people(live_server, api, "Maya", "Ines")
        await connect(api, maya, ines)
        page = await sign_in(devices, live_server, maya, java_script_enabled=False)
        await page.goto(live_server.url("/connections"))
        await page.get_by_role("button", name="Remove Ines", exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Remove Ines from your connections?"
        )
        await page.get_by_role("link", name="Keep").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Your people")
        assert await connection_names(api, maya) == ["Ines"]
        await page.get_by_role("button", name="Remove Ines", exact=True).click()
        await page.get_by_role("button", name="Remove", exact=True).click()
        await expect(page.get_by_role("status").first).to_contain_text("no longer in your")
        assert await connection_names(api, maya) == []
