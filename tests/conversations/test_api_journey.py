"""Conversations through the API: one-to-one, groups, edits, deletes, unread and receipts."""

from __future__ import annotations

import uuid

import httpx

from socialode.platform.services import Services
from tests.conversations.people import bodies, connect, direct, group, members, send


async def test_one_to_one_needs_a_connection(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    response = await client.post(
        "/api/v1/conversations/direct", json={"handle": "bob_c"}, headers=ada.headers
    )
    assert response.status_code == 404
    assert "connected" in response.json()["detail"]
    await connect(client, ada, bob)
    first = await direct(client, ada, bob)
    assert await direct(client, bob, ada) == first  # one conversation per pair
    sent = await send(client, ada, first, "Hello Bob, see https://example.org/x.")
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["html"] == (
        'Hello Bob, see <a href="https://example.org/x" rel="nofollow noopener noreferrer ugc">'
        "https://example.org/x</a>."
    )
    assert await bodies(client, bob, first) == ["Hello Bob, see https://example.org/x."]


async def test_retry_with_the_same_key_sends_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    key = uuid.uuid4().hex
    first = await send(client, ada, conversation, "only once", key)
    again = await send(client, ada, conversation, "only once", key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert await bodies(client, bob, conversation) == ["only once"]


async def test_markup_is_text(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    sent = (
        await send(client, ada, conversation, '<script>x</script> <a href="javascript:1">')
    ).json()
    assert "<script" not in sent["html"] and "<a" not in sent["html"]
    assert "&lt;script&gt;" in sent["html"]


async def test_edit_and_delete_own_only(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    message_id = (await send(client, ada, conversation, "draft")).json()["id"]
    assert (
        await client.patch(
            f"/api/v1/messages/{message_id}", json={"body": "x"}, headers=bob.headers
        )
    ).status_code == 404
    edited = await client.patch(
        f"/api/v1/messages/{message_id}", json={"body": "final"}, headers=ada.headers
    )
    assert edited.json()["edited"] is True
    assert (
        await client.delete(f"/api/v1/messages/{message_id}", headers=bob.headers)
    ).status_code == 404
    gone = await client.delete(f"/api/v1/messages/{message_id}", headers=ada.headers)
    assert gone.status_code == 204
    view = (await client.get(f"/api/v1/conversations/{conversation}", headers=bob.headers)).json()
    assert view["messages"][0]["deleted"] is True and view["messages"][0]["body"] == ""


async def test_groups_removed_member_sees_nothing_after(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_c", "bob_c", "cy_c")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    conversation = await group(client, ada, "Old flatmates", bob, cy)
    await send(client, bob, conversation, "before")
    removed = await client.delete(
        f"/api/v1/conversations/{conversation}/members/cy_c", headers=ada.headers
    )
    assert removed.status_code == 204, removed.text
    await send(client, bob, conversation, "after")
    assert await bodies(client, cy, conversation) == ["before"]
    assert (await send(client, cy, conversation, "let me in")).status_code == 404
    # Added back: sees what is sent from then on, not the gap.
    assert (
        await client.post(
            f"/api/v1/conversations/{conversation}/members",
            json={"handle": "cy_c"},
            headers=ada.headers,
        )
    ).status_code == 201
    await send(client, bob, conversation, "welcome back")
    assert await bodies(client, cy, conversation) == ["before", "welcome back"]


async def test_group_members_must_be_the_creators_connections(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, _cy = await members(client, services, "ada_c", "bob_c", "cy_c")
    await connect(client, ada, bob)
    response = await client.post(
        "/api/v1/conversations/groups",
        json={"name": "Us", "members": ["bob_c", "cy_c"]},
        headers=ada.headers,
    )
    assert response.status_code == 404
    assert response.json()["field"] == "members"


async def test_leave_and_unread_markers(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    conversation = await group(client, ada, "Walks", bob)
    await send(client, ada, conversation, "Sunday?")
    listed = (await client.get("/api/v1/conversations", headers=bob.headers)).json()
    assert listed["conversations"][0]["unread"] is True
    assert listed["next"] is None
    seq = listed["conversations"][0]["last_seq"]
    await client.post(
        f"/api/v1/conversations/{conversation}/read", json={"seq": seq}, headers=bob.headers
    )
    listed = (await client.get("/api/v1/conversations", headers=bob.headers)).json()
    assert listed["conversations"][0]["unread"] is False
    assert (
        await client.post(f"/api/v1/conversations/{conversation}/leave", headers=bob.headers)
    ).status_code == 204
    await send(client, ada, conversation, "after you left")
    assert await bodies(client, bob, conversation) == ["Sunday?"]


async def test_read_receipts_only_when_both_turned_them_on(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    seq = (await send(client, ada, conversation, "hi")).json()["seq"]
    await client.post(
        f"/api/v1/conversations/{conversation}/read", json={"seq": seq}, headers=bob.headers
    )

    async def seen() -> int | None:
        view = await client.get(f"/api/v1/conversations/{conversation}", headers=ada.headers)
        return view.json()["seen_by_other_seq"]  # type: ignore[no-any-return]

    assert await seen() is None  # off by default
    await client.put("/api/v1/settings/chat", json={"read_receipts": True}, headers=ada.headers)
    assert await seen() is None  # only one side turned them on
    await client.put("/api/v1/settings/chat", json={"read_receipts": True}, headers=bob.headers)
    assert await seen() == seq
