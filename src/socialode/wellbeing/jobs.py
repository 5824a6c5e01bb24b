"""Background work of wellbeing: each member's daily reminder run (see actions/reminders.py)."""

from __future__ import annotations

from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job
from socialode.wellbeing.actions.reminders import REMIND, do_remind


@job(REMIND)
async def remind(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_remind(db, ctx.services, int(ctx.payload["user"]), utcnow())
        await db.commit()
