"""The pause before hurtful words, in a real Chromium: a member types a threat, sees the pause
without the page reloading, rephrases and sends; another sends anyway, and the reader who
folds such words sees them folded, live."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import (
    api_bodies,
    assert_not_reloaded,
    bodies,
    connect,
    mark_loaded,
    open_direct,
    people,
    send_in_page,
    sign_in,
)
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

THREAT = "I know where you live and I will hurt you"
CALM = "I'm really angry about Saturday. Can we talk tonight?"


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def test_a_threat_pauses_and_is_rephrased_or_sent_anyway_and_folded(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, a11y: A11yAudit
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    folded = await api.put(
        "/api/v1/safety/settings",
        json={"fold_hurtful": True},
        headers=ben.headers,
    )
    assert folded.status_code == 200, folded.text
    a_page = await sign_in(devices, live_server, ada)
    b_page = await sign_in(devices, live_server, ben)
    await a_page.goto(live_server.url(f"/conversations/{conversation}"))
    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await mark_loaded(a_page)

    await send_in_page(a_page, THREAT)
    pause = a_page.get_by_role("alert").filter(has_text="This might hurt")
    await expect(pause).to_be_visible()
    await expect(a_page.get_by_label("Message")).to_have_value(THREAT)
    await a11y.check(a_page, "the pause in a conversation")
    assert await api_bodies(api, ada, conversation) == []

    # Rephrased: the calmer words go, the pause goes away.
    await send_in_page(a_page, CALM)
    await expect(pause).to_have_count(0)
    await expect(bodies(b_page)).to_have_text([CALM])
    await assert_not_reloaded(a_page)

    # Sent anyway: Ben, who folds such words, sees them folded, live, and opens them.
    await send_in_page(a_page, THREAT)
    await expect(pause).to_be_visible()
    await a_page.get_by_role("button", name="Send anyway").click()
    await expect(pause).to_have_count(0)
    await expect(a_page.locator("#live-status")).to_have_text("Sent.")
    fold = b_page.locator("details.may-hurt")
    await expect(fold).to_have_count(1)
    await expect(fold.get_by_text(THREAT)).to_be_hidden()
    await fold.get_by_text("This may be hurtful — show?").click()
    await expect(fold.get_by_text(THREAT)).to_be_visible()
    await a11y.check(b_page, "a folded message")
    # A reply to those words arrives live with its quote folded too, not the words.
    read = await api.get(f"/api/v1/conversations/{conversation}", headers=ada.headers)
    (threat_id,) = [m["id"] for m in read.json()["messages"] if m["body"] == THREAT]
    reply = {"client_key": "reply-to-threat", "body": "Sorry, Ben.", "reply_to": threat_id}
    replied = await api.post(
        f"/api/v1/conversations/{conversation}/messages", json=reply, headers=ada.headers
    )
    assert replied.status_code == 201, replied.text
    quote = b_page.locator("a.reply-quote .text")
    await expect(quote).to_have_text("This may be hurtful — show?")

    # Discard: the words are let go, and nothing is sent.
    await send_in_page(a_page, THREAT + " tomorrow")
    await expect(pause).to_be_visible()
    await a_page.get_by_role("button", name="Discard").click()
    await expect(pause).to_have_count(0)
    await expect(a_page.get_by_label("Message")).to_have_value("")
    assert await api_bodies(api, ada, conversation) == [CALM, THREAT, "Sorry, Ben."]
