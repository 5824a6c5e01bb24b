"""A connection's page in a real Chromium: the moments they shared with you (and only those),
and a message to them in one tap; someone not connected sees none of their moments."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import A11yAudit, Devices, LiveServer
from tests.browser.members import member, signed_in

pytestmark = pytest.mark.browser


async def api(server: LiveServer, who: dict[str, str], path: str, body: object) -> object:
    async with httpx.AsyncClient(base_url=server.base_url, headers=who) as client:
        response = await client.post(f"/api/v1{path}", json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()


async def connect(server: LiveServer, a: dict[str, str], b: dict[str, str], handle_b: str) -> None:
    sent = await api(server, a, "/connections/requests", {"handle": handle_b})
    assert isinstance(sent, dict)
    await api(server, b, f"/connections/requests/{sent['request']['id']}/accept", {})


async def test_a_connections_page_messages_them_in_one_tap(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    server = live_server
    ann = await member(server, "ann_pp", "Ann Page")
    bea = await member(server, "bea_pp", "Bea Page")
    cal = await member(server, "cal_pp", "Cal Page")  # not connected with Bea
    dot = await member(server, "dot_pp", "Dot Page")  # connected with Bea, like Ann
    await connect(server, ann, bea, "bea_pp")
    await connect(server, dot, bea, "bea_pp")
    await connect(server, cal, ann, "ann_pp")
    await api(server, bea, "/moments", {"body": "Tea on the balcony, Ann.", "people": ["ann_pp"]})
    await api(server, bea, "/moments", {"body": "Only Dot hears this one.", "people": ["dot_pp"]})
    await api(
        server,
        bea,
        "/moments",
        {"body": "Both of you: I got the job!", "people": ["ann_pp", "dot_pp"]},
    )

    page = await signed_in(devices, server, "ann_pp")
    await page.goto(server.url("/people/bea_pp"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Bea Page")
    their = page.locator("section.person-moments")
    await expect(their.locator("article.moment")).to_have_count(2)
    await expect(their.locator("article.moment").first).to_contain_text("I got the job!")
    await expect(their).to_contain_text("Tea on the balcony, Ann.")
    await expect(their).not_to_contain_text("Only Dot hears this one.")
    await expect(
        page.get_by_text("That is every moment Bea Page has shared with you.")
    ).to_be_visible()
    await a11y.check(page, "person page of a connection")

    # One tap: the conversation with Bea opens.
    await page.get_by_role("button", name="Message Bea Page").click()
    await page.wait_for_url("**/conversations/*")
    await expect(page.locator("main")).to_contain_text("Bea Page")

    # Cal is not connected with Bea: her page shows none of her moments.
    other = await signed_in(devices, server, "cal_pp")
    await other.goto(server.url("/people/bea_pp"))
    await expect(other.get_by_role("heading", level=1)).to_have_text("Bea Page")
    await expect(other.get_by_role("heading", name="Ask to connect")).to_be_visible()
    await expect(other.locator("article.moment")).to_have_count(0)
    for words in ("Tea on the balcony", "Only Dot hears", "I got the job"):
        await expect(other.locator("main")).not_to_contain_text(words)
    await a11y.check(other, "person page of someone not connected")
