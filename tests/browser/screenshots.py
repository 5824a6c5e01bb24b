"""``scripts/screenshots [FOLDER] [--full] [--language pt_PT]``: every page of the tour
(``pages_tour``) at phone (390x844) and desktop (1280x800) size, in the light and the dark
theme, as ``<page>-<width>-<theme>.png`` in FOLDER (default ``screenshots/``, which git
ignores). With ``--language``, every member of the tour chooses that language and the
browser asks for it, so signed-out pages speak it too.

A real server is started with a fresh data directory, and the tour's community is built
through its API first. Each picture is the window as a person sees it on opening the page;
``--full`` takes whole pages instead (fixed bars then show where the page ends).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.async_api import BrowserContext, async_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    serve_fresh,
)
from tests.browser.pages_tour import PAGES, SIZES, THEMES, build_community, open_as, visit


# ----------------------------------------------------------------------------------------------
async def take_screenshots(
    server: LiveServer, folder: Path, *, full: bool, language: str = "en"
) -> int:
    community = await build_community(server)
    if language != "en":
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as api:
            for person in community.people.values():
                chosen = await api.patch(
                    "/api/v1/me", json={"language": language}, headers=person.headers
                )
                chosen.raise_for_status()
    taken = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        for width, _ in SIZES:
            for theme in THEMES:
                contexts: dict[str, BrowserContext] = {}
                for page_spec in PAGES:
                    if page_spec.who not in contexts:
                        contexts[page_spec.who] = await open_as(
                            browser, server, community, page_spec.who, width, theme, language
                        )
                    context = contexts[page_spec.who]
                    page = context.pages[0] if context.pages else await context.new_page()
                    await visit(page, server.base_url, page_spec, community.path(page_spec))
                    await page.wait_for_load_state("load")
                    name = f"{page_spec.name}-{width}-{theme}.png"
                    await page.screenshot(path=folder / name, full_page=full)
                    taken += 1
                for context in contexts.values():
                    await context.close()
        await browser.close()
    return taken


def main() -> None:
    argv = sys.argv[1:]
    language = "en"
    if "--language" in argv:
        at = argv.index("--language")
        language = argv[at + 1]
        del argv[at : at + 2]
    args = [a for a in argv if a != "--full"]
    folder = Path(args[0] if args else "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="socialode-screenshots-") as root,
        serve_fresh(Path(root)) as server,
    ):
        taken = asyncio.run(
            take_screenshots(server, folder, full="--full" in argv, language=language)
        )
    seconds = time.monotonic() - started
    print(f"{taken} screenshots of {len(PAGES)} pages in {seconds:.0f} s: {folder}")


if __name__ == "__main__":
    main()
