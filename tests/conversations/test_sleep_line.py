"""Sleep protection for the people you write to: a message to someone in their quiet hours is
stored and visible, notifies them only when their quiet hours end, and the sender is told
gently ("Tom will see this in the morning") -- unless Tom chose not to share that."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import time_machine
from sqlalchemy import select

from socialode.accounts.models import User
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.conversations.people import Member, connect, direct, group, members, send

# Members live in Europe/Berlin: 23:30 there is 22:30 UTC in winter (quiet hours 22-07).
NIGHT = datetime(2027, 1, 14, 22, 30, tzinfo=UTC)
DAY = datetime(2027, 1, 14, 12, 0, tzinfo=UTC)


async def detail(client: httpx.AsyncClient, who: Member, cid: int) -> dict[str, object]:
    answer = await client.get(f"/api/v1/conversations/{cid}", headers=who.headers)
    assert answer.status_code == 200, answer.text
    data: dict[str, object] = answer.json()
    return data


async def run_due(services: Services) -> None:
    worker = Worker(services)
    while await worker.run_once():
        pass


async def message_delivery(services: Services, handle: str) -> list[str]:
    async with services.db.sessions() as db:
        uid = await db.scalar(select(User.id).where(User.handle == handle))
        rows = await db.scalars(
            select(Notification.delivery).where(
                Notification.user_id == uid, Notification.kind == "message"
            )
        )
        return list(rows)


async def test_the_sender_is_told_who_will_see_it_in_the_morning_and_they_are_not_woken(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(DAY, tick=False):
        ada, tom, eve = await members(client, services, "ada", "tom", "eve")
        await connect(client, ada, tom)
        await connect(client, ada, eve)
        cid = await direct(client, ada, tom)
        assert (await detail(client, ada, cid))["sleep_line"] is None, "daytime: no line"
    with time_machine.travel(NIGHT, tick=False):
        assert (await detail(client, ada, cid))["sleep_line"] == "Tom will see this in the morning."
        page = await client.get(f"/conversations/{cid}", headers=ada.headers)
        assert "Tom will see this in the morning. No need to wait for an answer." in page.text
        assert (await send(client, ada, cid, "Sleep well")).status_code == 201
        await run_due(services)
        assert await message_delivery(services, "tom") == ["held"], "stored, not announced"
        # Stored and visible if Tom opens the app anyway.
        seen = await detail(client, tom, cid)
        assert [m["body"] for m in seen["messages"]] == ["Sleep well"]  # type: ignore[index, union-attr]
        # A group names everyone resting.
        gid = await group(client, ada, "Walks", tom, eve)
        assert (await detail(client, ada, gid))["sleep_line"] == (
            "Eve and Tom will see this in the morning."
        )
    # 07:00 in Berlin: the message reaches Tom then (in the summary of what was held).
    with time_machine.travel(datetime(2027, 1, 15, 6, 0, 5, tzinfo=UTC), tick=False):
        await run_due(services)
        assert await message_delivery(services, "tom") == ["summed"]


async def test_a_member_can_keep_their_sleep_to_themselves(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(DAY, tick=False):
        ada, tom = await members(client, services, "ada", "tom")
        await connect(client, ada, tom)
        cid = await direct(client, ada, tom)
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"privacy": {"push_previews": False, "share_sleep_line": False}},
            headers=tom.headers,
        )
        assert answer.is_success, answer.text
    with time_machine.travel(NIGHT, tick=False):
        assert (await detail(client, ada, cid))["sleep_line"] is None
        page = await client.get(f"/conversations/{cid}", headers=ada.headers)
        assert "will see this" not in page.text
        assert (await send(client, ada, cid, "Night")).status_code == 201
        await run_due(services)
        assert await message_delivery(services, "tom") == ["held"], "still protected"


async def test_together_mode_reads_later_not_in_the_morning(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(DAY, tick=False):
        ada, tom = await members(client, services, "ada", "tom")
        await connect(client, ada, tom)
        cid = await direct(client, ada, tom)
        answer = await client.post("/api/v1/together", json={"hours": 3}, headers=tom.headers)
        assert answer.is_success, answer.text
        assert (await detail(client, ada, cid))["sleep_line"] == "Tom will see this later."
    with time_machine.travel(DAY + timedelta(hours=3, minutes=1), tick=False):
        assert (await detail(client, ada, cid))["sleep_line"] is None
