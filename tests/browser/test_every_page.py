"""Every page of the app in Chromium at phone (390x844) and desktop (1280x800) size, in the
light and the dark theme (the system setting, emulated).

On each: the page answers as it should; nothing is wider than the window (no sideways
scrolling); no script error and nothing the Content-Security-Policy blocked; axe-core finds no
violation. On a phone, a signed-in page shows the tab bar in the window, and the tab of the
page's place (Your people, Conversations, Share, Notifications, You) is marked as the current
page, and no other.

The pages and the community they show come from ``pages_tour`` (``scripts/screenshots``
visits the same list), including the ask-first step of two actions that cannot be undone. One
community and one browser for the module; each page is opened once per size and theme, in a
browser context of the person who would see it. A page the app serves that the tour does not
visit fails ``test_the_tour_visits_every_page``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from playwright.async_api import Browser, BrowserContext, Page

from socialode.app import create_app
from socialode.config import Settings
from tests.browser.conftest import LiveServer
from tests.browser.pages_tour import (
    PAGES,
    SIZES,
    TABS,
    THEMES,
    Community,
    TourPage,
    build_community,
    open_as,
    visit,
)
from tests.test_block_routes import app_routes

pytestmark = pytest.mark.browser

PHONE = SIZES[0][0]
# GET routes that are not pages: a redirect, files, machine-readable answers (calendar files
# end in .ics: tests/browser/test_gatherings.py downloads them).
NOT_PAGES = (
    "/app",
    "/healthz",
    "/manifest.webmanifest",
    "/sw.js",
    "/api/",
    "/media/",
    "/calendar/",
)
VISITS = [(spec, width, theme) for width, _ in SIZES for theme in THEMES for spec in PAGES]


@dataclass
class Tour:
    """The browser contexts of one size and theme at a time (one per person), and what went
    wrong in their pages' scripts."""

    browser: Browser
    server: LiveServer
    community: Community
    axe: Axe = field(default_factory=Axe)
    shown: tuple[int, str] = (0, "")
    pages: dict[str, Page] = field(default_factory=dict)
    contexts: list[BrowserContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    async def page(self, who: str, width: int, theme: str) -> Page:
        if self.shown != (width, theme):
            await self.close()
            self.shown = (width, theme)
        if who not in self.pages:
            context = await open_as(self.browser, self.server, self.community, who, width, theme)
            self.contexts.append(context)
            page = await context.new_page()
            page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
            page.on("console", lambda m: self._console(m.text))
            self.pages[who] = page
        return self.pages[who]

    def _console(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.problems.append(f"blocked by the CSP: {text}")

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()
        self.contexts.clear()
        self.pages.clear()


@pytest.fixture(scope="module")
async def tour(browser: Browser, live_server: LiveServer) -> AsyncIterator[Tour]:
    community = await build_community(live_server, suffix="_" + uuid.uuid4().hex[:6])
    opened = Tour(browser, live_server, community)
    yield opened
    await opened.close()


async def overflow(page: Page) -> str | None:
    """How much wider than the window the page is, if it is."""
    sizes: list[int] = await page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    wide, window = sizes
    return f"{wide} px wide in a {window} px window" if wide > window else None


async def tab_bar_problems(page: Page, tab: str | None) -> list[str]:
    bar = page.locator("nav.tabbar")
    if await bar.count() != 1:
        return ["no tab bar (nav.tabbar)"]
    box = await bar.bounding_box()
    height = await page.evaluate("window.innerHeight")
    if box is None or not await bar.is_visible():
        return ["the tab bar is hidden"]
    found = []
    if box["y"] < 0 or box["y"] + box["height"] > height + 1:
        found.append(f"the tab bar is outside the window (y={box['y']:.0f}, h={box['height']:.0f})")
    marked = [t.strip() for t in await bar.locator("[aria-current='page']").all_inner_texts()]
    marked_tabs = [t for t in marked if any(t.startswith(name) for name in TABS)]
    if tab is not None and (len(marked_tabs) != 1 or not marked_tabs[0].startswith(tab)):
        found.append(
            f"the tab bar marks {marked_tabs or 'nothing'} as the current page, not {tab!r}"
        )
    if tab is None and len(marked) > 1:
        found.append(f"the tab bar marks several current pages: {marked}")
    return found


@pytest.mark.parametrize(
    ("spec", "width", "theme"),
    VISITS,
    ids=[f"{spec.name}-{width}-{theme}" for spec, width, theme in VISITS],
)
async def test_page(tour: Tour, spec: TourPage, width: int, theme: str) -> None:
    page = await tour.page(spec.who, width, theme)
    tour.problems.clear()
    path = tour.community.path(spec)
    response = await visit(page, tour.server.base_url, spec, path)
    await page.wait_for_load_state("load")
    found: list[str] = []
    status = response.status if response else None
    if status != spec.status:
        found.append(f"answered {status}, not {spec.status}")
    if spec.post and not page.url.endswith(path):
        found.append(f"did not ask first: the form led to {page.url}")
    if wide := await overflow(page):
        found.append(f"sideways scrolling: {wide}")
    if width == PHONE and spec.who:
        found += await tab_bar_problems(page, spec.tab)
    results = await tour.axe.run(page)
    if results.violations_count:
        found.append(f"axe-core:\n{results.generate_report()}")
    found += tour.problems
    assert not found, f"{spec.name} at {width} px, {theme} ({page.url}):\n" + "\n".join(found)


def route_of(path: str) -> re.Pattern[str]:
    """``/moments/{moment_id}`` as a pattern that ``/moments/12`` matches."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def test_the_tour_visits_every_page(tour: Tour, tmp_path: Path) -> None:
    """A new page the tour does not visit fails here: add it to ``pages_tour.PAGES``."""
    app = create_app(Settings(data_dir=tmp_path))
    pages = {path for method, path in app_routes(app) if method == "GET"}
    pages = {p for p in pages if not p.startswith(NOT_PAGES) and not p.endswith(".ics")}
    assert {"/feed", "/conversations/{conversation_id}"} <= pages  # the routes were read
    visited = [tour.community.path(spec).split("?", 1)[0] for spec in PAGES]
    missing = [p for p in sorted(pages) if not any(route_of(p).fullmatch(v) for v in visited)]
    assert not missing, f"pages the tour does not visit: {missing}"
