"""Finished jobs do not pile up: done ones go after a week, dead ones after a month, by a daily
job that schedules itself once however many workers start."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from socialode.platform.jobs import enqueue, jobs
from socialode.platform.jobs_prune import PRUNE, next_prune_at
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.platform import job_kinds  # noqa: F401  (registers the test job kinds)

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


async def kinds_and_states(services: Services) -> Counter[tuple[str, str]]:
    async with services.db.sessions() as db:
        rows = await db.execute(select(jobs.c.kind, jobs.c.state))
        return Counter((k, s) for k, s in rows)


async def test_finished_jobs_are_pruned_after_their_retention_and_nothing_else(
    services: Services,
) -> None:
    with time_machine.travel(START, tick=False):
        async with services.db.sessions() as db:
            await enqueue(db, "test.count", {})  # done today
            await enqueue(db, "test.fail", {}, max_attempts=1)  # dead today
            await enqueue(db, "test.count", {}, run_at=START + timedelta(days=40))  # waits
            await db.commit()
        await Worker(services).run_once()
    # Workers starting (two of them) schedule one prune, at 03:00 UTC the next day.
    with time_machine.travel(START, tick=False):
        await Worker(services)._schedule_upkeep()
        await Worker(services)._schedule_upkeep()
    prunes = [k for k in (await kinds_and_states(services)) if k[0] == PRUNE]
    assert prunes == [(PRUNE, "ready")]
    assert next_prune_at(START) == datetime(2027, 3, 2, 3, 0, tzinfo=UTC)

    async def run_at(instant: datetime) -> Counter[tuple[str, str]]:
        with time_machine.travel(instant, tick=False):
            while await Worker(services).run_once():
                pass
        found = await kinds_and_states(services)
        return Counter({k: v for k, v in found.items() if k[0] != PRUNE})

    # After six days nothing is old enough.
    assert await run_at(START + timedelta(days=6)) == Counter(
        {("test.count", "done"): 1, ("test.fail", "dead"): 1, ("test.count", "ready"): 1}
    )
    # After eight days the done job is gone; the dead one stays for the admin page.
    assert await run_at(START + timedelta(days=8)) == Counter(
        {("test.fail", "dead"): 1, ("test.count", "ready"): 1}
    )
    # After a month the dead one is gone too; the job still waiting is never touched.
    remaining = await run_at(START + timedelta(days=31))
    assert remaining == Counter({("test.count", "ready"): 1})
    ready_prunes = [
        s for (k, s), n in (await kinds_and_states(services)).items() if k == PRUNE and s == "ready"
    ]
    assert ready_prunes == ["ready"], "each run schedules the next one"
