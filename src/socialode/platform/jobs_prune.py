"""Keeping the jobs table small: finished jobs are deleted after a retention period by a
daily ``jobs.prune`` job that schedules its next run in the same transaction.

Done jobs are kept ``DONE_DAYS`` (a dedupe key stays taken that long, which is far longer
than any schedule here looks ahead: digests, releases and daily prompts name their own
instant or day), dead ones ``DEAD_DAYS`` so an operator sees them on the admin page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.clock import utcnow
from socialode.platform.jobs import DEAD, DONE, JobContext, enqueue, job, jobs

PRUNE = "jobs.prune"
DONE_DAYS = 7
DEAD_DAYS = 30
CHUNK = 5000  # rows per statement: a big backlog is deleted in short transactions
PRUNE_HOUR_UTC = 3


async def prune(db: AsyncSession, now: datetime) -> int:
    """Delete finished jobs past their retention; returns how many (commits per chunk)."""
    removed = 0
    for state, days in ((DONE, DONE_DAYS), (DEAD, DEAD_DAYS)):
        while True:
            chunk = (
                select(jobs.c.id)
                .where(jobs.c.state == state, jobs.c.finished_at < now - timedelta(days=days))
                .limit(CHUNK)
            )
            ids = list((await db.execute(chunk)).scalars())
            if not ids:
                break
            await db.execute(delete(jobs).where(jobs.c.id.in_(ids)))
            await db.commit()
            removed += len(ids)
    return removed


def next_prune_at(after: datetime) -> datetime:
    at = after.replace(hour=PRUNE_HOUR_UTC, minute=0, second=0, microsecond=0)
    return at if at > after else at + timedelta(days=1)


async def schedule_prune(db: AsyncSession, after: datetime) -> None:
    """Make sure the next daily prune is scheduled (once, whoever asks)."""
    at = next_prune_at(after)
    await enqueue(db, PRUNE, {}, run_at=at, dedupe_key=f"prune:{at.date().isoformat()}")


@job(PRUNE)
async def run_prune(ctx: JobContext) -> None:
    now = utcnow()
    async with ctx.services.db.sessions() as db:
        await prune(db, now)
        await schedule_prune(db, now)
        await db.commit()
