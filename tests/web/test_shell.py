"""The shell every page shares: five places one tap away, the current one marked, never a
number in it; the front door leads to your people; light or dark chosen per device; faces."""

from __future__ import annotations

import io
import re

import httpx
import pytest
from PIL import Image

from socialode.platform.services import Services
from tests.helpers import Member, connect, members, run_jobs

TABS = {
    "/feed": "Your people",
    "/conversations": "Conversations",
    "/moments/new": "Share",
    "/notifications": "Notifications",
    "/you": "You",
    "/settings/profile": "You",
    "/settings/appearance": "You",
    "/connections": "You",
    "/circles": "You",
    "/moments/mine": "You",
}


def current_tab(page: str) -> list[str]:
    nav = page.split('<nav class="tabbar"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a [^>]*aria-current="page"[^>]*>.*?<span>([^<]+)</span>', nav, re.S)
    return found


async def test_every_place_marks_its_tab_and_the_menu_holds_no_number(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    for path, tab in TABS.items():
        page = (await client.get(path, headers=maya.headers)).text
        assert current_tab(page) == [tab], path
        nav = page.split('<nav class="tabbar"', 1)[1].split("</nav>", 1)[0]
        assert not re.search(r"\d", re.sub(r"<[^>]+>", "", nav)), "a number in the menu"
        assert 'data-zone="Europe/Berlin"' in page


async def test_the_front_door_leads_to_your_people(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    answer = await client.get("/", headers=maya.headers)
    assert answer.status_code == 303 and answer.headers["location"] == "/feed"
    signed_out = await client.get("/")
    assert signed_out.status_code == 200 and "tabbar" not in signed_out.text


async def test_you_holds_the_rest_and_signing_out(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    page = (await client.get("/you", headers=maya.headers)).text
    for href in (
        "/moments/mine",
        "/connections",
        "/circles",
        "/invites",
        "/settings/profile",
        "/settings/notifications",
        "/settings/appearance",
        "/settings/devices",
    ):
        assert f'href="{href}"' in page, href
    assert 'action="/logout"' in page
    assert 'href="/admin"' not in page, "administration is for administrators"


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_a_chosen_theme_is_kept_on_this_device_and_system_follows_the_device(
    client: httpx.AsyncClient, services: Services, theme: str
) -> None:
    (maya,) = await members(client, services, "maya")
    chosen = await client.post("/settings/appearance", data={"theme": theme}, headers=maya.headers)
    assert chosen.status_code == 303
    assert client.cookies.get("theme") == theme
    page = (await client.get("/feed", headers=maya.headers)).text
    assert f'<html lang="en" data-theme="{theme}">' in page
    back = await client.post("/settings/appearance", data={"theme": "system"}, headers=maya.headers)
    assert back.status_code == 303 and client.cookies.get("theme") is None
    assert '<html lang="en">' in (await client.get("/feed", headers=maya.headers)).text


async def test_a_theme_that_does_not_exist_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    answer = await client.post(
        "/settings/appearance", data={"theme": "purple"}, headers=maya.headers
    )
    assert answer.status_code == 422
    assert "Choose light, dark, or the same as this device." in answer.text
    assert client.cookies.get("theme") is None
    client.cookies.set("theme", "purple")  # a cookie from elsewhere is ignored
    assert "data-theme" not in (await client.get("/feed", headers=maya.headers)).text


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 80), (30, 120, 110)).save(out, format="PNG")
    return out.getvalue()


async def _with_photo(client: httpx.AsyncClient, who: Member) -> None:
    answer = await client.put(
        "/api/v1/me/avatar",
        files={"avatar": ("me.png", _photo(), "image/png")},
        headers=who.headers,
    )
    assert answer.status_code in (200, 201), answer.text


async def test_faces_show_photos_only_to_those_who_may_see_them(
    client: httpx.AsyncClient, services: Services
) -> None:
    """A connection's photo shows on the page; anyone else's is a monogram, so the page
    never links an image its reader would be refused."""
    maya, ines, tom = await members(client, services, "maya", "ines", "tom")
    await connect(client, maya, ines)
    for who in (ines, tom):
        await _with_photo(client, who)
    own = (await client.get("/you", headers=ines.headers)).text
    assert 'src="/api/v1/people/ines/avatar/64"' in own  # your own face
    asked = await client.post(
        "/api/v1/connections/requests", json={"handle": "maya"}, headers=tom.headers
    )
    assert asked.status_code == 201, asked.text
    page = (await client.get("/connections", headers=maya.headers)).text
    assert 'src="/api/v1/people/ines/avatar/64"' in page  # a connection
    assert "Tom" in page and "/api/v1/people/tom/avatar" not in page  # asking, not connected
    assert 'class="face face-sm mono' in page


async def test_notifications_show_whom_they_are_about(
    client: httpx.AsyncClient, services: Services
) -> None:
    """A connection's photo beside their notification; someone only asking to connect gets
    a monogram (their photo is not the reader's to see)."""
    maya, ines, tom = await members(client, services, "maya", "ines", "tom")
    for who in (ines, tom):
        await _with_photo(client, who)
    await connect(client, maya, ines)  # ines accepts: maya is told
    asked = await client.post(
        "/api/v1/connections/requests", json={"handle": "maya"}, headers=tom.headers
    )
    assert asked.status_code == 201, asked.text
    await run_jobs(services)
    page = (await client.get("/notifications", headers=maya.headers)).text
    listed = page.split('<ul class="notifications">', 1)[1].split("</ul>", 1)[0]
    items = listed.split("<li")[1:]
    accepted = next(i for i in items if "accepted your request" in i)
    asking = next(i for i in items if "would like to connect" in i)
    assert 'src="/api/v1/people/ines/avatar/64"' in accepted
    assert "/avatar/" not in asking and "mono" in asking


async def test_settings_pages_mark_where_you_are(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    for path in ("/settings/profile", "/settings/notifications", "/settings/appearance"):
        page = (await client.get(path, headers=maya.headers)).text
        nav = page.split('<nav aria-label="Settings">', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [path]
