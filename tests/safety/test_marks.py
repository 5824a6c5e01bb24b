"""Who learns that words were sent anyway after a pause (rule 7): the sender's choice is kept
for moderators, so the ``may_hurt`` mark reaches only the sender and the readers who asked for
such texts to be folded, over the JSON API, live and on replay; never anyone else."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations.notices import MESSAGE, resolve_messages
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from tests.conversations.people import Member, Stream, connect, group, members, served
from tests.form_helpers import web_login
from tests.helpers import PASSWORD, run_jobs
from tests.safety.test_pause import THREAT, send_body


async def fold(client: httpx.AsyncClient, who: Member) -> None:
    saved = await client.put(
        "/api/v1/safety/settings", json={"fold_hurtful": True}, headers=who.headers
    )
    assert saved.status_code == 200, saved.text


def picnic(*invited: Member) -> dict[str, Any]:
    """A gathering whose description was paused: the threat, sent anyway."""
    return {
        "title": "Picnic",
        "description": THREAT,
        "place": "The park",
        "people": [m.handle for m in invited],
        "times": [{"starts_at": "2027-06-01T12:00:00", "ends_at": "2027-06-01T14:00:00"}],
    }


async def send_anyway(
    client: httpx.AsyncClient, who: Member, url: str, body: dict[str, Any]
) -> httpx.Response:
    paused = await client.post(url, json=body, headers=who.headers)
    assert paused.status_code == 409, paused.text
    token = paused.json()["pause"]["token"]
    return await client.post(
        url, json={**body, "pause_token": token, "send_anyway": True}, headers=who.headers
    )


async def test_the_mark_reaches_the_sender_and_readers_who_fold_and_nobody_else(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "k")
    walks = await group(client, ada, "Walks", bob, cy)
    url = f"/api/v1/conversations/{walks}/messages"
    async with served(app) as port:
        bob_s, cy_s = [await Stream(port, m).open() for m in (bob, cy)]
        before = {m: copy.deepcopy(s.cursor) for m, s in (("bob", bob_s), ("cy", cy_s))}
        sent = await send_anyway(client, ada, url, send_body(THREAT))
        assert sent.status_code == 201, sent.text
        assert sent.json()["may_hurt"] is True  # the sender's own choice
        live: dict[str, bool] = {}
        for name, stream in (("bob", bob_s), ("cy", cy_s)):
            event = await stream.next()
            assert event["kind"] == "message" and event["message"]["body"] == THREAT
            live[name] = event["message"]["may_hurt"]
        assert live == {"bob": False, "cy": True}
        for stream in (bob_s, cy_s):
            await stream.close()
        # on replay, as each reader is shown it
        replayed: dict[str, bool] = {}
        for name, who in (("bob", bob), ("cy", cy)):
            again = Stream(port, who)
            again.cursor = before[name]
            await again.open()
            (event,) = [e for e in again.events if e.get("message", {}).get("body") == THREAT]
            replayed[name] = event["message"]["may_hurt"]
            await again.close()
        assert replayed == {"bob": False, "cy": True}

    read: dict[str, bool] = {}
    for name, who in (("ada", ada), ("bob", bob), ("cy", cy)):
        page = await client.get(f"/api/v1/conversations/{walks}", headers=who.headers)
        (message,) = [m for m in page.json()["messages"] if m["body"] == THREAT]
        read[name] = message["may_hurt"]
    assert read == {"ada": True, "bob": False, "cy": True}


async def test_moments_and_gatherings_are_marked_the_same_way(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "m")
    moment = {"body": THREAT, "circles": [], "people": [bob.handle, cy.handle]}
    shared = await send_anyway(client, ada, "/api/v1/moments", moment)
    assert shared.status_code == 201 and shared.json()["may_hurt"] is True
    feeds: dict[str, list[bool]] = {}
    for name, who in (("bob", bob), ("cy", cy)):
        feed = await client.get("/api/v1/feed", headers=who.headers)
        feeds[name] = [m["may_hurt"] for m in feed.json()["moments"] if m["body"] == THREAT]
    assert feeds == {"bob": [False], "cy": [True]}

    gathering = picnic(bob, cy)
    made = await send_anyway(client, ada, "/api/v1/gatherings", gathering)
    assert made.status_code == 201, made.text
    gid = made.json()["gathering"]["id"]
    marks: dict[str, tuple[bool, list[bool]]] = {}
    for name, who in (("ada", ada), ("bob", bob), ("cy", cy)):
        one = await client.get(f"/api/v1/gatherings/{gid}", headers=who.headers)
        listed = await client.get("/api/v1/gatherings", headers=who.headers)
        in_list = [g["may_hurt"] for g in listed.json()["coming"] if g["id"] == gid]
        marks[name] = (one.json()["may_hurt"], in_list)
    assert marks == {"ada": (True, [True]), "bob": (False, [False]), "cy": (True, [True])}


async def three(
    client: httpx.AsyncClient, services: Services, tag: str
) -> tuple[Member, Member, Member]:
    """Ada, connected to Bob and to Cy; Cy folds words sent anyway, Bob does not."""
    ada, bob, cy = await members(client, services, f"ada_{tag}", f"bob_{tag}", f"cy_{tag}")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    await fold(client, cy)
    return ada, bob, cy


async def message_notices(db: AsyncSession, who: Member) -> tuple[User, list[Notification]]:
    """A member and their new-message notices."""
    user = await db.scalar(select(User).where(User.handle == who.handle))
    assert user is not None
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.kind == MESSAGE
    )
    return user, list(await db.scalars(query))


async def test_words_sent_anyway_stay_folded_in_the_list_and_the_notices_of_readers_who_fold(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "l")
    walks = await group(client, ada, "Walks", bob, cy)
    sent = await send_anyway(
        client, ada, f"/api/v1/conversations/{walks}/messages", send_body(THREAT)
    )
    assert sent.status_code == 201, sent.text
    await run_jobs(services)  # the notices of the new message
    folded = "This may be hurtful — open it to see."

    async def seen_by(who: Member) -> tuple[str, bool, str]:
        listed = await client.get("/api/v1/conversations", headers=who.headers)
        (line,) = [c["last_message"] for c in listed.json()["conversations"] if c["id"] == walks]
        # the new-message notice (push only: its preview goes out when previews are on)
        async with services.db.sessions() as db:
            user, rows = await message_notices(db, who)
            shown = await resolve_messages(db, Viewer(user, None), rows)  # type: ignore[arg-type]
        previews = [s.preview for s in shown.values()]
        return line["text"], line["folded"], previews[0] if previews else ""

    assert await seen_by(cy) == (folded, True, folded)
    assert await seen_by(bob) == (THREAT, False, THREAT)  # he did not ask for folding
    text, marked, _preview = await seen_by(ada)
    assert (text, marked) == (THREAT, False)  # the author reads her own words
    await web_login(client, cy.handle, PASSWORD)
    page = await client.get("/conversations")
    assert folded in page.text and THREAT not in page.text


async def test_a_batch_of_notices_reads_the_fold_choice_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "o")
    for name in ("Walks", "Swims", "Runs"):
        chat = await group(client, ada, name, bob, cy)
        url = f"/api/v1/conversations/{chat}/messages"
        assert (await send_anyway(client, ada, url, send_body(THREAT))).status_code == 201
    await run_jobs(services)
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    async with services.db.sessions() as db:
        user, rows = await message_notices(db, cy)
        assert len(rows) == 3
        engine = services.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            shown = await resolve_messages(db, Viewer(user, None), rows)  # type: ignore[arg-type]
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert [s.preview for s in shown.values()] == ["This may be hurtful — open it to see."] * 3
    assert sum("safety_settings" in statement for statement in seen) == 1


async def test_a_gathering_and_an_answer_sent_anyway_stay_folded_in_the_notices_of_readers_who_fold(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "n")
    gathering = picnic(bob, cy)
    made = await send_anyway(client, ada, "/api/v1/gatherings", gathering)
    assert made.status_code == 201, made.text
    # Cy shares a moment; Ada answers it with the same words, sent anyway.
    moment = {"body": "New plants on the balcony", "circles": [], "people": [ada.handle]}
    shared = await client.post("/api/v1/moments", json=moment, headers=cy.headers)
    assert shared.status_code == 201, shared.text
    answer = {"body": THREAT, "client_key": "answer-key-1"}
    answered = await send_anyway(
        client, ada, f"/api/v1/moments/{shared.json()['id']}/answers", answer
    )
    assert answered.status_code == 201, answered.text
    await run_jobs(services)

    async def told(who: Member) -> dict[str, tuple[str, str]]:
        found = await client.get("/api/v1/notifications", headers=who.headers)
        return {n["kind"]: (n["text"], n["preview"]) for n in found.json()["notifications"]}

    # Only the description carried the words: the title is said, and the notice warns.
    invite, _preview = (await told(cy))["gathering_invite"]
    assert invite.startswith("Ada_N invites you to “Picnic”")
    assert invite.endswith("This may be hurtful — open it to see.")
    assert (await told(cy))["answer"] == (
        "Ada_N answered your moment.",
        "This may be hurtful — open it to see.",
    )
    invite, _preview = (await told(bob))["gathering_invite"]
    assert "“Picnic”" in invite and "hurtful" not in invite  # he did not ask for folding


async def test_a_reply_quotes_words_sent_anyway_folded_for_readers_who_fold(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await three(client, services, "q")
    walks = await group(client, ada, "Walks", bob, cy)
    url = f"/api/v1/conversations/{walks}/messages"
    sent = await send_anyway(client, ada, url, send_body(THREAT))
    assert sent.status_code == 201, sent.text
    reply = {**send_body("Not okay, Ada."), "reply_to": sent.json()["id"]}
    answered = await client.post(url, json=reply, headers=bob.headers)
    assert answered.status_code == 201, answered.text

    async def quoted(who: Member) -> tuple[str, bool]:
        page = await client.get(f"/api/v1/conversations/{walks}", headers=who.headers)
        (found,) = [m["reply_to"] for m in page.json()["messages"] if m["reply_to"]]
        return found["text"], found["folded"]

    assert await quoted(cy) == ("This may be hurtful — open it to see.", True)
    assert await quoted(bob) == (THREAT, False)
    assert await quoted(ada) == (THREAT, False)  # her own words
    await web_login(client, cy.handle, PASSWORD)
    page = await client.get(f"/conversations/{walks}")
    assert "This may be hurtful — open it to see." in page.text


async def test_a_gathering_title_sent_anyway_is_folded_in_its_notices(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, cy = await members(client, services, "ada_t", "cy_t")
    await connect(client, ada, cy)
    await fold(client, cy)
    gathering = picnic(cy) | {"title": THREAT[:100], "description": "Bring a blanket"}
    made = await send_anyway(client, ada, "/api/v1/gatherings", gathering)
    assert made.status_code == 201, made.text
    await run_jobs(services)
    found = await client.get("/api/v1/notifications", headers=cy.headers)
    (invite,) = [
        n["text"] for n in found.json()["notifications"] if n["kind"] == "gathering_invite"
    ]
    assert invite.startswith("Ada_T invites you to “…”") and THREAT[:20] not in invite
    assert invite.endswith("This may be hurtful — open it to see.")
