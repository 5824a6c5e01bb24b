"""Background work of notifications: deciding and making each delivery, releasing what quiet
hours or together mode held, digests and the daily email. Each runs in its own transaction;
each is idempotent (it acts only on notifications still in the state it handles)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.notifications import delivery
from socialode.notifications.actions import DELIVER
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job

Step = Callable[[AsyncSession, int, datetime, str], Awaitable[None]]


async def _run(ctx: JobContext, step: Step) -> None:
    async with ctx.services.db.sessions() as db:
        await step(db, int(ctx.payload["user"]), utcnow(), ctx.services.settings.instance_name)
        await db.commit()


@job(DELIVER)
async def deliver(ctx: JobContext) -> None:
    await _run(ctx, delivery.do_deliver)


@job(delivery.RELEASE)
async def release(ctx: JobContext) -> None:
    await _run(ctx, delivery.do_release)


@job(delivery.DIGEST_JOB)
async def digest(ctx: JobContext) -> None:
    await _run(ctx, delivery.do_digest)


@job(delivery.EMAIL_DIGEST)
async def email_digest(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await delivery.do_email_digest(
            db, int(ctx.payload["user"]), utcnow(), ctx.services.settings
        )
        await db.commit()
