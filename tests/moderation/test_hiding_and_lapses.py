"""What a suspension or ban hides, and for how long; reports left in review go back to
waiting by a job (rule 7: moderation acts, on record, and only a person decides)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import time_machine
from sqlalchemy import select, update

from socialode.accounts.models import User
from socialode.moderation.models import AuditEntry, Report
from socialode.notifications.models import Notification
from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.helpers import run_jobs
from tests.moderation.world import THREAT, build, decide, report
from tests.moments.people import shared


async def _texts(client: httpx.AsyncClient, headers: dict[str, str], one: int) -> list[str]:
    page = await client.get(f"/api/v1/conversations/{one}", headers=headers)
    assert page.status_code == 200, page.text
    return [m["body"] for m in page.json()["messages"]]


async def test_a_suspension_hides_what_they_wrote_until_it_ends(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    moment = await shared(client, w.bob, "Sunset at the pier", people=[w.ada])
    filed = await report(client, w.ada, kind="message", id=w.message, reason="threats")
    report_id = filed.json()["id"]
    assert THREAT in await _texts(client, w.ada.headers, w.one)
    decided = await decide(
        client, w, report_id, action="suspend", reason="Threats are not welcome.", days=3
    )
    assert decided.status_code == 200, decided.text

    # While Bob is suspended, Ada sees none of his words: not the threat, not his moment.
    assert await _texts(client, w.ada.headers, w.one) == [
        "are you coming on Sunday?",
        "ok",
        "what?",
    ]
    gone = await client.get(f"/api/v1/moments/{moment}", headers=w.ada.headers)
    assert gone.status_code == 404
    feed = await client.get("/api/v1/feed", headers=w.ada.headers)
    assert moment not in [m["id"] for m in feed.json()["moments"]]
    # The conversation itself stays in her list: only his words are out of sight.
    listed = await client.get("/api/v1/conversations", headers=w.ada.headers)
    assert w.one in [c["id"] for c in listed.json()["conversations"]]

    # Once the suspension ends, everything he wrote is back where it was.
    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1), tick=False):
        back = await client.get(f"/api/v1/moments/{moment}", headers=w.ada.headers)
        assert back.status_code == 200
        assert THREAT in await _texts(client, w.ada.headers, w.one)


async def test_a_ban_hides_what_they_wrote_for_good(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    moment = await shared(client, w.bob, "A photo from the match", people=[w.ada])
    filed = await report(client, w.ada, kind="message", id=w.message, reason="threats")
    decided = await decide(client, w, filed.json()["id"], action="ban", reason="Repeated threats.")
    assert decided.status_code == 200, decided.text
    assert THREAT not in await _texts(client, w.ada.headers, w.one)
    gone = await client.get(f"/api/v1/moments/{moment}", headers=w.ada.headers)
    assert gone.status_code == 404
    async with services.db.sessions() as db:
        bob = await db.scalar(select(User).where(User.handle == w.bob.handle))
        assert bob is not None and bob.suspended_until is not None
        assert bob.suspended_until.year == 9999  # a ban has no end
        # Lifted by an administrator (directly here), what he wrote is visible again.
        await db.execute(
            update(User).where(User.handle == w.bob.handle).values(suspended_until=None)
        )
        await db.commit()
    assert THREAT in await _texts(client, w.ada.headers, w.one)


async def test_a_report_left_in_review_goes_back_to_waiting(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    filed = await report(client, w.ada, kind="message", id=w.message, reason="threats")
    report_id = filed.json()["id"]
    opened = await client.get(f"/api/v1/moderation/reports/{report_id}", headers=w.mod.headers)
    assert opened.json()["state"] == "in_review"

    async def state() -> str:
        async with services.db.sessions() as db:
            found = await db.get(Report, report_id)
            assert found is not None
            return found.state

    await run_jobs(services)
    assert await state() == "in_review"  # not yet: a day has not passed
    with time_machine.travel(utcnow() + timedelta(hours=23), tick=False):
        await run_jobs(services)
    assert await state() == "in_review"
    with time_machine.travel(utcnow() + timedelta(hours=24, minutes=1), tick=False):
        await run_jobs(services)
    assert await state() == "open"
    async with services.db.sessions() as db:
        entries = list(await db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        told = await db.scalars(
            select(Notification.ref).where(Notification.kind == "report_waiting")
        )
        assert "reports:waiting" in set(told)
    assert [(e.action, e.actor_id) for e in entries][-1] == ("returned", 0)
    # Opened again, it is in review again; a decision then ends the schedule's part.
    again = await client.get(f"/api/v1/moderation/reports/{report_id}", headers=w.mod.headers)
    assert again.json()["state"] == "in_review"
    dismissed = await decide(client, w, report_id, action="dismiss", reason="Talked it through.")
    assert dismissed.status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
        await run_jobs(services)
    assert await state() == "resolved"
