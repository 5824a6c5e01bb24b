"""Background work of moderation: a report left in review too long goes back to waiting
(``actions.do_return_lapsed``)."""

from __future__ import annotations

from socialode.moderation.actions import REVIEW_LAPSED, do_return_lapsed
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job

__all__ = ["REVIEW_LAPSED", "review_lapsed"]


@job(REVIEW_LAPSED)
async def review_lapsed(ctx: JobContext) -> None:
    async with ctx.services.db.sessions() as db:
        await do_return_lapsed(db, int(ctx.payload["report"]), utcnow())
        await db.commit()
