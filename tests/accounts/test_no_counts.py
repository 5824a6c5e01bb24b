"""Rule 1: nobody sees a count of anything about another person, on any page or API response."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from socialode.platform.services import Services
from tests.helpers import bearer, login, make_admin, sign_up

COUNT_WORDS = (
    "follower|following|friend|connection|like|view|visit|post|moment|invite|member|"
    "conversation|message|session|reply|replies|gathering|circle|point|streak|rank|score"
)
COUNT_TEXT = re.compile(rf"\b\d[\d,.]*\s+(?:{COUNT_WORDS})s?\b", re.IGNORECASE)
COUNT_KEY = re.compile(r"count|total|number_of|num_|_n$|popularity|rank|score", re.IGNORECASE)


def keys_of(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(k2 for v in value.values() for k2 in keys_of(v))]
    if isinstance(value, list):
        return [k for v in value for k in keys_of(v)]
    return []


def assert_no_counts_in_page(html: str, where: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html)
    found = COUNT_TEXT.findall(text)
    assert not found, f"{where} shows a count: {found}"


def assert_no_counts_in_json(body: Any, where: str) -> None:
    bad = [k for k in keys_of(body) if COUNT_KEY.search(k)]
    assert not bad, f"{where} has count-like fields: {bad}"


async def test_someone_elses_profile_shows_no_counts(
    client: httpx.AsyncClient, services: Services
) -> None:
    # A busy member: several sessions, invites made and used, a full profile.
    busy = await sign_up(client, services, "busy_bee")
    for _ in range(3):
        await login(client, "busy_bee")
    for n in range(2):
        await client.post(
            "/api/v1/me/invites", json={"email": f"f{n}@ex.org"}, headers=bearer(busy)
        )
    await client.patch(
        "/api/v1/me",
        json={"bio": "I like 3 things.", "interests": ["music", "walks"]},
        headers=bearer(busy),
    )
    await make_admin(services)
    admin = await login(client, "root_admin")

    # The only person who may see busy_bee's profile besides them is an administrator.
    page = await client.get("/u/busy_bee", headers=bearer(admin))
    assert page.status_code == 200
    assert_no_counts_in_page(page.text.replace("I like 3 things.", ""), "profile page")
    api = await client.get("/api/v1/people/busy_bee", headers=bearer(admin))
    assert api.status_code == 200
    assert_no_counts_in_json(api.json(), "profile API")
    assert "invites_left" not in api.json()  # your own allowance is yours only

    admin_page = await client.get("/admin", headers=bearer(admin))
    listing = re.search(r"<h2>Roles</h2>(.*)", admin_page.text, re.S)
    assert listing is not None
    assert_no_counts_in_page(listing.group(1), "admin member list")


async def test_every_api_response_about_others_is_free_of_counts(
    client: httpx.AsyncClient, services: Services
) -> None:
    await make_admin(services)
    admin = await login(client, "root_admin")
    await sign_up(client, services, "other_one")
    await client.post("/api/v1/waitlist", json={"email": "w@example.org"})
    for path in ("/api/v1/people/other_one", "/api/v1/admin/waitlist", "/api/v1/sessions"):
        r = await client.get(path, headers=bearer(admin))
        assert r.status_code == 200, path
        assert_no_counts_in_json(r.json(), path)


def test_the_checker_catches_counts() -> None:
    """The checks above would fail if a count slipped in."""
    try:
        assert_no_counts_in_page("<p>Ada has <b>12</b> followers</p>", "x")
    except AssertionError:
        pass
    else:
        raise AssertionError("count text was not caught")
    try:
        assert_no_counts_in_json(json.loads('{"user": {"follower_count": 3}}'), "x")
    except AssertionError:
        pass
    else:
        raise AssertionError("count field was not caught")
