"""Someone who left a group, or was removed, sees it as it was when they left, everywhere.

Ada's group has Bob, Cy and Eve. Cy leaves (or Ada removes Cy). Then the group lives on: Ada
renames it, adds Dee, removes Eve, sends, edits and deletes; Bob edits a message Cy read. On
every route that can show a conversation Cy must see the old name, the old members and the
old texts, and none of the marker strings written after; Bob (still a member) sees them all.
Added back, Cy sees the group as it is now, and nothing from the gap.

The coverage table names every route whose path is about conversations, messages or the
stream: a new route without an entry fails the suite.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from socialode.platform.pagination import encode_cursor
from socialode.platform.services import Services
from tests.conversations.people import Member, Stream, connect, group, members, send, served
from tests.conversations.photos import small_png
from tests.test_block_routes import app_routes

# Words written only after the departure: none may reach the person who left.
NEW_NAME = "zqrenamed after"
NEWCOMER = "zqnewcomer"
AFTER_TEXT = "zqsent after"
EDITED_TEXT = "zqedited after"
MARKERS = (NEW_NAME, NEWCOMER, AFTER_TEXT, EDITED_TEXT)


@dataclass
class World:
    ada: Member
    bob: Member
    cy: Member
    dee: Member
    eve: Member
    group_id: int
    how: str  # "leave" or "remove"
    departed_at: int = 0  # the sequence number of Cy's departure
    ids: dict[str, int] = field(default_factory=dict)  # message ids by label
    photos: dict[str, str] = field(default_factory=dict)  # photo URLs, before and after


async def _photo(client: httpx.AsyncClient, who: Member, gid: int) -> str:
    sent = await client.post(
        f"/api/v1/conversations/{gid}/messages/photo",
        data={"client_key": uuid.uuid4().hex},
        files={"photo": ("p.png", small_png(), "image/png")},
        headers=who.headers,
    )
    return str((await _ok(sent, 201))["photo"]["url"])


async def _ok(response: httpx.Response, *codes: int) -> dict[str, Any]:
    assert response.status_code in (codes or (200, 204)), response.text
    return dict(response.json()) if response.content else {}


async def _detail(client: httpx.AsyncClient, who: Member, gid: int) -> dict[str, Any]:
    return await _ok(await client.get(f"/api/v1/conversations/{gid}", headers=who.headers))


async def _build(
    client: httpx.AsyncClient, services: Services, how: str, cy: Member | None = None
) -> World:
    services.settings.rate_messages = "100000/minute"
    tag = uuid.uuid4().hex[:4]
    ada, bob, dee, eve = await members(
        client, services, f"ada{tag}", f"bob{tag}", f"{NEWCOMER}{tag}", f"eve{tag}"
    )
    if cy is None:
        (cy,) = await members(client, services, f"cy{tag}")
    for other in (bob, cy, dee, eve):
        await connect(client, ada, other)
    gid = await group(client, ada, "First name", bob, cy, eve)
    w = World(ada, bob, cy, dee, eve, gid, how)
    rename = f"/api/v1/conversations/{gid}"
    await _ok(await client.patch(rename, json={"name": "Old name"}, headers=ada.headers))
    for label, who, text in (
        ("plain", ada, "hello before"),
        ("bob_edited_later", bob, "bob wrote this before"),
        ("ada_edited_twice", ada, "ada first draft"),
        ("deleted_later", ada, "ada said this before"),
    ):
        w.ids[label] = (await _ok(await send(client, who, gid, text), 201))["id"]
    w.photos["before"] = await _photo(client, bob, gid)
    edit = f"/api/v1/messages/{w.ids['ada_edited_twice']}"
    await _ok(await client.patch(edit, json={"body": "ada second draft"}, headers=ada.headers))
    if how == "remove":
        url = f"/api/v1/conversations/{gid}/members/{cy.handle}"
        await _ok(await client.delete(url, headers=ada.headers), 204)
    else:
        await _ok(await client.post(f"/api/v1/conversations/{gid}/leave", headers=cy.headers), 204)
    w.departed_at = (await _detail(client, cy, gid))["last_seq"]
    # The group's later life.
    await _ok(await client.patch(rename, json={"name": NEW_NAME}, headers=ada.headers))
    members_url = f"/api/v1/conversations/{gid}/members"
    await _ok(await client.post(members_url, json={"handle": dee.handle}, headers=ada.headers), 201)
    await _ok(await client.delete(f"{members_url}/{eve.handle}", headers=ada.headers), 204)
    w.ids["after"] = (await _ok(await send(client, dee, gid, AFTER_TEXT), 201))["id"]
    w.photos["after"] = await _photo(client, dee, gid)
    gone = (await _ok(await send(client, ada, gid, f"{AFTER_TEXT} then deleted"), 201))["id"]
    await _ok(await client.delete(f"/api/v1/messages/{gone}", headers=ada.headers), 204)
    for label, who in (("bob_edited_later", bob), ("ada_edited_twice", ada)):
        url = f"/api/v1/messages/{w.ids[label]}"
        await _ok(await client.patch(url, json={"body": EDITED_TEXT}, headers=who.headers))
    deleted = f"/api/v1/messages/{w.ids['deleted_later']}"
    await _ok(await client.delete(deleted, headers=ada.headers), 204)
    return w


def _no_markers(text: str, where: str) -> None:
    found = [m for m in MARKERS if m.lower() in text.lower()]
    assert not found, f"{where} shows what happened after the departure: {found}"


# -- what the person who left sees, surface by surface --------------------------------------
async def _check_api(client: httpx.AsyncClient, w: World) -> None:
    listed = await _ok(await client.get("/api/v1/conversations", headers=w.cy.headers))
    (entry,) = [c for c in listed["conversations"] if c["id"] == w.group_id]
    assert (entry["name"], entry["member"], entry["last_seq"]) == ("Old name", False, w.departed_at)
    departure = "removed" if w.how == "remove" else "left"
    assert entry["departure"] == departure
    _no_markers(str(listed), "GET /api/v1/conversations")
    detail = await _detail(client, w.cy, w.group_id)
    assert (detail["name"], detail["departure"]) == ("Old name", departure)
    assert {p["handle"] for p in detail["members"]} == {w.ada.handle, w.bob.handle, w.eve.handle}
    texts = {
        m["id"]: (m["body"], m["edited"], m["deleted"])
        for m in detail["messages"]
        if not m["photo"]
    }
    assert [m["photo"]["url"] for m in detail["messages"] if m["photo"]] == [w.photos["before"]]
    assert texts == {
        w.ids["plain"]: ("hello before", False, False),
        w.ids["bob_edited_later"]: ("bob wrote this before", False, False),
        w.ids["ada_edited_twice"]: ("ada second draft", True, False),
        # Deleting withdraws the words from everyone, those who left included.
        w.ids["deleted_later"]: ("", False, True),
    }
    _no_markers(str(detail), "GET /api/v1/conversations/{id}")


async def _check_pages(client: httpx.AsyncClient, w: World) -> None:
    said = "You were removed from this group." if w.how == "remove" else "You left this group."
    label = "(you were removed)" if w.how == "remove" else "(you left)"
    listed = await client.get("/conversations", headers=w.cy.headers)
    assert listed.status_code == 200
    assert "Old name" in listed.text and label in listed.text
    _no_markers(listed.text, "GET /conversations")
    page = await client.get(f"/conversations/{w.group_id}", headers=w.cy.headers)
    assert page.status_code == 200
    assert re.search("<title>(• )?Old name", page.text) and said in page.text
    for handle in (w.ada.handle, w.bob.handle, w.eve.handle):
        assert f"@{handle}" in page.text
    assert "bob wrote this before" in page.text and "ada second draft" in page.text
    _no_markers(page.text, "GET /conversations/{id}")
    earlier = f"/conversations/{w.group_id}?cursor={encode_cursor([w.departed_at + 50])}"
    _no_markers((await client.get(earlier, headers=w.cy.headers)).text, "an earlier page")


async def _check_replay(app: FastAPI, w: World) -> None:
    async with served(app) as port:
        stream = Stream(port, w.cy)
        stream.cursor = {"at": None, "c": {str(w.group_id): 0}}
        await stream.open()
        await stream.drain(0.2)
        await stream.close()
    events = [e for e in stream.events if e["conversation_id"] == w.group_id]
    assert events and max(e["seq"] for e in events) == w.departed_at
    assert events[-1]["kind"] == w.how
    renames = [e["name"] for e in events if e["kind"] == "rename"]
    assert renames == ["Old name"]
    _no_markers(str(events), "the replay from an old cursor")
    assert stream.cursor is not None
    assert stream.cursor["c"][str(w.group_id)] == w.departed_at


async def _check_writes(client: httpx.AsyncClient, w: World) -> None:
    """Every write route, tried by the person who left: refused, and nothing new shown."""
    gid, mid, own = w.group_id, w.ids["after"], w.ids["plain"]
    h = w.cy.headers
    send_json = {"json": {"client_key": "k" * 12, "body": "x"}}
    send_form = {"data": {"client_key": "k" * 12, "body": "x"}}
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        ("PATCH", f"/api/v1/conversations/{gid}", {"json": {"name": "x"}}),
        ("POST", f"/api/v1/conversations/{gid}/leave", {}),
        ("POST", f"/api/v1/conversations/{gid}/members", {"json": {"handle": w.bob.handle}}),
        ("DELETE", f"/api/v1/conversations/{gid}/members/{w.bob.handle}", {}),
        ("POST", f"/api/v1/conversations/{gid}/messages", send_json),
        (
            "POST",
            f"/api/v1/conversations/{gid}/messages/photo",
            {**send_form, "files": {"photo": ("p.png", small_png(), "image/png")}},
        ),
        ("POST", f"/api/v1/conversations/{gid}/read", {"json": {"seq": 99}}),
        ("PATCH", f"/api/v1/messages/{mid}", {"json": {"body": "x"}}),
        ("DELETE", f"/api/v1/messages/{mid}", {}),
        ("PATCH", f"/api/v1/messages/{own}", {"json": {"body": "x"}}),
        ("GET", f"/messages/{mid}/edit", {}),
        ("POST", f"/messages/{mid}/edit", {"data": {"body": "x"}}),
        ("POST", f"/messages/{mid}/delete", {}),
        ("POST", f"/conversations/{gid}/messages", send_form),
        ("POST", f"/conversations/{gid}/members", {"data": {"handle": w.bob.handle}}),
        ("POST", f"/conversations/{gid}/members/{w.bob.handle}/remove", {}),
        ("POST", f"/conversations/{gid}/rename", {"data": {"name": "x"}}),
        ("POST", f"/conversations/{gid}/leave", {}),
    ]
    for method, url, kwargs in attempts:
        response = await client.request(method, url, headers=h, **kwargs)
        assert 400 <= response.status_code < 500, (method, url, response.status_code)
        _no_markers(response.text, f"{method} {url}")


Check = Callable[[FastAPI, httpx.AsyncClient, World], Awaitable[None]]


async def _api(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    await _check_api(client, w)


async def _pages(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    await _check_pages(client, w)


async def _replay(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    await _check_replay(app, w)


async def _writes(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    await _check_writes(client, w)


async def _photos(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    """A photo sent while Cy was there stays Cy's to see; one sent after is missing."""
    before = await client.get(w.photos["before"], headers=w.cy.headers)
    assert before.status_code == 200 and before.headers["content-type"] == "image/jpeg"
    assert (await client.get(w.photos["after"], headers=w.cy.headers)).status_code == 404
    assert (await client.get(w.photos["after"], headers=w.bob.headers)).status_code == 200


async def _not_this_group(app: FastAPI, client: httpx.AsyncClient, w: World) -> None:
    """Starting a new conversation shows only that one."""


# Every route about conversations, messages or the stream, and the check that covers it.
COVERAGE: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/conversations"): _api,
    ("GET", "/api/v1/conversations/{conversation_id}"): _api,
    ("GET", "/conversations"): _pages,
    ("GET", "/conversations/{conversation_id}"): _pages,
    ("WS", "/api/v1/stream"): _replay,
    ("PATCH", "/api/v1/conversations/{conversation_id}"): _writes,
    ("POST", "/api/v1/conversations/{conversation_id}/leave"): _writes,
    ("POST", "/api/v1/conversations/{conversation_id}/members"): _writes,
    ("DELETE", "/api/v1/conversations/{conversation_id}/members/{handle}"): _writes,
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): _writes,
    ("POST", "/api/v1/conversations/{conversation_id}/messages/photo"): _writes,
    ("GET", "/media/messages/{photo_key}.jpg"): _photos,
    ("POST", "/api/v1/conversations/{conversation_id}/read"): _writes,
    ("PATCH", "/api/v1/messages/{message_id}"): _writes,
    ("DELETE", "/api/v1/messages/{message_id}"): _writes,
    ("GET", "/messages/{message_id}/edit"): _writes,
    ("POST", "/messages/{message_id}/edit"): _writes,
    ("POST", "/messages/{message_id}/delete"): _writes,
    ("POST", "/conversations/{conversation_id}/messages"): _writes,
    ("POST", "/conversations/{conversation_id}/members"): _writes,
    ("POST", "/conversations/{conversation_id}/members/{handle}/remove"): _writes,
    ("POST", "/conversations/{conversation_id}/rename"): _writes,
    ("POST", "/conversations/{conversation_id}/leave"): _writes,
    ("POST", "/api/v1/conversations/direct"): _not_this_group,
    ("POST", "/api/v1/conversations/groups"): _not_this_group,
    ("POST", "/conversations/direct"): _not_this_group,
    ("POST", "/conversations/groups"): _not_this_group,
    # A gathering's own conversation, for the people invited to it (tests/gatherings).
    ("POST", "/api/v1/gatherings/{gathering_id}/conversation"): _not_this_group,
    ("POST", "/gatherings/{gathering_id}/conversation"): _not_this_group,
}


def _about_conversations(path: str) -> bool:
    return "conversation" in path or "/messages" in path or path.endswith("/stream")


def test_every_route_that_can_show_a_conversation_is_covered(app: FastAPI) -> None:
    served_routes = {r for r in app_routes(app) if _about_conversations(r[1])}
    missing = sorted(served_routes - COVERAGE.keys())
    assert not missing, f"routes without a departure check in {__name__}: {missing}"
    stale = sorted(COVERAGE.keys() - served_routes)
    assert not stale, f"checks for routes that no longer exist: {stale}"


@pytest.mark.parametrize("how", ["remove", "leave"])
async def test_who_left_sees_the_group_as_it_was(
    app: FastAPI, client: httpx.AsyncClient, services: Services, how: str
) -> None:
    w = await _build(client, services, how)
    for check in dict.fromkeys(COVERAGE.values()):
        await check(app, client, w)


async def test_a_current_member_sees_the_later_life(
    client: httpx.AsyncClient, services: Services
) -> None:
    """The control: the same world, seen by Bob, who stayed."""
    w = await _build(client, services, "remove")
    detail = await _detail(client, w.bob, w.group_id)
    assert detail["name"] == NEW_NAME
    assert {p["handle"] for p in detail["members"]} == {w.ada.handle, w.bob.handle, w.dee.handle}
    bodies = {m["id"]: m["body"] for m in detail["messages"]}
    assert bodies[w.ids["after"]] == AFTER_TEXT
    assert bodies[w.ids["bob_edited_later"]] == bodies[w.ids["ada_edited_twice"]] == EDITED_TEXT
    page = await client.get(f"/conversations/{w.group_id}", headers=w.bob.headers)
    assert re.search(f"<title>(• )?{NEW_NAME}", page.text) and AFTER_TEXT in page.text
    listed = await client.get("/conversations", headers=w.bob.headers)
    assert NEW_NAME in listed.text


async def test_added_back_sees_now_and_nothing_from_the_gap(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    w = await _build(client, services, "remove")
    url = f"/api/v1/conversations/{w.group_id}/members"
    await _ok(await client.post(url, json={"handle": w.cy.handle}, headers=w.ada.headers), 201)
    detail = await _detail(client, w.cy, w.group_id)
    assert detail["name"] == NEW_NAME and detail["member"] is True
    assert detail["departure"] is None
    handles = {p["handle"] for p in detail["members"]}
    assert handles == {w.ada.handle, w.bob.handle, w.cy.handle, w.dee.handle}
    assert w.ids["after"] not in {m["id"] for m in detail["messages"]}
    assert AFTER_TEXT not in str(detail["messages"])
    page = await client.get(f"/conversations/{w.group_id}", headers=w.cy.headers)
    assert re.search(f"<title>(• )?{NEW_NAME}", page.text) and AFTER_TEXT not in page.text
    async with served(app) as port:
        stream = Stream(port, w.cy)
        stream.cursor = {"at": None, "c": {str(w.group_id): 0}}
        await stream.open()
        await stream.close()
    seqs = [e["seq"] for e in stream.events if e["conversation_id"] == w.group_id]
    gap = range(w.departed_at + 1, detail["last_seq"])
    assert seqs and not [s for s in seqs if s in gap]
    assert AFTER_TEXT not in str(stream.events)


@pytest.mark.parametrize("how", ["remove", "leave"])
async def test_who_left_gets_nothing_live_after(
    app: FastAPI, client: httpx.AsyncClient, services: Services, how: str
) -> None:
    """A socket open through the departure hears it, and nothing of the group's later life."""
    async with served(app) as port:
        (cy,) = await members(client, services, f"cylive{uuid.uuid4().hex[:4]}")
        stream = await Stream(port, cy).open()
        w = await _build(client, services, how, cy=cy)
        await stream.drain(0.5)
        await stream.close()
    events = [e for e in stream.events if e["conversation_id"] == w.group_id]
    assert events and events[-1]["kind"] == how
    assert max(e["seq"] for e in events) == w.departed_at
    _no_markers(str(events), "the live stream")
