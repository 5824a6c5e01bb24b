"""Circles: private named groups of your connections; only the owner ever sees them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.helpers import Member, connect, members, snapshot


async def make_circle(client: httpx.AsyncClient, owner: Member, name: str) -> dict[str, Any]:
    response = await client.post("/api/v1/circles", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def member_handles(client: httpx.AsyncClient, owner: Member, circle_id: int) -> list[str]:
    response = await client.get(f"/api/v1/circles/{circle_id}", headers=owner.headers)
    assert response.status_code == 200, response.text
    return [m["handle"] for m in response.json()["members"]]


async def test_circle_lifecycle(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    family = await make_circle(client, ada, "  Family  ")
    assert family["name"] == "Family" and family["members"] == []
    flat = await make_circle(client, ada, "Old flatmates")

    for handle in ("cy_m", "bob_k", "@bob_k"):  # adding again is fine
        added = await client.put(
            f"/api/v1/circles/{family['id']}/members/{handle}", headers=ada.headers
        )
        assert added.status_code == 200, added.text
    assert await member_handles(client, ada, family["id"]) == ["bob_k", "cy_m"]

    listed = (await client.get("/api/v1/circles", headers=ada.headers)).json()["circles"]
    assert [c["name"] for c in listed] == ["Family", "Old flatmates"]
    assert [m["handle"] for m in listed[0]["members"]] == ["bob_k", "cy_m"]

    renamed = await client.patch(
        f"/api/v1/circles/{flat['id']}", json={"name": "Flatmates"}, headers=ada.headers
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Flatmates"
    # Renaming to the same name in another case is fine; to another circle's name is not.
    same = await client.patch(
        f"/api/v1/circles/{flat['id']}", json={"name": "FLATMATES"}, headers=ada.headers
    )
    assert same.status_code == 200
    clash = await client.patch(
        f"/api/v1/circles/{flat['id']}", json={"name": "family"}, headers=ada.headers
    )
    assert clash.status_code == 409 and clash.json()["field"] == "name"
    assert "already have a circle called" in clash.json()["detail"]

    out = await client.delete(f"/api/v1/circles/{family['id']}/members/cy_m", headers=ada.headers)
    assert out.status_code == 204
    assert await member_handles(client, ada, family["id"]) == ["bob_k"]
    again = await client.delete(f"/api/v1/circles/{family['id']}/members/cy_m", headers=ada.headers)
    assert again.status_code == 404

    assert (
        await client.delete(f"/api/v1/circles/{family['id']}", headers=ada.headers)
    ).status_code == 204
    assert (
        await client.get(f"/api/v1/circles/{family['id']}", headers=ada.headers)
    ).status_code == 404
    # Deleting a circle ends no connection.
    conns = (await client.get("/api/v1/connections", headers=ada.headers)).json()["connections"]
    assert [c["handle"] for c in conns] == ["bob_k", "cy_m"]


async def test_names_are_unique_per_owner(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await make_circle(client, ada, "Family")
    before = await snapshot(services)
    dup = await client.post("/api/v1/circles", json={"name": "fAMILY"}, headers=ada.headers)
    assert dup.status_code == 409
    assert dup.json() == {
        "detail": "You already have a circle called “fAMILY”. Choose another name.",
        "field": "name",
    }
    assert await snapshot(services) == before
    # Another member may use the same name.
    await make_circle(client, bob, "Family")


async def test_only_connections_can_be_members(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, _stranger = await members(client, services, "ada_l", "bob_k", "stranger")
    await connect(client, ada, bob)
    circle = await make_circle(client, ada, "Family")
    before = await snapshot(services)
    answers = []
    for handle in ("stranger", "nobody_here", "ada_l"):
        response = await client.put(
            f"/api/v1/circles/{circle['id']}/members/{handle}", headers=ada.headers
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == (
        404,
        {"detail": "That handle is not one of your connections.", "field": "handle"},
    )
    assert answers[0] == answers[1] == answers[2]
    assert await snapshot(services) == before


async def test_circles_are_their_owners_alone(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    circle = await make_circle(client, ada, "Family")
    await client.put(f"/api/v1/circles/{circle['id']}/members/bob_k", headers=ada.headers)
    before = await snapshot(services)
    missing = await client.get("/api/v1/circles/999999", headers=bob.headers)
    cid = circle["id"]
    for call in (
        client.get(f"/api/v1/circles/{cid}", headers=bob.headers),
        client.patch(f"/api/v1/circles/{cid}", json={"name": "Mine"}, headers=bob.headers),
        client.delete(f"/api/v1/circles/{cid}", headers=bob.headers),
        client.put(f"/api/v1/circles/{cid}/members/ada_l", headers=bob.headers),
        client.delete(f"/api/v1/circles/{cid}/members/bob_k", headers=bob.headers),
    ):
        response = await call
        assert (response.status_code, response.json()) == (404, missing.json())
    assert (await client.get("/api/v1/circles", headers=bob.headers)).json()["circles"] == []
    assert await snapshot(services) == before


async def test_removing_a_connection_removes_from_circles_both_ways(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    await connect(client, bob, cy)
    ada_circle = await make_circle(client, ada, "Family")
    bob_circle = await make_circle(client, bob, "Old friends")
    for owner, cid, handles in (
        (ada, ada_circle["id"], ("bob_k", "cy_m")),
        (bob, bob_circle["id"], ("ada_l", "cy_m")),
    ):
        for handle in handles:
            response = await client.put(
                f"/api/v1/circles/{cid}/members/{handle}", headers=owner.headers
            )
            assert response.status_code == 200
    # Bob removes ada: each leaves the other's circles; the others stay.
    assert (
        await client.delete("/api/v1/connections/ada_l", headers=bob.headers)
    ).status_code == 204
    assert await member_handles(client, ada, ada_circle["id"]) == ["cy_m"]
    assert await member_handles(client, bob, bob_circle["id"]) == ["cy_m"]


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_circles": 2}], ids=["max=2"])
async def test_the_circle_cap(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_l")
    await make_circle(client, ada, "One")
    await make_circle(client, ada, "Two")
    before = await snapshot(services)
    third = await client.post("/api/v1/circles", json={"name": "Three"}, headers=ada.headers)
    assert third.status_code == 409
    assert "You have 2 circles, the most this community allows" in third.json()["detail"]
    assert await snapshot(services) == before
