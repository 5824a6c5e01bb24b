"""The same moment's time, as a member in America/Toronto and one in Asia/Kolkata see it.

The server has no clock a test may set, so the expected texts come from the instant the
moment got (its ``created_at`` in the API) through ``socialode.web.when``, the one definition
of how times read. Just after sharing, the page says "now" (or "N min") to both, and the
full local date and time is the ``title``; the browser's clock is then moved on three hours
(Playwright's clock; the server's is untouched) and the text the page's own script refreshes
to must be the local clock time each reader expects ("14:05", "yesterday 21:40" ...) — a
different one in each zone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from socialode.web.when import full_text, when_text
from tests.browser.conftest import LiveServer
from tests.browser.pages_tour import Builder, Community, open_as

pytestmark = pytest.mark.browser

ZONES = {"ana": "America/Toronto", "ravi": "Asia/Kolkata"}
LATER = timedelta(hours=3)


async def share_between_zones(server: LiveServer, text: str) -> tuple[Community, int, datetime]:
    """Ana (Toronto) shares a moment with Ravi (Kolkata); its id and the instant it got."""
    builder = Builder(server.base_url, server.env, "_" + uuid.uuid4().hex[:6])
    await builder.sign_up("ana", "Ana Souza", ZONES["ana"], await builder.invite(""))
    await builder.sign_up("ravi", "Ravi Menon", ZONES["ravi"], await builder.invite("ana"))
    await builder.connect("ana", "ravi")
    ravi = builder.done.person("ravi")
    moment = await builder.call(
        "ana", "POST", "/moments", json={"body": text, "people": [ravi.handle]}
    )
    await builder.api.aclose()
    instant = datetime.fromisoformat(moment["created_at"]).astimezone(UTC)
    return builder.done, int(moment["id"]), instant


def moment_time(page: Page, text: str) -> Locator:
    return page.locator("article").filter(has_text=text).locator("time").first


async def test_a_moment_reads_in_each_readers_zone(
    browser: Browser, live_server: LiveServer
) -> None:
    text = f"Lanterns on the lake tonight {uuid.uuid4().hex[:4]}"
    community, moment_id, instant = await share_between_zones(live_server, text)
    later_texts: dict[str, str] = {}
    for who, zone_name in ZONES.items():
        zone = ZoneInfo(zone_name)
        context = await open_as(browser, live_server, community, who, 1280, "light")
        page = await context.new_page()
        await page.clock.install(time=datetime.now(UTC))
        before = datetime.now(UTC)
        await page.goto(live_server.url(f"/moments/{moment_id}"))
        after = datetime.now(UTC)
        await expect(page.locator("body")).to_have_attribute("data-zone", zone_name)
        shown = moment_time(page, text)
        iso = instant.isoformat().replace("+00:00", "Z")
        assert datetime.fromisoformat(await shown.get_attribute("datetime") or "") == instant, iso
        await expect(shown).to_have_attribute("title", full_text(instant, zone))
        fresh = {when_text(instant, zone, before), when_text(instant, zone, after)}
        assert (await shown.inner_text()).strip() in fresh, f"{who} ({zone_name})"

        # Three hours on, the page's script refreshes the text to the reader's clock time.
        await page.clock.fast_forward(int(LATER.total_seconds() * 1000))
        now_ms = await page.evaluate("Date.now()")
        browser_now = datetime.fromtimestamp(now_ms / 1000, UTC)
        expected = when_text(instant, zone, browser_now)
        await expect(shown).to_have_text(expected)
        later_texts[who] = expected
        await context.close()
    local_clocks = {
        who: instant.astimezone(ZoneInfo(z)).strftime("%H:%M") for who, z in ZONES.items()
    }
    assert all(local_clocks[who] in later_texts[who] for who in ZONES), (later_texts, local_clocks)
    assert later_texts["ana"] != later_texts["ravi"]
