"""Reminders to check in: a daily run at 10:00 in the member's zone, only while reminders are
on, only for check-ins that became due, held through quiet hours and into digests like every
notification, and worded the same whatever is due (a lock screen may show it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import time_machine
from sqlalchemy import select

from socialode.accounts.models import User
from socialode.notifications.models import DIGEST, HELD, Notification
from socialode.platform.services import Services
from tests.helpers import Member, members, run_jobs
from tests.wellbeing.test_checkins import WHO5_64, check_in

# 08:00 in Berlin (members sign up there), a Monday in winter: 10:00 Berlin is 09:00 UTC.
MORNING = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
TEN = datetime(2027, 1, 11, 9, 0, 30, tzinfo=UTC)


async def reminders(services: Services, who: Member) -> list[Notification]:
    async with services.db.sessions() as db:
        rows = await db.scalars(
            select(Notification)
            .join(User, User.id == Notification.user_id)
            .where(Notification.kind == "wellbeing_reminder", User.handle == who.handle)
        )
        return list(rows)


async def turn_on(client: httpx.AsyncClient, who: Member, **extra: object) -> None:
    body = {"schedule": {"who5": 7}, "reminders": True, **extra}
    changed = await client.patch("/api/v1/wellbeing/settings", json=body, headers=who.headers)
    assert changed.status_code == 200, changed.text


async def test_a_due_check_in_brings_one_quiet_reminder_at_ten_and_none_once_taken(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(MORNING, tick=False) as clock:
        (ada,) = await members(client, services, "ada_remind")
        await turn_on(client, ada)
        await run_jobs(services)
        assert await reminders(services, ada) == []  # not before 10:00
        clock.move_to(TEN)
        await run_jobs(services)
        (reminder,) = await reminders(services, ada)
        assert reminder.delivery == DIGEST  # a digest kind by default, like the pipeline says
        listed = await client.get("/api/v1/notifications", headers=ada.headers)
        texts = [n["text"] for n in listed.json()["notifications"]]
        assert texts == ["A quiet moment for yourself is there when you want it."]
        # Taken: the next day's run finds nothing due and says nothing more.
        await check_in(client, ada, "who5", WHO5_64)
        clock.move_to(TEN + timedelta(days=1))
        await run_jobs(services)
        assert len(await reminders(services, ada)) == 1


async def test_a_reminder_in_quiet_hours_is_held_and_none_comes_while_paused(
    client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(MORNING, tick=False) as clock:
        ada, bob = await members(client, services, "ada_quiet_wb", "bob_paused_wb")
        hours = {  # reminders chosen to come at once: quiet hours still hold them
            "quiet_hours": {"on": True, "start": "09:30", "end": "11:00"},
            "channels": {"wellbeing_reminder": "live"},
        }
        put = await client.put("/api/v1/settings/notifications", json=hours, headers=ada.headers)
        assert put.status_code == 200, put.text
        await turn_on(client, ada)
        await turn_on(client, bob, pause_days=7)
        clock.move_to(TEN)
        await run_jobs(services)
        (held,) = await reminders(services, ada)
        assert held.delivery == HELD
        assert await reminders(services, bob) == []
        off = await client.patch(
            "/api/v1/wellbeing/settings", json={"reminders": False}, headers=ada.headers
        )
        assert off.status_code == 200
        clock.move_to(TEN + timedelta(days=8))
        await run_jobs(services)
        assert len(await reminders(services, ada)) == 1  # the chain ended with reminders off
