"""Job kinds the job tests run, in this process and in `socialode worker` subprocesses
(which import this module through SOCIALODE_JOBS_MODULES)."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from socialode.platform.jobs import JobContext, job, job_batch, jobs

executions: Counter[int] = Counter()  # job id -> runs, in this process
leases: dict[int, datetime | None] = {}
batches: list[list[int]] = []  # job ids of each batch run of "test.batch"
alone: list[int] = []  # job ids run alone by "test.batch"'s own handler


@job("test.count")
async def count(ctx: JobContext) -> None:
    executions[ctx.job.id] += 1
    if "ms" in ctx.payload:  # work that takes a moment, as real jobs do
        await asyncio.sleep(ctx.payload["ms"] / 1000)
    if "file" in ctx.payload:  # across processes: one line per run (appends are atomic)
        _append(Path(ctx.payload["file"]), f"{ctx.job.id} {os.getpid()}\n")


def _append(path: Path, line: str) -> None:
    with path.open("a") as out:
        out.write(line)


@job("test.fail")
async def fail(ctx: JobContext) -> None:
    raise RuntimeError(f"the mail server refused us (attempt {ctx.job.attempts})")


@job("test.sleep")
async def sleep(ctx: JobContext) -> None:
    """The first attempt hangs (to be killed); a later one finishes and says who ran it."""
    folder = Path(ctx.payload["dir"])
    if ctx.job.attempts == 1:
        (folder / "started").write_text(str(os.getpid()))
        await asyncio.sleep(600)
    (folder / f"done-{ctx.job.attempts}").write_text(str(os.getpid()))


@job("test.extend")
async def extend(ctx: JobContext) -> None:
    assert await ctx.extend_lease(600)
    async with ctx.services.db.sessions() as db:
        leases[ctx.job.id] = await db.scalar(
            select(jobs.c.lease_until).where(jobs.c.id == ctx.job.id)
        )


@job("test.batch")
async def batch_one(ctx: JobContext) -> None:
    alone.append(ctx.job.id)
    if ctx.payload.get("fail"):
        raise RuntimeError("this one's address was refused")


@job_batch("test.batch")
async def batch_many(contexts: Sequence[JobContext]) -> dict[int, str]:
    if any(ctx.payload.get("explode") for ctx in contexts):
        raise RuntimeError("the whole batch fell over")
    batches.append([ctx.job.id for ctx in contexts])
    return {
        ctx.job.id: "RuntimeError: this one's address was refused"
        for ctx in contexts
        if ctx.payload.get("fail")
    }
