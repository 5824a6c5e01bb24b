"""The settings page (plain forms: POST, then 303 back) and the wind-down page shown first
to a member who opens the app in their quiet hours -- once per quiet period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
import pytest

from socialode.platform.services import Services
from tests.boundaries.support import ensure_release_kind, member_in, releases
from tests.clock import clock_at
from tests.form_helpers import page_of

HTML = {"Accept": "text/html,application/xhtml+xml"}
NIGHT = datetime(2027, 1, 14, 23, 40, tzinfo=UTC)  # 23:40 in Lisbon (winter, UTC+0)
MORNING = datetime(2027, 1, 15, 7, 0, tzinfo=UTC)  # 07:00 in Lisbon: quiet hours are over
NOON = datetime(2027, 1, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _release_kind() -> None:
    ensure_release_kind()


async def test_settings_page_explains_the_defaults_and_saves_each_form(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(NOON):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        headers = {**ana.headers, **HTML}
        page = page_of(await client.get("/settings/notifications", headers=headers))
        text = page.text()
        assert "22:00\u201307:00 in your time zone (Europe/Lisbon)" in text
        for heading in ("Quiet hours", "When to hear about things", "Digests"):
            assert heading in text
        assert "Also email me a daily digest" in text
        assert "Let people know when you'll see their message" in text
        assert "Pause everything for" in text and 'href="/settings/devices"' in page.html
        assert page.inputs["quiet_on"].get("checked") is not None
        assert page.inputs["share_sleep_line"].get("checked") is not None
        assert page.inputs["push_previews"].get("checked") is None  # previews off by default
        assert page.inputs["email_digest"].get("checked") is None

        saved = await client.post(
            "/settings/notifications/quiet",
            data={"quiet_on": "1", "quiet_start": "23:00", "quiet_end": "06:30"},
            headers=ana.headers,
        )
        assert saved.status_code == 303
        assert saved.headers["location"].startswith("/settings/notifications?saved=quiet")
        digests = await client.post(
            "/settings/notifications/digests",
            data={"digest_time": ["20:00", "", "08:15"], "email_digest": "1"},
            headers=ana.headers,
        )
        assert digests.status_code == 303
        privacy = await client.post(
            "/settings/notifications/privacy", data={"push_previews": "1"}, headers=ana.headers
        )
        assert privacy.status_code == 303
        shown = (await client.get("/api/v1/boundaries", headers=ana.headers)).json()
        page = page_of(await client.get(saved.headers["location"], headers=headers))
    assert shown["quiet_hours"] == {"on": True, "start": "23:00", "end": "06:30"}
    assert shown["digests"] == {"times": ["08:15", "20:00"], "email_digest": True}
    assert shown["privacy"] == {"push_previews": True, "share_sleep_line": False}
    assert "Your quiet hours are saved." in page.text()
    assert "23:00\u201306:30 in your time zone (Europe/Lisbon)" in page.text()


async def test_together_mode_from_the_page_shows_a_calm_banner_that_ends_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(NOON):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        started = await client.post("/settings/together", data={"hours": "3"}, headers=ana.headers)
        assert started.status_code == 303
        page = page_of(
            await client.get(started.headers["location"], headers={**ana.headers, **HTML})
        )
        assert "Everything is paused until 15:00" in page.text()
        assert 'action="/settings/together/end"' in page.html
        ended = await client.post("/settings/together/end", headers=ana.headers)
        assert ended.status_code == 303
        after = page_of(await client.get(ended.headers["location"], headers=ana.headers))
    assert "Pause everything for" in after.text()
    runs = [run_at for _p, run_at, _k in await releases(services)]
    assert len(runs) == 2 and runs[0] >= NOON + timedelta(hours=3) > runs[1] >= NOON


async def test_opening_the_app_in_quiet_hours_shows_the_wind_down_page_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(NIGHT):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        headers = {**ana.headers, **HTML}
        first = await client.get("/app", headers=headers)  # where the installed app starts
        assert first.status_code == 303
        assert first.headers["location"] == f"/wind-down?next={quote('/app', safe='')}"
        page = page_of(await client.get(first.headers["location"], headers=headers))
        assert "It's 23:40 — your quiet hours run until 07:00." in page.text()
        assert "Nothing will buzz until then." in page.text()
        assert 'href="/settings/notifications"' in page.html  # change quiet hours
        # Only the front door: links into a page are followed (a notification, a bookmark).
        assert (await client.get("/feed", headers=headers)).status_code == 200
        assert (await client.get("/settings/notifications", headers=headers)).status_code == 200
        assert (await client.get("/api/v1/boundaries", headers=headers)).status_code == 200
        went_on = await client.post("/wind-down/continue", data={"next": "/app"}, headers=headers)
        assert went_on.status_code == 303 and went_on.headers["location"] == "/app"
        assert "socialode_wind_down" in went_on.cookies
        again = await client.get("/app", headers=headers)
        assert again.status_code == 303 and again.headers["location"] == "/feed"  # not asked again
    # The next night asks again.
    with clock_at(NIGHT + timedelta(days=1)):
        assert (
            (await client.get("/app", headers=headers)).headers["location"].startswith("/wind-down")
        )


async def test_outside_quiet_hours_there_is_no_wind_down(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(MORNING):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        headers = {**ana.headers, **HTML}
        assert (await client.get("/app", headers=headers)).headers["location"] == "/feed"
        # The page itself sends you on when the quiet hours are over.
        gone = await client.get("/wind-down?next=/connections", headers=headers)
        assert gone.status_code == 303 and gone.headers["location"] == "/connections"
        off = await client.put(
            "/api/v1/settings/notifications",
            json={"quiet_hours": {"on": False, "start": "22:00", "end": "07:00"}},
            headers=ana.headers,
        )
        assert off.status_code == 200
    with clock_at(NIGHT + timedelta(days=1)):  # quiet hours off: nothing to wind down from
        assert (await client.get("/app", headers=headers)).headers["location"] == "/feed"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
async def test_the_wind_down_page_goes_on_only_to_local_paths(
    client: httpx.AsyncClient, services: Services, target: str
) -> None:
    with clock_at(NIGHT):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        headers = {**ana.headers, **HTML}
        page = page_of(await client.get(f"/wind-down?next={quote(target)}", headers=headers))
        assert page.inputs["next"]["value"] == "/feed"
        went_on = await client.post("/wind-down/continue", data={"next": target}, headers=headers)
    assert went_on.status_code == 303 and went_on.headers["location"] == "/feed"
