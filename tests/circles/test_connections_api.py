"""Requests, accepting, declining, withdrawing and removing, through the API."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine

from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.helpers import Member, connect, login, make_admin, members, sign_up, snapshot

REQUESTS = "/api/v1/connections/requests"


async def ask(client: httpx.AsyncClient, a: Member, b: Member, note: str = "") -> httpx.Response:
    return await client.post(REQUESTS, json={"handle": b.handle, "note": note}, headers=a.headers)


async def lists(client: httpx.AsyncClient, who: Member) -> dict[str, Any]:
    response = await client.get(REQUESTS, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def handles_of(client: httpx.AsyncClient, who: Member) -> list[str]:
    response = await client.get("/api/v1/connections", headers=who.headers)
    assert response.status_code == 200, response.text
    return [c["handle"] for c in response.json()["connections"]]


async def test_request_and_accept(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    sent = await ask(client, ada, bob, "We met at the allotment.")
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["outcome"] == "sent" and body["message"] == "Request sent."
    assert body["request"]["person"] == {"handle": "bob_k", "display_name": "Bob_K"}

    incoming = (await lists(client, bob))["incoming"]
    assert [(r["person"]["handle"], r["note"]) for r in incoming] == [
        ("ada_l", "We met at the allotment.")
    ]
    assert (await lists(client, ada))["outgoing"][0]["id"] == incoming[0]["id"]

    accepted = await client.post(f"{REQUESTS}/{incoming[0]['id']}/accept", headers=bob.headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["handle"] == "ada_l"
    assert await handles_of(client, ada) == ["bob_k"]
    assert await handles_of(client, bob) == ["ada_l"]
    assert (await lists(client, ada)) == {"incoming": [], "outgoing": [], "next": None}
    assert (await lists(client, bob)) == {"incoming": [], "outgoing": [], "next": None}

    again = await ask(client, ada, bob)
    assert again.status_code == 409 and "already connected" in again.json()["detail"]
    # Accepting twice finds nothing to accept.
    twice = await client.post(f"{REQUESTS}/{incoming[0]['id']}/accept", headers=bob.headers)
    assert twice.status_code == 404


async def test_asking_someone_who_asked_you_connects(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    assert (await ask(client, ada, bob)).status_code == 201
    back = await ask(client, bob, ada)
    assert back.status_code == 201, back.text
    assert back.json()["outcome"] == "connected"
    assert back.json()["request"] is None
    assert await handles_of(client, ada) == ["bob_k"]
    assert (await lists(client, ada)) == {"incoming": [], "outgoing": [], "next": None}


async def test_sending_twice_and_to_yourself(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    assert (await ask(client, ada, bob)).status_code == 201
    before = await snapshot(services)
    twice = await ask(client, ada, bob)
    assert twice.status_code == 409
    assert "already asked" in twice.json()["detail"] and twice.json()["field"] == "handle"
    self_ask = await ask(client, ada, ada)
    assert self_ask.status_code == 422 and "your own handle" in self_ask.json()["detail"]
    assert await snapshot(services) == before


async def test_decline_and_withdraw(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    first = (await ask(client, ada, bob)).json()["request"]["id"]
    second = (await ask(client, cy, bob)).json()["request"]["id"]
    # Only the recipient answers, only the sender withdraws; anyone else finds nothing.
    assert (await client.post(f"{REQUESTS}/{first}/decline", headers=cy.headers)).status_code == 404
    assert (await client.post(f"{REQUESTS}/{first}/accept", headers=ada.headers)).status_code == 404
    assert (await client.delete(f"{REQUESTS}/{first}", headers=bob.headers)).status_code == 404

    declined = await client.post(f"{REQUESTS}/{first}/decline", headers=bob.headers)
    assert declined.status_code == 204
    withdrawn = await client.delete(f"{REQUESTS}/{second}", headers=cy.headers)
    assert withdrawn.status_code == 204
    assert (await lists(client, bob))["incoming"] == []
    assert (await lists(client, cy))["outgoing"] == []
    assert await handles_of(client, bob) == []


async def test_remove_connection(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    removed = await client.delete("/api/v1/connections/bob_k", headers=ada.headers)
    assert removed.status_code == 204
    assert await handles_of(client, ada) == []
    assert await handles_of(client, bob) == []
    again = await client.delete("/api/v1/connections/bob_k", headers=ada.headers)
    assert again.status_code == 404
    assert again.json()["detail"] == "That handle is not one of your connections."
    # Either side may ask again afterwards.
    assert (await ask(client, bob, ada)).json()["outcome"] == "sent"


async def test_connect_with_someone_you_invited(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    made = await client.post("/api/v1/me/invites", json={}, headers=ada.headers)
    token = made.json()["link"].rsplit("/", 1)[1]
    joined = await client.post(
        "/api/v1/auth/signup",
        json={
            "invite_token": token,
            "handle": "new_friend",
            "display_name": "New Friend",
            "email": "nf@example.org",
            "password": "quiet-harbour-lantern-42",
            "connect": False,  # joining alone, to be asked by the inviter afterwards
        },
    )
    assert joined.status_code == 201, joined.text
    client.cookies.clear()
    friend = Member("new_friend", joined.json()["session_token"])
    invite_id = made.json()["id"]
    # Someone else cannot use ada's invite to reach the person who used it.
    (eve,) = await members(client, services, "eve_x")
    other = await client.post(REQUESTS, json={"invite_id": invite_id}, headers=eve.headers)
    assert other.status_code == 404 and other.json()["field"] == "invite_id"

    sent = await client.post(REQUESTS, json={"invite_id": invite_id}, headers=ada.headers)
    assert sent.status_code == 201, sent.text
    assert sent.json()["request"]["person"]["handle"] == "new_friend"
    assert (await lists(client, friend))["incoming"][0]["person"]["handle"] == "ada_l"


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_connections": 2}], ids=["cap=2"])
async def test_the_cap_on_sending(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy, dan = await members(client, services, "ada_l", "bob_k", "cy_m", "dan_o")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    before = await snapshot(services)
    refused = await ask(client, ada, dan)
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "You have 2 connections, the most this community allows" in detail
    assert "remove one" in detail
    assert await snapshot(services) == before
    # Someone at the cap can still be asked; accepting then explains.
    sent = await ask(client, dan, ada)
    assert sent.status_code == 201
    accepting = await client.post(
        f"{REQUESTS}/{sent.json()['request']['id']}/accept", headers=ada.headers
    )
    assert accepting.status_code == 409
    assert "You have 2 connections" in accepting.json()["detail"]
    assert (await lists(client, ada))["incoming"][0]["person"]["handle"] == "dan_o"
    # After removing one, accepting works.
    assert (await client.delete("/api/v1/connections/cy_m", headers=ada.headers)).status_code == 204
    accepting = await client.post(
        f"{REQUESTS}/{sent.json()['request']['id']}/accept", headers=ada.headers
    )
    assert accepting.status_code == 201
    assert await handles_of(client, ada) == ["bob_k", "dan_o"]


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_connections": 2}], ids=["cap=2"])
async def test_the_cap_of_the_sender_on_accepting(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy, dan = await members(client, services, "ada_l", "bob_k", "cy_m", "dan_o")
    request_id = (await ask(client, ada, dan)).json()["request"]["id"]
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    before = await snapshot(services)
    accepting = await client.post(f"{REQUESTS}/{request_id}/accept", headers=dan.headers)
    assert accepting.status_code == 409
    assert "most connections this community allows" in accepting.json()["detail"]
    assert await snapshot(services) == before
    # Asking back does not get past the cap either.
    back = await ask(client, dan, ada)
    assert back.status_code == 409
    assert await snapshot(services) == before


async def test_requests_expire(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    request_id = (await ask(client, ada, bob)).json()["request"]["id"]
    with time_machine.travel(utcnow() + timedelta(days=29), tick=False):
        ada_token, bob_token = await login(client, "ada_l"), await login(client, "bob_k")
        ada29, bob29 = Member("ada_l", ada_token), Member("bob_k", bob_token)
        assert len((await lists(client, bob29))["incoming"]) == 1
        assert len((await lists(client, ada29))["outgoing"]) == 1
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        ada31 = Member("ada_l", await login(client, "ada_l"))
        bob31 = Member("bob_k", await login(client, "bob_k"))
        assert (await lists(client, bob31))["incoming"] == []
        assert (await lists(client, ada31))["outgoing"] == []
        late = await client.post(f"{REQUESTS}/{request_id}/accept", headers=bob31.headers)
        assert late.status_code == 404
        gone = await client.delete(f"{REQUESTS}/{request_id}", headers=ada31.headers)
        assert gone.status_code == 404
        # An expired request no longer stands in the way of a new one.
        assert (await ask(client, ada31, bob31)).json()["outcome"] == "sent"
        assert len((await lists(client, bob31))["incoming"]) == 1


async def test_decline_cooldown_never_tells_the_sender(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy, dan = await members(client, services, "ada_l", "bob_k", "cy_m", "dan_o")
    declined_id = (await ask(client, ada, bob)).json()["request"]["id"]
    waiting_id = (await ask(client, cy, dan)).json()["request"]["id"]  # the control: pending
    assert (
        await client.post(f"{REQUESTS}/{declined_id}/decline", headers=bob.headers)
    ).status_code == 204

    def same_shape(a: dict[str, Any], b: dict[str, Any]) -> None:
        assert set(a) == set(b)
        assert {k: type(v) for k, v in a.items()} == {k: type(v) for k, v in b.items()}

    # The sender's list shows the declined request exactly as the pending one is shown.
    ada_out, cy_out = (await lists(client, ada))["outgoing"], (await lists(client, cy))["outgoing"]
    assert [r["id"] for r in ada_out] == [declined_id]
    same_shape(ada_out[0], cy_out[0])
    assert ada_out[0]["expires_at"] > utcnow().isoformat()
    # Asking again answers as it does while a request waits.
    again, control = await ask(client, ada, bob), await ask(client, cy, dan)
    assert (again.status_code, control.status_code) == (409, 409)
    assert again.json()["detail"].replace("Bob_K", "X") == control.json()["detail"].replace(
        "Dan_O", "X"
    )
    # Withdrawing and asking again looks like a fresh, successful request ...
    for who, rid in ((ada, declined_id), (cy, waiting_id)):
        assert (await client.delete(f"{REQUESTS}/{rid}", headers=who.headers)).status_code == 204
    resent, control = await ask(client, ada, bob, "Hi!"), await ask(client, cy, dan, "Hi!")
    assert (resent.status_code, control.status_code) == (201, 201)
    assert resent.json()["message"] == control.json()["message"] == "Request sent."
    same_shape(resent.json()["request"], control.json()["request"])
    assert [r["id"] for r in (await lists(client, ada))["outgoing"]] == [
        resent.json()["request"]["id"]
    ]
    # ... but reaches nobody.
    assert (await lists(client, bob))["incoming"] == []
    person = await client.get("/api/v1/people/ada_l", headers=bob.headers)
    assert person.json()["request"] is None

    # Once the request lifetime has passed since the decline, a new request reaches them.
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        ada31 = Member("ada_l", await login(client, "ada_l"))
        bob31 = Member("bob_k", await login(client, "bob_k"))
        assert (await lists(client, ada31))["outgoing"] == []
        assert (await ask(client, ada31, bob31)).status_code == 201
        assert [r["person"]["handle"] for r in (await lists(client, bob31))["incoming"]] == [
            "ada_l"
        ]


async def test_the_one_who_declined_can_still_ask(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    declined_id = (await ask(client, ada, bob)).json()["request"]["id"]
    await client.post(f"{REQUESTS}/{declined_id}/decline", headers=bob.headers)
    changed_mind = await ask(client, bob, ada)
    assert changed_mind.json()["outcome"] == "sent"
    request_id = changed_mind.json()["request"]["id"]
    accepted = await client.post(f"{REQUESTS}/{request_id}/accept", headers=ada.headers)
    assert accepted.status_code == 201
    # The old request ada still saw as waiting is closed by the connection.
    assert (await lists(client, ada))["outgoing"] == []


@pytest.mark.parametrize(
    "settings_overrides", [{**QUICK, "rate_connection_requests": "3/day"}], ids=["limited"]
)
async def test_requests_are_rate_limited(client: httpx.AsyncClient, services: Services) -> None:
    ada, *others = await members(client, services, "ada_l", "bob_k", "cy_m", "dan_o", "eve_x")
    for other in others[:3]:
        assert (await ask(client, ada, other)).status_code == 201
    before = await snapshot(services)
    limited = await ask(client, ada, others[3])
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "wait" in limited.json()["detail"]
    assert await snapshot(services) == before


async def test_an_administrator_is_not_connected_by_seeing(
    client: httpx.AsyncClient, services: Services
) -> None:
    await make_admin(services)
    admin = Member("root_admin", await login(client, "root_admin"))
    await sign_up(client, services, "bob_k")
    seen = await client.get("/api/v1/people/bob_k", headers=admin.headers)
    assert seen.status_code == 200
    assert seen.json()["relation"] == "none" and seen.json()["profile"] is not None
    assert await handles_of(client, admin) == []


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_connections": 1}], ids=["cap=1"])
async def test_accepting_at_the_same_moment_stays_under_the_cap(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_l", "bob_k", "cy_m")
    ids = [(await ask(client, who, ada)).json()["request"]["id"] for who in (bob, cy)]
    answers = await asyncio.gather(
        *(client.post(f"{REQUESTS}/{rid}/accept", headers=ada.headers) for rid in ids)
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert len(await handles_of(client, ada)) == 1
    # The request that lost the race is still waiting, and still answerable.
    assert len((await lists(client, ada))["incoming"]) == 1
