"""Every notification kind a person would want, as its owning feature declares it: written in
the action that causes it, read in the member's words, and gone as soon as what it is about
no longer passes that feature's access rule (a request withdrawn, a group left behind, a
moment deleted, a connection ended). New messages collapse into one entry per conversation
that reading the conversation clears; today's question arrives at 09:00 in each member's own
time zone, each run scheduling the next, on a controlled clock.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import time_machine
from sqlalchemy import select

from socialode.accounts.access import access_viewer
from socialode.moments.jobs import DAILY_PROMPT
from socialode.notifications.models import Notification
from socialode.notifications.registry import Shown, kind_named
from socialode.platform.jobs import READY, jobs
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.conversations.people import Member, connect, direct, group, members, send
from tests.moments.people import make_circle, remove, shared


async def seen(services: Services, who: Member, kind: str) -> list[tuple[Notification, Shown]]:
    """The member's notifications of ``kind`` as they read now (oldest first)."""
    found = kind_named(kind)
    assert found is not None, f"{kind} is not a registered kind"
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, who.token)
        assert viewer is not None
        rows = list(
            await db.scalars(
                select(Notification)
                .where(Notification.user_id == viewer.id, Notification.kind == kind)
                .order_by(Notification.id)
            )
        )
        shown = await found.resolver(db, viewer, rows)
    return [(row, shown[row.id]) for row in rows if row.id in shown]


async def texts(services: Services, who: Member, kind: str) -> list[str]:
    return [shown.text for _, shown in await seen(services, who, kind)]


async def listed(
    client: httpx.AsyncClient, who: Member, kind: str | None = None
) -> list[dict[str, str]]:
    """The notifications page (of one kind, or all of it)."""
    response = await client.get("/api/v1/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    items = response.json()["notifications"]
    return [i for i in items if kind is None or i["kind"] == kind]


async def ask(client: httpx.AsyncClient, who: Member, other: Member) -> int:
    response = await client.post(
        "/api/v1/connections/requests", json={"handle": other.handle}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["request"]["id"])


async def test_a_request_reads_while_it_waits(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, tomas, cyra = await members(client, services, "maya", "tomas", "cyra")
    first = await ask(client, maya, tomas)
    assert await texts(services, tomas, "connection_request") == ["Maya would like to connect."]
    [item] = await listed(client, tomas)
    assert (item["kind"], item["url"]) == ("connection_request", "/connections")
    assert await texts(services, maya, "connection_request") == []  # the sender hears nothing

    withdrawn = await client.delete(f"/api/v1/connections/requests/{first}", headers=maya.headers)
    assert withdrawn.status_code == 204
    assert await texts(services, tomas, "connection_request") == []
    assert await listed(client, tomas) == []

    second = await ask(client, maya, tomas)
    declined = await client.post(
        f"/api/v1/connections/requests/{second}/decline", headers=tomas.headers
    )
    assert declined.status_code == 204
    assert await texts(services, tomas, "connection_request") == []
    # Maya takes back what she sees as waiting and asks again, within the decline cooldown:
    # stored, reaching nobody.
    taken = await client.delete(f"/api/v1/connections/requests/{second}", headers=maya.headers)
    assert taken.status_code == 204
    await ask(client, maya, tomas)
    assert await texts(services, tomas, "connection_request") == []

    await ask(client, cyra, tomas)
    assert await texts(services, tomas, "connection_request") == ["Cyra would like to connect."]
    blocked = await client.put(f"/api/v1/blocks/{cyra.handle}", headers=tomas.headers)
    assert blocked.status_code == 204
    assert await texts(services, tomas, "connection_request") == []


async def test_an_acceptance_reads_while_connected(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, tomas = await members(client, services, "maya", "tomas")
    request_id = await ask(client, maya, tomas)
    accepted = await client.post(
        f"/api/v1/connections/requests/{request_id}/accept", headers=tomas.headers
    )
    assert accepted.status_code == 201, accepted.text
    assert await texts(services, maya, "connection_accepted") == [
        "Tomas accepted your request — you're connected."
    ]
    [(_, shown)] = await seen(services, maya, "connection_accepted")
    assert shown.url == "/people/tomas"
    assert await texts(services, tomas, "connection_request") == []  # answered: gone
    assert await texts(services, tomas, "connection_accepted") == []

    ended = await client.delete(f"/api/v1/connections/{tomas.handle}", headers=maya.headers)
    assert ended.status_code == 204
    assert await texts(services, maya, "connection_accepted") == []

    # Asking someone who had asked you connects you: they hear that you accepted.
    await ask(client, tomas, maya)
    again = await client.post(
        "/api/v1/connections/requests", json={"handle": tomas.handle}, headers=maya.headers
    )
    assert again.json()["outcome"] == "connected", again.text
    assert await texts(services, tomas, "connection_accepted") == [
        "Maya accepted your request — you're connected."
    ]
    assert await texts(services, maya, "connection_accepted") == []


async def _read_all(client: httpx.AsyncClient, who: Member, conversation_id: int) -> None:
    response = await client.post(
        f"/api/v1/conversations/{conversation_id}/read",
        json={"seq": 1_000_000},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text


async def test_messages_collapse_per_conversation_and_reading_clears_them(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, tomas, cyra = await members(client, services, "maya", "tomas", "cyra")
    await connect(client, maya, tomas)
    await connect(client, maya, cyra)
    await connect(client, tomas, cyra)
    one = await direct(client, maya, tomas)
    for words in ("Hello", "Are you around?", "Call me when you can"):
        assert (await send(client, maya, one, words)).status_code == 201
    [(row, shown)] = await seen(services, tomas, "message")
    assert (shown.text, shown.url, shown.preview) == (
        "Maya wrote 3 messages.",
        f"/conversations/{one}#first-unread",
        "Call me when you can",
    )
    assert row.count == 3 and row.ref == f"conversation:{one}"
    assert await seen(services, maya, "message") == []  # never for your own words
    # Messages mark Conversations, not the notifications page.
    assert await listed(client, tomas, "message") == []

    await _read_all(client, tomas, one)
    assert await seen(services, tomas, "message") == []
    assert (await send(client, maya, one, "x" * 300)).status_code == 201
    [(row, shown)] = await seen(services, tomas, "message")
    assert shown.text == "Maya wrote a message."
    assert len(shown.preview) <= 120 and shown.preview.endswith("…")
    # Answering is reading: the one who writes back has nothing waiting there any more.
    assert (await send(client, tomas, one, "On my way")).status_code == 201
    assert await seen(services, tomas, "message") == []

    family = await group(client, cyra, "Family", maya, tomas)
    assert (await send(client, maya, family, "Dinner on Sunday?")).status_code == 201
    assert (await send(client, cyra, family, "Yes!")).status_code == 201
    assert (await send(client, maya, family, "Bring the kids")).status_code == 201
    assert await texts(services, tomas, "message") == ["3 new messages in Family."]
    # Whoever writes has read: Maya's entry for Cyra's words went when she wrote after them,
    # and Cyra's grew again only with what Maya wrote after Cyra's own message.
    assert await texts(services, maya, "message") == ["Tomas wrote a message."]
    lone = await group(client, maya, "Lone", cyra)
    sent = await send(client, maya, lone, "oops")
    assert await texts(services, cyra, "message") == [
        "A new message in Family.",
        "A new message in Lone.",
    ]
    # A deleted message is not something to read any more.
    deleted = await client.delete(f"/api/v1/messages/{sent.json()['id']}", headers=maya.headers)
    assert deleted.status_code == 204
    assert await texts(services, cyra, "message") == ["A new message in Family."]


async def test_added_to_a_group_reads_while_in_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, tomas, cyra = await members(client, services, "maya", "tomas", "cyra")
    await connect(client, maya, tomas)
    await connect(client, maya, cyra)
    family = await group(client, maya, "Family", tomas)
    assert await texts(services, tomas, "added_to_group") == ["Maya added you to Family."]
    added = await client.post(
        f"/api/v1/conversations/{family}/members", json={"handle": "cyra"}, headers=maya.headers
    )
    assert added.status_code == 201, added.text
    assert await texts(services, cyra, "added_to_group") == ["Maya added you to Family."]
    assert [i["text"] for i in await listed(client, cyra)] == ["Maya added you to Family."]
    assert await texts(services, maya, "added_to_group") == []

    removed = await client.delete(
        f"/api/v1/conversations/{family}/members/{cyra.handle}", headers=maya.headers
    )
    assert removed.status_code == 204
    assert await texts(services, cyra, "added_to_group") == []
    assert await listed(client, cyra) == []
    # Reading the group reads its notifications too.
    assert (await send(client, maya, family, "Welcome")).status_code == 201
    await _read_all(client, tomas, family)
    [(row, _)] = await seen(services, tomas, "added_to_group")
    assert row.read_at is not None


async def test_an_answer_reads_while_the_moment_is_there(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, tomas = await members(client, services, "maya", "tomas")
    await connect(client, maya, tomas)
    moment = await shared(client, maya, "First snow in the garden", people=[tomas])
    answered = await client.post(
        f"/api/v1/moments/{moment}/answers",
        json={"body": "So beautiful, enjoy it", "client_key": uuid.uuid4().hex},
        headers=tomas.headers,
    )
    assert answered.status_code == 201, answered.text
    conversation = answered.json()["conversation_id"]
    [(row, shown)] = await seen(services, maya, "answer")
    assert (shown.text, shown.url, shown.preview) == (
        "Tomas answered your moment.",
        f"/conversations/{conversation}#first-unread",
        "So beautiful, enjoy it",
    )
    assert row.actor_id is not None
    assert "Tomas answered your moment." in [i["text"] for i in await listed(client, maya)]
    assert await texts(services, tomas, "answer") == []

    deleted = await client.delete(f"/api/v1/moments/{moment}", headers=maya.headers)
    assert deleted.status_code == 204
    assert await texts(services, maya, "answer") == []


# -- today's question ------------------------------------------------------------------------

# A winter Thursday: 06:00 UTC is 07:00 in Berlin and 01:00 in New York.
MORNING = datetime(2027, 1, 14, 6, 0, tzinfo=UTC)


async def _prompt_jobs(services: Services) -> dict[str, datetime]:
    async with services.db.sessions() as db:
        rows = await db.execute(
            select(jobs.c.dedupe_key, jobs.c.run_at).where(
                jobs.c.kind == DAILY_PROMPT, jobs.c.state == READY
            )
        )
        return {str(key): at for key, at in rows}


async def _run_jobs(services: Services) -> None:
    worker = Worker(services)
    while await worker.run_once():
        pass


async def test_todays_question_at_nine_in_each_members_zone(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(MORNING, tick=False) as clock:
        maya, tomas, cyra = await members(client, services, "maya", "tomas", "cyra")
        moved = await client.patch(
            "/api/v1/me", json={"timezone": "America/New_York"}, headers=cyra.headers
        )
        assert moved.status_code == 200, moved.text
        await connect(client, maya, tomas)
        await connect(client, maya, cyra)
        circle = await make_circle(client, maya, "Close", tomas, cyra)
        assert await _prompt_jobs(services) == {}  # no question yet, nothing to announce
        on = await client.put(
            f"/api/v1/circles/{circle}/prompt", json={"enabled": True}, headers=maya.headers
        )
        assert on.status_code == 200, on.text
        # One chain per member, each at 09:00 in their own zone, keyed by member and day.
        scheduled = await _prompt_jobs(services)
        assert sorted(scheduled.values()) == [
            datetime(2027, 1, 14, 8, 0, tzinfo=UTC),
            datetime(2027, 1, 14, 14, 0, tzinfo=UTC),
        ]
        assert all(key.endswith(":2027-01-14") for key in scheduled)
        await _run_jobs(services)
        assert await texts(services, tomas, "prompt") == []

        clock.move_to(datetime(2027, 1, 14, 8, 0, 5, tzinfo=UTC))  # 09:00 in Berlin
        await _run_jobs(services)
        waiting = "Today's question from Maya is waiting."
        assert await texts(services, tomas, "prompt") == [waiting]
        assert await texts(services, cyra, "prompt") == []
        assert await texts(services, maya, "prompt") == []  # the owner asks, is not asked
        [(_, shown)] = await seen(services, tomas, "prompt")
        assert shown.url == f"/prompts/{circle}"
        assert [i["text"] for i in await listed(client, tomas)] == [waiting]

        clock.move_to(datetime(2027, 1, 14, 14, 0, 5, tzinfo=UTC))  # 09:00 in New York
        await _run_jobs(services)
        assert await texts(services, cyra, "prompt") == [waiting]
        assert sorted((await _prompt_jobs(services)).values()) == [
            datetime(2027, 1, 15, 8, 0, tzinfo=UTC),
            datetime(2027, 1, 15, 14, 0, tzinfo=UTC),
        ]

        # Setting the question aside (or answering it) ends its notification for the day.
        aside = await client.post(f"/api/v1/prompts/{circle}/set-aside", headers=tomas.headers)
        assert aside.status_code == 204
        assert await texts(services, tomas, "prompt") == []
        await remove(client, maya, circle, cyra)
        assert await texts(services, cyra, "prompt") == []

        clock.move_to(datetime(2027, 1, 15, 8, 0, 5, tzinfo=UTC))
        await _run_jobs(services)
        [(row, _)] = await seen(services, tomas, "prompt")
        assert row.ref == f"prompt:{circle}:2027-01-15"  # yesterday's is not today's

        clock.move_to(datetime(2027, 1, 15, 14, 0, 5, tzinfo=UTC))
        await _run_jobs(services)
        assert await texts(services, cyra, "prompt") == []
        # Cyra is in no prompted circle any more: her chain ended, Tomas's goes on.
        assert sorted((await _prompt_jobs(services)).values()) == [
            datetime(2027, 1, 16, 8, 0, tzinfo=UTC)
        ]
        # Put back in the circle, she hears of it again from her next 09:00.
        readded = await client.put(
            f"/api/v1/circles/{circle}/members/{cyra.handle}", headers=maya.headers
        )
        assert readded.status_code == 200
        assert sorted((await _prompt_jobs(services)).values()) == [
            datetime(2027, 1, 16, 8, 0, tzinfo=UTC),
            datetime(2027, 1, 16, 14, 0, tzinfo=UTC),
        ]
