"""Every notification kind respects blocking and muting, through the routes that cause it.

For each registered kind (a kind added without a scenario here fails the suite), Tomas does
what would tell Maya about it, through the API, in four worlds: as control (Maya hears of
it), after Maya blocked Tomas, after Tomas blocked Maya (blocking is symmetric: his action
reaches nobody, refused or not), and after Maya muted Tomas (his action still happens, and
no notification is written for her). Muting is for connections only; for kinds whose action
needs the two not to be connected yet, the mute itself is refused, and that is asserted.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine
from fastapi import FastAPI
from sqlalchemy import delete, select

from socialode.accounts.access import access_viewer
from socialode.circles.actions import do_connect_invited
from socialode.notifications import registry
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.conversations.people import Member, connect, group, members, send
from tests.moments.people import make_circle, shared

MODES = ("control", "maya_blocked", "tomas_blocked", "muted")
# A winter morning, 07:00 in Berlin (where the helpers' members live); their 09:00 is 08:00 UTC.
MORNING = datetime(2027, 1, 14, 6, 0, tzinfo=UTC)
NINE_IN_BERLIN = datetime(2027, 1, 14, 8, 0, 5, tzinfo=UTC)


@dataclass
class Cast:
    client: httpx.AsyncClient
    services: Services
    clock: time_machine.Traveller
    tomas: Member  # whose action it is
    maya: Member  # who would be told
    cyra: Member  # connected with both (she starts the group they share)

    async def relate(self, mode: str) -> None:
        """Apply the mode's block or mute (the two are connected when this runs)."""
        if mode == "control":
            return
        if mode == "muted":
            done = await self.client.put(
                f"/api/v1/mutes/{self.tomas.handle}", headers=self.maya.headers
            )
        else:
            blocker, other = (
                (self.maya, self.tomas)
                if mode == "maya_blocked"
                else (
                    self.tomas,
                    self.maya,
                )
            )
            done = await self.client.put(f"/api/v1/blocks/{other.handle}", headers=blocker.headers)
        assert done.status_code == 204, done.text


Scenario = Callable[[Cast, str], Awaitable[None]]


def refused_if_blocked(response: httpx.Response, mode: str) -> None:
    """Blocked either way: the action answers like something missing or is refused; else it
    is done."""
    if mode.endswith("blocked"):
        assert response.status_code in (404, 409, 422), response.text
    else:
        assert response.status_code in (200, 201), response.text


async def _relate_unconnected(w: Cast, mode: str) -> None:
    """For kinds whose action needs the two unconnected: a block can exist, a mute cannot
    (refused; the action then runs as in the control)."""
    if mode == "muted":
        refused = await w.client.put(f"/api/v1/mutes/{w.tomas.handle}", headers=w.maya.headers)
        assert refused.status_code == 404, refused.text
        return
    await w.relate(mode)


async def connection_request(w: Cast, mode: str) -> None:
    await _relate_unconnected(w, mode)
    asked = await w.client.post(
        "/api/v1/connections/requests", json={"handle": w.maya.handle}, headers=w.tomas.headers
    )
    refused_if_blocked(asked, mode)


async def connection_accepted(w: Cast, mode: str) -> None:
    asked = await w.client.post(
        "/api/v1/connections/requests", json={"handle": w.tomas.handle}, headers=w.maya.headers
    )
    assert asked.status_code == 201, asked.text
    await _relate_unconnected(w, mode)
    request_id = asked.json()["request"]["id"]
    accepted = await w.client.post(
        f"/api/v1/connections/requests/{request_id}/accept", headers=w.tomas.headers
    )
    refused_if_blocked(accepted, mode)


async def connection_by_invite(w: Cast, mode: str) -> None:
    """Joining with Maya's invite connects Tomas with her. A newcomer has no blocks yet, so
    the connection is made here between two existing members, through the same action the
    sign-up calls: across a block it makes nothing and tells nobody."""
    await _relate_unconnected(w, mode)
    async with w.services.db.sessions() as db:
        tomas = await access_viewer(db, w.tomas.token)
        maya = await access_viewer(db, w.maya.token)
        assert tomas is not None and maya is not None
        made = await do_connect_invited(w.services, db, tomas.user, maya.id)
        await db.commit()
    if mode.endswith("blocked"):
        assert made is None
    else:
        assert made is not None and made.outcome == "connected"


async def message(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    # A group of Cyra's holds both even after a block: the block must still silence him there.
    shared_group = await group(w.client, w.cyra, "Book club", w.maya, w.tomas)
    await w.relate(mode)
    sent = await send(w.client, w.tomas, shared_group, "Chapter three tonight?")
    assert sent.status_code == 201, sent.text
    opened = await w.client.post(
        "/api/v1/conversations/direct", json={"handle": w.maya.handle}, headers=w.tomas.headers
    )
    refused_if_blocked(opened, mode)
    if opened.status_code in (200, 201):
        refused_if_blocked(await send(w.client, w.tomas, opened.json()["id"], "Hi"), mode)


async def added_to_group(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    await w.relate(mode)
    made = await w.client.post(
        "/api/v1/conversations/groups",
        json={"name": "Hikers", "members": [w.maya.handle]},
        headers=w.tomas.headers,
    )
    refused_if_blocked(made, mode)


async def answer(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    moment = await shared(w.client, w.maya, "Our new kitten", people=[w.tomas])
    await w.relate(mode)
    answered = await w.client.post(
        f"/api/v1/moments/{moment}/answers",
        json={"body": "Adorable!", "client_key": uuid.uuid4().hex},
        headers=w.tomas.headers,
    )
    refused_if_blocked(answered, mode)


async def moment(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    circle = await make_circle(w.client, w.tomas, "Close", w.maya)
    await w.relate(mode)
    # Shared with his circle (which a block empties of her) and with her by name.
    by_circle = await w.client.post(
        "/api/v1/moments", json={"body": "Sunset", "circles": [circle]}, headers=w.tomas.headers
    )
    if mode.endswith("blocked"):
        assert by_circle.status_code in (201, 404, 409, 422), by_circle.text
    else:
        assert by_circle.status_code == 201, by_circle.text
    by_name = await w.client.post(
        "/api/v1/moments",
        json={"body": "Sunrise", "people": [w.maya.handle]},
        headers=w.tomas.headers,
    )
    refused_if_blocked(by_name, mode)


async def support(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    await w.relate(mode)
    asked = await w.client.post(
        "/api/v1/moments/support",
        json={"body": "Rough day", "supporters": [w.maya.handle]},
        headers=w.tomas.headers,
    )
    refused_if_blocked(asked, mode)


async def prompt(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    circle = await make_circle(w.client, w.tomas, "Close", w.maya)
    on = await w.client.put(
        f"/api/v1/circles/{circle}/prompt", json={"enabled": True}, headers=w.tomas.headers
    )
    assert on.status_code == 200, on.text
    await w.relate(mode)
    w.clock.move_to(NINE_IN_BERLIN)  # the question's morning announcement runs
    worker = Worker(w.services)
    while await worker.run_once():
        pass


def _a_time(days: int = 3) -> list[dict[str, str]]:
    """One time a few days after the scenarios' morning, in the members' own zone."""
    day = (MORNING + timedelta(days=days)).date().isoformat()
    return [{"starts_at": f"{day}T18:00:00", "ends_at": f"{day}T20:00:00"}]


async def gathering_invite(w: Cast, mode: str) -> None:
    await connect(w.client, w.maya, w.tomas)
    await w.relate(mode)
    made = await w.client.post(
        "/api/v1/gatherings",
        json={"title": "Picnic", "people": [w.maya.handle], "times": _a_time()},
        headers=w.tomas.headers,
    )
    refused_if_blocked(made, mode)


async def gathering_change(w: Cast, mode: str) -> None:
    """Planned before the block or mute; then Tomas moves it (a block has taken Maya out)."""
    await connect(w.client, w.maya, w.tomas)
    made = await w.client.post(
        "/api/v1/gatherings",
        json={"title": "Picnic", "people": [w.maya.handle], "times": _a_time()},
        headers=w.tomas.headers,
    )
    assert made.status_code == 201, made.text
    gathering_id = made.json()["gathering"]["id"]
    await _clear(w.services, w.maya)  # the invitation itself is the other kind's scenario
    await w.relate(mode)
    moved = await w.client.post(
        f"/api/v1/gatherings/{gathering_id}/reschedule",
        json=_a_time(days=4)[0],
        headers=w.tomas.headers,
    )
    blocked_by_maya = mode == "maya_blocked"  # Tomas was taken out: his own gathering stays
    if mode == "tomas_blocked" or blocked_by_maya:
        assert moved.status_code in (200, 404), moved.text
    else:
        assert moved.status_code == 200, moved.text


async def _clear(services: Services, who: Member) -> None:
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, who.token)
        assert viewer is not None
        await db.execute(delete(Notification).where(Notification.user_id == viewer.id))
        await db.commit()


SCENARIOS: dict[str, Scenario] = {
    "connection_request": connection_request,
    "connection_accepted": connection_accepted,
    "connection_by_invite": connection_by_invite,
    "message": message,
    "added_to_group": added_to_group,
    "answer": answer,
    "moment": moment,
    "support": support,
    "prompt": prompt,
    "gathering_invite": gathering_invite,
    "gathering_change": gathering_change,
}


# Kinds no other person causes or appears in: nobody to block or mute.
NOBODY_ELSE = {
    "wellbeing_reminder": "a reminder of the member's own check-ins",
    # Sent by the clock about a gathering the member is in; a block takes one of the two out
    # of every gathering they shared (tests/gatherings/test_blocking.py), so none reaches them.
    "gathering_reminder": "a reminder of a gathering the member is still in",
    "gathering_after": "asks the member, privately, how their own gathering felt",
    "gathering_again": "asks the organiser alone whether to meet again",
    # From a moderator's decision about the member's own words; never from another member,
    # and never naming who reported them.
    "moderation_decision": "a moderator's decision about the member's own words or account",
    "report_outcome": "tells a reporter what came of their own report; names no one",
    "report_waiting": "tells moderators that reports wait; names no one, never the reported",
}


def test_every_kind_has_a_scenario(app: FastAPI) -> None:
    declared = {k.name for k in registry.kinds()}
    assert declared, "the app declares its notification kinds"
    unprobed = declared - set(SCENARIOS) - set(NOBODY_ELSE)
    assert unprobed == set(), "add a block and mute scenario for these kinds"
    assert set(SCENARIOS) - declared == set(), "these scenarios are about kinds nobody declares"


async def _stored(services: Services, who: Member, kind: str) -> tuple[int, int]:
    """How many notifications of ``kind`` the member has: stored, and visible to them."""
    found = registry.kind_named(kind)
    assert found is not None
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, who.token)
        assert viewer is not None
        rows = list(
            await db.scalars(
                select(Notification).where(
                    Notification.user_id == viewer.id, Notification.kind == kind
                )
            )
        )
        visible = await found.resolver(db, viewer, rows)
    return len(rows), len(visible)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", sorted(SCENARIOS))
async def test_blocked_and_muted_people_never_notify(
    kind: str, mode: str, client: httpx.AsyncClient, services: Services
) -> None:
    with time_machine.travel(MORNING, tick=False) as clock:
        maya, tomas, cyra = await members(client, services, "maya", "tomas", "cyra")
        # Cyra's requests, accepted by the others: she is the one told of those.
        await connect(client, cyra, maya)
        await connect(client, cyra, tomas)
        cast = Cast(client, services, clock, tomas, maya, cyra)
        await SCENARIOS[kind](cast, mode)
        stored, visible = await _stored(services, maya, kind)
        page = await client.get("/api/v1/notifications", headers=maya.headers)
        assert page.status_code == 200
        on_page = [i for i in page.json()["notifications"] if i["kind"] == kind]
        if mode == "control" or (mode == "muted" and kind.startswith("connection_")):
            # Told (for kinds a mute cannot reach, the refused mute leaves the control run).
            assert visible >= 1, (kind, mode, stored)
            kind_declared = registry.kind_named(kind)
            assert kind_declared is not None
            assert len(on_page) == (visible if kind_declared.listed else 0)
        else:
            # Nothing written for her at all: nothing to list, push, mail or mark.
            assert (stored, visible, on_page) == (0, 0, []), (kind, mode)
