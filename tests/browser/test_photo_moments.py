"""Photo moments in Chromium: two photos chosen, described and put in order on the share form
(the buttons move them in place), shown in that order with their descriptions as their
alternative text, opened larger in a dialog with the keyboard and closed with Escape; and
suggested words that fill the answer box, to be changed and sent privately."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.async_api import expect

from tests.browser.chat_people import connect, people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

MOMENT_URL = re.compile(r"/moments/(\d+)$")


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


def pictures(folder: Path) -> list[Path]:
    made = []
    for name, colour, size in (
        ("lake", (40, 120, 160), (120, 80)),
        ("tulips", (200, 60, 90), (90, 90)),
    ):
        path = folder / f"{name}.png"
        Image.new("RGB", size, colour).save(path)
        made.append(path)
    return made


async def test_two_photos_described_reordered_shared_and_viewed(
    live_server: LiveServer,
    devices: Devices,
    api: httpx.AsyncClient,
    a11y: A11yAudit,
    tmp_path: Path,
) -> None:
    ana, ben = await people(live_server, api, "Ana", "Ben")
    await connect(api, ana, ben)
    lake, tulips = pictures(tmp_path)
    page = await sign_in(devices, live_server, ana)

    await page.goto(live_server.url("/moments/new"))
    await page.get_by_label("Choose photos").set_input_files([lake, tulips])
    await expect(page.get_by_role("img", name="Preview of the photo you chose")).to_have_count(2)
    await page.get_by_role("button", name="Add them, to describe and order them").click()
    await expect(page.get_by_role("img", name="Photo 2 you chose")).to_be_visible()
    await page.get_by_label("Description of photo 1 (optional)").fill("A still lake at dawn")
    await page.get_by_label("Description of photo 2 (optional)").fill("Red tulips by the door")
    await a11y.check(page, "share form with two photos")

    # Move the tulips up, in place: the numbers follow and focus stays on the button.
    url_before = page.url
    move = page.get_by_role("button", name="Move up photo 2")
    await move.focus()
    await page.keyboard.press("Enter")
    await expect(
        page.get_by_role("status").filter(has_text="Photo moved to place 1.")
    ).to_be_attached()
    assert page.url == url_before
    await expect(page.get_by_label("Description of photo 1 (optional)")).to_have_value(
        "Red tulips by the door"
    )
    await expect(page.get_by_role("button", name="Move down photo 1")).to_be_focused()

    await page.get_by_text("Or choose people by name").click()
    await page.get_by_label(f"{ben.name} (@{ben.handle})").check()
    await page.get_by_role("button", name="Share", exact=True).click()
    await page.wait_for_url(MOMENT_URL)
    moment = int(MOMENT_URL.search(page.url).group(1))  # type: ignore[union-attr]

    reader = await sign_in(devices, live_server, ben)
    await reader.goto(live_server.url("/feed?since=0"))
    shown = reader.locator(f"#moment-{moment} .moment-photos img")
    await expect(shown).to_have_count(2)
    assert [await img.get_attribute("alt") for img in await shown.all()] == [
        "Red tulips by the door",
        "A still lake at dawn",
    ]
    await a11y.check(reader, "feed with a photo moment")

    # The viewer: opened with the keyboard, the arrow keys move, Escape closes, focus returns.
    first = reader.locator(f"#moment-{moment} a.moment-photo").first
    await first.focus()
    await reader.keyboard.press("Enter")
    viewer = reader.get_by_role("dialog", name="Photo 1 of 2")
    await expect(viewer).to_be_visible()
    await expect(viewer.get_by_role("img", name="Red tulips by the door")).to_be_visible()
    await expect(viewer.get_by_role("button", name="Previous photo")).to_be_hidden()
    await a11y.check(reader, "photo viewer")
    await reader.keyboard.press("ArrowRight")
    await expect(reader.get_by_role("dialog", name="Photo 2 of 2")).to_be_visible()
    await expect(
        reader.get_by_role("dialog").get_by_role("img", name="A still lake at dawn")
    ).to_be_visible()
    await reader.keyboard.press("Escape")
    await expect(reader.get_by_role("dialog")).to_have_count(0)
    await expect(first).to_be_focused()

    # Suggested words fill the answer box, to be changed, and go as a private message.
    await reader.goto(live_server.url(f"/moments/{moment}"))
    await reader.get_by_role("link", name="This made me smile").click()
    box = reader.get_by_label("Your answer")
    await expect(box).to_have_value("This made me smile")
    await expect(box).to_be_focused()
    assert reader.url.endswith(f"/moments/{moment}")  # filled in place, no page was loaded
    await reader.keyboard.type(", the tulips!")
    await reader.get_by_role("button", name="Send answer").click()
    await reader.wait_for_url(re.compile(r"/conversations/\d+"))
    await expect(reader.get_by_text("This made me smile, the tulips!")).to_be_visible()


async def test_without_javascript_a_photo_is_its_own_page(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, tmp_path: Path
) -> None:
    ana, ben = await people(live_server, api, "Ana", "Ben")
    await connect(api, ana, ben)
    ids = []
    for path in pictures(tmp_path):
        files = {"photo": (path.name, path.read_bytes(), "image/png")}
        made = await api.post("/api/v1/moments/photos", files=files, headers=ana.headers)
        ids.append(made.json()["id"])
    shared = await api.post(
        "/api/v1/moments",
        json={
            "body": "",
            "people": [ben.handle],
            "photos": [{"id": ids[0], "alt": "A lake"}, {"id": ids[1]}],
        },
        headers=ana.headers,
    )
    moment = shared.json()["id"]
    page = await sign_in(devices, live_server, ben, java_script_enabled=False)
    await page.goto(live_server.url(f"/moments/{moment}"))
    await page.get_by_role("link", name="A lake").click()
    await page.wait_for_url(re.compile(rf"/moments/{moment}/photos/1$"))
    await page.get_by_role("link", name="Next photo").click()
    await expect(page.get_by_role("img", name="Photo shared by Ana")).to_be_visible()
    await page.get_by_role("link", name="Back to the moment").click()
    await page.get_by_role("link", name="Tell me more").click()
    await expect(page.get_by_label("Your answer")).to_have_value("Tell me more")
