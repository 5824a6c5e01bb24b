"""Background work of notifications: deciding and making each delivery, releasing what quiet
hours or together mode held, digests and the daily email. Each runs in its own transaction;
each is idempotent (it acts only on notifications still in the state it handles).

Deliveries, releases and digests are one job per member, and a worker runs those it claimed
together: at 07:00 thousands of quiet hours end in the same minute, and one transaction per
batch instead of one per member is what lets every summary arrive within the minute.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.notifications import delivery
from socialode.notifications.actions import DELIVER
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job, job_batch

Step = Callable[[AsyncSession, Sequence[int], datetime, str], Awaitable[None]]


async def _run(contexts: Sequence[JobContext], step: Step) -> dict[int, str]:
    """One transaction for the members of all ``contexts``; a failure fails them together
    (the worker then runs each alone)."""
    services = contexts[0].services
    members = sorted({int(ctx.payload["user"]) for ctx in contexts})
    async with services.db.sessions() as db:
        await step(db, members, utcnow(), services.settings.instance_name)
        await db.commit()
    return {}


@job(DELIVER)
async def deliver(ctx: JobContext) -> None:
    await _run([ctx], delivery.do_deliver_many)


@job_batch(DELIVER)
async def deliver_many(contexts: Sequence[JobContext]) -> dict[int, str]:
    return await _run(contexts, delivery.do_deliver_many)


@job(delivery.RELEASE)
async def release(ctx: JobContext) -> None:
    await _run([ctx], delivery.do_release_many)


@job_batch(delivery.RELEASE)
async def release_many(contexts: Sequence[JobContext]) -> dict[int, str]:
    return await _run(contexts, delivery.do_release_many)


@job(delivery.DIGEST_JOB)
async def digest(ctx: JobContext) -> None:
    await _run([ctx], delivery.do_digest_many)


@job_batch(delivery.DIGEST_JOB)
async def digest_many(contexts: Sequence[JobContext]) -> dict[int, str]:
    return await _run(contexts, delivery.do_digest_many)


@job(delivery.EMAIL_DIGEST)
async def email_digest(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await delivery.do_email_digest(
            db, int(ctx.payload["user"]), utcnow(), ctx.services.settings
        )
        await db.commit()
