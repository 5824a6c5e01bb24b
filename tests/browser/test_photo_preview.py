"""A chosen photo is shown at once, before anything is sent: on the share form and in a
conversation's composer."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.async_api import expect

from tests.browser.chat_people import connect, open_direct, people, sign_in
from tests.browser.conftest import Devices, LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


async def test_a_chosen_photo_is_previewed_before_it_is_sent(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, tmp_path: Path
) -> None:
    photo = tmp_path / "lake.png"
    Image.new("RGB", (120, 80), (40, 120, 160)).save(photo)
    ana, ben = await people(live_server, api, "Ana", "Ben")
    await connect(api, ana, ben)
    chat = await open_direct(api, ana, ben)
    page = await sign_in(devices, live_server, ana)

    await page.goto(live_server.url("/moments/new"))
    await page.get_by_label("Choose photos").set_input_files(photo)
    shown = page.get_by_role("img", name="Preview of the photo you chose")
    await expect(shown).to_be_visible()
    await expect(shown).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    assert await shown.evaluate("i => i.naturalWidth") == 120
    await page.get_by_label("Choose photos").set_input_files([])  # chosen away again
    await expect(shown).to_have_count(0)

    await page.goto(live_server.url(f"/conversations/{chat}#latest"))
    await page.locator("#f-photo").set_input_files(photo)
    await expect(page.get_by_role("img", name="Preview of the photo you chose")).to_be_visible()
