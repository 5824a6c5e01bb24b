"""Members, connections and gatherings for the gatherings tests, built through the API and the
actions (gatherings have no routes yet), with the clock under the test's control."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import time_machine
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_members_as_viewers
from socialode.accounts.models import User
from socialode.gatherings.actions import Proposal, Proposed, check_propose
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.helpers import Member, bearer, connect, sign_up

# A Wednesday in winter time; the clocks in Europe go forward on Sunday 28 March 2027.
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Person:
    handle: str
    token: str
    id: int

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    @property
    def member(self) -> Member:
        return Member(self.handle, self.token)


@contextmanager
def at(instant: datetime) -> Iterator[None]:
    with time_machine.travel(instant, tick=False):
        yield


async def person(
    client: httpx.AsyncClient, services: Services, handle: str, zone: str | None = None
) -> Person:
    token = await sign_up(client, services, handle)
    if zone is not None:
        changed = await client.patch("/api/v1/me", json={"timezone": zone}, headers=bearer(token))
        assert changed.is_success, changed.text
    async with services.db.sessions() as db:
        user_id = await db.scalar(select(User.id).where(User.handle == handle))
    assert user_id is not None
    return Person(handle, token, user_id)


async def people(
    client: httpx.AsyncClient, services: Services, organiser: str, *others: str
) -> list[Person]:
    """The organiser first, connected to each of the others (who are not connected to each
    other)."""
    first = await person(client, services, organiser)
    rest = [await person(client, services, h) for h in others]
    for other in rest:
        await connect(client, first.member, other.member)
    return [first, *rest]


@asynccontextmanager
async def acting(services: Services, who: Person) -> AsyncIterator[tuple[AsyncSession, Viewer]]:
    """A session and the member as its viewer, at whatever time the clock shows."""
    async with services.db.sessions() as db:
        viewer = (await access_members_as_viewers(db, [who.id]))[who.id]
        yield db, viewer


def span(start: datetime, hours: float = 2) -> tuple[datetime, datetime]:
    return start, start + timedelta(hours=hours)


async def propose(services: Services, organiser: Person, **fields: Any) -> Proposed:
    fields.setdefault("title", "Picnic in the park")
    fields.setdefault("spans", [span(NOW + 3 * DAY)])
    async with acting(services, organiser) as (db, viewer):
        return await check_propose(services, db, viewer, Proposal(**fields))


async def run_due(services: Services) -> None:
    """Run every job due at the controlled clock's time, until none is; none may fail."""
    worker = Worker(services)
    while True:
        done, failed = await worker.run_batch()
        assert failed == [], failed
        if not done:
            return


async def step(services: Services, instant: datetime) -> None:
    """Let the clock reach ``instant`` and the worker run what is due then."""
    with at(instant):
        await run_due(services)


async def count(services: Services, table: Any, *where: Any) -> int:
    async with services.db.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(table).where(*where)) or 0)


async def notices(
    services: Services, kind: str, gathering_id: int | None = None
) -> list[Notification]:
    """The notification rows of ``kind`` (about one gathering), oldest first."""
    query = select(Notification).where(Notification.kind == kind)
    if gathering_id is not None:
        query = query.where(Notification.ref.startswith(f"gathering:{gathering_id}:"))
    async with services.db.sessions() as db:
        return list(await db.scalars(query.order_by(Notification.id)))


def to_whom(rows: list[Notification]) -> list[int]:
    return sorted(r.user_id for r in rows)
