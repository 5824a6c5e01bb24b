"""Gatherings in a real Chromium: Ana plans to meet her circle "Friends" through the form at
/gatherings/new, typing three times in her own zone; Ben and Chloe, each in another zone, see
those times in theirs and answer them; Ana sets the time the most people can make; Ben and
Chloe say they are going and download the calendar file, whose start is the instant Ana
typed. Dev, connected to Ana but not invited, gets the same 404 as a gathering that does not
exist, and finds it in none of his gatherings, notifications or calendar feed. axe finds
nothing to fix on the gathering's page, light and dark. Without JavaScript, "Add another
time" sends the form back with one more row and what was typed kept.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.chat_people import Person, connect, people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
GATHERING_URL = re.compile(r"/gatherings/(\d+)$")
TITLE = "Dumplings and board games"
ZONES = {
    "Ana": "Europe/Lisbon",
    "Ben": "Asia/Tokyo",
    "Chloe": "America/Los_Angeles",
    "Dev": "Europe/Berlin",
}
# The three times Ana types: (days from today in her zone, from, until).
TIMES = ((20, "18:30", "21:00"), (21, "18:30", "21:00"), (27, "12:00", "15:00"))
# Each one's answers to the three times: the first suits both best.
ANSWERS = {"Ben": ("Yes", "If needed", "No"), "Chloe": ("Yes", "No", "Yes")}


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


def instant(day: date, clock: str, zone: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, dtime(hour, minute), ZoneInfo(zone))


def shown(at: datetime, zone: str) -> str:
    """As the pages show an instant to a reader in ``zone``: "Wed 2 Dec 2026, 14:05"."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


async def call(
    api: httpx.AsyncClient, who: Person, method: str, path: str, **kw: Any
) -> dict[str, Any]:
    response = await api.request(method, "/api/v1" + path, headers=who.headers, **kw)
    assert response.status_code < 300, f"{method} {path}: {response.text}"
    return response.json() if response.content else {}


async def say(page: Page, text: str) -> None:
    """The page came back telling what happened."""
    await expect(page.get_by_role("status").first).to_contain_text(text)


async def notifications_text(page: Page, server: LiveServer) -> str:
    await page.goto(server.url("/notifications"))
    return await page.get_by_role("main").inner_text()


async def calendar_of(page: Page) -> Calendar:
    """The file behind "Add to my calendar", downloaded as a person does."""
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Add to my calendar").click()
    download = await downloading.value
    return Calendar.from_ical((await download.path()).read_bytes())


async def test_friends_choose_a_time_and_take_it_to_their_calendars(
    live_server: LiveServer, api: httpx.AsyncClient, devices: Devices, a11y: A11yAudit
) -> None:
    ana, ben, chloe, dev = await people(live_server, api, *ZONES)
    for person in (ana, ben, chloe, dev):
        await call(api, person, "PATCH", "/me", json={"timezone": ZONES[person.name]})
    for friend in (ben, chloe, dev):
        await connect(api, ana, friend)
    friends = await call(api, ana, "POST", "/circles", json={"name": "Friends"})
    for friend in (ben, chloe):
        await call(api, ana, "PUT", f"/circles/{friends['id']}/members/{friend.handle}")

    # Ana plans it through the form, typing the times in her own zone.
    today = datetime.now(ZoneInfo(ZONES["Ana"])).date()
    days = [today + timedelta(days=n) for n, _, _ in TIMES]
    starts = [
        instant(day, start, ZONES["Ana"]) for day, (_, start, _) in zip(days, TIMES, strict=True)
    ]
    page = {"Ana": await sign_in(devices, live_server, ana, viewport=PHONE)}
    await page["Ana"].goto(live_server.url("/gatherings/new"))
    await expect(page["Ana"].get_by_role("heading", level=1)).to_have_text("Plan to meet")
    await page["Ana"].get_by_label("What is it?").fill(TITLE)
    await page["Ana"].get_by_label("A circle").select_option(str(friends["id"]))
    rows = page["Ana"].locator("#f-times .time-row[id^='f-times']")
    await expect(rows).to_have_count(3)
    for n, (day, (_, start, end)) in enumerate(zip(days, TIMES, strict=True)):
        row = rows.nth(n)
        await row.get_by_label("Day").fill(day.isoformat())
        await row.get_by_label("From").fill(start)
        await row.get_by_label("Until").fill(end)
    await page["Ana"].get_by_label("Where (optional)").fill("Ana's kitchen")
    await page["Ana"].get_by_role("button", name="Send the invitations").click()
    await expect(page["Ana"]).to_have_url(GATHERING_URL)
    gathering = int(GATHERING_URL.search(page["Ana"].url).group(1))  # type: ignore[union-attr]
    await say(page["Ana"], "Invitations are on their way.")
    await expect(page["Ana"].get_by_role("heading", level=1)).to_have_text(TITLE)
    await a11y.check(page["Ana"], "a gathering choosing a time, light")
    await page["Ana"].emulate_media(color_scheme="dark")
    await page["Ana"].reload()
    await a11y.check(page["Ana"], "a gathering choosing a time, dark")
    await page["Ana"].emulate_media(color_scheme="light")

    # Ben and Chloe see the times in their own zones, and answer them.
    for friend in (ben, chloe):
        zone = ZONES[friend.name]
        page[friend.name] = await sign_in(devices, live_server, friend, viewport=PHONE)
        at = page[friend.name]
        await at.goto(live_server.url(f"/gatherings/{gathering}"))
        await expect(at.get_by_role("heading", level=1)).to_have_text(TITLE)
        options = at.locator("fieldset.option")
        await expect(options).to_have_count(3)
        for n, answer in enumerate(ANSWERS[friend.name]):
            await expect(options.nth(n).locator("legend")).to_contain_text(shown(starts[n], zone))
            await options.nth(n).get_by_text(answer, exact=True).click()
        await at.get_by_role("button", name="Save my answers").click()
        await say(at, "Your answers are in.")
        await expect(
            options.nth(0).get_by_label(ANSWERS[friend.name][0], exact=True)
        ).to_be_checked()

    # Ana sees who can make which time, and sets the one chosen for her: the first.
    await page["Ana"].reload()
    first = page["Ana"].locator("fieldset.option").nth(0)
    await expect(first).to_contain_text(f"Yes: {ben.name}, {chloe.name}")
    choice = page["Ana"].get_by_label("Set the time")
    await expect(choice.locator("option:checked")).to_have_text(shown(starts[0], ZONES["Ana"]))
    await page["Ana"].get_by_role("button", name="Set this time").click()
    await say(page["Ana"], "The time is set.")
    when = page["Ana"].locator("dl.facts dd").first
    await expect(when).to_contain_text(shown(starts[0], ZONES["Ana"]))

    # Ben and Chloe are going, see the time in their zone and take it to their calendars.
    for friend in (ben, chloe):
        at = page[friend.name]
        await at.reload()
        await at.get_by_role("button", name="Going", exact=True).click()
        await say(at, "Your answer is saved")
        await expect(at.get_by_role("button", name="Going", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        guest = at.locator("ul.guests li").filter(has_text=friend.name)
        await expect(guest).to_contain_text("going")
        await expect(at.locator("dl.facts dd").first).to_contain_text(
            shown(starts[0], ZONES[friend.name])
        )
        events = (await calendar_of(at)).events
        assert len(events) == 1
        assert str(events[0]["SUMMARY"]) == TITLE
        begins = events[0].start
        assert isinstance(begins, datetime) and begins.tzinfo is not None, begins
        assert begins == starts[0], (friend.name, begins, starts[0])
    await page["Ben"].emulate_media(color_scheme="dark")
    await page["Ben"].reload()
    await a11y.check(page["Ben"], "a gathering with its time set, dark")
    await page["Ben"].emulate_media(color_scheme="light")
    await page["Ben"].reload()
    await a11y.check(page["Ben"], "a gathering with its time set, light")

    # Those invited heard of it: Ben's notifications and his calendar feed have it.
    assert TITLE in await notifications_text(page["Ben"], live_server)
    ben_feed = (await call(api, ben, "GET", "/gatherings/calendar"))["url"]
    assert TITLE in (await api.get(ben_feed)).text

    # Dev, connected to Ana but not invited: as if it did not exist, everywhere.
    page["Dev"] = await sign_in(devices, live_server, dev, viewport=PHONE)
    answered = {}
    for key, path in (("real", f"/gatherings/{gathering}"), ("made up", "/gatherings/987654321")):
        response = await page["Dev"].goto(live_server.url(path))
        assert response is not None
        answered[key] = (response.status, await page["Dev"].get_by_role("main").inner_text())
    assert answered["real"] == answered["made up"], answered
    assert answered["real"][0] == 404
    assert TITLE not in answered["real"][1]
    for path in ("/api/v1/gatherings/{}", "/gatherings/{}/calendar.ics"):
        real = await api.get(path.format(gathering), headers=dev.headers)
        made_up = await api.get(path.format(987654321), headers=dev.headers)
        assert (real.status_code, real.text) == (made_up.status_code, made_up.text), path
        assert real.status_code == 404
    listed = await call(api, dev, "GET", "/gatherings")
    assert listed["coming"] == [] and listed["past"] == []
    await page["Dev"].goto(live_server.url("/gatherings"))
    await expect(page["Dev"].get_by_role("heading", level=1)).to_have_text("Gatherings")
    assert TITLE not in await page["Dev"].get_by_role("main").inner_text()
    assert TITLE not in await notifications_text(page["Dev"], live_server)
    dev_feed = (await call(api, dev, "GET", "/gatherings/calendar"))["url"]
    feed = await api.get(dev_feed)
    assert feed.status_code == 200, feed.text
    assert TITLE not in feed.text
    assert Calendar.from_ical(feed.content).events == []


async def test_add_another_time_without_javascript(
    live_server: LiveServer, api: httpx.AsyncClient, devices: Devices
) -> None:
    ana, ben = await people(live_server, api, "Ana", "Ben")
    await connect(api, ana, ben)
    page = await sign_in(devices, live_server, ana, viewport=PHONE, java_script_enabled=False)
    await page.goto(live_server.url("/gatherings/new"))
    rows = page.locator("#f-times .time-row[id^='f-times']")
    await expect(rows).to_have_count(3)
    await page.get_by_label("What is it?").fill(TITLE)
    await rows.nth(0).get_by_label("Day").fill("2030-05-04")
    await rows.nth(0).get_by_label("From").fill("10:00")
    await page.get_by_role("button", name="Add another time").click()
    await expect(rows).to_have_count(4)
    await expect(page.get_by_label("What is it?")).to_have_value(TITLE)
    await expect(rows.nth(0).get_by_label("Day")).to_have_value("2030-05-04")
    await expect(rows.nth(0).get_by_label("From")).to_have_value("10:00")
    await expect(rows.nth(3).get_by_label("Day")).to_have_value("")
