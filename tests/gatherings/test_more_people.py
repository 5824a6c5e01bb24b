"""Inviting more people after proposing: connections only, kept apart across blocks, told
like the others, and put in the gathering's conversation when it has one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from socialode.gatherings.models import Invitee
from socialode.platform.services import Services
from tests.helpers import Member, connect, members


def _times() -> list[dict[str, str]]:
    day = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    return [{"starts_at": f"{day}T17:00:00Z", "ends_at": f"{day}T19:00:00Z"}]


async def _invitees(services: Services, gathering: int) -> int:
    async with services.db.sessions() as db:
        found = await db.scalar(
            select(func.count()).select_from(Invitee).where(Invitee.gathering_id == gathering)
        )
    return int(found or 0)


async def _notified(client: httpx.AsyncClient, who: Member) -> list[str]:
    listed = await client.get("/api/v1/notifications", headers=who.headers)
    return [n["text"] for n in listed.json()["notifications"]]


async def test_the_organiser_invites_more_people_who_hear_of_it_and_join_the_talk(
    client: httpx.AsyncClient, services: Services
) -> None:
    ana, bo, cy, dan, eve = await members(
        client, services, "ana_more", "bo_more", "cy_more", "dan_more", "eve_more"
    )
    for other in (bo, cy, dan, eve):
        await connect(client, ana, other)
    made = await client.post(
        "/api/v1/gatherings",
        json={"title": "Board games", "people": [bo.handle], "times": _times()},
        headers=ana.headers,
    )
    assert made.status_code == 201, made.text
    gathering = made.json()["gathering"]["id"]
    talk = await client.post(f"/api/v1/gatherings/{gathering}/conversation", headers=bo.headers)
    conversation = talk.json()["conversation_id"]
    blocked = await client.put(f"/api/v1/blocks/{bo.handle}", headers=eve.headers)
    assert blocked.status_code == 204

    added = await client.post(
        f"/api/v1/gatherings/{gathering}/people",
        json={"people": [cy.handle, eve.handle]},
        headers=ana.headers,
    )
    assert added.status_code == 200, added.text
    assert [p["handle"] for p in added.json()["left_out"]] == [eve.handle]  # never why
    guests = {g["handle"] for g in added.json()["gathering"]["guests"]}
    assert guests == {ana.handle, bo.handle, cy.handle}
    assert any("Board games" in t for t in await _notified(client, cy))
    assert not any("Board games" in t for t in await _notified(client, eve))
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=cy.headers)
    assert seen.status_code == 200, "Cy is in the gathering's conversation now"

    before = await _invitees(services, gathering)
    for who, body, status in (
        (bo, {"people": [dan.handle]}, 404),  # only the organiser invites
        (ana, {"people": [bo.handle]}, 422),  # invited already
        (ana, {"people": ["nobody_here"]}, 422),  # not a connection
        (ana, {"people": []}, 422),  # nobody chosen
    ):
        refused = await client.post(
            f"/api/v1/gatherings/{gathering}/people", json=body, headers=who.headers
        )
        assert refused.status_code == status, refused.text
        assert refused.json()["detail"]
    assert await _invitees(services, gathering) == before, "nothing written"


async def test_someone_invited_who_left_the_talk_comes_back_by_opening_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    ana, bo = await members(client, services, "ana_back", "bo_back")
    await connect(client, ana, bo)
    made = await client.post(
        "/api/v1/gatherings",
        json={"title": "Quiz night", "people": [bo.handle], "times": _times()},
        headers=ana.headers,
    )
    gathering = made.json()["gathering"]["id"]
    url = f"/api/v1/gatherings/{gathering}/conversation"
    conversation = (await client.post(url, headers=ana.headers)).json()["conversation_id"]
    left = await client.post(f"/api/v1/conversations/{conversation}/leave", headers=bo.headers)
    assert left.status_code == 204, left.text
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=bo.headers)
    assert seen.json()["member"] is False
    again = await client.post(url, headers=bo.headers)
    assert again.json()["conversation_id"] == conversation
    seen = await client.get(f"/api/v1/conversations/{conversation}", headers=bo.headers)
    assert seen.json()["member"] is True
