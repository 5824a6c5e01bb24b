"""Reminders keep the member's quiet hours (22:00-07:00 by default, in their own zone): one
due in them is held and arrives when they end, or is dropped if the gathering has begun by
then. And what someone felt afterwards is seen by nobody else, on any page or API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import time_machine
from sqlalchemy import select

from socialode.gatherings.notices import reminder_ref
from socialode.notifications.models import HELD, OFF, SUMMED, Notification
from socialode.platform.services import Services
from tests.helpers import Member, connect, members, run_jobs

LISBON = "Europe/Lisbon"  # UTC+0 in January
PLANNED = datetime(2027, 1, 18, 12, 0, tzinfo=UTC)
LATER = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)  # 08:00 in Lisbon
EARLY = datetime(2027, 1, 20, 6, 30, tzinfo=UTC)


@contextmanager
def at(instant: datetime) -> Iterator[None]:
    with time_machine.travel(instant, tick=False):
        yield


async def _propose(client: httpx.AsyncClient, by: Member, to: Member, start: str) -> int:
    times = [{"starts_at": f"2027-01-20T{start}:00", "ends_at": "2027-01-20T11:00:00"}]
    made = await client.post(
        "/api/v1/gatherings",
        json={"title": f"Breakfast at {start}", "people": [to.handle], "times": times},
        headers=by.headers,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["gathering"]["id"])


async def _delivery(services: Services, ref: str) -> str:
    async with services.db.sessions() as db:
        found = await db.scalar(select(Notification.delivery).where(Notification.ref == ref))
    assert found is not None, ref
    return found


async def test_a_reminder_in_quiet_hours_waits_for_them_to_end_or_is_dropped(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(PLANNED):
        ana, bo = await members(client, services, "ana_quiet", "bo_quiet")
        for who in (ana, bo):
            zone = await client.patch("/api/v1/me", json={"timezone": LISBON}, headers=who.headers)
            assert zone.status_code == 200, zone.text
        await connect(client, ana, bo)
        later = await _propose(client, ana, bo, "08:00")  # reminder at 06:00: quiet
        early = await _propose(client, ana, bo, "06:30")  # reminder at 04:30: quiet
        await run_jobs(services)
    with at(datetime(2027, 1, 20, 6, 0, 5, tzinfo=UTC)):
        await run_jobs(services)
        assert await _delivery(services, reminder_ref(later, "soon", LATER)) == HELD
        assert await _delivery(services, reminder_ref(early, "soon", EARLY)) == HELD
    with at(datetime(2027, 1, 20, 7, 0, 5, tzinfo=UTC)):  # quiet hours end
        await run_jobs(services)
        assert await _delivery(services, reminder_ref(later, "soon", LATER)) == SUMMED
        assert await _delivery(services, reminder_ref(early, "soon", EARLY)) == OFF  # it began
        listed = await client.get("/api/v1/notifications", headers=bo.headers)
    texts = [n["text"] for n in listed.json()["notifications"]]
    assert any("Breakfast at 08:00" in t and t.startswith("Soon") for t in texts), texts
    assert not any("Breakfast at 06:30" in t and t.startswith("Soon") for t in texts), texts


async def test_what_someone_felt_is_seen_by_nobody_else(
    client: httpx.AsyncClient, services: Services
) -> None:
    marker = "felt-marker-7f3a"
    with at(PLANNED):
        ana, bo = await members(client, services, "ana_feltp", "bo_feltp")
        await connect(client, ana, bo)
        gathering = await _propose(client, ana, bo, "09:00")
        going = await client.put(
            f"/api/v1/gatherings/{gathering}/rsvp", json={"rsvp": "going"}, headers=bo.headers
        )
        assert going.status_code == 200, going.text
    with at(datetime(2027, 1, 21, 9, 0, tzinfo=UTC)):
        felt = await client.put(
            f"/api/v1/gatherings/{gathering}/felt",
            json={"score": 2, "words": marker},
            headers=bo.headers,
        )
        assert felt.status_code == 200, felt.text
        await run_jobs(services)
        own = await client.get(f"/api/v1/gatherings/{gathering}/felt", headers=bo.headers)
        assert own.status_code == 200 and own.json()["words"] == marker
        for path in (
            f"/gatherings/{gathering}",
            f"/api/v1/gatherings/{gathering}",
            f"/gatherings/{gathering}/felt",
            "/gatherings",
            "/api/v1/gatherings",
            "/api/v1/notifications",
            "/notifications",
            "/wellbeing/trends",
            f"/gatherings/{gathering}/calendar.ics",
        ):
            seen = await client.get(path, headers=ana.headers)
            assert marker not in seen.text, path
        theirs = await client.get(f"/api/v1/gatherings/{gathering}/felt", headers=ana.headers)
        assert theirs.status_code == 404  # the organiser has no answer of their own, and sees none


def test_every_ref_fits_the_notifications_column() -> None:
    """Refs are stored in 40 characters (PostgreSQL refuses more): the largest id and the
    latest time a gathering can have still fit."""
    from socialode.gatherings.notices import AFTER, AGAIN, CHANGE, INVITE, ref_for
    from socialode.notifications.models import Notification

    most = Notification.__table__.c.ref.type.length
    latest = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    refs = [reminder_ref(2**31 - 1, which, latest) for which in ("day", "soon")]
    refs += [ref_for(2**31 - 1, what) for what in (INVITE, CHANGE, AFTER, AGAIN)]
    assert max(len(r) for r in refs) <= most, refs
