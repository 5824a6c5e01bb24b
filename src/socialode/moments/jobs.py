"""Background work of moments: the daily question's announcement (see actions/daily.py)."""

from __future__ import annotations

from socialode.moments.actions.daily import DAILY_PROMPT, do_announce
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job

__all__ = ["DAILY_PROMPT", "daily_prompt"]


@job(DAILY_PROMPT)
async def daily_prompt(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_announce(db, int(ctx.payload["user"]), utcnow())
        await db.commit()
