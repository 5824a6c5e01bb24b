"""Finding your own people in a real Chromium: as you type on /connections and in the share
and new-conversation pickers, and the same boxes as plain forms without JavaScript.

Maya is connected with Inês Duarte, Tom Okafor and Zoë Okonkwo, and has a circle "Família";
Cy is connected with Tom only, so Maya never finds Cy.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.chat_people import Person, _sign_up, connect, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

CONVERSATION = re.compile(r"/conversations/\d+(#[\w-]+)?$")


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


@dataclass(frozen=True)
class Friends:
    maya: Person
    ines: Person
    tom: Person
    zoe: Person
    cy: Person


async def member(server: LiveServer, api: httpx.AsyncClient, name: str, suffix: str) -> Person:
    """Someone who joined with an operator's invite (a member's invite would connect them)."""
    link = (await server.cli("invites", "create")).strip()
    return await _sign_up(api, link, f"{name.lower()}_{suffix}", name)


async def friends(server: LiveServer, api: httpx.AsyncClient) -> Friends:
    suffix = uuid.uuid4().hex[:8]
    maya, ines, tom, zoe, cy = [
        await member(server, api, name, suffix) for name in ("Maya", "Ines", "Tom", "Zoe", "Cy")
    ]
    for who, name in (
        (ines, "Inês Duarte"),
        (tom, "Tom Okafor"),
        (zoe, "Zoë Okonkwo"),
        (cy, "Cy Okoro"),
    ):
        renamed = await api.patch("/api/v1/me", json={"display_name": name}, headers=who.headers)
        assert renamed.status_code == 200, renamed.text
    for other in (ines, tom, zoe):
        await connect(api, maya, other)
    await connect(api, cy, tom)
    made = await api.post("/api/v1/circles", json={"name": "Família"}, headers=maya.headers)
    assert made.status_code == 201, made.text
    return Friends(maya, ines, tom, zoe, cy)


def share_button(page: Page) -> Locator:
    """The share form's own button (the form also has a hidden one that Enter presses)."""
    return page.locator('form[action="/moments"] button[type="submit"]:not([hidden])').filter(
        has_text="Share"
    )


def choice(page: Page, name: str) -> Locator:
    return page.locator("label.check").filter(has_text=name)


async def test_as_you_type_the_connection_appears(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, a11y: A11yAudit
) -> None:
    f = await friends(live_server, api)
    page = await sign_in(devices, live_server, f.maya)

    # /connections: part of a name, without accents, finds Inês; the page does not change.
    await page.goto(live_server.url("/connections"))
    box = page.get_by_label("Find one of your people or circles")
    await box.press_sequentially("ines", delay=40)
    found = page.locator("#find-people-found")
    await expect(found.get_by_role("link", name="Inês Duarte")).to_be_visible()
    await expect(found.get_by_text("Tom Okafor")).to_have_count(0)
    await expect(page.locator("#find-people-said")).to_contain_text("listed below")
    assert page.url.endswith("/connections")
    await a11y.check(page, "connections, search results")
    await box.press("ArrowDown")  # into the results, by keyboard
    await expect(found.get_by_role("link", name="Inês Duarte")).to_be_focused()
    await box.fill("")
    await box.press_sequentially("oko", delay=40)  # Zoë Okonkwo, never Cy Okoro
    await expect(found.get_by_role("link", name="Zoë Okonkwo")).to_be_visible()
    await expect(found.get_by_text("Cy Okoro")).to_have_count(0)
    await box.fill("x" * 100)
    await box.press("Enter")
    await expect(found).to_contain_text("Nothing of yours matches")

    # The share page: the audience narrows to what matches; a chosen one stays in sight.
    await page.goto(live_server.url("/moments/new"))
    find = page.get_by_label("Find a circle or person")
    await find.press_sequentially("okaf", delay=40)
    await expect(choice(page, "Tom Okafor")).to_be_visible()
    await expect(choice(page, "Inês Duarte")).to_be_hidden()
    await expect(choice(page, "Família")).to_be_hidden()
    await expect(page.locator("#find-audience-said")).to_contain_text("Showing what matches")
    await a11y.check(page, "share, audience narrowed")
    await page.get_by_label("Tom Okafor (@").check()
    await find.fill("")
    await find.press_sequentially("zzz", delay=40)
    await expect(page.locator("#find-audience-said")).to_contain_text("Nothing of yours matches")
    await expect(choice(page, "Tom Okafor")).to_be_visible()  # chosen, so still there
    await find.press("Escape")
    await expect(choice(page, "Inês Duarte")).to_be_visible()
    await expect(choice(page, "Família")).to_be_visible()
    await page.get_by_label("What would you like to share?").fill("Tea at mine on Sunday?")
    await share_button(page).click()
    await expect(page.get_by_role("status").first).to_contain_text("Shared with Tom Okafor")

    # New conversation: a match comes with a Message button that opens the one-to-one.
    await page.goto(live_server.url("/conversations"))
    group = page.get_by_label("Find people for the group")
    await group.press_sequentially("duarte", delay=40)
    await expect(choice(page, "Inês Duarte")).to_be_visible()
    await expect(choice(page, "Zoë Okonkwo")).to_be_hidden()
    talk = page.get_by_label("Find one of your connections")
    await talk.press_sequentially("zoe", delay=40)
    message = page.locator("#find-talk-found").get_by_role("button", name="Message Zoë Okonkwo")
    await expect(message).to_be_visible()
    await a11y.check(page, "conversations, search results")
    await message.click()
    await expect(page).to_have_url(CONVERSATION)


async def test_without_javascript_the_same_boxes_are_forms_that_work(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    f = await friends(live_server, api)
    page = await sign_in(devices, live_server, f.maya, java_script_enabled=False)

    await page.goto(live_server.url("/connections"))
    await page.get_by_label("Find one of your people or circles").fill("INES")
    await page.get_by_role("search").get_by_role("button", name="Find").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Find your people")
    await expect(page.get_by_role("link", name="Inês Duarte")).to_be_visible()
    await expect(page.get_by_label("Name or handle")).to_have_value("INES")
    await page.get_by_label("Name or handle").fill("fam")
    await page.get_by_role("button", name="Find").click()
    await expect(page.get_by_role("link", name="Família")).to_be_visible()

    # Sharing: search, choose Inês, and she is chosen on the share page.
    await page.goto(live_server.url("/moments/new"))
    await page.get_by_label("Find a circle or person").fill("ines")
    await page.locator('button[form="find-audience-form"]').click()
    await page.get_by_role("link", name="Share with Inês Duarte").click()
    await expect(page.get_by_label("Inês Duarte (@")).to_be_checked()
    await page.get_by_label("What would you like to share?").fill("Walk by the river?")
    await share_button(page).click()
    await expect(page.get_by_role("status").first).to_contain_text("Shared with Inês Duarte")

    # Talking with one person: search, then Message.
    await page.goto(live_server.url("/conversations"))
    await page.get_by_label("Find one of your connections").fill("okafor")
    await page.get_by_role("search").get_by_role("button", name="Find").click()
    await page.get_by_role("button", name="Message Tom Okafor").click()
    await expect(page).to_have_url(CONVERSATION)

    # A small group: search, then start a group with Zoë, chosen on the list page.
    await page.goto(live_server.url("/conversations"))
    await page.get_by_label("Find people for the group").fill("zoe")
    await page.locator('button[form="find-members-form"]').click()
    await page.get_by_role("link", name="Start a group with Zoë Okonkwo").click()
    await expect(page.get_by_label("Zoë Okonkwo (@")).to_be_checked()

    # A refusal comes back beside the box, with what was typed.
    await page.goto(live_server.url("/search?q=" + "x" * 101))
    await expect(page.locator("#e-q")).to_contain_text("100 characters")
