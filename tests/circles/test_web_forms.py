"""The circles pages without JavaScript: every form, what it does, and how it refuses."""

from __future__ import annotations

import httpx
import pytest

from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.form_helpers import answer_of, assert_form_refused, case, page_of
from tests.helpers import Member, connect, members, snapshot


async def post(
    client: httpx.AsyncClient, who: Member, path: str, data: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(path, data=data or {}, headers=who.headers)


async def see(client: httpx.AsyncClient, who: Member, path: str) -> str:
    response = await client.get(path, headers=who.headers)
    assert response.status_code == 200, response.text
    return page_of(response).text()


def redirected(response: httpx.Response, to: str) -> None:
    assert response.status_code == 303, response.text
    assert response.headers["location"] == to


async def test_request_accept_mute_remove_by_forms(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    empty = await see(client, ada, "/connections")
    assert "No connections yet." in empty

    sent = await post(client, ada, "/connections/requests", {"handle": "@bob_k", "note": "Hi!"})
    redirected(sent, "/connections?notice=request-sent")
    page = await see(client, ada, "/connections?notice=request-sent")
    assert "Request sent." in page and "Your requests" in page and "Bob_K" in page

    bob_page = await client.get("/connections", headers=bob.headers)
    assert "“Hi!”" in bob_page.text
    request_id = bob_page.text.split("/connections/requests/")[1].split("/")[0]
    redirected(
        await post(client, bob, f"/connections/requests/{request_id}/accept"),
        "/connections?notice=connected",
    )
    assert "That's everyone you're connected with." in await see(client, bob, "/connections")

    redirected(await post(client, ada, "/connections/bob_k/mute"), "/connections?notice=muted")
    assert "@bob_k · muted" in await see(client, ada, "/connections")
    redirected(
        await post(client, ada, "/connections/bob_k/unmute", {"next": "/people/bob_k"}),
        "/people/bob_k?notice=unmuted",
    )
    removed = await post(client, bob, "/connections/ada_l/remove", {"confirm": "yes"})
    assert removed.status_code == 303 and removed.headers["location"] == "/connections"
    assert "No connections yet." in await see(client, ada, "/connections")


async def test_decline_and_withdraw_by_forms(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await post(client, ada, "/connections/requests", {"handle": "bob_k"})
    await post(client, cy, "/people/bob_k/connect", {"note": "From the choir"})
    listing = (await client.get("/api/v1/connections/requests", headers=bob.headers)).json()
    from_ada, from_cy = (r["id"] for r in listing["incoming"])
    redirected(
        await post(client, bob, f"/connections/requests/{from_ada}/decline"),
        "/connections?notice=request-declined",
    )
    redirected(
        await post(client, cy, f"/connections/requests/{from_cy}/withdraw"),
        "/connections?notice=request-withdrawn",
    )
    assert "Waiting for your answer" not in await see(client, bob, "/connections")
    # Ada is never told: her request still reads as waiting.
    assert "waiting for their answer" in await see(client, ada, "/connections")


async def test_person_page_and_connect_form(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    page = await see(client, ada, "/people/bob_k")
    assert "Ask to connect" in page
    redirected(
        await post(client, ada, "/people/bob_k/connect", {"note": "Hello"}),
        "/people/bob_k?notice=request-sent",
    )
    assert "Your request is waiting for their answer" in await see(client, ada, "/people/bob_k")
    assert "Bob_K asked" not in await see(client, ada, "/people/bob_k")
    assert "Ada_L asked to connect with you" in await see(client, bob, "/people/ada_l")
    redirected(
        await post(client, bob, "/people/ada_l/connect", {"note": ""}),
        "/people/ada_l?notice=connected",
    )
    assert "You are connected" in await see(client, bob, "/people/ada_l")
    assert "This is you." in await see(client, bob, "/people/bob_k")


async def test_invitees_can_be_asked_with_a_button(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    made = (await client.post("/api/v1/me/invites", json={}, headers=ada.headers)).json()
    joined = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": made["link"].rsplit("/", 1)[1],
            "handle": "new_friend",
            "display_name": "New Friend",
            "email": "nf@example.org",
            "password": "quiet-harbour-lantern-42",
            "connect": False,  # joining alone, to be asked by the inviter afterwards
        },
    )
    client.cookies.clear()
    friend = Member("new_friend", joined.json()["session_token"])
    page = await see(client, ada, "/connections")
    assert "People who joined with your invites" in page and "Ask to connect" in page
    redirected(
        await post(client, ada, "/connections/requests", {"invite_id": str(made["id"])}),
        "/connections?notice=request-sent",
    )
    assert "Your request is waiting" in await see(client, ada, "/connections")
    assert "Ada_L" in await see(client, friend, "/connections")


async def test_circle_forms(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    assert "No circles yet." in await see(client, ada, "/circles")
    made = await post(client, ada, "/circles", {"name": "Family"})
    assert made.status_code == 303
    where = made.headers["location"]
    assert where.endswith("?notice=circle-created")
    circle = where.split("?")[0]
    page = page_of(await client.get(where, headers=ada.headers))
    assert page.h1 == "Family" and "Circle created." in page.text()
    assert '<option value="bob_k">' in page.html  # the select offers her connections
    redirected(
        await post(client, ada, f"{circle}/members", {"handle": "bob_k"}),
        f"{circle}?notice=member-added",
    )
    assert "That's everyone in Family." in await see(client, ada, circle)
    redirected(
        await post(client, ada, f"{circle}/rename", {"name": "Kin"}),
        f"{circle}?notice=circle-renamed",
    )
    removed = await post(client, ada, f"{circle}/members/bob_k/remove", {"confirm": "yes"})
    assert removed.headers["location"] == circle
    assert "Nobody is in this circle yet." in await see(client, ada, circle)
    deleted = await post(client, ada, f"{circle}/delete", {"confirm": "yes"})
    assert deleted.headers["location"] == "/circles"
    assert (await client.get(circle, headers=ada.headers)).status_code == 404


async def test_block_forms(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    page = page_of(await client.get("/blocked?handle=bob_k", headers=ada.headers))
    assert "neither of you can see or reach the other" in page.text()
    assert page.value("handle") == "bob_k"
    redirected(await post(client, ada, "/blocked", {"handle": "bob_k"}), "/blocked?notice=blocked")
    assert "Bob_K" in await see(client, ada, "/blocked")
    assert "No connections yet." in await see(client, bob, "/connections")

    # To bob, ada's page is exactly the page of a handle nobody has.
    blocked = await client.get("/people/ada_l", headers=bob.headers)
    missing = await client.get("/people/nobody_x", headers=bob.headers)
    assert (blocked.status_code, blocked.text) == (missing.status_code, missing.text)
    assert blocked.status_code == 404

    redirected(
        await post(client, ada, "/blocked/bob_k/unblock", {"confirm": "yes"}),
        "/blocked?notice=unblocked",
    )
    assert "You haven't blocked anyone." in await see(client, ada, "/blocked")
    assert "No connections yet." in await see(client, ada, "/connections")


# Refusals ------------------------------------------------------------------------------------


async def test_connect_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, _cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    for typed, status, where, words in (
        ({"handle": "", "note": "Hello there"}, 422, "handle", "enter the person's handle"),
        ({"handle": "cy m", "note": "Hi"}, 422, "handle", "3 to 30"),
        ({"handle": "nobody_x", "note": "Hi"}, 404, "handle", "no member with that handle"),
        ({"handle": "cy_m", "note": "n" * 281}, 422, "note", "280"),
        ({"handle": "bob_k", "note": ""}, 409, "handle", "already connected"),
        ({"handle": "ada_l", "note": ""}, 422, "handle", "your own handle"),
        ({"handle": ' "><b>x</b>', "note": "<script>alert(1)</script>"}, 422, "handle", "3 to 30"),
    ):
        with case(typed):
            page = await assert_form_refused(
                services,
                client.post("/connections/requests", data=typed, headers=ada.headers),
                status,
                where,
                words,
                kept=typed,
            )
            assert "<script>alert" not in page.html and "<b>x" not in page.html
            assert page.h1 == "Your people"
    with case("invite"):
        await assert_form_refused(
            services,
            client.post("/connections/requests", data={"invite_id": "x1"}, headers=ada.headers),
            404,
            "_form",
            "nobody joined with that invite",
        )


async def test_blocked_people_look_missing_in_forms(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    await post(client, ada, "/blocked", {"handle": "bob_k"})
    circle = (await post(client, bob, "/circles", {"name": "Mine"})).headers["location"]
    circle = circle.split("?")[0]
    for path, field in (
        ("/connections/requests", "handle"),
        (f"{circle}/members", "handle"),
        ("/blocked", "handle"),
    ):
        pages = []
        for handle in ("ada_l", "nobody_x"):
            with case((path, handle)):
                pages.append(
                    await assert_form_refused(
                        services,
                        client.post(path, data={"handle": handle}, headers=bob.headers),
                        404,
                        field,
                        "",
                    )
                )
        assert pages[0].field_errors == pages[1].field_errors
        assert pages[0].html.replace("ada_l", "WHO") == pages[1].html.replace("nobody_x", "WHO")
    first = await client.post("/people/ada_l/connect", data={"note": ""}, headers=bob.headers)
    second = await client.post("/people/nobody_x/connect", data={"note": ""}, headers=bob.headers)
    assert (first.status_code, first.text) == (second.status_code, second.text)
    assert first.status_code == 404


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_connections": 1}], ids=["cap=1"])
async def test_accept_at_the_cap_explains(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    await post(client, cy, "/connections/requests", {"handle": "ada_l"})
    listing = (await client.get("/api/v1/connections/requests", headers=ada.headers)).json()
    request_id = listing["incoming"][0]["id"]
    page = await assert_form_refused(
        services,
        client.post(f"/connections/requests/{request_id}/accept", headers=ada.headers),
        409,
        "_form",
        "You have 1 connections, the most this community allows",
    )
    assert "Waiting for your answer" in page.text()
    await assert_form_refused(
        services,
        client.post("/connections/requests", data={"handle": "cy_m"}, headers=ada.headers),
        409,
        "handle",
        "remove one of your connections first",
        kept={"handle": "cy_m"},
    )


async def test_button_forms_refuse_what_is_not_yours(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await post(client, ada, "/connections/requests", {"handle": "bob_k"})
    request_id = (await client.get("/api/v1/connections/requests", headers=bob.headers)).json()[
        "incoming"
    ][0]["id"]
    for path, words in (
        (f"/connections/requests/{request_id}/accept", "no such request"),
        (f"/connections/requests/{request_id}/decline", "no such request"),
        (f"/connections/requests/{request_id}/withdraw", "no such request"),
        ("/connections/requests/999999/accept", "no such request"),
        ("/connections/bob_k/remove", "not one of your connections"),
        ("/connections/bob_k/mute", "not one of your connections"),
        ("/connections/bob_k/unmute", "not one of your connections"),
    ):
        with case(path):
            await assert_form_refused(
                services, client.post(path, headers=cy.headers), 404, "_form", words
            )
    with case("unblock"):
        await assert_form_refused(
            services,
            client.post("/blocked/bob_k/unblock", headers=cy.headers),
            404,
            "_form",
            "not blocked anyone",
        )
    for path in ("/connections/requests/0/accept", "/connections/requests/abc/decline"):
        response = await answer_of(client.post(path, headers=cy.headers))
        assert response.status_code == 422


async def test_circle_forms_refuse(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, _cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    await post(client, ada, "/circles", {"name": "Family"})
    circle = (await post(client, ada, "/circles", {"name": "Friends"})).headers["location"]
    circle = circle.split("?")[0]
    for typed, status, words in (
        ({"name": ""}, 422, "give the circle a name"),
        ({"name": "   "}, 422, "give the circle a name"),
        ({"name": "n" * 61}, 422, "60 characters"),
        ({"name": "FAMILY"}, 409, "already have a circle called"),
        ({"name": "<b>x</b>" * 10}, 422, "60 characters"),
    ):
        with case(typed):
            page = await assert_form_refused(
                services,
                client.post("/circles", data=typed, headers=ada.headers),
                status,
                "name",
                words,
                kept=typed,
            )
            assert page.h1 == "Your circles" and "<b>x" not in page.html
            page = await assert_form_refused(
                services,
                client.post(f"{circle}/rename", data=typed, headers=ada.headers),
                status,
                "name",
                words,
                kept=typed,
            )
            assert page.h1 == "Friends"
    for typed, status, words in (
        ({"handle": ""}, 422, "enter the person's handle"),
        ({"handle": "cy_m"}, 404, "not one of your connections"),
        ({"handle": "nobody_x"}, 404, "not one of your connections"),
        ({}, 422, "enter the person's handle"),
    ):
        with case(typed):
            await assert_form_refused(
                services,
                client.post(f"{circle}/members", data=typed, headers=ada.headers),
                status,
                "handle",
                words,
            )
    await assert_form_refused(
        services,
        client.post(f"{circle}/members/cy_m/remove", data={"confirm": "yes"}, headers=ada.headers),
        404,
        "_form",
        "nobody with that handle is in this circle",
    )
    # Someone else's circle is missing, for every form.
    before = await snapshot(services)
    for path, data in (
        (f"{circle}/rename", {"name": "Mine"}),
        (f"{circle}/members", {"handle": "ada_l"}),
        (f"{circle}/delete", {}),
        (f"{circle}/members/bob_k/remove", {}),
    ):
        response = await client.post(path, data=data, headers=bob.headers)
        assert response.status_code == 404, path
    assert (await client.get(circle, headers=bob.headers)).status_code == 404
    assert await snapshot(services) == before


async def test_block_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_l")
    for typed, status, words in (
        ({"handle": ""}, 422, "enter the person's handle"),
        ({"handle": "x" * 40}, 422, "3 to 30"),
        ({"handle": "nobody_x"}, 404, "no member with that handle"),
        ({"handle": "ada_l"}, 422, "cannot block yourself"),
    ):
        with case(typed):
            page = await assert_form_refused(
                services,
                client.post("/blocked", data=typed, headers=ada.headers),
                status,
                "handle",
                words,
                kept=typed,
            )
            assert page.h1 == "People you blocked"


async def test_signed_out_pages_and_forms(client: httpx.AsyncClient, services: Services) -> None:
    for path in ("/connections", "/circles", "/circles/1", "/blocked", "/people/bob_k"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    before = await snapshot(services)
    for path in ("/connections/requests", "/circles", "/blocked", "/people/bob_k/connect"):
        response = await client.post(path, data={"handle": "bob_k", "name": "x"})
        assert response.status_code == 401
    assert await snapshot(services) == before


async def test_navigation_links(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_l")
    home = await client.get("/you", headers=ada.headers)
    assert 'href="/connections"' in home.text and 'href="/circles"' in home.text
