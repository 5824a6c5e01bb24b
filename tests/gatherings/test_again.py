"""Afterwards: those who went are asked, privately, how it felt; four weeks later the organiser,
and only the organiser, is asked whether to meet again, unless they turned that off; the
suggestion opens the planning form filled in with the same people and place."""

from __future__ import annotations

import httpx

from socialode.gatherings.actions.changes import check_rsvp, check_suggest_again
from socialode.gatherings.notices import AFTER, AGAIN, resolve
from socialode.platform.services import Services
from tests.gatherings.people import (
    DAY,
    HOUR,
    NOW,
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
WEEK = 7 * DAY


async def test_those_who_went_are_asked_and_weeks_later_the_organiser_may_meet_again(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_ag", "bob_ag", "cy_ag")
        made = await propose(
            services, ada, spans=[span(STARTS)], handles=[bob.handle, cy.handle], place="The pier"
        )
        quiet = await propose(services, ada, spans=[span(STARTS + HOUR)], handles=[bob.handle])
        for gathering in (made.gathering_id, quiet.gathering_id):
            async with acting(services, bob) as (db, viewer):
                await check_rsvp(db, viewer, gathering, "going")
        async with acting(services, cy) as (db, viewer):
            await check_rsvp(db, viewer, made.gathering_id, "no")
        async with acting(services, ada) as (db, viewer):
            await check_suggest_again(db, viewer, quiet.gathering_id, False)
    await step(services, STARTS + 2 * HOUR + 1 * HOUR)  # both are over
    asked = await notices(services, AFTER, made.gathering_id)
    assert to_whom(asked) == sorted([ada.id, bob.id])  # the organiser went too; Cy did not
    await step(services, STARTS + 4 * WEEK - DAY)
    assert await notices(services, AGAIN) == []  # not yet
    await step(services, STARTS + 4 * WEEK + 4 * HOUR)
    again = await notices(services, AGAIN)
    assert [(r.user_id, r.ref) for r in again] == [
        (ada.id, f"gathering:{made.gathering_id}:{AGAIN}")
    ]
    async with acting(services, ada) as (db, viewer):
        (shown,) = (await resolve(db, viewer, again)).values()
    assert "Meet again?" in shown.text
    assert shown.url == f"/gatherings/new?again={made.gathering_id}"
    with at(NOW + HOUR):  # (a session idle for weeks signs out; the link is the same any day)
        form = await client.get(shown.url, headers=ada.headers)
    assert form.status_code == 200
    assert 'value="The pier"' in form.text and f'value="{bob.handle}" checked' in form.text
    assert f'value="{cy.handle}" checked' in form.text  # the same people, whatever they said
