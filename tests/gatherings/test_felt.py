"""How a gathering felt: asked afterwards of those who went, answered privately, sealed at
rest and read back by its member only."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from socialode.gatherings.access_felt import access_own_feelings
from socialode.gatherings.actions.changes import check_rsvp
from socialode.gatherings.actions.felt import check_feel, do_forget_feeling
from socialode.gatherings.models import Feeling
from socialode.gatherings.notices import AFTER, resolve
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.services import Services
from tests.gatherings.people import (
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
    step,
    to_whom,
)

STARTS = NOW + HOUR
OVER = STARTS + 2 * HOUR
WORDS = "Warm and easy, like old times by the lake"


async def _feel(
    services: Services, who: Person, gathering_id: int, score: int | None, words: str
) -> None:
    async with acting(services, who) as (db, viewer):
        await check_feel(services, db, viewer, gathering_id, score, words)


async def test_how_it_felt_is_asked_once_it_is_over_sealed_and_read_back_by_its_member_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    with at(NOW):
        ada, bob, cy = await people(client, services, "ada_f", "bob_f", "cy_f")
        dan = await person(client, services, "dan_f")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle, cy.handle])
        gid = made.gathering_id
        async with acting(services, bob) as (db, viewer):
            await check_rsvp(db, viewer, gid, "going")
        async with acting(services, cy) as (db, viewer):
            await check_rsvp(db, viewer, gid, "no")
        with pytest.raises(Conflict):  # not yet
            await _feel(services, bob, gid, 4, WORDS)
    with at(STARTS + HOUR), pytest.raises(Conflict):  # still going on
        await _feel(services, bob, gid, 4, WORDS)
    # Afterwards those who said they were going are asked, each privately.
    await step(services, OVER)
    asked = await notices(services, AFTER, gid)
    assert to_whom(asked) == sorted([ada.id, bob.id])
    with at(OVER + HOUR):
        for score, words, field in (
            (0, "", "score"),
            (6, "", "score"),
            (-1, WORDS, "score"),
            (None, "x" * 281, "words"),
            (3, "x" * 281, "words"),
            (None, "   \r\n ", "score"),
        ):
            with pytest.raises(Invalid) as refused:
                await _feel(services, bob, gid, score, words)
            assert refused.value.field == field, (score, words)
        assert await count(services, Feeling) == 0
        with pytest.raises(Conflict):  # Cy said no: there is nothing to ask her
            await _feel(services, cy, gid, 3, "")
        with pytest.raises(NotFound):
            await _feel(services, dan, gid, 3, "")
        await _feel(services, bob, gid, 2, "first thoughts")
        await _feel(services, bob, gid, 4, f"  {WORDS}\r\n")  # answering again replaces
        await _feel(services, ada, gid, None, "x" * 280)
        async with acting(services, bob) as (db, viewer):
            (felt,) = await access_own_feelings(db, services, viewer)
            assert await access_own_feelings(db, services, viewer, gid) == [felt]
            assert await access_own_feelings(db, services, viewer, gid + 1000) == []
            # Once answered, the question afterwards is not shown to them any more.
            assert await resolve(db, viewer, [r for r in asked if r.user_id == bob.id]) == {}
        async with acting(services, cy) as (db, viewer):
            assert await access_own_feelings(db, services, viewer) == []
        async with acting(services, ada) as (db, viewer):
            (hers,) = await access_own_feelings(db, services, viewer)
            shown = await resolve(db, viewer, [r for r in asked if r.user_id == ada.id])
    assert (felt.score, felt.words, felt.problem) == (4, WORDS, None)
    assert (felt.gathering_id, felt.title, felt.happened_at) == (gid, "Picnic in the park", STARTS)
    assert felt.taken_at == OVER + HOUR
    assert (hers.score, hers.words) == (None, "x" * 280)
    assert shown == {}
    async with services.db.sessions() as db:
        sealed = list(await db.scalars(select(Feeling.sealed).where(Feeling.user_id == bob.id)))
    assert len(sealed) == 1
    assert all(word not in sealed[0] for word in ("Warm", "lake", "old times", '"s"', '"w"'))


async def test_a_feeling_can_be_taken_back(client: httpx.AsyncClient, services: Services) -> None:
    with at(NOW):
        ada, bob = await people(client, services, "ada_t", "bob_t")
        made = await propose(services, ada, spans=[span(STARTS)], handles=[bob.handle])
    with at(OVER + HOUR):
        await _feel(services, bob, made.gathering_id, 5, "")
        async with acting(services, bob) as (db, viewer):
            (felt,) = await access_own_feelings(db, services, viewer)
            assert (felt.score, felt.words) == (5, "")
            await do_forget_feeling(db, viewer, made.gathering_id)
            assert await access_own_feelings(db, services, viewer) == []
