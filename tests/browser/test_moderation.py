"""Reports and moderation in a real Chromium: a member reports a hurtful message from its
menu; a moderator reads it with what was around it and suspends the sender; the sender's open
tab is signed out at once and signing in again says why not. axe checks each page."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import (
    PASSWORD,
    Person,
    connect,
    mark_loaded,
    new_address,
    open_direct,
    people,
    sign_in,
)
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

HURTFUL = "you are worthless and everyone knows it"


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def send_anyway(api: httpx.AsyncClient, who: Person, conversation: int, body: str) -> None:
    url = f"/api/v1/conversations/{conversation}/messages"
    words = {"client_key": uuid.uuid4().hex, "body": body}
    paused = await api.post(url, json=words, headers=who.headers)
    assert paused.status_code == 409, paused.text
    anyway = {**words, "pause_token": paused.json()["pause"]["token"], "send_anyway": True}
    sent = await api.post(url, json=anyway, headers=who.headers)
    assert sent.status_code == 201, sent.text


async def test_a_report_ends_in_a_suspension_that_signs_the_open_tab_out(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, a11y: A11yAudit
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    await send_anyway(api, ben, conversation, HURTFUL)
    handle = f"sam_{uuid.uuid4().hex[:8]}"
    await live_server.cli(
        "admin", "create", "--handle", handle, "--email", f"{handle}@example.org",
        "--display-name", "Sam", "--password", PASSWORD,
    )  # fmt: skip
    sam = Person(handle, "Sam", "", new_address())

    b_page = await sign_in(devices, live_server, ben)
    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await mark_loaded(b_page)

    a_page = await sign_in(devices, live_server, ada)
    await a_page.goto(live_server.url(f"/conversations/{conversation}"))
    message = a_page.locator("li.msg", has_text=HURTFUL)
    await message.locator("summary").click()
    await message.get_by_role("link", name="Report").click()
    await expect(a_page.get_by_role("heading", level=1)).to_have_text("Report this")
    await expect(a_page.get_by_text(HURTFUL)).to_be_visible()
    await a11y.check(a_page, "the report form")
    await a_page.get_by_label("Bullying or harassment").check()
    await a_page.get_by_label("Anything a moderator should know (optional)").fill("Again.")
    await a_page.get_by_role("button", name="Send the report").click()
    await expect(a_page.get_by_role("heading", level=1)).to_have_text("Report sent")
    await expect(a_page.get_by_role("status")).to_contain_text("never told who reported it")

    s_page = await sign_in(devices, live_server, sam)
    await s_page.goto(live_server.url("/moderation"))
    await a11y.check(s_page, "the moderation queue")
    # The queue may hold others' reports (the server is shared): Ben's is the one about him.
    await s_page.locator("ul.reports a").filter(has_text=f"{ben.name} ·").click()
    context = s_page.get_by_role("region", name="What the reporter could see around it")
    await expect(context).to_contain_text(HURTFUL)
    await expect(s_page.get_by_text("and sent it anyway.")).to_be_visible()
    await a11y.check(s_page, "a report")
    await s_page.get_by_label("Suspend the account for some days").check()
    await s_page.get_by_label("Days, to suspend").fill("3")
    await s_page.get_by_label("The reason, told to the person in plain words").fill(
        "Words like these are not welcome here."
    )
    await s_page.get_by_role("button", name="Decide").click()
    await expect(s_page.get_by_role("status")).to_contain_text("Decided.")

    # Ben's open tab: its live socket is closed at once, and the page goes to sign-in.
    await expect(b_page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await b_page.get_by_label("Handle or email").fill(ben.handle)
    await b_page.get_by_label("Password").fill(PASSWORD)
    await b_page.get_by_role("button", name="Sign in").click()
    await expect(b_page.get_by_text("suspended until")).to_be_visible()
    sessions = await api.get("/api/v1/sessions", headers=ben.headers)
    assert sessions.status_code == 401
