"""A conversation behaves like a chat in real Chromium, at phone and desktop size: a long one
opens with the newest message and the composer in view (or at the first unread, under
"New"), earlier pages load above without losing your place and end, Enter sends while
Shift+Enter makes a line, the draft survives a reload, a live message's time reads the same
after a reload, replies quote and link to what they answer, and without JavaScript the list,
"Message them" and a notification's link still open a conversation at its newest message, or
at the first unread."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.chat_people import (
    Person,
    api_send,
    bodies,
    connect,
    message,
    open_direct,
    people,
    send_in_page,
    sign_in,
)
from tests.browser.conftest import Devices, LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def _long_conversation(
    server: LiveServer, api: httpx.AsyncClient, count: int = 60
) -> tuple[Person, Person, int, list[int]]:
    ada, ben = await people(server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    ids = [await api_send(api, ada, conversation, f"Note {n:02d}") for n in range(1, count + 1)]
    return ada, ben, conversation, ids


async def _read_all(api: httpx.AsyncClient, who: Person, conversation: int) -> None:
    response = await api.post(
        f"/api/v1/conversations/{conversation}/read", json={"seq": 10_000}, headers=who.headers
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_long_conversation_opens_at_the_newest_then_at_the_first_unread(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, size: dict[str, int]
) -> None:
    ada, ben, conversation, ids = await _long_conversation(live_server, api)
    await _read_all(api, ben, conversation)
    page = await sign_in(devices, live_server, ben, viewport=size)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    newest = page.locator(f"#m-{ids[-1]}")
    await expect(newest).to_be_in_viewport()
    await expect(page.get_by_label("Message")).to_be_in_viewport()
    await expect(page.get_by_role("button", name="Send", exact=True)).to_be_in_viewport()
    await expect(page.locator(".new-divider")).to_have_count(0)
    await expect(page.get_by_role("link", name="Earlier messages")).not_to_be_in_viewport()
    await _no_sideways_scroll(page)

    # Ben looks elsewhere while Ada writes on (an open page would read them live); he opens
    # the conversation again: at the first unread, under "New".
    await page.goto(live_server.url("/settings/chat"))
    more = [await api_send(api, ada, conversation, f"Later {n:02d}") for n in range(1, 31)]
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    await expect(page.locator("#first-unread")).to_have_text("New")
    await expect(page.locator("#first-unread")).to_be_in_viewport()
    await expect(page.locator(f"#m-{more[0]}")).to_be_in_viewport()
    await expect(page.get_by_label("Message")).to_be_in_viewport()
    # The divider sits right above the first unread message.
    follows = await page.locator("#first-unread + li").get_attribute("id")
    assert follows == f"m-{more[0]}"


async def _no_sideways_scroll(page: Page) -> None:
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow


async def test_earlier_pages_load_above_in_place_and_end(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    _ada, ben, conversation, ids = await _long_conversation(live_server, api)
    await _read_all(api, ben, conversation)
    page = await sign_in(devices, live_server, ben, viewport=PHONE)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    await expect(bodies(page)).to_have_count(50)
    top = page.locator(f"#m-{ids[10]}")  # the oldest of the newest page
    await page.get_by_role("link", name="Earlier messages").scroll_into_view_if_needed()
    before = await top.bounding_box()
    assert before is not None
    await page.get_by_role("link", name="Earlier messages").click()
    await expect(bodies(page)).to_have_count(60)
    await expect(page.get_by_text("This is the start of your conversation.")).to_be_visible()
    await expect(page.get_by_role("link", name="Earlier messages")).to_have_count(0)
    after = await top.bounding_box()
    assert after is not None and abs(after["y"] - before["y"]) < 4, (before, after)
    assert re.search(r"/conversations/\d+$", page.url)  # fetched, not navigated
    texts = await bodies(page).all_inner_texts()
    assert texts == [f"Note {n:02d}" for n in range(1, 61)]


async def test_enter_sends_shift_enter_makes_a_line_and_the_draft_survives(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    page = await sign_in(devices, live_server, ada, viewport=DESKTOP)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    box = page.get_by_label("Message")
    await box.click()
    await page.keyboard.type("First line")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("second line")
    await expect(box).to_have_value("First line\nsecond line")
    await expect(bodies(page)).to_have_count(0)  # Shift+Enter did not send

    await page.reload()  # the draft is kept
    await expect(page.get_by_label("Message")).to_have_value("First line\nsecond line")
    await page.get_by_label("Message").press("End")
    await page.get_by_label("Message").press("Enter")
    await expect(bodies(page)).to_have_count(1)
    assert await bodies(page).first.inner_html() == "First line<br>second line"
    await expect(page.get_by_label("Message")).to_have_value("")
    await page.reload()  # sent: the draft is gone
    await expect(page.get_by_label("Message")).to_have_value("")
    await expect(bodies(page)).to_have_count(1)


async def test_a_live_message_reads_the_same_after_a_reload(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    page = await sign_in(devices, live_server, ada, viewport=PHONE)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    await page.evaluate("window.socialodeTestMark = 'live'")
    sent = await api_send(api, ben, conversation, "Arrived live")
    live = page.locator(f"#m-{sent}")
    await expect(live.locator(".body")).to_have_text("Arrived live")
    assert await page.evaluate("window.socialodeTestMark") == "live"
    live_time = await live.locator("time").inner_text()
    live_title = await live.locator("time").get_attribute("title")
    live_class = await live.get_attribute("class")
    await page.reload()
    reloaded = page.locator(f"#m-{sent}")
    assert await reloaded.locator("time").inner_text() == live_time
    assert await reloaded.locator("time").get_attribute("title") == live_title
    assert live_class and "theirs" in live_class
    assert (await reloaded.get_attribute("class") or "").split()[:2] == live_class.split()[:2]


async def test_a_reply_quotes_and_links_to_what_it_answers(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    original = await api_send(api, ben, conversation, "Shall we walk on Sunday?")
    await api_send(api, ben, conversation, "Or Saturday")
    page = await sign_in(devices, live_server, ada, viewport=PHONE)
    await page.goto(live_server.url(f"/conversations/{conversation}"))
    bubble = message(page, "Shall we walk")
    await bubble.locator("summary").click()
    await bubble.get_by_role("link", name="Reply").click()
    await expect(page.locator("#replying")).to_contain_text("Shall we walk on Sunday?")
    await send_in_page(page, "Sunday it is")
    reply = message(page, "Sunday it is")
    quote = reply.locator("a.reply-quote")
    await expect(quote).to_contain_text("Shall we walk on Sunday?")
    await expect(quote).to_have_attribute("href", f"#m-{original}")
    await expect(page.locator("#replying")).to_be_hidden()
    await page.reload()
    await expect(message(page, "Sunday it is").locator("a.reply-quote")).to_contain_text("Ben")
    await message(page, "Sunday it is").locator("a.reply-quote").click()
    await expect(page.locator(f"#m-{original}")).to_be_in_viewport()
    assert page.url.endswith(f"#m-{original}")

    # Deleting it from its menu asks first, in a dialog; keeping it changes nothing.
    mine = message(page, "Sunday it is")
    await mine.locator("summary").click()
    await mine.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Delete this message?")
    await dialog.get_by_role("button", name="Keep").click()
    await expect(dialog).to_be_hidden()
    await expect(bodies(page)).to_have_count(3)
    await mine.get_by_role("button", name="Delete").click()  # its menu is still open
    await page.get_by_role("dialog").get_by_role("button", name="Delete the message").click()
    await expect(page.get_by_text("This message was deleted.")).to_be_visible()
    await expect(bodies(page)).to_have_count(2)


async def test_without_javascript_the_list_opens_a_conversation_at_its_newest(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    _ada, ben, conversation, ids = await _long_conversation(live_server, api)
    await _read_all(api, ben, conversation)
    page = await sign_in(devices, live_server, ben, java_script_enabled=False, viewport=PHONE)
    await page.goto(live_server.url("/conversations"))
    row = page.locator("ul.conversations > li").filter(has_text="Ada")
    await expect(row).to_contain_text("Note 60")
    await row.get_by_role("link").click()
    await page.wait_for_url(re.compile(rf"/conversations/{conversation}#latest$"))
    await expect(page.locator(f"#m-{ids[-1]}")).to_be_in_viewport()
    await expect(page.get_by_label("Message")).to_be_in_viewport()
    # Earlier pages are plain links, and they end.
    await page.get_by_role("link", name="Earlier messages").click()
    await expect(bodies(page)).to_have_count(10)
    await expect(page.get_by_text("This is the start of your conversation.")).to_be_visible()
    await page.get_by_role("link", name="Newest messages").click()
    await expect(page.locator(f"#m-{ids[-1]}")).to_be_in_viewport()


async def test_without_javascript_message_them_opens_at_the_first_unread_then_the_newest(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben, conversation, ids = await _long_conversation(live_server, api)
    await _read_all(api, ben, conversation)
    more = [await api_send(api, ada, conversation, f"Later {n:02d}") for n in range(1, 11)]
    page = await sign_in(devices, live_server, ben, java_script_enabled=False, viewport=PHONE)
    await page.goto(live_server.url(f"/people/{ada.handle}"))
    await page.get_by_role("button", name=re.compile("^Message")).click()
    await page.wait_for_url(re.compile(rf"/conversations/{conversation}#first-unread$"))
    await expect(page.locator("#first-unread")).to_have_text("New")
    await expect(page.locator(f"#m-{more[0]}")).to_be_in_viewport()
    # Read now: the same address (a notification's, a push's) opens at the newest.
    await page.goto(live_server.url("/connections"))
    await page.goto(live_server.url(f"/conversations/{conversation}#first-unread"))
    await expect(page.locator(".new-divider")).to_have_count(0)
    await expect(page.locator(f"#m-{more[-1]}")).to_be_in_viewport()
    await expect(page.get_by_label("Message")).to_be_in_viewport()
    assert ids[-1] < more[0]
