"""Replies to a specific message: only to a message of the same conversation the sender may
see (else 422 with a sentence, nothing stored); the reply quotes it, and each reader sees the
quote as they may see the original (deleted, as it read when they left, or not at all across
a block); the quote links to the original."""

from __future__ import annotations

import uuid

import httpx

from socialode.platform.services import Services
from tests.conversations.people import Member, connect, direct, group, members, send
from tests.helpers import snapshot


async def _reply(
    client: httpx.AsyncClient, who: Member, cid: int, body: str, reply_to: int
) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_key": uuid.uuid4().hex, "body": body, "reply_to": reply_to},
        headers=who.headers,
    )


async def _id(response: httpx.Response) -> int:
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _message(client: httpx.AsyncClient, who: Member, cid: int, mid: int) -> dict[str, object]:
    detail = await client.get(f"/api/v1/conversations/{cid}", headers=who.headers)
    assert detail.status_code == 200, detail.text
    (found,) = [m for m in detail.json()["messages"] if m["id"] == mid]
    return dict(found)


async def test_replies_only_to_what_the_sender_may_see_in_this_conversation(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_rto", "bob_rto", "cy_rto")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    to_bob = await direct(client, ada, bob)
    to_cy = await direct(client, ada, cy)
    elsewhere = await _id(await send(client, cy, to_cy, "only for Ada"))
    gid = await group(client, ada, "Later joiners", bob)
    before_cy = await _id(await send(client, bob, gid, "said before Cy came"))
    added = await client.post(
        f"/api/v1/conversations/{gid}/members", json={"handle": cy.handle}, headers=ada.headers
    )
    assert added.status_code == 201
    gone = await _id(await send(client, bob, gid, "taken back"))
    assert (await client.delete(f"/api/v1/messages/{gone}", headers=bob.headers)).status_code == 204

    before = await snapshot(services)
    cases = [
        (ada, to_bob, elsewhere, "only to a message of this conversation"),  # another one's
        (cy, gid, before_cy, "only to a message of this conversation"),  # from before Cy came
        (cy, gid, 999_999, "only to a message of this conversation"),  # none at all
        (ada, gid, gone, "was deleted"),
    ]
    for who, cid, target, words in cases:
        refused = await _reply(client, who, cid, "answering", target)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "reply_to" and words in refused.json()["detail"]
    # The plain form refuses the same way, beside the reply, and keeps the words.
    form = await client.post(
        f"/conversations/{to_bob}/messages",
        data={"client_key": uuid.uuid4().hex, "body": "answering", "reply_to": str(elsewhere)},
        headers=ada.headers,
    )
    assert form.status_code == 422 and 'id="e-reply_to"' in form.text
    assert ">answering</textarea>" in form.text
    assert await snapshot(services) == before

    # Across a block: Ada cannot answer Bob's words in their group, nor he hers.
    said = await _id(await send(client, ada, gid, "from Ada"))
    blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=ada.headers)
    assert blocked.status_code == 204
    assert (await _reply(client, ada, gid, "x", before_cy)).status_code == 422
    assert (await _reply(client, bob, gid, "x", said)).status_code == 422


async def test_the_quote_shows_as_each_reader_may_see_the_original(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_quo", "bob_quo", "cy_quo")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    gid = await group(client, ada, "Quoters", bob, cy)
    original = await _id(await send(client, ada, gid, "shall we walk?\nsecond line"))
    reply = await _id(await _reply(client, bob, gid, "yes, at ten", original))
    from_cy = await _id(await send(client, cy, gid, "cy's thought"))
    on_cy = await _id(await _reply(client, bob, gid, "good point", from_cy))

    seen = await _message(client, cy, gid, reply)
    quoted = seen["reply_to"]
    assert isinstance(quoted, dict)
    assert (quoted["id"], quoted["text"], quoted["deleted"]) == (original, "shall we walk?", False)
    assert quoted["sender"]["handle"] == ada.handle
    page = (await client.get(f"/conversations/{gid}", headers=cy.headers)).text
    assert f'<a class="reply-quote" href="#m-{original}">' in page

    # Cy leaves; Ada then edits what Bob answered: Cy still reads the words as they were.
    left = await client.post(f"/api/v1/conversations/{gid}/leave", headers=cy.headers)
    assert left.status_code == 204
    edited = await client.patch(
        f"/api/v1/messages/{original}", json={"body": "zqchanged later"}, headers=ada.headers
    )
    assert edited.status_code == 200
    as_cy = await _message(client, cy, gid, reply)
    assert as_cy["reply_to"]["text"] == "shall we walk?"  # type: ignore[index]
    cy_page = (await client.get(f"/conversations/{gid}", headers=cy.headers)).text
    assert "zqchanged later" not in cy_page
    assert (await _message(client, bob, gid, reply))["reply_to"]["text"] == "zqchanged later"  # type: ignore[index]

    # Ada blocks Cy: Bob's answer to Cy shows Ada no quote of Cy's words at all.
    assert (await client.put(f"/api/v1/blocks/{cy.handle}", headers=ada.headers)).status_code == 204
    as_ada = await _message(client, ada, gid, on_cy)
    assert as_ada["reply_to"] is None and as_ada["body"] == "good point"
    ada_page = (await client.get(f"/conversations/{gid}", headers=ada.headers)).text
    assert "cy&#39;s thought" not in ada_page and "cy's thought" not in ada_page
    assert (await _message(client, bob, gid, on_cy))["reply_to"]["text"] == "cy's thought"  # type: ignore[index]

    # Ada deletes her original: the reply now quotes a deleted message, never its words.
    assert (
        await client.delete(f"/api/v1/messages/{original}", headers=ada.headers)
    ).status_code == 204
    gone = (await _message(client, bob, gid, reply))["reply_to"]
    assert isinstance(gone, dict) and gone["deleted"] is True and gone["text"] == ""
    bob_page = (await client.get(f"/conversations/{gid}", headers=bob.headers)).text
    assert "Deleted message" in bob_page and "zqchanged later" not in bob_page


async def test_a_reply_from_the_plain_form(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_form_r", "bob_form_r")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    original = await _id(await send(client, ada, cid, "dinner on Friday?"))
    # The menu's Reply link opens the composer answering that message, without JavaScript.
    composer = await client.get(f"/conversations/{cid}?reply_to={original}", headers=bob.headers)
    assert f'<input type="hidden" name="reply_to" value="{original}">' in composer.text
    assert "Replying to Ada_Form_R" in composer.text
    posted = await client.post(
        f"/conversations/{cid}/messages",
        data={"client_key": uuid.uuid4().hex, "body": "gladly", "reply_to": str(original)},
        headers=bob.headers,
    )
    assert posted.status_code == 303
    detail = (await client.get(f"/api/v1/conversations/{cid}", headers=ada.headers)).json()
    answer = detail["messages"][-1]
    assert answer["body"] == "gladly" and answer["reply_to"]["id"] == original
