"""Nobody sees anyone else's connections, or a count of anything about them (rule 1)."""

from __future__ import annotations

import io
import re

import httpx
from PIL import Image

from socialode.platform.services import Services
from tests.accounts.test_no_counts import assert_no_counts_in_json, assert_no_counts_in_page
from tests.helpers import Member, connect, login, make_admin, members

SECRET_WORDS = ("Friend_One", "friend_one", "Friend_Two", "friend_two", "Circle Of Secrets")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 80, 140)).save(out, format="PNG")
    return out.getvalue()


async def busy_member(client: httpx.AsyncClient, services: Services) -> list[Member]:
    """Bob: connected with several people, in a circle, with a full profile and photo."""
    bob, ada, stranger, one, two = await members(
        client, services, "bob_k", "ada_l", "stranger", "friend_one", "friend_two"
    )
    for other in (ada, one, two):
        await connect(client, bob, other)
    await client.patch(
        "/api/v1/me",
        json={"bio": "Gardener.", "pronouns": "he/him", "interests": ["chess", "walks"]},
        headers=bob.headers,
    )
    await client.put(
        "/api/v1/me/avatar", files={"avatar": ("b.png", png(), "image/png")}, headers=bob.headers
    )
    made = await client.post(
        "/api/v1/circles", json={"name": "Circle Of Secrets"}, headers=bob.headers
    )
    await client.put(f"/api/v1/circles/{made.json()['id']}/members/ada_l", headers=bob.headers)
    return [bob, ada, stranger]


def assert_nothing_about_their_people(text: str, where: str) -> None:
    for word in SECRET_WORDS:
        assert word not in text, f"{where} shows {word!r}"


async def test_a_connection_sees_the_profile_and_nothing_of_their_people(
    client: httpx.AsyncClient, services: Services
) -> None:
    _bob, ada, _stranger = await busy_member(client, services)
    api = await client.get("/api/v1/people/bob_k", headers=ada.headers)
    assert api.status_code == 200
    body = api.json()
    assert body["relation"] == "connected"
    assert body["profile"] == {
        "pronouns": "he/him",
        "bio": "Gardener.",
        "interests": ["chess", "walks"],
        "avatar_url": "/api/v1/people/bob_k/avatar/256",
    }
    assert_no_counts_in_json(body, "person API")
    assert_nothing_about_their_people(api.text, "person API")
    photo = await client.get("/api/v1/people/bob_k/avatar/256", headers=ada.headers)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"

    page = await client.get("/people/bob_k", headers=ada.headers)
    assert page.status_code == 200
    assert "Gardener." in page.text and "he/him" in page.text
    assert_no_counts_in_page(page.text, "person page")
    assert_nothing_about_their_people(page.text, "person page")


async def test_a_stranger_sees_handle_and_name_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    _bob, _ada, stranger = await busy_member(client, services)
    api = await client.get("/api/v1/people/bob_k", headers=stranger.headers)
    assert api.status_code == 200
    assert api.json() == {
        "handle": "bob_k",
        "display_name": "Bob_K",
        "relation": "none",
        "request": None,
        "request_id": None,
        "request_note": None,
        "muted": False,
        "profile": None,
    }
    photo = await client.get("/api/v1/people/bob_k/avatar/256", headers=stranger.headers)
    missing = await client.get("/api/v1/people/nobody_x/avatar/256", headers=stranger.headers)
    assert (photo.status_code, photo.json()) == (missing.status_code, missing.json())

    page = await client.get("/people/bob_k", headers=stranger.headers)
    assert page.status_code == 200
    assert "Gardener." not in page.text and "he/him" not in page.text and "chess" not in page.text
    assert "/avatar/" not in page.text
    assert_no_counts_in_page(page.text, "person page (stranger)")
    assert_nothing_about_their_people(page.text, "person page (stranger)")

    # Asking shows a pending request on both sides, and still nothing more.
    await client.post(
        "/api/v1/connections/requests", json={"handle": "bob_k"}, headers=stranger.headers
    )
    after = (await client.get("/api/v1/people/bob_k", headers=stranger.headers)).json()
    assert after["request"] == "sent" and after["profile"] is None


async def test_own_lists_show_no_counts(client: httpx.AsyncClient, services: Services) -> None:
    bob, ada, _stranger = await busy_member(client, services)
    for path in ("/api/v1/connections", "/api/v1/circles", "/api/v1/connections/requests"):
        response = await client.get(path, headers=ada.headers)
        assert response.status_code == 200
        assert_no_counts_in_json(response.json(), path)
        assert_nothing_about_their_people(response.text, path)
    for path in ("/connections", "/circles", "/blocked", "/people/bob_k"):
        response = await client.get(path, headers=ada.headers)
        assert response.status_code == 200, path
        assert_no_counts_in_page(response.text, path)
        assert_nothing_about_their_people(response.text, path)
    # Even bob's own pages count nothing.
    for path in ("/connections", "/circles", "/people/bob_k"):
        response = await client.get(path, headers=bob.headers)
        text = re.sub(r"up to \d+ of them", "", response.text)
        assert_no_counts_in_page(text, f"{path} (own)")


async def test_administrators_see_profiles_but_no_connections(
    client: httpx.AsyncClient, services: Services
) -> None:
    await busy_member(client, services)
    await make_admin(services)
    admin = Member("root_admin", await login(client, "root_admin"))
    api = await client.get("/api/v1/people/bob_k", headers=admin.headers)
    assert api.json()["profile"]["bio"] == "Gardener."
    assert_nothing_about_their_people(api.text, "person API (admin)")
    page = await client.get("/people/bob_k", headers=admin.headers)
    assert_nothing_about_their_people(page.text, "person page (admin)")
    assert_no_counts_in_page(page.text, "person page (admin)")
