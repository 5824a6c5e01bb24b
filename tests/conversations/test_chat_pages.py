"""The conversation page reads like a chat, without JavaScript too: it opens at the newest
page (oldest of it at the top), earlier pages are links that end, unread messages open under
a "New" divider, the list shows each conversation's last line as its reader may see it (one
query for all of them), and deleting or leaving asks first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import event

from socialode.platform.services import Services
from tests.conversations.people import Member, connect, direct, group, members, send


async def _ok(response: httpx.Response, status: int = 201) -> int:
    assert response.status_code == status, response.text
    return int(response.json()["id"])


def _first_unread_is_the_newest(html: str) -> bool:
    """With nothing unread, ``#first-unread`` marks the place after the newest message."""
    mark = html.index('<span id="first-unread" class="latest-anchor">')
    return html.count('id="first-unread"') == 1 and html.rindex('id="m-') < mark < html.index(
        'id="send"'
    )


def _order(html: str, texts: list[str]) -> list[int]:
    return [html.index(f">{t}<") for t in texts]


async def _say(client: httpx.AsyncClient, who: Member, cid: int, *texts: str) -> list[int]:
    return [await _ok(await send(client, who, cid, text)) for text in texts]


async def test_opens_at_the_newest_page_and_earlier_pages_end(
    client: httpx.AsyncClient, services: Services
) -> None:
    services.settings.rate_messages = "100000/minute"
    ada, bob = await members(client, services, "ada_open", "bob_open")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    await _say(client, ada, cid, *[f"note {n:02d}" for n in range(1, 61)])

    page = (await client.get(f"/conversations/{cid}", headers=ada.headers)).text
    shown = re.findall(r">note (\d\d)<", page)
    assert shown == [f"{n:02d}" for n in range(11, 61)]  # the newest 50, oldest at the top
    assert "new-divider" not in page  # Ada wrote them all: nothing is new to her
    assert _first_unread_is_the_newest(page)  # a link to her first unread opens at the newest
    assert page.index("Earlier messages") < page.index(">note 11<")
    assert page.index(">note 60<") < page.index('id="send"')  # the composer below the newest
    earlier = re.search(r'<a href="(/conversations/\d+\?cursor=[^"]+)">Earlier messages</a>', page)
    assert earlier
    older = (await client.get(earlier.group(1).replace("&amp;", "&"), headers=ada.headers)).text
    assert re.findall(r">note (\d\d)<", older) == [f"{n:02d}" for n in range(1, 11)]
    assert "This is the start of your conversation." in older
    assert "Earlier messages" not in older
    assert f'href="/conversations/{cid}#latest"' in older  # and a way back to the newest


async def test_unread_messages_open_under_a_new_divider(
    client: httpx.AsyncClient, services: Services
) -> None:
    services.settings.rate_messages = "100000/minute"
    ada, bob = await members(client, services, "ada_unread", "bob_unread")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    await _say(client, ada, cid, *[f"early {n:02d}" for n in range(1, 31)])
    await client.get(f"/conversations/{cid}", headers=bob.headers)  # Bob reads them
    await _say(client, bob, cid, "my answer")
    await _say(client, ada, cid, *[f"later {n:02d}" for n in range(1, 61)])

    page = (await client.get(f"/conversations/{cid}", headers=bob.headers)).text
    # 60 unread: the page is long enough to start at the first of them, under "New".
    divider = page.index('id="first-unread"')
    assert page.index(">my answer<") < divider < page.index(">later 01<")
    assert page.index(">later 60<") > page.index(">later 01<")
    # The list links straight to the first unread message (a fragment: no script needed).
    again = await _say(client, ada, cid, "one more")
    listed = (await client.get("/conversations", headers=bob.headers)).text
    assert f'href="/conversations/{cid}#first-unread"' in listed
    assert 'class="unread-dot"' in listed and "New</span>" not in listed
    # Once read, the page opens at the newest, and the list links there.
    page = (await client.get(f"/conversations/{cid}", headers=bob.headers)).text
    assert 'id="first-unread"' in page and page.index('id="first-unread"') < page.index(
        f'id="m-{again[0]}"'
    )
    page = (await client.get(f"/conversations/{cid}", headers=bob.headers)).text
    assert "new-divider" not in page and _first_unread_is_the_newest(page)
    listed = (await client.get("/conversations", headers=bob.headers)).text
    assert f'href="/conversations/{cid}#latest"' in listed


async def test_bubbles_group_runs_and_show_names_only_in_groups(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_bubble", "bob_bubble", "cy_bubble")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    cid = await direct(client, ada, bob)
    gid = await group(client, ada, "Picnic", bob, cy)
    for where in (cid, gid):
        await _say(client, bob, where, "first of a run", "second of the run")
        await _say(client, ada, where, "mine now")
    page = (await client.get(f"/conversations/{gid}", headers=ada.headers)).text
    items = re.findall(r'<li id="m-\d+"[^>]* class="msg (mine|theirs)( first)?"', page)
    assert items == [("theirs", " first"), ("theirs", ""), ("mine", " first")]
    assert page.count('<p class="who">') == 1  # Bob's name once, on the first of his run
    assert page.count('<li class="day"><span>Today</span></li>') == 1
    one_to_one = (await client.get(f"/conversations/{cid}", headers=ada.headers)).text
    assert '<p class="who">' not in one_to_one  # a one-to-one shows no names in bubbles
    assert "<time datetime=" in one_to_one and "data-when" in one_to_one


async def _read_all(client: httpx.AsyncClient, who: Member) -> None:
    listed = await client.get("/api/v1/conversations", headers=who.headers)
    for conversation in listed.json()["conversations"]:
        await client.get(f"/conversations/{conversation['id']}", headers=who.headers)


@contextmanager
def _statements(services: Services) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_the_list_shows_last_lines_as_each_reader_may_see_them(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy, dee = await members(client, services, "ada_ll", "bob_ll", "cy_ll", "dee_ll")
    for other in (bob, cy, dee):
        await connect(client, ada, other)
    to_bob = await direct(client, ada, bob)
    await _say(client, bob, to_bob, "see you at six\nand a second line")
    to_dee = await direct(client, ada, dee)
    (gone,) = await _say(client, dee, to_dee, "words taken back")
    assert (await client.delete(f"/api/v1/messages/{gone}", headers=dee.headers)).status_code == 204
    crowd = await group(client, ada, "Crowd", bob, cy)
    await _say(client, bob, crowd, "bob in the crowd")
    await _say(client, cy, crowd, "cy says hidden things")
    left = await group(client, ada, "Leavers", bob)
    await _say(client, ada, left, "before bob left")
    leave = await client.post(f"/api/v1/conversations/{left}/leave", headers=bob.headers)
    assert leave.status_code == 204
    await _say(client, ada, left, "after bob left")
    assert (await client.put(f"/api/v1/blocks/{cy.handle}", headers=ada.headers)).status_code in (
        200,
        201,
        204,
    )

    ada_list = (await client.get("/conversations", headers=ada.headers)).text
    assert "see you at six" in ada_list and "and a second line" not in ada_list
    assert "Message deleted" in ada_list and "words taken back" not in ada_list
    assert "cy says hidden things" not in ada_list  # blocked: their words never show
    assert "Bob_Ll: bob in the crowd" in ada_list
    assert "You: after bob left" in ada_list
    bob_list = (await client.get("/conversations", headers=bob.headers)).text
    assert "cy says hidden things" in bob_list  # Bob blocked nobody
    assert "before bob left" in bob_list and "after bob left" not in bob_list
    # The API lists the same lines.
    api_list = await client.get("/api/v1/conversations", headers=ada.headers)
    lines = {c["id"]: c["last_message"] for c in api_list.json()["conversations"]}
    assert (
        lines[to_bob]["text"] == "see you at six"
        and lines[to_bob]["sender"]["handle"] == bob.handle
    )
    assert (lines[to_dee]["text"], lines[to_dee]["deleted"]) == ("Message deleted", True)
    assert lines[crowd]["text"] == "bob in the crowd"
    bob_api = await client.get("/api/v1/conversations", headers=bob.headers)
    assert {c["id"]: c["last_message"]["text"] for c in bob_api.json()["conversations"]}[
        left
    ] == "before bob left"
    cy_list = (await client.get("/conversations", headers=cy.headers)).text
    assert "Crowd" in cy_list and "cy says hidden things" in cy_list

    # One query reads every last line: more conversations, not more statements (each is
    # read first, so the menu's marks are the same both times).
    await _read_all(client, bob)
    with _statements(services) as few:
        assert (await client.get("/conversations", headers=bob.headers)).status_code == 200
    for n in range(3):
        extra = await group(client, bob, f"More {n}", ada)
        await _say(client, ada, extra, f"more {n}")
    await _read_all(client, bob)
    with _statements(services) as many:
        assert (await client.get("/conversations", headers=bob.headers)).status_code == 200
    assert len(many) == len(few), "\n".join(q.split("\n")[0][:120] for q in many)


async def test_deleting_and_leaving_ask_first_without_javascript(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_ask", "bob_ask")
    await connect(client, ada, bob)
    gid = await group(client, ada, "Askers", bob)
    (mid,) = await _say(client, bob, gid, "maybe regret this")

    asked = await client.post(f"/messages/{mid}/delete", headers=bob.headers)
    assert asked.status_code == 200
    assert "Delete “maybe regret this”?" in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    page = await client.get(f"/api/v1/conversations/{gid}", headers=bob.headers)
    assert [m["body"] for m in page.json()["messages"]] == ["maybe regret this"]
    # Someone else's message: missing, as ever, with or without the confirmation.
    for data in ({}, {"confirm": "yes"}):
        other = await client.post(f"/messages/{mid}/delete", data=data, headers=ada.headers)
        assert other.status_code == 404
    done = await client.post(
        f"/messages/{mid}/delete", data={"confirm": "yes"}, headers=bob.headers
    )
    assert done.status_code == 303
    page = await client.get(f"/api/v1/conversations/{gid}", headers=bob.headers)
    assert page.json()["messages"][0]["deleted"] is True

    # Taking someone out of a group asks its creator first too.
    asked = await client.post(
        f"/conversations/{gid}/members/{bob.handle}/remove", headers=ada.headers
    )
    assert asked.status_code == 200 and "Take Bob_Ask out of Askers?" in asked.text
    asked = await client.post(f"/conversations/{gid}/leave", headers=bob.headers)
    assert asked.status_code == 200 and "Leave Askers?" in asked.text
    assert (await client.get(f"/api/v1/conversations/{gid}", headers=bob.headers)).json()["member"]
    done = await client.post(
        f"/conversations/{gid}/leave", data={"confirm": "yes"}, headers=bob.headers
    )
    assert done.status_code == 303
    detail = await client.get(f"/api/v1/conversations/{gid}", headers=bob.headers)
    assert detail.json()["member"] is False
