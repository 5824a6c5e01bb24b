"""Bad input to every circles endpoint: a 4xx with a sentence (and the field), nothing written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from socialode.platform.services import Services
from tests.form_helpers import stored_state
from tests.helpers import Member, connect, members, snapshot

REQUESTS = "/api/v1/connections/requests"
TOO_BIG_ID = 2**31


async def assert_refused(
    services: Services,
    call: Any,
    status: int,
    words: str | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    before = await snapshot(services), await stored_state(services)
    response: httpx.Response = await call
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10, body
    if words:
        assert words.lower() in body["detail"].lower(), body["detail"]
    if field:
        fields = {body.get("field")} | {e["field"] for e in body.get("errors") or []}
        assert field in fields, body
    assert (await snapshot(services), await stored_state(services)) == before, "wrote something"
    return body


@pytest.fixture
async def people(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[list[Member]]]
) -> list[Member]:
    return await reuse(lambda: build_people(client, services))


async def build_people(client: httpx.AsyncClient, services: Services) -> list[Member]:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    await connect(client, ada, bob)
    return [ada, bob, cy]


@pytest.mark.reuses_setup
@pytest.mark.parametrize(
    ("payload", "status", "words", "field"),
    [
        ({}, 422, "handle", None),
        ({"handle": ""}, 422, "enter the person's handle", "handle"),
        ({"handle": "  @ "}, 422, "enter the person's handle", "handle"),
        ({"handle": "cy m"}, 422, "3 to 30", "handle"),
        ({"handle": "c\u0443_m"}, 422, "3 to 30", "handle"),
        ({"handle": "x" * 101}, 422, "handle", "handle"),
        ({"handle": 42}, 422, "handle", "handle"),
        ({"handle": ["cy_m"]}, 422, "handle", "handle"),
        ({"handle": "cy_m", "invite_id": 1}, 422, "not both", None),
        ({"invite_id": 0}, 422, "invite", "invite_id"),
        ({"invite_id": "one"}, 422, "invite", "invite_id"),
        ({"invite_id": TOO_BIG_ID}, 422, "invite", "invite_id"),
        ({"invite_id": 999_999}, 404, "nobody joined", "invite_id"),
        ({"handle": "cy_m", "note": "n" * 281}, 422, "280", "note"),
        ({"handle": "cy_m", "note": "n" * 1001}, 422, "note", "note"),
        ({"handle": "cy_m", "note": None}, 422, "note", "note"),
        ({"handle": "cy_m", "extra": True}, 422, "extra", "extra"),
        ({"handle": "nobody_x"}, 404, "no member with that handle", "handle"),
        ({"handle": "bob_k"}, 409, "already connected", "handle"),
    ],
)
async def test_send_request_refuses(
    client: httpx.AsyncClient,
    services: Services,
    people: list[Member],
    payload: dict[str, Any],
    status: int,
    words: str,
    field: str | None,
) -> None:
    ada = people[0]
    await assert_refused(
        services, client.post(REQUESTS, json=payload, headers=ada.headers), status, words, field
    )


async def test_send_request_refuses_non_json(
    client: httpx.AsyncClient, services: Services, people: list[Member]
) -> None:
    await assert_refused(
        services,
        client.post(
            REQUESTS,
            content=b"{nope",
            headers={**people[0].headers, "content-type": "application/json"},
        ),
        422,
    )


@pytest.mark.reuses_setup
@pytest.mark.parametrize(
    ("request_id", "status"),
    [("0", 422), ("-3", 422), ("abc", 422), (str(TOO_BIG_ID), 422), ("999999", 404)],
)
async def test_request_ids_are_checked(
    client: httpx.AsyncClient,
    services: Services,
    people: list[Member],
    request_id: str,
    status: int,
) -> None:
    ada = people[0]
    for call in (
        client.post(f"{REQUESTS}/{request_id}/accept", headers=ada.headers),
        client.post(f"{REQUESTS}/{request_id}/decline", headers=ada.headers),
        client.delete(f"{REQUESTS}/{request_id}", headers=ada.headers),
    ):
        await assert_refused(services, call, status)


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({}, 422, "name"),
        ({"name": ""}, 422, "give the circle a name"),
        ({"name": " \t "}, 422, "give the circle a name"),
        ({"name": "\u0000\u0007"}, 422, "give the circle a name"),
        ({"name": "n" * 61}, 422, "60 characters"),
        ({"name": "n" * 201}, 422, "name"),
        ({"name": 5}, 422, "name"),
        ({"name": "Family", "colour": "red"}, 422, "colour"),
        ({"name": "family"}, 409, "already have a circle"),
    ],
)
async def test_circle_names_are_checked(
    client: httpx.AsyncClient,
    services: Services,
    people: list[Member],
    payload: dict[str, Any],
    status: int,
    words: str,
) -> None:
    ada = people[0]
    family = await client.post("/api/v1/circles", json={"name": "Family"}, headers=ada.headers)
    other = await client.post("/api/v1/circles", json={"name": "Other"}, headers=ada.headers)
    field = "name" if status == 422 and payload.get("name") is not None else None
    await assert_refused(
        services,
        client.post("/api/v1/circles", json=payload, headers=ada.headers),
        status,
        words,
        field if "colour" not in payload else None,
    )
    await assert_refused(
        services,
        client.patch(f"/api/v1/circles/{other.json()['id']}", json=payload, headers=ada.headers),
        status,
        words,
    )
    assert family.status_code == 201


async def test_circle_ids_and_members_are_checked(
    client: httpx.AsyncClient, services: Services, people: list[Member]
) -> None:
    ada = people[0]
    cid = (await client.post("/api/v1/circles", json={"name": "F"}, headers=ada.headers)).json()[
        "id"
    ]
    h = ada.headers
    for bad in ("0", "abc", str(TOO_BIG_ID)):
        for call in (
            client.get(f"/api/v1/circles/{bad}", headers=h),
            client.patch(f"/api/v1/circles/{bad}", json={"name": "x"}, headers=h),
            client.delete(f"/api/v1/circles/{bad}", headers=h),
            client.put(f"/api/v1/circles/{bad}/members/bob_k", headers=h),
            client.delete(f"/api/v1/circles/{bad}/members/bob_k", headers=h),
        ):
            await assert_refused(services, call, 422)
    for call in (
        client.get("/api/v1/circles/999999", headers=h),
        client.delete("/api/v1/circles/999999", headers=h),
        client.put("/api/v1/circles/999999/members/bob_k", headers=h),
    ):
        await assert_refused(services, call, 404, "no such circle")
    await assert_refused(
        services, client.put(f"/api/v1/circles/{cid}/members/cy_m", headers=h), 404, "not one of"
    )
    await assert_refused(
        services, client.put(f"/api/v1/circles/{cid}/members/b%20k", headers=h), 422, "3 to 30"
    )
    await assert_refused(
        services, client.delete(f"/api/v1/circles/{cid}/members/bob_k", headers=h), 404, "nobody"
    )


async def test_handles_in_paths_are_checked(
    client: httpx.AsyncClient, services: Services, people: list[Member]
) -> None:
    ada = people[0]
    h = ada.headers
    for bad in ("a%20b", "x" * 31, "%40"):
        for call in (
            client.delete(f"/api/v1/connections/{bad}", headers=h),
            client.put(f"/api/v1/blocks/{bad}", headers=h),
            client.delete(f"/api/v1/blocks/{bad}", headers=h),
            client.put(f"/api/v1/mutes/{bad}", headers=h),
            client.delete(f"/api/v1/mutes/{bad}", headers=h),
            client.get(f"/api/v1/people/{bad}", headers=h),
        ):
            await assert_refused(services, call, 422, field="handle")
    for call, words in (
        (client.delete("/api/v1/connections/cy_m", headers=h), "not one of your connections"),
        (client.put("/api/v1/blocks/nobody_x", headers=h), "no member"),
        (client.put("/api/v1/blocks/ada_l", headers=h), "your own handle"),
        (client.delete("/api/v1/blocks/cy_m", headers=h), "not blocked"),
        (client.put("/api/v1/mutes/cy_m", headers=h), "not one of your connections"),
        (client.delete("/api/v1/mutes/cy_m", headers=h), "not one of your connections"),
        (client.get("/api/v1/people/nobody_x", headers=h), "no member"),
        (client.get("/api/v1/people/bob_k/avatar/100", headers=h), "no such image"),
        (client.get("/api/v1/people/bob_k/avatar/256", headers=h), "no such image"),
    ):
        await assert_refused(services, call, 422 if "own handle" in words else 404, words)
    await assert_refused(
        services, client.get("/api/v1/people/bob_k/avatar/big", headers=h), 422, "size"
    )


async def test_signed_out_requests_are_told_to_sign_in(
    client: httpx.AsyncClient, services: Services, people: list[Member]
) -> None:
    for call in (
        client.get("/api/v1/connections"),
        client.get(REQUESTS),
        client.post(REQUESTS, json={"handle": "bob_k"}),
        client.post(f"{REQUESTS}/1/accept"),
        client.get("/api/v1/circles"),
        client.post("/api/v1/circles", json={"name": "x"}),
        client.put("/api/v1/blocks/bob_k"),
        client.get("/api/v1/people/bob_k"),
        client.get("/api/v1/people/bob_k/avatar/64"),
    ):
        body = await assert_refused(services, call, 401)
        assert "sign in" in body["detail"].lower()
