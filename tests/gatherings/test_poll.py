"""Finding a time: invitees answer each time offered, the organiser picks one (or the poll
closes by itself on the time most can make), then everyone RSVPs."""

from __future__ import annotations

import httpx
import pytest

from socialode.gatherings.access import access_gathering
from socialode.gatherings.actions.changes import (
    check_answer_times,
    check_cancel,
    check_pick,
    check_rsvp,
)
from socialode.gatherings.models import Gathering
from socialode.gatherings.notices import CHANGE
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

TIMES = [NOW + 2 * DAY, NOW + 3 * DAY, NOW + 4 * DAY]


async def _options(services: Services, who: Person, gathering_id: int) -> list[int]:
    async with acting(services, who) as (db, viewer):
        view = await access_gathering(db, viewer, gathering_id)
    return [o.option.id for o in view.options]


async def _answer(services: Services, who: Person, gathering_id: int, *answers: str) -> None:
    options = await _options(services, who, gathering_id)
    async with acting(services, who) as (db, viewer):
        await check_answer_times(db, viewer, gathering_id, dict(zip(options, answers, strict=True)))


async def _stored(services: Services, gathering_id: int) -> Gathering:
    async with services.db.sessions() as db:
        found = await db.get(Gathering, gathering_id)
    assert found is not None
    return found


async def test_invitees_answer_the_times_and_the_organiser_picks_one(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_o", "bob_o", "cy_o")
        made = await propose(
            services, ada, spans=[span(t) for t in TIMES], handles=[bob.handle, cy.handle]
        )
        gid = made.gathering_id
        first, second, third = await _options(services, bob, gid)
        await _answer(services, bob, gid, "yes", "if_needed", "no")
        await _answer(services, cy, gid, "no", "yes", "yes")
        await _answer(services, cy, gid, "no", "yes", "if_needed")  # answering again replaces
        async with acting(services, bob) as (db, viewer):
            # Every time must be answered, each with yes, if needed or no.
            with pytest.raises(Invalid) as partial:
                await check_answer_times(db, viewer, gid, {first: "yes"})
            with pytest.raises(Invalid) as foreign:
                await check_answer_times(db, viewer, gid, {first: "yes", second: "yes", 0: "no"})
            with pytest.raises(Invalid) as odd:
                await check_answer_times(db, viewer, gid, {first: "yes", second: "no", third: "?"})
            view = await access_gathering(db, viewer, gid)
            # Only the organiser picks; an invitee is refused.
            with pytest.raises(NotFound):
                await check_pick(db, viewer, gid, second)
        assert partial.value.field == foreign.value.field == odd.value.field == "answers"
        by_option = {o.option.id: o.answers for o in view.options}
        assert by_option == {
            first: {bob.id: "yes", cy.id: "no"},
            second: {bob.id: "if_needed", cy.id: "yes"},
            third: {bob.id: "no", cy.id: "if_needed"},
        }
        assert view.my_answers() == {first: "yes", second: "if_needed", third: "no"}
        best = view.best_option()
        assert best is not None and best.option.id == second
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(Invalid) as unknown:
                await check_pick(db, viewer, gid, third + 1000)
            assert unknown.value.field == "option"
            await check_pick(db, viewer, gid, second)
            with pytest.raises(Conflict):
                await check_pick(db, viewer, gid, first)  # the time is set already
        async with acting(services, cy) as (db, viewer):
            with pytest.raises(Conflict):  # answers after the time is set are refused
                await check_answer_times(
                    db, viewer, gid, {first: "yes", second: "yes", third: "no"}
                )
    gathering = await _stored(services, gid)
    assert gathering.state == "fixed" and gathering.sequence == 1
    assert (gathering.starts_at, gathering.ends_at) == span(TIMES[1])
    # Everyone else hears the time is set.
    assert to_whom(await notices(services, CHANGE, gid)) == sorted([bob.id, cy.id])


async def test_a_time_already_past_cannot_be_picked(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_q", "bob_q")
        made = await propose(
            services, ada, spans=[span(NOW + HOUR), span(NOW + DAY)], handles=[bob.handle]
        )
        early, _late = await _options(services, ada, made.gathering_id)
    with at(NOW + 2 * HOUR):
        async with acting(services, ada) as (db, viewer):
            with pytest.raises(Invalid) as late:
                await check_pick(db, viewer, made.gathering_id, early)
    assert late.value.field == "option"
    assert (await _stored(services, made.gathering_id)).state == "polling"


async def test_the_poll_closes_by_itself_on_the_time_with_most_yes_answers(
    client: httpx.AsyncClient, services: Services
) -> None:
    closes = NOW + DAY
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_k", "bob_k", "cy_k", "dan_k")
        made = await propose(
            services,
            ada,
            spans=[span(t) for t in TIMES],
            handles=[bob.handle, cy.handle, dan.handle],
            poll_closes_at=closes,
        )
        gid = made.gathering_id
        # The second time suits most if needed be (4 yes or if needed), the third has the
        # most plain yes answers (3): the most yes answers win.
        await _answer(services, ada, gid, "no", "if_needed", "yes")
        await _answer(services, bob, gid, "yes", "yes", "yes")
        await _answer(services, cy, gid, "no", "if_needed", "yes")
        await _answer(services, dan, gid, "yes", "yes", "no")
    await step(services, closes - HOUR)
    assert (await _stored(services, gid)).state == "polling"
    await step(services, closes)
    gathering = await _stored(services, gid)
    assert gathering.state == "fixed" and gathering.sequence == 1
    assert (gathering.starts_at, gathering.ends_at) == span(TIMES[2])
    assert to_whom(await notices(services, CHANGE, gid)) == sorted([bob.id, cy.id, dan.id])


async def test_a_poll_picked_or_cancelled_before_it_closes_is_left_as_it_is(
    client: httpx.AsyncClient, services: Services
) -> None:
    closes = NOW + DAY
    with at(NOW):
        ada, bob = await people(client, services, "ada_n", "bob_n")
        picked = await propose(
            services,
            ada,
            spans=[span(t) for t in TIMES],
            handles=[bob.handle],
            poll_closes_at=closes,
        )
        called_off = await propose(
            services,
            ada,
            spans=[span(t) for t in TIMES],
            handles=[bob.handle],
            poll_closes_at=closes,
        )
        await _answer(services, bob, picked.gathering_id, "no", "no", "yes")
        first = (await _options(services, ada, picked.gathering_id))[0]
        async with acting(services, ada) as (db, viewer):
            await check_pick(db, viewer, picked.gathering_id, first)
            await check_cancel(db, viewer, called_off.gathering_id)
    await step(services, closes)
    kept = await _stored(services, picked.gathering_id)
    assert (kept.state, kept.starts_at, kept.sequence) == ("fixed", TIMES[0], 1)
    off = await _stored(services, called_off.gathering_id)
    assert (off.state, off.starts_at) == ("cancelled", None)


async def test_rsvp_going_maybe_or_no_once_the_time_is_set_and_it_can_change(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy, dan = await people(client, services, "ada_r", "bob_r", "cy_r", "dan_r")
        invite = {"handles": [bob.handle, cy.handle, dan.handle]}
        poll = await propose(services, ada, spans=[span(t) for t in TIMES], **invite)
        fixed = await propose(services, ada, spans=[span(NOW + DAY)], **invite)
        gid = fixed.gathering_id

        async def rsvp(who: Person, gathering_id: int, value: str) -> None:
            async with acting(services, who) as (db, viewer):
                await check_rsvp(db, viewer, gathering_id, value)

        with pytest.raises(Conflict):  # while the time is being found
            await rsvp(bob, poll.gathering_id, "going")
        for bad in ("yes", "", "GOING", "not going"):
            with pytest.raises(Invalid) as refused:
                await rsvp(bob, gid, bad)
            assert refused.value.field == "rsvp"
        with pytest.raises(NotFound):
            await rsvp(bob, gid + 1000, "going")
        await rsvp(bob, gid, "going")
        await rsvp(cy, gid, "maybe")
        await rsvp(dan, gid, "no")
        async with acting(services, ada) as (db, viewer):
            view = await access_gathering(db, viewer, gid)
            assert [u.id for u in view.with_rsvp("going")] == sorted([ada.id, bob.id])
            assert [u.id for u in view.with_rsvp("maybe")] == [cy.id]
            assert [u.id for u in view.with_rsvp("no")] == [dan.id]
            assert view.unanswered == []
    with at(NOW + 3 * HOUR):
        await rsvp(bob, gid, "no")  # changed their mind
        await rsvp(dan, gid, "going")
        async with acting(services, bob) as (db, viewer):
            view = await access_gathering(db, viewer, gid)
            assert view.me.rsvp == "no" and view.me.answered_at == NOW + 3 * HOUR
            assert {u.id for u in view.with_rsvp("going")} == {ada.id, dan.id}
    with at(NOW + DAY + HOUR), pytest.raises(Conflict):  # it has begun
        await rsvp(cy, gid, "going")
    with at(NOW + 4 * HOUR):
        async with acting(services, ada) as (db, viewer):
            await check_cancel(db, viewer, gid)
        with pytest.raises(Conflict):
            await rsvp(cy, gid, "going")
