"""Proposing a gathering: one fixed time to named connections, or time options to a circle;
everyone invited hears of it; bad input is refused with the field it concerns and nothing
written; two people on either side of a block are never invited together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from socialode.gatherings import actions
from socialode.gatherings.access import access_gathering
from socialode.gatherings.actions import Proposal, check_propose
from socialode.gatherings.models import Gathering, Invitee, State, TimeOption
from socialode.gatherings.notices import INVITE
from socialode.platform import jobs
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.services import Services
from tests.gatherings.people import (
    DAY,
    HOUR,
    NOW,
    Person,
    acting,
    at,
    count,
    notices,
    people,
    person,
    propose,
    span,
    to_whom,
)
from tests.helpers import snapshot
from tests.moments.people import make_circle


async def test_a_fixed_time_to_named_connections_invites_them_and_schedules_what_follows(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_g", "bob_g", "cy_g", "dan_g")
        starts = NOW + 3 * DAY
        made = await propose(
            services,
            ada,
            title="  Picnic   in the park ",
            spans=[span(starts)],
            description="Bring a blanket.\r\n",
            place="Tiergarten, by the pond",
            map_url="https://maps.example.org/?q=pond",
            handles=[bob.handle, "@" + cy.handle, " ", bob.handle],
        )
    assert made.left_out == []
    async with services.db.sessions() as db:
        gathering = await db.get(Gathering, made.gathering_id)
        assert gathering is not None
        invited = dict(
            (
                await db.execute(
                    select(Invitee.user_id, Invitee.rsvp).where(
                        Invitee.gathering_id == gathering.id
                    )
                )
            ).all()
        )
        options = await count(services, TimeOption, TimeOption.gathering_id == gathering.id)
        queued = (
            await db.execute(
                select(jobs.jobs.c.kind, jobs.jobs.c.run_at).where(
                    jobs.jobs.c.kind.like("gatherings.%")
                )
            )
        ).all()
    assert gathering.title == "Picnic in the park"
    assert gathering.description == "Bring a blanket."
    assert gathering.state == State.fixed.value and gathering.sequence == 0
    assert (gathering.starts_at, gathering.ends_at) == (starts, starts + 2 * HOUR)
    assert gathering.organiser_id == ada.id and gathering.zone == "Europe/Berlin"
    assert options == 0  # a fixed time is no poll
    # The organiser is invited and going; the others have not answered yet; Dan is not invited.
    assert invited == {ada.id: "going", bob.id: "", cy.id: ""}
    assert dan.id not in invited
    # Everyone else hears of it, once each; the organiser does not.
    assert to_whom(await notices(services, INVITE, gathering.id)) == sorted([bob.id, cy.id])
    # Reminders the day before and two hours before, and the question afterwards.
    assert sorted(queued) == sorted(
        [
            ("gatherings.remind", starts - DAY),
            ("gatherings.remind", starts - 2 * HOUR),
            ("gatherings.after", starts + 2 * HOUR),
        ]
    )


async def test_three_time_options_to_a_circle_make_a_poll_everyone_in_it_can_see(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_p", "bob_p", "cy_p")
        circle = await make_circle(client, ada.member, "Walkers", bob.member, cy.member)
        first, second, third = NOW + 2 * DAY, NOW + 4 * DAY, NOW + 6 * DAY
        made = await propose(
            services,
            ada,
            title="Long walk",
            spans=[span(third), span(first, 3), span(second)],  # given in any order
            circle_id=circle,
        )
        async with acting(services, bob) as (db, viewer):
            view = await access_gathering(db, viewer, made.gathering_id)
    assert view.polling and not view.fixed and not view.is_organiser
    assert view.gathering.starts_at is None and view.gathering.ends_at is None
    assert [o.option.starts_at for o in view.options] == [first, second, third]
    assert view.options[0].option.ends_at == first + 3 * HOUR
    assert all(o.answers == {} for o in view.options)
    assert view.organiser.id == ada.id
    assert {g.user.id for g in view.guests} == {ada.id, bob.id, cy.id}
    assert view.guests[0].organiser and view.guests[0].user.id == ada.id
    assert to_whom(await notices(services, INVITE, made.gathering_id)) == sorted([bob.id, cy.id])


async def test_a_circle_member_who_is_not_a_connection_is_not_invited(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_c", "bob_c", "cy_c")
        circle = await make_circle(client, ada.member, "Friends", bob.member, cy.member)
        # Cy ends the connection; she stays nobody Ada can invite.
        gone = await client.delete(f"/api/v1/connections/{ada.handle}", headers=cy.headers)
        assert gone.status_code in (200, 204), gone.text
        made = await propose(services, ada, circle_id=circle)
    async with services.db.sessions() as db:
        invited = set(
            await db.scalars(
                select(Invitee.user_id).where(Invitee.gathering_id == made.gathering_id)
            )
        )
    assert invited == {ada.id, bob.id}


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("title", {"title": "   "}),
        ("title", {"title": "x" * 121}),
        ("times.0", {"spans": [span(NOW - HOUR)]}),
        ("times.0", {"spans": [span(NOW)]}),
        ("times.0", {"spans": [(NOW + DAY, NOW + DAY - HOUR)]}),
        ("times.0", {"spans": [(NOW + DAY, NOW + DAY)]}),
        ("times.1", {"spans": [span(NOW + DAY), span(NOW - DAY)]}),
        ("times.0", {"spans": [(NOW + DAY, NOW + 9 * DAY)]}),
        ("times.0", {"spans": [span(NOW + 4 * 365 * DAY)]}),
        ("times", {"spans": [span(NOW + n * DAY) for n in range(1, 12)]}),
        ("times", {"spans": []}),
        ("times", {"spans": [span(NOW + DAY), span(NOW + 2 * DAY), span(NOW + DAY)]}),
        ("people", {"handles": ["dan_x"]}),
        ("people", {"handles": ["nobody_here"]}),
        ("people", {"handles": []}),
        ("people", {"handles": ["ada_x"]}),  # only themselves
        ("description", {"description": "d" * 2001}),
        ("place", {"place": "p" * 201}),
        ("map_url", {"map_url": "javascript:alert(1)"}),
        ("map_url", {"map_url": "ftp://maps.example.org/pond"}),
        ("map_url", {"map_url": "https://"}),
        ("poll_closes_at", {"poll_closes_at": NOW + HOUR}),  # a single time is no poll
        (
            "poll_closes_at",
            {"spans": [span(NOW + DAY), span(NOW + 2 * DAY)], "poll_closes_at": NOW - HOUR},
        ),
        (
            "poll_closes_at",
            {"spans": [span(NOW + DAY), span(NOW + 2 * DAY)], "poll_closes_at": NOW + 30 * HOUR},
        ),
    ],
)
@pytest.mark.reuses_setup
async def test_bad_proposals_are_refused_with_their_field_and_write_nothing(
    client: httpx.AsyncClient,
    services: Services,
    reuse: Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]],
    field: str,
    change: dict[str, Any],
) -> None:
    async def build() -> list[Person]:
        with at(NOW):
            found = await people(client, services, "ada_x", "bob_x")
            found.append(await person(client, services, "dan_x"))  # not Ada's connection
            return found

    ada, bob, _dan = await reuse(build)
    fields: dict[str, Any] = {
        "title": "Picnic",
        "spans": [span(NOW + DAY)],
        "handles": [bob.handle],
        **change,
    }
    with at(NOW):
        before = await snapshot(services)
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(Invalid) as refused:
                await check_propose(services, db, viewer, Proposal(**fields))
        assert refused.value.field == field
        assert refused.value.message  # a sentence to show beside the field
        assert await count(services, Gathering) == 0
        assert await snapshot(services) == before


async def test_invitees_who_blocked_each_other_are_never_invited_together(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_b", "bob_b", "cy_b", "dan_b")
        blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=cy.headers)
        assert blocked.status_code == 204, blocked.text
        made = await propose(services, ada, handles=[bob.handle, cy.handle, dan.handle])
        # The one named later is left out; the organiser is told who, never why.
        assert [u.id for u in made.left_out] == [cy.id]
        async with acting(services, bob) as (db, viewer):
            seen_by_bob = await access_gathering(db, viewer, made.gathering_id)
        assert {g.user.id for g in seen_by_bob.guests} == {ada.id, bob.id, dan.id}
        async with acting(services, cy) as (db, viewer):
            with pytest.raises(NotFound):
                await access_gathering(db, viewer, made.gathering_id)
        assert cy.id not in to_whom(await notices(services, INVITE, made.gathering_id))
        # Named the other way round, Bob is the one left out.
        other = await propose(services, ada, handles=[cy.handle, bob.handle])
        assert [u.id for u in other.left_out] == [bob.id]


async def test_a_block_after_the_invitation_takes_the_blocked_person_out_of_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_h", "bob_h", "cy_h")
        made = await propose(services, ada, handles=[bob.handle, cy.handle])
        cys = await propose(services, cy, handles=[ada.handle])
        assert made.left_out == cys.left_out == []
        # Bob blocks Cy: Cy leaves Ada's gathering.
        blocked = await client.put(f"/api/v1/blocks/{cy.handle}", headers=bob.headers)
        assert blocked.status_code == 204, blocked.text
        # Ada blocks Cy, who organised the other: Ada is the one who leaves that one.
        blocked = await client.put(f"/api/v1/blocks/{cy.handle}", headers=ada.headers)
        assert blocked.status_code == 204, blocked.text
        guests: dict[int, set[int]] = {}
        for who in (ada, bob):
            async with acting(services, who) as (db, viewer):
                view = await access_gathering(db, viewer, made.gathering_id)
                guests[who.id] = {g.user.id for g in view.guests}
        async with acting(services, cy) as (db, viewer):
            with pytest.raises(NotFound):
                await access_gathering(db, viewer, made.gathering_id)
            still_hers = await access_gathering(db, viewer, cys.gathering_id)
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(NotFound):
                await access_gathering(db, viewer, cys.gathering_id)
    assert guests == {ada.id: {ada.id, bob.id}, bob.id: {ada.id, bob.id}}
    assert {g.user.id for g in still_hers.guests} == {cy.id}


async def test_more_people_than_a_gathering_holds_are_refused(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit is 30 besides the organiser; three people stand in for thirty-one here.
    assert actions.MAX_INVITEES == 30
    monkeypatch.setattr(actions, "MAX_INVITEES", 2)
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_j", "bob_j", "cy_j", "dan_j")
        circle = await make_circle(client, ada.member, "Everyone", bob.member, cy.member)
        before = await snapshot(services)
        for fields in (
            {"handles": [bob.handle, cy.handle, dan.handle]},
            {"circle_id": circle, "handles": [dan.handle]},
        ):
            with pytest.raises(Invalid) as refused:
                await propose(services, ada, **fields)
            assert refused.value.field == "people"
            assert "30" not in refused.value.message and "3" in refused.value.message
        assert await snapshot(services) == before
        # Named twice, or the organiser among them, still counts once (or not at all).
        made = await propose(services, ada, handles=[bob.handle, cy.handle, bob.handle, ada.handle])
    assert made.left_out == []
