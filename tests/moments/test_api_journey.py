"""Sharing, reading, answering, editing and deleting moments through the API."""

from __future__ import annotations

import uuid

import httpx

from socialode.platform.services import Services
from tests.clock import member_day
from tests.conversations.people import connect, members
from tests.moments.people import day_ids, make_circle, read_feed, remove, share, shared


async def test_share_read_answer_edit_delete(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cy, dee = await members(client, services, "ada", "bob", "cyd", "dee")
    for other in (bob, cy, dee):
        await connect(client, ada, other)
    family = await make_circle(client, ada, "Family", bob)

    created = await share(client, ada, "Baked bread today", circles=[family])
    assert created.status_code == 201, created.text
    moment = created.json()
    assert moment["own"] is True and moment["audience"] == {"circles": ["Family"], "people": []}
    mid = moment["id"]

    # Bob sees it in his feed, on its own and without the audience; Cy does not.
    feed = await read_feed(client, bob)
    assert [m["id"] for m in feed] == [mid]
    assert feed[0]["audience"] is None and feed[0]["own"] is False
    assert (await client.get(f"/api/v1/moments/{mid}", headers=bob.headers)).status_code == 200
    assert await read_feed(client, cy) == []
    missing = await client.get(f"/api/v1/moments/{mid}", headers=cy.headers)
    unknown = await client.get("/api/v1/moments/999999", headers=cy.headers)
    assert missing.status_code == unknown.status_code == 404
    assert missing.json() == unknown.json()

    # Read once, Bob is caught up: the next pass is empty; looking back by date still shows it
    # (on the day it was shared in his time zone, whatever the hour in UTC).
    assert await read_feed(client, bob) == []
    assert mid in await day_ids(client, bob, member_day(moment["created_at"]))

    # Dee, added to Family afterwards, does not see it.
    await make_circle(client, ada, "Other")
    put = await client.put(f"/api/v1/circles/{family}/members/dee", headers=ada.headers)
    assert put.status_code == 200
    assert (await client.get(f"/api/v1/moments/{mid}", headers=dee.headers)).status_code == 404

    # Bob answers in words: a one-to-one conversation with Ada quoting the moment.
    key = uuid.uuid4().hex
    answer = await client.post(
        f"/api/v1/moments/{mid}/answers",
        json={"body": "Smells wonderful from here", "client_key": key},
        headers=bob.headers,
    )
    assert answer.status_code == 201, answer.text
    conversation = answer.json()["conversation_id"]
    again = await client.post(
        f"/api/v1/moments/{mid}/answers",
        json={"body": "Smells wonderful from here", "client_key": key},
        headers=bob.headers,
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=ada.headers)
    messages = seen.json()["messages"]
    assert [m["body"] for m in messages] == ["Smells wonderful from here"]
    assert messages[0]["quote"] == "Baked bread today"

    # Edit within the window updates the quote; delete removes it everywhere.
    edited = await client.patch(
        f"/api/v1/moments/{mid}", json={"body": "Baked rye bread today"}, headers=ada.headers
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=bob.headers)
    assert seen.json()["messages"][0]["quote"] == "Baked rye bread today"
    assert (await client.delete(f"/api/v1/moments/{mid}", headers=ada.headers)).status_code == 204
    assert (await client.get(f"/api/v1/moments/{mid}", headers=bob.headers)).status_code == 404
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=bob.headers)
    assert seen.json()["messages"][0]["quote"] is None
    notes = await client.get("/api/v1/notifications", headers=bob.headers)
    assert notes.json()["notifications"] == []

    # Removed from the circle: stops seeing at once.
    second = await shared(client, ada, "Walk on Sunday?", circles=[family])
    assert (await client.get(f"/api/v1/moments/{second}", headers=bob.headers)).status_code == 200
    await remove(client, ada, family, bob)
    assert (await client.get(f"/api/v1/moments/{second}", headers=bob.headers)).status_code == 404
