"""A block inside groups both people share: each one is missing to the other there.

Ada and Bob are both in groups Cy started (and each started one with the other in it), and
Ada blocks Bob. Everything Bob does in those groups — his messages, edits and deletes, his
leaving, being added back and removed, the renames of his own group — and his presence in
member lists must be missing for Ada on every surface (page, API, live events, replay from an
old cursor), and the same the other way round.

Every probe also runs in the same world without the block, where it must see the other
person: a probe that could never see them proves nothing.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from socialode.platform.services import Services
from tests.conversations.people import Member, Stream, connect, group, members, send, served

KINDS = ("message", "edit", "delete", "rename", "leave", "join", "remove")


@dataclass
class Person:
    member: Member
    name: str  # "ada" or "bob"
    marks: dict[str, str]  # what they write: "doomed", "old", "new", "live"

    @property
    def handle(self) -> str:
        return self.member.handle

    def traces(self) -> tuple[str, ...]:
        return (self.handle, self.handle.title(), *self.marks.values())


@dataclass
class Groups:
    talk: int  # Cy's group: messages, edits and deletes of both, member lists, unread
    bob_goes: int  # Cy's group: Bob leaves, is added back, is removed
    ada_goes: int  # Cy's group: the same for Ada
    bobs: int  # Bob's group with Ada and Cy: Bob renames it
    adas: int  # Ada's group with Bob and Cy: Ada renames it

    def all(self) -> list[int]:
        return [self.talk, self.bob_goes, self.ada_goes, self.bobs, self.adas]


def _person(member: Member, name: str, run: str) -> Person:
    # Unique words: nothing else in the world can contain them by chance.
    marks = {part: f"{name}{part}{run}" for part in ("doomed", "old", "new", "live", "name")}
    return Person(member, name, marks)


def _seen(text: str, other: Person) -> bool:
    return any(trace in text for trace in other.traces())


def _kinds_about(events: list[dict[str, Any]], other: Person) -> set[str]:
    """The kinds of events whose actor or subject is ``other``, or that carry their words."""
    found = set()
    for event in events:
        people = [event.get("actor"), event.get("subject")]
        handles = {p["handle"] for p in people if p}
        if other.handle in handles or _seen(json.dumps(event), other):
            found.add(event["kind"])
    return found


async def _check(response: httpx.Response) -> httpx.Response:
    assert response.status_code < 300, response.text
    return response


async def _world(
    client: httpx.AsyncClient, services: Services, run: str
) -> tuple[Person, Person, Member, Groups, dict[str, dict[str, int]]]:
    services.settings.rate_messages = "100000/minute"
    ada_m, bob_m, cy = await members(client, services, "ada_gb", "bob_gb", "cy_gb")
    for a, b in ((ada_m, bob_m), (ada_m, cy), (bob_m, cy)):
        await connect(client, a, b)
    ada, bob = _person(ada_m, "ada", run), _person(bob_m, "bob", run)
    groups = Groups(
        talk=await group(client, cy, "Walks", ada_m, bob_m),
        bob_goes=await group(client, cy, "Bob goes", ada_m, bob_m),
        ada_goes=await group(client, cy, "Ada goes", ada_m, bob_m),
        bobs=await group(client, bob_m, "Bob's", ada_m, cy),
        adas=await group(client, ada_m, "Ada's", bob_m, cy),
    )
    # Written before the block: to be edited and deleted after it.
    ids: dict[str, dict[str, int]] = {}
    for who in (ada, bob):
        ids[who.name] = {}
        for part in ("doomed", "old"):
            sent = await _check(await send(client, who.member, groups.talk, who.marks[part]))
            ids[who.name][part] = sent.json()["id"]
    return ada, bob, cy, groups, ids


async def _act(
    client: httpx.AsyncClient,
    ada: Person,
    bob: Person,
    cy: Member,
    groups: Groups,
    ids: dict[str, dict[str, int]],
) -> None:
    """Everything each of them does after the block, in the order the checks rely on."""
    for who in (ada, bob):  # Bob's message is the last one in the talk group: unread for Ada
        await _check(await send(client, who.member, groups.talk, who.marks["live"]))
    for who in (ada, bob):
        await _check(
            await client.patch(
                f"/api/v1/messages/{ids[who.name]['old']}",
                json={"body": who.marks["new"]},
                headers=who.member.headers,
            )
        )
        await _check(
            await client.delete(
                f"/api/v1/messages/{ids[who.name]['doomed']}", headers=who.member.headers
            )
        )
    for who, own in ((bob, groups.bobs), (ada, groups.adas)):
        await _check(
            await client.patch(
                f"/api/v1/conversations/{own}",
                json={"name": f"Renamed {who.marks['name']}"},
                headers=who.member.headers,
            )
        )
    for who, where in ((bob, groups.bob_goes), (ada, groups.ada_goes)):
        url = f"/api/v1/conversations/{where}"
        await _check(await client.post(f"{url}/leave", headers=who.member.headers))
        await _check(
            await client.post(f"{url}/members", json={"handle": who.handle}, headers=cy.headers)
        )
        await _check(await client.delete(f"{url}/members/{who.handle}", headers=cy.headers))


async def _unread_talk(client: httpx.AsyncClient, who: Person, groups: Groups) -> bool:
    listed = await _check(await client.get("/api/v1/conversations", headers=who.member.headers))
    (talk,) = [c for c in listed.json()["conversations"] if c["id"] == groups.talk]
    return bool(talk["unread"])


def _new_marker_on_page(html: str, conversation_id: int) -> bool:
    items = re.findall(r"<li[^>]*>.*?</li>", html, re.S)
    link = re.compile(rf'href="/conversations/{conversation_id}(#[\w-]+)?"')
    (item,) = [i for i in items if link.search(i)]
    return 'class="unread-dot"' in item


@pytest.mark.parametrize("blocked", [True, False], ids=["blocked", "control"])
async def test_a_block_hides_each_from_the_other_in_shared_groups(
    app: FastAPI, client: httpx.AsyncClient, services: Services, blocked: bool
) -> None:
    run = uuid.uuid4().hex[:10]
    ada, bob, cy, groups, ids = await _world(client, services, run)
    if blocked:
        response = await client.put(f"/api/v1/blocks/{bob.handle}", headers=ada.member.headers)
        assert response.status_code == 204, response.text
    seen: dict[str, bool] = {}  # probe → whether the observer saw the other person
    async with served(app) as port:
        streams = {p.name: await Stream(port, p.member).open() for p in (ada, bob)}
        cy_stream = await Stream(port, cy).open()
        await _act(client, ada, bob, cy, groups, ids)
        for stream in (*streams.values(), cy_stream):
            await stream.drain(0.5)
        # Cy, blocked by nobody, got every event of both: the actions above really happened.
        for who in (ada, bob):
            assert _kinds_about(cy_stream.events, who) == set(KINDS), who.name
        for observer, other in ((ada, bob), (bob, ada)):
            live = _kinds_about(streams[observer.name].events, other)
            for kind in KINDS:
                seen[f"{observer.name} live {kind} of {other.name}"] = kind in live
            # Reconnecting from a cursor older than everything replays the same way.
            stream = streams[observer.name]
            await stream.close()
            stream.cursor = {"at": None, "c": {str(c): 0 for c in groups.all()}}
            stream.events.clear()
            await stream.open()
            await stream.drain(0.5)
            replayed = _kinds_about(stream.events, other)
            for kind in KINDS:
                seen[f"{observer.name} replay {kind} of {other.name}"] = kind in replayed
            await stream.close()
        await cy_stream.close()

    # The list first (reading the page below moves the read marker): Bob wrote last.
    seen["ada unread from bob (API list)"] = await _unread_talk(client, ada, groups)
    listing = await _check(await client.get("/conversations", headers=ada.member.headers))
    seen["ada unread from bob (list page)"] = _new_marker_on_page(listing.text, groups.talk)
    for observer, other in ((ada, bob), (bob, ada)):
        headers = observer.member.headers
        detail = await _check(
            await client.get(f"/api/v1/conversations/{groups.talk}", headers=headers)
        )
        body = detail.json()
        senders = {(m["sender"] or {}).get("handle") for m in body["messages"]}
        seen[f"{observer.name} API messages of {other.name}"] = other.handle in senders
        seen[f"{observer.name} API words of {other.name}"] = _seen(
            json.dumps(body["messages"]), other
        )
        handles = {p["handle"] for p in body["members"]}
        seen[f"{observer.name} API members has {other.name}"] = other.handle in handles
        page = await _check(await client.get(f"/conversations/{groups.talk}", headers=headers))
        members_part, _, messages_part = page.text.partition('id="messages"')
        seen[f"{observer.name} page members has {other.name}"] = _seen(members_part, other)
        seen[f"{observer.name} page messages of {other.name}"] = _seen(messages_part, other)

    assert seen == dict.fromkeys(seen, not blocked), sorted(
        probe for probe, saw in seen.items() if saw == blocked
    )
