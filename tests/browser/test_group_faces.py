"""In a group, a live message from someone who has not written on the page yet arrives with
their face, as it would after a reload: never an empty place beside it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import api_send, connect, message, people, sign_in
from tests.browser.conftest import Devices, LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def test_a_first_live_message_in_a_group_comes_with_its_face(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    host, quiet, talker = await people(live_server, api, "Hana", "Ivo", "Juno")
    for other in (quiet, talker):
        await connect(api, host, other)
    made = await api.post(
        "/api/v1/conversations/groups",
        json={"name": "Allotment", "members": [quiet.handle, talker.handle]},
        headers=host.headers,
    )
    assert made.status_code == 201, made.text
    group = int(made.json()["id"])
    await api_send(api, host, group, "Who has the shed key?")
    page = await sign_in(devices, live_server, host)
    await page.goto(live_server.url(f"/conversations/{group}#latest"))
    await expect(message(page, "Who has the shed key?")).to_be_visible()
    await expect(page.locator(f'li.msg[data-sender="{talker.handle}"]')).to_have_count(0)

    await api_send(api, talker, group, "Me! Under the blue pot.")
    live = page.locator(f'li.msg[data-sender="{talker.handle}"]')
    await expect(live).to_have_count(1)
    face = live.locator(".msg-face > .face")
    await expect(face).to_have_count(1)
    await expect(face).to_have_class(re.compile(r"\bface-sm\b.*\bmono\b"))
    await expect(face).to_have_text("J")
    live_face = await face.evaluate("f => f.outerHTML")
    await page.reload()
    again = page.locator(f'li.msg[data-sender="{talker.handle}"] .msg-face > .face')
    assert await again.evaluate("f => f.outerHTML") == live_face  # the same colour too
