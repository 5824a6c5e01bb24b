"""A gathering's own conversation, started once for everyone invited; a member's export holds
their gatherings and what they felt; erasing them removes their part and what they organised."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from socialode.conversations.models import Member
from socialode.gatherings.access import access_gathering
from socialode.gatherings.actions.changes import check_answer_times, check_rsvp
from socialode.gatherings.actions.erase import do_erase_gatherings
from socialode.gatherings.actions.feed import do_reset_feed
from socialode.gatherings.actions.felt import check_feel
from socialode.gatherings.actions.together import check_open_conversation
from socialode.gatherings.calendar import access_own_feed_token
from socialode.gatherings.models import (
    CalendarFeed,
    Feeling,
    Gathering,
    Invitee,
    TimeOption,
    Vote,
)
from socialode.gatherings.privacy import export_gatherings
from socialode.platform.personal_data import registered_tables
from socialode.platform.services import Services
from tests.gatherings.people import DAY, HOUR, NOW, acting, at, count, people, propose, span
from tests.helpers import connect


async def test_the_gatherings_conversation_is_made_once_with_everyone_invited(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_w", "bob_w", "cy_w", "dan_w")
        made = await propose(services, ada, title="Board games", handles=[bob.handle, cy.handle])
        gid = made.gathering_id
        async with acting(services, bob) as (db, viewer):
            first = await check_open_conversation(db, viewer, gid)
        async with acting(services, cy) as (db, viewer):
            second = await check_open_conversation(db, viewer, gid)
        async with acting(services, ada) as (db, viewer):
            third = await check_open_conversation(db, viewer, gid)
            view = await access_gathering(db, viewer, gid)
        async with services.db.sessions() as db:
            joined = sorted(
                await db.scalars(select(Member.user_id).where(Member.conversation_id == first))
            )
        # Bob and Cy are not connected to each other, yet both can read it.
        for who in (bob, cy):
            opened = await client.get(f"/api/v1/conversations/{first}", headers=who.headers)
            assert opened.status_code == 200, opened.text
        outsider = await client.get(f"/api/v1/conversations/{first}", headers=dan.headers)
    assert first == second == third == view.gathering.conversation_id
    assert joined == sorted([ada.id, bob.id, cy.id])
    assert outsider.status_code == 404


async def test_a_members_export_holds_their_gatherings_and_what_they_felt(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_e", "bob_e", "cy_e")
        walk = await propose(
            services,
            ada,
            title="Evening walk",
            description="Along the canal",
            spans=[span(NOW + HOUR)],
            handles=[bob.handle, cy.handle],
        )
        poll = await propose(
            services,
            ada,
            title="Lunch",
            spans=[span(NOW + 2 * DAY), span(NOW + 3 * DAY)],
            handles=[bob.handle],
        )
        not_bobs = await propose(services, ada, title="Secret party", handles=[cy.handle])
        async with acting(services, bob) as (db, viewer):
            await check_rsvp(db, viewer, walk.gathering_id, "going")
            view = await access_gathering(db, viewer, poll.gathering_id)
            early, late = (o.option.id for o in view.options)
            await check_answer_times(db, viewer, poll.gathering_id, {early: "yes", late: "no"})
            await do_reset_feed(db, viewer, services.settings.resolved_secret_key)
        async with acting(services, cy) as (db, viewer):
            await check_rsvp(db, viewer, walk.gathering_id, "going")
    with at(NOW + 4 * HOUR):
        async with acting(services, bob) as (db, viewer):
            await check_feel(services, db, viewer, walk.gathering_id, 5, "The herons were out")
        async with acting(services, cy) as (db, viewer):
            await check_feel(services, db, viewer, walk.gathering_id, 2, "Too cold for me")
        async with services.db.sessions() as db:
            exported = await export_gatherings(db, services, bob.id)
    assert not_bobs.gathering_id > 0
    text = json.dumps(exported)  # it must be plain JSON
    assert "Secret party" not in text and "Too cold" not in text  # nobody else's
    walk_entry, lunch_entry = exported["gatherings"]
    assert walk_entry["title"] == "Evening walk" and walk_entry["description"] == "Along the canal"
    assert walk_entry["your_rsvp"] == "going" and walk_entry["organised_by_you"] is False
    assert walk_entry["starts_at"] == (NOW + HOUR).isoformat()
    assert lunch_entry["title"] == "Lunch" and lunch_entry["state"] == "polling"
    assert lunch_entry["your_rsvp"] is None
    answers = sorted(lunch_entry["your_answers_to_times"], key=lambda a: a["time"])
    assert answers == [
        {"time": (NOW + 2 * DAY).isoformat(), "answer": "yes"},
        {"time": (NOW + 3 * DAY).isoformat(), "answer": "no"},
    ]
    (felt,) = exported["how_they_felt"]
    assert felt["gathering"] == "Evening walk"
    assert (felt["score"], felt["words"], felt["unreadable"]) == (5, "The herons were out", False)
    assert exported["calendar_address"] is True
    # Every table of the feature is in the export and erasure registration.
    assert {
        "gatherings",
        "gathering_options",
        "gathering_invitees",
        "gathering_votes",
        "gathering_feelings",
        "gathering_calendar_feeds",
    } <= registered_tables()


async def test_erasing_a_member_removes_their_part_and_the_gatherings_they_organised(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_y", "bob_y", "cy_y")
        async with acting(services, bob) as (db, viewer):
            await do_reset_feed(db, viewer, services.settings.resolved_secret_key)
        await connect(client, bob.member, cy.member)
        adas = await propose(
            services, ada, spans=[span(NOW + HOUR)], handles=[bob.handle, cy.handle]
        )
        poll = await propose(
            services,
            ada,
            spans=[span(NOW + 2 * DAY), span(NOW + 3 * DAY)],
            handles=[bob.handle],
        )
        bobs = await propose(
            services,
            bob,
            spans=[span(NOW + 2 * DAY), span(NOW + 3 * DAY)],
            handles=[ada.handle, cy.handle],
        )
        for who, gid in (
            (bob, poll.gathering_id),
            (bob, bobs.gathering_id),
            (cy, bobs.gathering_id),
        ):
            async with acting(services, who) as (db, viewer):
                view = await access_gathering(db, viewer, gid)
                answers = {o.option.id: "yes" for o in view.options}
                await check_answer_times(db, viewer, gid, answers)
        for who in (bob, cy):
            async with acting(services, who) as (db, viewer):
                await check_rsvp(db, viewer, adas.gathering_id, "going")
        async with acting(services, bob) as (db, viewer):
            bobs_token = await access_own_feed_token(
                db, viewer, services.settings.resolved_secret_key
            )
    with at(NOW + 4 * HOUR):
        for who, words in ((bob, "Lovely"), (cy, "Fine")):
            async with acting(services, who) as (db, viewer):
                await check_feel(services, db, viewer, adas.gathering_id, 4, words)
        async with services.db.sessions() as db:
            await do_erase_gatherings(db, bob.id)
            await db.commit()
    assert bobs_token
    # Bob's own gathering is gone with its options, invitations and everyone's answers.
    async with services.db.sessions() as db:
        assert await db.get(Gathering, bobs.gathering_id) is None
        assert await db.get(CalendarFeed, bob.id) is None
        left = {g.id for g in await db.scalars(select(Gathering))}
    assert left == {adas.gathering_id, poll.gathering_id}
    assert await count(services, TimeOption, TimeOption.gathering_id == bobs.gathering_id) == 0
    assert await count(services, Vote, Vote.gathering_id == bobs.gathering_id) == 0
    assert await count(services, Invitee, Invitee.gathering_id == bobs.gathering_id) == 0
    # Nothing of Bob's is left in Ada's gatherings; the others' part is untouched.
    for table in (Invitee, Vote, Feeling):
        assert await count(services, table, table.user_id == bob.id) == 0
    assert await count(services, Invitee, Invitee.gathering_id == adas.gathering_id) == 2
    assert await count(services, Feeling, Feeling.user_id == cy.id) == 1
    with at(NOW + 4 * HOUR):
        async with services.db.sessions() as db:
            exported = await export_gatherings(db, services, bob.id)
    assert exported == {"gatherings": [], "how_they_felt": [], "calendar_address": False}
