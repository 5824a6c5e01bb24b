"""Editing a gathering's words: everyone hears of it and calendars take it in (SEQUENCE grows),
while what was set to happen around its time still happens."""

from __future__ import annotations

import httpx
import pytest

from socialode.gatherings.actions.changes import check_edit
from socialode.gatherings.models import Gathering
from socialode.gatherings.notices import CHANGE, REMINDER, resolve
from socialode.platform.errors import Invalid, NotFound
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
WORDS = {
    "title": "Picnic in the park",
    "description": "Bring a blanket",
    "place": "By the pond",
    "map_url": "",
}


async def _edit(services: Services, who: Person, gathering_id: int, **changes: str) -> None:
    async with acting(services, who) as (db, viewer):
        await check_edit(services, db, viewer, gathering_id, **(WORDS | changes))


async def _stored(services: Services, gathering_id: int) -> Gathering:
    async with services.db.sessions() as db:
        found = await db.get(Gathering, gathering_id)
    assert found is not None
    return found


async def test_an_edit_is_told_to_everyone_else_and_bad_words_are_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_d", "bob_d")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle], **WORDS)
        gid = made.gathering_id
        await _edit(services, ada, gid)  # nothing changed: nothing happens
        assert (await _stored(services, gid)).sequence == 0
        for field, value in (
            ("title", " "),
            ("description", "d" * 2001),
            ("map_url", "mailto:a@b"),
        ):
            with pytest.raises(Invalid) as refused:
                await _edit(services, ada, gid, **{field: value})
            assert refused.value.field == field
        with pytest.raises(NotFound):
            await _edit(services, bob, gid, title="Bob's picnic")
        await _edit(services, ada, gid, title="Picnic by the lake", place="The lake")
    gathering = await _stored(services, gid)
    assert (gathering.title, gathering.place, gathering.sequence) == (
        "Picnic by the lake",
        "The lake",
        1,
    )
    assert to_whom(await notices(services, CHANGE, gid)) == [bob.id]


async def test_a_poll_edited_before_it_closes_still_closes_by_itself(
    client: httpx.AsyncClient, services: Services
) -> None:
    closes = NOW + DAY
    with at(NOW):
        ada, bob = await people(client, services, "ada_u", "bob_u")
        made = await propose(
            services,
            ada,
            spans=[span(NOW + 2 * DAY), span(NOW + 3 * DAY)],
            handles=[bob.handle],
            poll_closes_at=closes,
        )
        await _edit(services, ada, made.gathering_id, description="Lunch is on me")
    await step(services, closes)
    gathering = await _stored(services, made.gathering_id)
    assert gathering.state == "fixed" and gathering.starts_at == NOW + 2 * DAY


async def test_reminders_still_come_and_show_after_the_words_change(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_i", "bob_i")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle], **WORDS)
        gid = made.gathering_id
        await _edit(services, ada, gid, place="The lake")  # before any reminder
    await step(services, STARTS - DAY)
    day = [r for r in await notices(services, REMINDER, gid) if r.user_id == bob.id]
    assert len(day) == 1
    await step(services, STARTS - 2 * HOUR)
    both = [r for r in await notices(services, REMINDER, gid) if r.user_id == bob.id]
    assert len(both) == 2
    with at(STARTS - HOUR):
        async with acting(services, bob) as (db, viewer):
            shown = await resolve(db, viewer, both)
    assert len(shown) == 2


async def test_a_reminder_already_sent_still_shows_after_the_words_change(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_j", "bob_j")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle], **WORDS)
        gid = made.gathering_id
    await step(services, STARTS - DAY)
    with at(STARTS - DAY + HOUR):
        await _edit(services, ada, gid, description="Bring a blanket and a kite")
        day = [r for r in await notices(services, REMINDER, gid) if r.user_id == bob.id]
        async with acting(services, bob) as (db, viewer):
            shown = await resolve(db, viewer, day)
    assert len(day) == 1
    assert len(shown) == 1  # the time did not move: the reminder is still true
