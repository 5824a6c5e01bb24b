"""An earlier page of a conversation, opened as a page of its own (its address, as it works
without JavaScript), still has the chat's composer: Enter sends, and what was sent is not
brought back as a draft on the page that answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import api_bodies, connect, message, open_direct, people, sign_in
from tests.browser.conftest import Devices, LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def test_enter_sends_from_an_earlier_page_and_the_draft_goes(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    for n in range(1, 61):
        sent = await api.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"client_key": f"earlier-{n}", "body": f"Line {n:02d}"},
            headers=ada.headers,
        )
        assert sent.status_code == 201, sent.text
    read = await api.post(  # read: the page opens at the newest fifty, not at the first unread
        f"/api/v1/conversations/{conversation}/read", json={"seq": 10_000}, headers=ben.headers
    )
    assert read.status_code == 200, read.text
    page = await sign_in(devices, live_server, ben)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    earlier = await page.get_by_role("link", name="Earlier messages").get_attribute("href")
    assert earlier and "cursor=" in earlier
    await page.goto(live_server.url(earlier))  # the earlier page as a page of its own
    await expect(message(page, "Line 01")).to_be_visible()

    box = page.get_by_label("Message")
    await box.fill("Sorry, only now seeing all this!")
    await box.press("Enter")
    await page.wait_for_url(f"**/conversations/{conversation}**")
    await expect(message(page, "Sorry, only now seeing all this!")).to_be_visible()
    await expect(page.get_by_label("Message")).to_have_value("")  # no stale draft
    assert (await api_bodies(api, ben, conversation))[-1] == "Sorry, only now seeing all this!"
