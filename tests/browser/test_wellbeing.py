"""Wellbeing check-ins in a real Chromium, at phone size: a member opens "How are you?" from
"You", takes the WHO-5 and the UCLA-3 by tapping the answers, sees each result, and finds
both on their trends page, in the light and the dark theme; a WHO-5 sent with one answer
missing comes back with the answers given and the message beside the missing one; "Get help"
leads to the crisis lines of the member's language, English and then European Portuguese,
where the questions stay in their published English. axe finds nothing to fix on any of it.

Each kind was also taken ten days before (through the API, then moved back in the server's
database: only the moment a check-in was taken is stored in the clear), so the trends page
has a line to draw and a change to describe, as it would on a later day.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.chat_people import Person, people, sign_in
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
RESULT = re.compile(r"/wellbeing/checkins/(\d+)$")
DAYS_BEFORE = 10
NOTE = "Slept badly after the late shift; the walk with Ines helped."

# The WHO-5 as tapped in the browser: 4+3+4+3+5 = 19, shown as 76 out of 100.
WHO5_TAPS = (
    "Most of the time",
    "More than half of the time",
    "Most of the time",
    "More than half of the time",
    "All of the time",
)
MISSED = 2  # the third statement, left unanswered the first time
UCLA3_TAPS = ("Some of the time", "Hardly ever", "Some of the time")  # 2+1+2 = 5 out of 9

# The computed colour of a chart's line, and of the first painted background behind it.
COLOURS = """(svg) => {
  const line = getComputedStyle(svg.querySelector('.chart-path')).stroke;
  let at = svg, background = 'rgba(0, 0, 0, 0)';
  while (at && /rgba\\(.*, 0\\)$|transparent/.test(background)) {
    background = getComputedStyle(at).backgroundColor;
    at = at.parentElement;
  }
  return {line, background};
}"""


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


def _rgb(css: str) -> tuple[float, float, float]:
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", css)
    assert found, css
    red, green, blue = (float(found.group(n)) for n in (1, 2, 3))
    return red, green, blue


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two computed colours."""

    def luminance(css: str) -> float:
        def channel(value: float) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(v) for v in _rgb(css))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def earlier_checkins(server: LiveServer, api: httpx.AsyncClient, who: Person) -> None:
    """A WHO-5 of 40 and a UCLA-3 of 9, taken ten days ago."""
    for instrument, answers in (
        ("who5", {f"q{n}": 2 for n in range(1, 6)}),
        ("ucla3", {f"q{n}": 3 for n in range(1, 4)}),
    ):
        made = await api.post(
            "/api/v1/wellbeing/checkins",
            json={"instrument": instrument, "answers": answers},
            headers=who.headers,
        )
        assert made.status_code == 201, made.text
    with contextlib.closing(sqlite3.connect(server.data_dir / "browser.db")) as db, db:
        rows = db.execute(
            "SELECT c.id, c.taken_at FROM wellbeing_checkins c JOIN users u ON u.id = c.user_id"
            " WHERE u.handle = ?",
            (who.handle,),
        ).fetchall()
        assert len(rows) == 2
        for checkin_id, taken_at in rows:
            earlier = datetime.fromisoformat(taken_at) - timedelta(days=DAYS_BEFORE)
            db.execute(
                "UPDATE wellbeing_checkins SET taken_at = ? WHERE id = ?",
                (earlier.isoformat(" "), checkin_id),
            )


async def tap(page: Page, item: int, answer: str) -> None:
    """Tap an answer's words, as a person does, for the item at this position."""
    await page.locator("fieldset.item").nth(item).get_by_text(answer, exact=True).click()


async def start(page: Page, title: str) -> None:
    offer = page.locator("li.offer").filter(has_text=title)
    await offer.get_by_role("link", name="Start").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)


async def choose_theme(page: Page, server: LiveServer, label: str) -> None:
    await page.goto(server.url("/settings/appearance"))
    await page.get_by_label(label, exact=True).check()
    form = page.locator("form[action='/settings/appearance']")
    await form.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").first).to_contain_text("Saved")


async def follow_get_help(page: Page) -> None:
    link = page.locator("a.help-link:visible")
    await expect(link).to_have_count(1)
    await link.click()
    await expect(page).to_have_url(re.compile(r"/help$"))


async def test_a_member_checks_in_sees_trends_and_finds_help(
    live_server: LiveServer, api: httpx.AsyncClient, devices: Devices, a11y: A11yAudit
) -> None:
    maya, ines = await people(live_server, api, "Maya", "Ines")
    await earlier_checkins(live_server, api, maya)
    page = await sign_in(devices, live_server, maya, viewport=PHONE)

    # "You", then "How are you?": mood first, then the check-ins.
    await page.locator("nav.tabbar").get_by_role("link", name="You", exact=True).click()
    await page.get_by_role("link", name="How are you?").click()
    await expect(page).to_have_url(re.compile(r"/wellbeing$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("How are you?")
    await a11y.check(page, "wellbeing home")

    # The WHO-5, sent with the third statement unanswered: refused, the rest kept.
    await start(page, "WHO-5 Well-Being Index")
    await a11y.check(page, "WHO-5 form")
    for item, answer in enumerate(WHO5_TAPS):
        if item != MISSED:
            await tap(page, item, answer)
    await page.get_by_label("A note for yourself (optional)").fill(NOTE)
    await page.get_by_role("button", name="Save my answers").click()
    summary = page.locator("[data-error-summary]")
    await expect(summary).to_be_focused()
    missed = page.locator("fieldset.item").nth(MISSED)
    await expect(missed).to_have_class(re.compile(r"\bhas-error\b"))
    await expect(missed.locator("#e-q3")).to_have_text(
        "Choose an answer for “I have felt active and vigorous”."
    )
    await expect(missed).to_have_attribute("aria-describedby", "e-q3")
    for item, answer in enumerate(WHO5_TAPS):
        choice = page.locator("fieldset.item").nth(item).get_by_label(answer, exact=True)
        if item == MISSED:
            await expect(missed.locator("input:checked")).to_have_count(0)
        else:
            await expect(choice).to_be_checked()
    await expect(page.get_by_label("A note for yourself (optional)")).to_have_value(NOTE)
    await a11y.check(page, "WHO-5 form, one answer missing")

    await tap(page, MISSED, WHO5_TAPS[MISSED])
    await page.get_by_role("button", name="Save my answers").click()
    await expect(page).to_have_url(RESULT)
    who5_id = int(RESULT.search(page.url).group(1))  # type: ignore[union-attr]
    await expect(page.locator(".score")).to_contain_text("76 out of 100")
    await expect(page.locator(".score")).to_contain_text("Good well-being")
    await expect(page.get_by_role("region", name="Your note")).to_contain_text(NOTE)
    await a11y.check(page, "WHO-5 result")
    # The note is the member's alone: to anyone else the check-in does not exist.
    others = await api.get(f"/api/v1/wellbeing/checkins/{who5_id}", headers=ines.headers)
    assert others.status_code == 404, others.text
    assert NOTE not in others.text

    # Back, and the UCLA-3 the same way.
    await page.get_by_role("link", name="How are you?").click()
    await start(page, "UCLA 3-item Loneliness Scale")
    for item, answer in enumerate(UCLA3_TAPS):
        await tap(page, item, answer)
    await page.get_by_role("button", name="Save my answers").click()
    await expect(page).to_have_url(RESULT)
    await expect(page.locator(".score")).to_contain_text("5 out of 9")
    await expect(page.locator(".score")).to_contain_text("Not often lonely")

    # Trends: a chart for each, with its numbers; light, then dark.
    strokes: dict[str, str] = {}
    for theme in ("Light", "Dark"):
        await choose_theme(page, live_server, theme)
        await page.goto(live_server.url("/wellbeing/trends"))
        await expect(page.locator("html")).to_have_attribute("data-theme", theme.lower())
        charts = page.locator("svg.chart-svg[role=img]")
        await expect(charts).to_have_count(2)
        for key, title in (("who5", "Well-being"), ("ucla3", "Loneliness")):
            figure = page.locator(f"#chart-{key}")
            svg = figure.locator("svg[role=img]")
            await expect(svg.locator("> title")).to_have_text(title)
            await expect(svg.locator("> desc")).not_to_be_empty()
            await expect(svg.locator(".chart-points circle")).to_have_count(2)
            await figure.get_by_text("The numbers").click()
            await expect(figure.locator("table.chart-data tbody tr")).to_have_count(2)
        await expect(page.locator("#chart-who5 table.chart-data")).to_contain_text("76")
        await expect(page.locator(".trend-notes")).to_contain_text(
            "Well-being rose 36 points since"
        )
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        colours = await page.locator("#chart-who5 svg").evaluate(COLOURS)
        strokes[theme] = colours["line"]
        assert contrast(colours["line"], colours["background"]) >= 3, (theme, colours)
        await a11y.check(page, f"trends, {theme.lower()}")
    assert strokes["Light"] != strokes["Dark"], strokes

    # Once at desktop size.
    await page.set_viewport_size(DESKTOP)
    await page.reload()
    await expect(page.locator("svg.chart-svg[role=img]")).to_have_count(2)
    assert await page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    await page.set_viewport_size(PHONE)

    # Get help, in English.
    await follow_get_help(page)
    crisis = page.locator("#crisis")
    await expect(crisis.locator("a[href='tel:988']")).to_be_visible()
    await expect(crisis.locator("a[href='tel:116123']")).to_be_visible()
    await a11y.check(page, "help, English")

    # In European Portuguese: the pages, the crisis lines, and questions in their English.
    chose = await api.patch("/api/v1/me", json={"language": "pt_PT"}, headers=maya.headers)
    assert chose.status_code == 200, chose.text
    await page.goto(live_server.url("/wellbeing"))
    await expect(page.locator("html")).to_have_attribute("lang", "pt-PT")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Como estás?")
    await follow_get_help(page)
    await expect(crisis.locator("a[href='tel:112']")).to_be_visible()
    await expect(crisis).to_contain_text("SNS 24")
    await expect(page.locator("a[href='tel:988']")).to_have_count(0)
    await a11y.check(page, "help, Portuguese")
    await page.goto(live_server.url("/wellbeing/checkin/who5"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Índice de Bem-Estar WHO-5")
    english = "As perguntas aparecem como os autores as publicaram, em inglês"
    await expect(page.locator("main p.notice").filter(has_text=english)).to_be_visible()
    await expect(page.locator("fieldset.item").first).to_have_attribute("lang", "en")
    await a11y.check(page, "WHO-5 form, Portuguese")
