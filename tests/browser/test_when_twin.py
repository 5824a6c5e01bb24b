"""The times a page renders and the times live updates write are one format: the browser's
``static/when.js`` gives exactly what ``web/when.py`` gives, for every rule and zone, in
each language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialode.platform import i18n
from socialode.web.when import full_text, reader_zone, when_text
from tests.browser.conftest import Devices, LiveServer

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
ZONES = ("UTC", "Europe/Berlin", "America/Toronto", "Asia/Kolkata", "Pacific/Auckland")
AGO = (
    timedelta(seconds=-30),
    timedelta(seconds=10),
    timedelta(minutes=7),
    timedelta(minutes=59),
    timedelta(hours=3),
    timedelta(hours=15),
    timedelta(hours=30),
    timedelta(days=3),
    timedelta(days=6, hours=23),
    timedelta(days=40),
    timedelta(days=400),
)


@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
async def test_the_browser_formats_times_as_the_server_does(
    live_server: LiveServer, devices: Devices, language: str
) -> None:
    page = await devices.open(locale=language.replace("_", "-"))  # its Accept-Language
    await page.goto(live_server.url("/login"))
    cases = [{"at": (NOW - ago).isoformat(), "zone": zone} for zone in ZONES for ago in AGO]
    got = await page.evaluate(
        """async ([cases, now]) => {
            const when = await import("/static/when.js");
            return cases.map(c => [
                when.whenText(new Date(c.at), c.zone, new Date(now)),
                when.fullText(new Date(c.at), c.zone),
            ]);
        }""",
        [cases, NOW.isoformat()],
    )
    with i18n.language(language):
        expected = [
            [
                when_text(datetime.fromisoformat(c["at"]), reader_zone(c["zone"]), NOW),
                full_text(datetime.fromisoformat(c["at"]), reader_zone(c["zone"])),
            ]
            for c in cases
        ]
    assert got == expected
