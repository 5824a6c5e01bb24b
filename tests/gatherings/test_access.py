"""Who sees a gathering: only the people invited to it. Anyone else is answered exactly as for
a gathering that does not exist; each member's own list shows what is coming and then the
past, a page at a time, and ends."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from socialode.accounts.models import User
from socialode.gatherings import access, calendar
from socialode.gatherings.access import (
    access_gathering,
    access_organised,
    access_own_gatherings,
)
from socialode.gatherings.actions.changes import check_cancel
from socialode.platform.errors import NotFound
from socialode.platform.services import Services
from tests.gatherings.people import DAY, HOUR, NOW, acting, at, people, propose, span


async def test_someone_not_invited_is_answered_as_for_a_gathering_that_does_not_exist(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, dan = await people(client, services, "ada_a", "bob_a", "dan_a")
        made = await propose(services, ada, handles=[bob.handle])
        async with acting(services, dan) as (db, viewer):  # Ada's connection, not invited
            with pytest.raises(NotFound) as hidden:
                await access_gathering(db, viewer, made.gathering_id)
            with pytest.raises(NotFound) as missing:
                await access_gathering(db, viewer, made.gathering_id + 1000)
            with pytest.raises(NotFound) as not_organised:
                await access_organised(db, viewer, made.gathering_id)
        assert hidden.value.message == missing.value.message == not_organised.value.message
        assert (hidden.value.status_code, hidden.value.field) == (404, None)
        assert str(hidden.value) == str(missing.value)
        async with acting(services, bob) as (db, viewer):
            view = await access_gathering(db, viewer, made.gathering_id)
            assert view.me.user_id == bob.id and not view.is_organiser
            # An invitee may see it but not change it, and is told why.
            with pytest.raises(NotFound) as invitee:
                await access_organised(db, viewer, made.gathering_id)
        assert invitee.value.message != missing.value.message
        async with acting(services, ada) as (db, viewer):
            assert (await access_organised(db, viewer, made.gathering_id)).is_organiser
            listing = await access_own_gatherings(db, viewer, NOW)
        async with acting(services, dan) as (db, viewer):
            assert await access_own_gatherings(db, viewer, NOW) == access.Listing([], [], None)
    assert [item.gathering.id for item in listing.coming] == [made.gathering_id]


async def test_own_gatherings_list_what_is_coming_soonest_first_then_the_past_in_pages_that_end(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "PAGE", 2)
    with at(NOW):
        ada, bob = await people(client, services, "ada_l", "bob_l")
        invite = {"handles": [bob.handle]}
        soon = await propose(services, ada, title="Soon", spans=[span(NOW + 2 * HOUR)], **invite)
        past_a = await propose(services, ada, title="A", spans=[span(NOW + HOUR, 1)], **invite)
        past_b = await propose(
            services, bob, title="B", spans=[span(NOW + 3 * HOUR, 1)], handles=[ada.handle]
        )
        later = await propose(services, ada, title="Later", spans=[span(NOW + 5 * DAY)], **invite)
        poll = await propose(
            services,
            bob,
            title="Poll",
            spans=[span(NOW + 6 * DAY), span(NOW + 7 * DAY)],
            handles=[ada.handle],
        )
        called_off = await propose(
            services, ada, title="Off", spans=[span(NOW + 4 * DAY)], **invite
        )
        dropped = await propose(
            services,
            ada,
            title="Dropped",
            spans=[span(NOW + 2 * DAY), span(NOW + 3 * DAY)],
            **invite,
        )
        async with acting(services, ada) as (db, viewer):
            await check_cancel(db, viewer, called_off.gathering_id)
    with at(NOW + 2 * HOUR + HOUR / 2):  # a poll with no time: listed by when it ended
        async with acting(services, ada) as (db, viewer):
            await check_cancel(db, viewer, dropped.gathering_id)
    # A day later: three have ended, two were called off, one is ahead and one is a poll.
    with at(NOW + DAY):
        async with acting(services, ada) as (db, viewer):
            first = await access_own_gatherings(db, viewer, NOW + DAY)
            assert first.next_before is not None
            second = await access_own_gatherings(db, viewer, NOW + DAY, first.next_before)
    assert [i.gathering.id for i in first.coming] == [later.gathering_id, poll.gathering_id]
    assert first.coming[0].rsvp == "going" and first.coming[1].rsvp == ""
    assert first.coming[1].organiser.id == bob.id
    # The past, newest first by when each was to happen (a cancelled poll: when it was
    # cancelled): Off, then B, Dropped, Soon and A.
    async with acting(services, ada) as (db, viewer):
        assert second.next_before is not None
        third = await access_own_gatherings(db, viewer, NOW + DAY, second.next_before)
    past = [i.gathering.id for i in first.past + second.past + third.past]
    assert past == [
        called_off.gathering_id,
        past_b.gathering_id,
        dropped.gathering_id,
        soon.gathering_id,
        past_a.gathering_id,
    ]
    assert second.coming == third.coming == [] and third.next_before is None
    assert (len(first.past), len(second.past), len(third.past)) == (2, 2, 1)


async def test_past_gatherings_at_the_same_time_are_each_listed_once_across_pages(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "PAGE", 2)
    with at(NOW):
        ada, bob = await people(client, services, "ada_s", "bob_s")
        made = [
            (await propose(services, ada, spans=[span(NOW + HOUR)], handles=[bob.handle]))
            for _ in range(5)
        ]
    seen: list[int] = []
    before = None
    with at(NOW + DAY):
        async with acting(services, bob) as (db, viewer):
            for _ in range(5):
                page = await access_own_gatherings(db, viewer, NOW + DAY, before)
                seen += [item.gathering.id for item in page.past]
                before = page.next_before
                if before is None:
                    break
    assert before is None
    assert seen == sorted((m.gathering_id for m in made), reverse=True)


async def test_a_suspended_organisers_gatherings_are_out_of_sight_until_the_suspension_ends(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_s", "bob_s")
        made = await propose(services, ada, handles=[bob.handle])
        page = await client.get(f"/api/v1/gatherings/{made.gathering_id}", headers=bob.headers)
        assert page.status_code == 200, page.text
        async with services.db.sessions() as db:
            await db.execute(
                update(User).where(User.id == ada.id).values(suspended_until=NOW + 3 * DAY)
            )
            await db.commit()
        # Bob's page, list, calendar feed and notices: as if the gathering did not exist.
        gone = await client.get(f"/api/v1/gatherings/{made.gathering_id}", headers=bob.headers)
        missing = await client.get(
            f"/api/v1/gatherings/{made.gathering_id + 99}", headers=bob.headers
        )
        assert gone.status_code == missing.status_code == 404
        assert gone.json() == missing.json()
        async with acting(services, bob) as (db, viewer):
            assert await access_own_gatherings(db, viewer, NOW) == access.Listing([], [], None)
            assert await access.visible_gathering_ids(db, viewer, [made.gathering_id]) == set()
            assert await calendar.gatherings_for_feed(db, bob.id) == []
    with at(NOW + 3 * DAY + HOUR):  # over: it is back where it was
        async with acting(services, bob) as (db, viewer):
            view = await access_gathering(db, viewer, made.gathering_id)
            assert view.organiser.id == ada.id
            assert [g.id for g in (await calendar.gatherings_for_feed(db, bob.id))] == [
                made.gathering_id
            ]
