"""Sends written together: each answered after the commit, decided alone, stored once."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from socialode.platform.services import Services
from tests.conversations.people import bodies, connect, direct, group, members, send


async def test_concurrent_sends_each_get_their_own_answer(
    client: httpx.AsyncClient, services: Services
) -> None:
    services.settings.rate_messages = "100000/minute"
    ada, bob, cy, dee = await members(client, services, "ada_g", "bob_g", "cy_g", "dee_g")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    one = await direct(client, ada, bob)
    walks = await group(client, ada, "Walks", bob, cy)
    repeated = uuid.uuid4().hex
    sends = [send(client, ada, one, f"one {i}") for i in range(20)]
    sends += [send(client, bob, walks, f"walks {i}") for i in range(20)]
    sends += [send(client, ada, one, "twice", repeated), send(client, ada, one, "twice", repeated)]
    sends += [send(client, dee, walks, "not a member"), send(client, cy, one, "not mine")]
    answers = await asyncio.gather(*sends)
    statuses = [a.status_code for a in answers]
    assert statuses[:40] == [201] * 40
    assert sorted(statuses[40:42]) == [200, 201]
    assert answers[40].json()["id"] == answers[41].json()["id"]
    assert statuses[42:] == [404, 404]
    one_bodies = await bodies(client, bob, one)
    assert sorted(one_bodies) == sorted([f"one {i}" for i in range(20)] + ["twice"])
    # Sequence numbers are unique and gapless per conversation.
    view = (await client.get(f"/api/v1/conversations/{walks}", headers=cy.headers)).json()
    seqs = [m["seq"] for m in view["messages"]]
    assert seqs == list(range(seqs[0], seqs[0] + 20))
    # Each sender's own read marker moved with their send: nothing unread for Ada in "one".
    listed = (await client.get("/api/v1/conversations", headers=ada.headers)).json()
    assert {c["id"]: c["unread"] for c in listed["conversations"]}[one] is False


async def test_a_stored_key_in_another_conversation_is_a_conflict(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_g", "bob_g", "cy_g")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    first, second = await direct(client, ada, bob), await direct(client, ada, cy)
    key = uuid.uuid4().hex
    assert (await send(client, ada, first, "hello", key)).status_code == 201
    reused = await send(client, ada, second, "hello", key)
    assert reused.status_code == 409 and reused.json()["field"] == "client_key"
    assert await bodies(client, cy, second) == []
