"""Blocking is absolute and symmetric; to the blocked person the blocker is a missing account."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from socialode.platform.services import Services
from tests.helpers import connect, members, snapshot

REQUESTS = "/api/v1/connections/requests"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


async def answer(response: Any) -> tuple[int, Any]:
    r: httpx.Response = await response
    try:
        return r.status_code, r.json()
    except ValueError:
        return r.status_code, r.text


async def test_block_is_absolute_and_symmetric(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    await connect(client, bob, cy)
    avatar = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("a.png", png(), "image/png")}, headers=ada.headers
    )
    assert avatar.status_code == 200
    assert (
        await client.get("/api/v1/people/ada_l/avatar/64", headers=bob.headers)
    ).status_code == 200
    ada_circle = (
        await client.post("/api/v1/circles", json={"name": "Family"}, headers=ada.headers)
    ).json()
    bob_circle = (
        await client.post("/api/v1/circles", json={"name": "Family"}, headers=bob.headers)
    ).json()
    await client.put(f"/api/v1/circles/{ada_circle['id']}/members/bob_k", headers=ada.headers)
    await client.put(f"/api/v1/circles/{bob_circle['id']}/members/ada_l", headers=bob.headers)
    await client.put("/api/v1/mutes/ada_l", headers=bob.headers)

    blocked = await client.put("/api/v1/blocks/bob_k", headers=ada.headers)
    assert blocked.status_code == 204
    assert (await client.put("/api/v1/blocks/bob_k", headers=ada.headers)).status_code == 204

    # The connection, the circles and the mute are gone both ways.
    for who in (ada, bob):
        connections = (await client.get("/api/v1/connections", headers=who.headers)).json()[
            "connections"
        ]
        assert "ada_l" not in [c["handle"] for c in connections]
        assert "bob_k" not in [c["handle"] for c in connections]
    assert (await client.get(f"/api/v1/circles/{ada_circle['id']}", headers=ada.headers)).json()[
        "members"
    ] == []
    assert (await client.get(f"/api/v1/circles/{bob_circle['id']}", headers=bob.headers)).json()[
        "members"
    ] == []
    assert (await client.get("/api/v1/mutes", headers=bob.headers)).json()["mutes"] == []
    assert [
        b["handle"]
        for b in (await client.get("/api/v1/blocks", headers=ada.headers)).json()["blocks"]
    ] == ["bob_k"]
    assert (await client.get("/api/v1/blocks", headers=bob.headers)).json()["blocks"] == []

    # To bob, ada answers exactly like a handle nobody has, everywhere.
    def calls(handle: str) -> list[Any]:
        h = bob.headers
        return [
            client.post(REQUESTS, json={"handle": handle}, headers=h),
            client.get(f"/api/v1/people/{handle}", headers=h),
            client.get(f"/api/v1/people/{handle}/avatar/64", headers=h),
            client.get(f"/api/v1/people/{handle}/avatar/256", headers=h),
            client.put(f"/api/v1/circles/{bob_circle['id']}/members/{handle}", headers=h),
            client.delete(f"/api/v1/circles/{bob_circle['id']}/members/{handle}", headers=h),
            client.put(f"/api/v1/mutes/{handle}", headers=h),
            client.delete(f"/api/v1/mutes/{handle}", headers=h),
            client.delete(f"/api/v1/connections/{handle}", headers=h),
            client.put(f"/api/v1/blocks/{handle}", headers=h),
            client.delete(f"/api/v1/blocks/{handle}", headers=h),
        ]

    before = await snapshot(services)
    for blocked_call, missing_call in zip(calls("ada_l"), calls("nobody_x"), strict=True):
        got, expected = await answer(blocked_call), await answer(missing_call)
        assert got == expected
        assert got[0] == 404
    assert await snapshot(services) == before
    # Ada sees bob as missing too, except on her own list of blocks.
    assert await answer(client.get("/api/v1/people/bob_k", headers=ada.headers)) == await answer(
        client.get("/api/v1/people/nobody_x", headers=ada.headers)
    )
    # Cy, connected to bob, is not affected.
    assert (await client.get("/api/v1/people/bob_k", headers=cy.headers)).json()["relation"] == (
        "connected"
    )


async def test_block_closes_requests_both_ways(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await client.post(REQUESTS, json={"handle": "ada_l"}, headers=bob.headers)
    await client.post(REQUESTS, json={"handle": "cy_m"}, headers=ada.headers)
    declined = (await client.post(REQUESTS, json={"handle": "cy_m"}, headers=bob.headers)).json()
    await client.post(f"{REQUESTS}/{declined['request']['id']}/decline", headers=cy.headers)

    await client.put("/api/v1/blocks/bob_k", headers=ada.headers)
    await client.put("/api/v1/blocks/bob_k", headers=cy.headers)
    assert (await client.get(REQUESTS, headers=ada.headers)).json()["incoming"] == []
    assert (await client.get(REQUESTS, headers=bob.headers)).json() == {
        "incoming": [],
        "outgoing": [],
        "next": None,
    }
    # Requests between others are untouched.
    assert len((await client.get(REQUESTS, headers=cy.headers)).json()["incoming"]) == 1


async def test_unblock_does_not_restore_the_connection(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    await client.put("/api/v1/blocks/bob_k", headers=ada.headers)
    # Only the blocker can lift the block.
    refused = await client.delete("/api/v1/blocks/ada_l", headers=bob.headers)
    assert refused.status_code == 404
    assert (await client.delete("/api/v1/blocks/bob_k", headers=ada.headers)).status_code == 204
    assert (await client.get("/api/v1/connections", headers=ada.headers)).json()[
        "connections"
    ] == []
    assert (await client.get("/api/v1/connections", headers=bob.headers)).json()[
        "connections"
    ] == []
    seen = (await client.get("/api/v1/people/ada_l", headers=bob.headers)).json()
    assert seen["relation"] == "none" and seen["profile"] is None
    # They may ask each other again.
    assert (
        await client.post(REQUESTS, json={"handle": "ada_l"}, headers=bob.headers)
    ).status_code == 201


async def test_blocking_yourself_is_refused(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_l")
    before = await snapshot(services)
    response = await client.put("/api/v1/blocks/ada_l", headers=ada.headers)
    assert response.status_code == 422 and response.json()["field"] == "handle"
    assert await snapshot(services) == before


async def test_mute_needs_a_connection(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, _cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    before = await snapshot(services)
    stranger = await client.put("/api/v1/mutes/cy_m", headers=ada.headers)
    assert stranger.status_code == 404
    assert stranger.json()["detail"] == "That handle is not one of your connections."
    assert await snapshot(services) == before

    assert (await client.put("/api/v1/mutes/bob_k", headers=ada.headers)).status_code == 204
    assert (await client.put("/api/v1/mutes/bob_k", headers=ada.headers)).status_code == 204
    mutes = (await client.get("/api/v1/mutes", headers=ada.headers)).json()["mutes"]
    assert [m["handle"] for m in mutes] == ["bob_k"]
    assert (await client.get("/api/v1/connections", headers=ada.headers)).json()["connections"][0][
        "muted"
    ]
    # Bob cannot tell he is muted.
    assert not (await client.get("/api/v1/connections", headers=bob.headers)).json()["connections"][
        0
    ]["muted"]
    assert (await client.get("/api/v1/people/ada_l", headers=bob.headers)).json()["muted"] is False

    assert (await client.delete("/api/v1/mutes/bob_k", headers=ada.headers)).status_code == 204
    assert (await client.get("/api/v1/mutes", headers=ada.headers)).json()["mutes"] == []
    # Removing a connection ends a mute too.
    await client.put("/api/v1/mutes/bob_k", headers=ada.headers)
    await client.delete("/api/v1/connections/ada_l", headers=bob.headers)
    assert (await client.get("/api/v1/mutes", headers=ada.headers)).json()["mutes"] == []
