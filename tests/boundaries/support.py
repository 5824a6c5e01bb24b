"""Shared helpers of the boundaries tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from socialode.platform import jobs
from socialode.platform.services import Services
from tests.helpers import Member, sign_up

RELEASE = "notifications.release"


def ensure_release_kind() -> None:
    """The release job is the delivery's; when it is not there, one that does nothing stands
    in, so these tests see what is enqueued."""
    if RELEASE not in jobs.registered_kinds():

        async def nothing(_ctx: jobs.JobContext) -> None:
            return None

        jobs.register(RELEASE, nothing)


async def member_in(
    client: httpx.AsyncClient, services: Services, handle: str, zone: str
) -> Member:
    token = await sign_up(client, services, handle)
    who = Member(handle, token)
    changed = await client.patch("/api/v1/me", json={"timezone": zone}, headers=who.headers)
    assert changed.status_code == 200, changed.text
    return who


async def releases(services: Services) -> list[tuple[dict[str, Any], datetime, str]]:
    """Every release job: (payload, when it runs, dedupe key), in the order enqueued."""
    async with services.db.sessions() as db:
        rows = (
            await db.execute(
                select(jobs.jobs.c.payload, jobs.jobs.c.run_at, jobs.jobs.c.dedupe_key)
                .where(jobs.jobs.c.kind == RELEASE)
                .order_by(jobs.jobs.c.id)
            )
        ).all()
    return [(dict(r.payload), r.run_at, str(r.dedupe_key)) for r in rows]
