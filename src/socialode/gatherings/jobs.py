"""Background work of gatherings: the poll closing, reminders, the question afterwards and
the suggestion to meet again (see actions/scheduling.py). Each run is idempotent."""

from __future__ import annotations

from socialode.gatherings.actions.scheduling import (
    ASK_AFTER,
    POLL_CLOSE,
    REMIND,
    SUGGEST_AGAIN,
    do_ask_after,
    do_close_poll,
    do_remind,
    do_suggest_again,
)
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job


@job(POLL_CLOSE)
async def close_poll(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_close_poll(
            db, int(ctx.payload["gathering"]), int(ctx.payload["sequence"]), utcnow()
        )
        await db.commit()


@job(REMIND)
async def remind(ctx: JobContext) -> None:
    payload = ctx.payload
    async with ctx.services.db.sessions() as db:
        gathering, starts = int(payload["gathering"]), int(payload["starts"])
        await do_remind(db, gathering, starts, str(payload["which"]), utcnow())
        await db.commit()


@job(ASK_AFTER)
async def ask_after(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_ask_after(db, int(ctx.payload["gathering"]), int(ctx.payload["ends"]), utcnow())
        await db.commit()


@job(SUGGEST_AGAIN)
async def suggest_again(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_suggest_again(db, int(ctx.payload["gathering"]), utcnow())
        await db.commit()
