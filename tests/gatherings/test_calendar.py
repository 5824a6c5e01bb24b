"""Calendar files and the private calendar address: times are the stored instants in the
organiser's zone, across a change of the clocks too; an event keeps its UID while its
SEQUENCE grows with each change; a cancelled one says so; an address stops working once reset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from socialode.gatherings import calendar
from socialode.gatherings.actions.changes import check_cancel, check_reschedule, check_rsvp
from socialode.gatherings.actions.feed import do_reset_feed
from socialode.platform.errors import NotFound
from socialode.platform.services import Services
from tests.gatherings.people import DAY, HOUR, Person, acting, at, person, propose, span
from tests.helpers import connect

LISBON = ZoneInfo("Europe/Lisbon")
# Saturday 20 March 2027: Portugal moves from UTC+0 to UTC+1 on Sunday 28 March.
BEFORE_THE_CHANGE = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
WORDS = "Proposed by %(name)s"


def _events(text: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


async def _file(services: Services, who: Person) -> bytes:
    async with services.db.sessions() as db:
        items = await calendar.gatherings_for_feed(db, who.id)
    return calendar.calendar_file(items, "testserver", "http://testserver", WORDS, "Gatherings")


async def _pair(client: httpx.AsyncClient, services: Services) -> tuple[Person, Person]:
    ana = await person(client, services, "ana_cal", "Europe/Lisbon")
    ben = await person(client, services, "ben_cal")
    await connect(client, ana.member, ben.member)
    return ana, ben


async def test_event_times_are_the_stored_instants_in_the_organisers_zone_across_the_clock_change(
    client: httpx.AsyncClient, services: Services
) -> None:
    # 18:00 in Lisbon on each side of the change: 18:00 UTC before it, 17:00 UTC after.
    winter = datetime(2027, 3, 25, 18, 0, tzinfo=LISBON).astimezone(UTC)
    summer = datetime(2027, 4, 2, 18, 0, tzinfo=LISBON).astimezone(UTC)
    assert (winter.hour, summer.hour) == (18, 17)
    with at(BEFORE_THE_CHANGE):
        ana, ben = await _pair(client, services)
        first = await propose(
            services, ana, title="Fado night", spans=[span(winter)], handles=[ben.handle]
        )
        second = await propose(
            services,
            ana,
            title="Sardines",
            spans=[span(summer, 3)],
            place="Alfama",
            handles=[ben.handle],
        )
        text = await _file(services, ben)
    calendar_ = icalendar.Calendar.from_ical(text)
    assert [str(z["TZID"]) for z in calendar_.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    events = {str(e["SUMMARY"]): e for e in calendar_.walk("VEVENT")}
    assert set(events) == {"Fado night", "Sardines"}
    for title, made, starts, hours in (
        ("Fado night", first, winter, 2),
        ("Sardines", second, summer, 3),
    ):
        event = events[title]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start == starts and end == starts + hours * HOUR  # the same instants
        assert event["DTSTART"].params["TZID"] == "Europe/Lisbon"
        assert (start.hour, start.minute) == (18, 0)  # as the organiser wrote it
        assert str(event["UID"]) == f"gathering-{made.gathering_id}@testserver"
        assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
        assert str(event["URL"]) == f"http://testserver/gatherings/{made.gathering_id}"
        assert "Proposed by Ana_Cal" in str(event["DESCRIPTION"])
    assert str(events["Sardines"]["LOCATION"]) == "Alfama"
    async with services.db.sessions() as db:
        stored = {r.id: r.starts_at for r in await calendar.gatherings_for_feed(db, ben.id)}
    assert stored == {first.gathering_id: winter, second.gathering_id: summer}


async def test_an_event_keeps_its_uid_its_sequence_grows_and_a_cancelled_one_says_so(
    client: httpx.AsyncClient, services: Services
) -> None:
    starts = datetime(2027, 4, 2, 17, 0, tzinfo=UTC)
    with at(BEFORE_THE_CHANGE):
        ana, ben = await _pair(client, services)
        made = await propose(services, ana, spans=[span(starts)], handles=[ben.handle])
        poll = await propose(
            services, ana, spans=[span(starts), span(starts + DAY)], handles=[ben.handle]
        )
        (before,) = _events(await _file(services, ben))  # a poll has no time to show yet
        async with acting(services, ana) as (db, viewer):
            await check_reschedule(db, viewer, made.gathering_id, *span(starts + DAY))
        (moved,) = _events(await _file(services, ben))
        async with acting(services, ana) as (db, viewer):
            await check_cancel(db, viewer, made.gathering_id)
        (cancelled,) = _events(await _file(services, ben))
    assert poll.gathering_id != made.gathering_id
    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert [int(e["SEQUENCE"]) for e in (before, moved, cancelled)] == [0, 1, 2]
    assert moved["DTSTART"].dt == starts + DAY
    assert str(moved["STATUS"]) == "CONFIRMED" and str(cancelled["STATUS"]) == "CANCELLED"


async def test_a_gathering_someone_said_no_to_leaves_their_calendar(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(BEFORE_THE_CHANGE):
        ana, ben = await _pair(client, services)
        made = await propose(
            services, ana, spans=[span(BEFORE_THE_CHANGE + DAY)], handles=[ben.handle]
        )
        async with acting(services, ben) as (db, viewer):
            await check_rsvp(db, viewer, made.gathering_id, "no")
        assert _events(await _file(services, ben)) == []
        assert len(_events(await _file(services, ana))) == 1


async def test_the_private_address_opens_the_members_feed_until_it_is_reset(
    client: httpx.AsyncClient, services: Services
) -> None:
    secret = services.settings.resolved_secret_key
    with at(BEFORE_THE_CHANGE):
        ana, ben = await _pair(client, services)
        async with acting(services, ana) as (db, viewer):
            token = await calendar.access_own_feed_token(db, viewer, secret)
            assert await calendar.access_own_feed_token(db, viewer, secret) == token  # stable
        async with services.db.sessions() as db:
            assert (await calendar.access_feed_owner(db, token, secret)).id == ana.id
        async with acting(services, ana) as (db, viewer):
            fresh = await do_reset_feed(db, viewer, secret)
            assert fresh != token
            assert await calendar.access_own_feed_token(db, viewer, secret) == fresh
        async with acting(services, ben) as (db, viewer):
            bens = await calendar.access_own_feed_token(db, viewer, secret)
        user_part, generation, signature = fresh.split("-", 2)
        swapped = "x" if signature[-1] != "x" else "y"
        refused = [
            token,  # the old address
            fresh[:-1] + swapped,  # tampered with
            f"{ben.id}-{generation}-{signature}",  # another member's number on Ana's signature
            f"{user_part}-{int(generation) + 1}-{signature}",
            bens.replace(f"{ben.id}-", f"{ana.id}-", 1),
            "",
            "nonsense",
            f"{user_part}-{generation}",
            f"{user_part}--{signature}",
            f"²-{generation}-{signature}",  # digits to str.isdigit, not to int()
            f"{user_part}-²-{signature}",
            f"{user_part}-{'9' * 5000}-{signature}",
            f"{user_part}-{generation}-é{signature[1:]}",
        ]
        async with services.db.sessions() as db:
            assert (await calendar.access_feed_owner(db, fresh, secret)).id == ana.id
            assert (await calendar.access_feed_owner(db, bens, secret)).id == ben.id
            for wrong in refused:
                with pytest.raises(NotFound) as missing:
                    await calendar.access_feed_owner(db, wrong, secret)
                assert missing.value.message == calendar.NO_FEED, wrong
            # Signed with another instance's secret, even the right address opens nothing.
            with pytest.raises(NotFound):
                await calendar.access_feed_owner(db, fresh, secret + "-other")
