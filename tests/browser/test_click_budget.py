"""The everyday tasks, counted in taps, on a phone (390x844), starting from the feed.

- message a connection from their page, or from the conversation list: at most 2 taps to a
  message box in view, then type and send;
- share a text moment with a circle: at most 3 taps, the last one sharing it;
- answer a moment: at most 2 taps to an answer box in view, then type and send.

Every click the test makes goes through ``Taps`` and is counted; typing (filling a field)
does not count. What was sent or shared is then checked through the API, as the other
person would get it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.chat_people import api_bodies, open_direct
from tests.browser.conftest import LiveServer
from tests.browser.pages_tour import Community, build_community, open_as

pytestmark = pytest.mark.browser

PHONE = 390


class Taps:
    """Clicks made by the test, counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    async def tap(self, target: Locator) -> None:
        await target.click()
        self.count += 1


@pytest.fixture(scope="module")
async def community(live_server: LiveServer) -> Community:
    return await build_community(live_server, suffix="_" + uuid.uuid4().hex[:6])


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


@pytest.fixture
async def phone(
    browser: Browser, live_server: LiveServer, community: Community
) -> AsyncIterator[Page]:
    """Maya's phone, on her feed."""
    context = await open_as(browser, live_server, community, "maya", PHONE, "light")
    page = await context.new_page()
    yield page
    await context.close()


async def fresh_moment(api: httpx.AsyncClient, community: Community, who: str, body: str) -> None:
    """A moment to Maya, so her feed has something new whatever the tests before read."""
    author, maya = community.person(who), community.person("maya")
    response = await api.post(
        "/api/v1/moments", json={"body": body, "people": [maya.handle]}, headers=author.headers
    )
    assert response.status_code == 201, response.text


def moment_card(page: Page, text: str) -> Locator:
    return page.locator("article").filter(has_text=text).first


def link_or_button(within: Locator, name: re.Pattern[str]) -> Locator:
    """The first link or button called ``name``: a page may do it either way."""
    found = within.get_by_role("link", name=name).or_(within.get_by_role("button", name=name))
    return found.first


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name=re.compile(r"^(Message|Your answer)"))


async def type_and_send(taps: Taps, text: str) -> None:
    box = message_box(taps.page)
    await expect(box).to_be_in_viewport()
    await box.fill(text)
    await taps.tap(taps.page.get_by_role("button", name=re.compile(r"^Send")))


async def go_to_feed(page: Page, server: LiveServer) -> None:
    await page.goto(server.url("/feed"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your people")


async def test_message_a_connection_from_their_page(
    phone: Page, live_server: LiveServer, community: Community, api: httpx.AsyncClient
) -> None:
    tom, maya = community.person("tom"), community.person("maya")
    text = f"Tide times for the sea ride? {uuid.uuid4().hex[:4]}"
    await fresh_moment(api, community, "tom", f"Packing for the coast. {text}")
    await go_to_feed(phone, live_server)
    taps = Taps(phone)
    await taps.tap(moment_card(phone, text).get_by_role("link", name=re.compile(tom.name)).first)
    await expect(phone.get_by_role("heading", level=1)).to_contain_text(tom.name)
    await taps.tap(link_or_button(phone.get_by_role("main"), re.compile(r"^Message")))
    await expect(message_box(phone)).to_be_visible()
    assert taps.count <= 2, f"{taps.count} taps to a message box"
    await type_and_send(taps, "Want company on the ride?")
    conversation = await open_direct(api, tom, maya)
    await expect(phone.get_by_text("Want company on the ride?")).to_be_visible()
    assert "Want company on the ride?" in await api_bodies(api, tom, conversation)


async def test_message_a_connection_from_the_conversation_list(
    phone: Page, live_server: LiveServer, community: Community, api: httpx.AsyncClient
) -> None:
    ines = community.person("ines")
    await go_to_feed(phone, live_server)
    taps = Taps(phone)
    await taps.tap(phone.locator("nav.tabbar").get_by_role("link", name="Conversations"))
    await taps.tap(phone.get_by_role("main").get_by_role("link", name=re.compile(ines.name)))
    await expect(message_box(phone)).to_be_in_viewport()
    assert taps.count <= 2, f"{taps.count} taps to a message box"
    text = f"Coffee on Saturday still on? {uuid.uuid4().hex[:4]}"
    await type_and_send(taps, text)
    await expect(phone.get_by_text(text)).to_be_visible()
    conversation = await open_direct(api, ines, community.person("maya"))
    assert text in await api_bodies(api, ines, conversation)


async def test_share_a_text_moment_with_a_circle(
    phone: Page, live_server: LiveServer, community: Community, api: httpx.AsyncClient
) -> None:
    await go_to_feed(phone, live_server)
    taps = Taps(phone)
    await taps.tap(phone.locator("nav.tabbar").get_by_role("link", name="Share"))
    text = f"First tulip is out! {uuid.uuid4().hex[:4]}"
    await phone.get_by_label("What would you like to share?").fill(text)
    await taps.tap(phone.get_by_role("checkbox", name="Family"))
    await taps.tap(phone.get_by_role("button", name="Share", exact=True))
    await expect(phone.get_by_role("status")).to_contain_text("Shared with Family")
    assert taps.count <= 3, f"{taps.count} taps to share"
    ines = community.person("ines")  # in Family: she gets it; Tom (not in it) does not
    seen = await api.get("/api/v1/feed?since=0", headers=ines.headers)
    assert text in [m["body"] for m in seen.json()["moments"]]
    unseen = await api.get("/api/v1/feed?since=0", headers=community.person("tom").headers)
    assert text not in [m["body"] for m in unseen.json()["moments"]]


async def test_answer_a_moment(
    phone: Page, live_server: LiveServer, community: Community, api: httpx.AsyncClient
) -> None:
    text = f"Sourdough, attempt five. {uuid.uuid4().hex[:4]}"
    await fresh_moment(api, community, "jonas", text)
    await go_to_feed(phone, live_server)
    taps = Taps(phone)
    card = moment_card(phone, text)
    await taps.tap(link_or_button(card, re.compile("answer", re.IGNORECASE)))
    await expect(message_box(phone)).to_be_in_viewport()
    assert taps.count <= 2, f"{taps.count} taps to an answer box"
    await type_and_send(taps, "It looks wonderful. Save me a slice?")
    jonas = community.person("jonas")
    conversation = await open_direct(api, jonas, community.person("maya"))
    assert "It looks wonderful. Save me a slice?" in await api_bodies(api, jonas, conversation)
