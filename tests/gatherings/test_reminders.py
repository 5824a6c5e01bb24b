"""Reminders the day before and two hours before, to everyone who has not said no; a moved
gathering's old reminders do nothing; a cancelled one withdraws what was waiting about it and
reads as cancelled."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from socialode.gatherings.access import access_gathering
from socialode.gatherings.actions.changes import check_cancel, check_reschedule, check_rsvp
from socialode.gatherings.models import Gathering
from socialode.gatherings.notices import AFTER, CHANGE, INVITE, REMINDER, reminder_ref, resolve
from socialode.notifications.models import Notification
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.services import Services
from tests.gatherings.people import (
    DAY,
    HOUR,
    NOW,
    Person,
    acting,
    at,
    notices,
    people,
    propose,
    span,
    step,
    to_whom,
)

STARTS = NOW + 3 * DAY


async def _rsvp(services: Services, who: Person, gathering_id: int, value: str) -> None:
    async with acting(services, who) as (db, viewer):
        await check_rsvp(db, viewer, gathering_id, value)


async def _shown(services: Services, who: Person, rows: list[Notification]) -> dict[int, str]:
    """What each of ``who``'s notifications among ``rows`` reads now, as their resolver says."""
    async with acting(services, who) as (db, viewer):
        mine = [r for r in rows if r.user_id == who.id]
        return {nid: shown.text for nid, shown in (await resolve(db, viewer, mine)).items()}


async def test_reminders_reach_everyone_but_those_who_said_no_the_day_before_and_two_hours_before(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_m", "bob_m", "cy_m", "dan_m")
        made = await propose(
            services, ada, spans=[span(STARTS)], handles=[bob.handle, cy.handle, dan.handle]
        )
        gid = made.gathering_id
        await _rsvp(services, bob, gid, "going")
        await _rsvp(services, cy, gid, "no")  # Dan has not answered: he is reminded too
    await step(services, STARTS - DAY - HOUR)
    assert await notices(services, REMINDER, gid) == []
    await step(services, STARTS - DAY)
    day = await notices(services, REMINDER, gid)
    assert to_whom(day) == sorted([ada.id, bob.id, dan.id])
    assert {r.ref for r in day} == {reminder_ref(gid, "day", STARTS)}
    shown = await _shown(services, bob, day)
    assert len(shown) == 1 and "Picnic in the park" in next(iter(shown.values()))
    await step(services, STARTS - 2 * HOUR)
    both = await notices(services, REMINDER, gid)
    assert to_whom(both) == sorted([ada.id, ada.id, bob.id, bob.id, dan.id, dan.id])
    soon = [r for r in both if r.ref == reminder_ref(gid, "soon", STARTS)]
    assert to_whom(soon) == sorted([ada.id, bob.id, dan.id])
    # Running the worker again tells nobody twice.
    await step(services, STARTS - HOUR)
    assert len(await notices(services, REMINDER, gid)) == 6
    # Once it has begun, a reminder is not shown any more.
    with at(STARTS + HOUR):
        assert await _shown(services, bob, both) == {}


async def test_a_moved_gathering_starts_again_and_its_old_reminders_do_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    moved_to = STARTS + 2 * DAY
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_v", "bob_v", "cy_v")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle, cy.handle])
        gid = made.gathering_id
        await _rsvp(services, bob, gid, "going")
        await _rsvp(services, cy, gid, "no")
    await step(services, STARTS - DAY)
    assert to_whom(await notices(services, REMINDER, gid)) == sorted([ada.id, bob.id])
    with at(STARTS - DAY + HOUR):
        async with acting(services, bob) as (db, viewer):  # only the organiser moves it
            with pytest.raises(NotFound):
                await check_reschedule(db, viewer, gid, *span(moved_to))
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(Invalid) as backwards:
                await check_reschedule(db, viewer, gid, moved_to, moved_to - HOUR)
            assert backwards.value.field == "starts_at"
            await check_reschedule(db, viewer, gid, *span(moved_to))
            await check_reschedule(db, viewer, gid, *span(moved_to))  # the same time: no change
        async with acting(services, ada) as (db, viewer):
            view = await access_gathering(db, viewer, gid)
        assert view.gathering.sequence == 1
        assert view.gathering.starts_at == moved_to
        # Everyone answers again; the organiser stays going.
        assert {g.user.id: g.rsvp for g in view.guests} == {ada.id: "going", bob.id: "", cy.id: ""}
        assert to_whom(await notices(services, CHANGE, gid)) == sorted([bob.id, cy.id])
        old_day = await notices(services, REMINDER, gid)
        assert await _shown(services, bob, old_day) == {}  # about a time that is no more
    # The old "two hours before" comes and goes with nothing new.
    await step(services, STARTS - 2 * HOUR)
    await step(services, STARTS + 3 * HOUR)  # and the old question afterwards
    assert len(await notices(services, REMINDER, gid)) == 2
    assert await notices(services, AFTER, gid) == []
    # The new time's reminders reach everyone not saying no, Cy included now.
    await step(services, moved_to - DAY)
    fresh = reminder_ref(gid, "day", moved_to)
    new = [r for r in await notices(services, REMINDER, gid) if r.ref == fresh]
    assert to_whom(new) == sorted([ada.id, bob.id, cy.id])
    assert len(await _shown(services, cy, new)) == 1


async def test_cancelling_withdraws_what_was_waiting_and_reads_as_cancelled(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_z", "bob_z", "cy_z")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle, cy.handle])
        other = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle])
        gid = made.gathering_id
        await _rsvp(services, bob, gid, "going")
    await step(services, STARTS - DAY)
    assert to_whom(await notices(services, INVITE, gid)) == sorted([bob.id, cy.id])
    assert len(await notices(services, REMINDER, gid)) == 3
    with at(STARTS - DAY + HOUR):
        async with acting(services, bob) as (db, viewer):
            with pytest.raises(NotFound):
                await check_cancel(db, viewer, gid)
        async with acting(services, ada) as (db, viewer):
            await check_cancel(db, viewer, gid)
            await check_cancel(db, viewer, gid)  # cancelling again changes nothing
    gathering = await _gathering(services, gid)
    assert gathering.state == "cancelled" and gathering.sequence == 1
    assert gathering.cancelled_at == STARTS - DAY + HOUR
    left = await _about(services, gid)
    # Only the news that it is off is left: the invitation and reminders are withdrawn.
    assert {r.kind for r in left} == {CHANGE}
    assert to_whom(left) == sorted([bob.id, cy.id])
    for who in (bob, cy):
        with at(STARTS - DAY + HOUR):
            texts = list((await _shown(services, who, left)).values())
        assert len(texts) == 1 and "cancelled" in texts[0], texts
    # Another gathering's notifications are untouched.
    assert to_whom(await notices(services, INVITE, other.gathering_id)) == [bob.id]
    # What was scheduled finds nothing to do.
    await step(services, STARTS - 2 * HOUR)
    await step(services, STARTS + 3 * HOUR)
    assert {r.kind for r in await _about(services, gid)} == {CHANGE}
    with at(STARTS - 3 * HOUR):
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(Conflict):
                await check_reschedule(db, viewer, gid, *span(STARTS + DAY))


async def _gathering(services: Services, gathering_id: int) -> Gathering:
    async with services.db.sessions() as db:
        found = await db.get(Gathering, gathering_id)
    assert found is not None
    return found


async def _about(services: Services, gathering_id: int) -> list[Notification]:
    """Every notification about one gathering, of any kind."""
    async with services.db.sessions() as db:
        return list(
            await db.scalars(
                select(Notification)
                .where(Notification.ref.startswith(f"gathering:{gathering_id}:"))
                .order_by(Notification.id)
            )
        )
