"""Durable background jobs: a table of our own, enqueued in the caller's transaction.

``enqueue`` adds a row in the session of the action that causes it, so a transaction that
rolls back never runs its job. Workers claim ready jobs with a lease (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; one ``UPDATE ... RETURNING`` statement on SQLite, which serialises
writers), count the attempt at claim time, run the handler registered for the kind and mark
the job done; a failure goes back to ready with exponential backoff and jitter, and to dead
with its error after ``max_attempts``. A worker that dies leaves its jobs running until their
lease ends, when any worker claims them again: delivery is at least once, so handlers are
idempotent.

A kind may also have a batch handler (``@job_batch``): the worker then hands it every job of
that kind it claimed at once, so many small jobs (a push per device, a release per member at
07:00) share one transaction and one round of reads. It answers with the errors of the jobs
that failed, by id; if it raises, none of its work counted and each job runs alone.
"""

from __future__ import annotations

import random
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.clock import utcnow
from socialode.platform.db import Base, UTCDateTime

READY, RUNNING, DONE, DEAD = "ready", "running", "done", "dead"
MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 3600.0
ERROR_MAX_CHARS = 2000

jobs = Table(
    "jobs",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(80), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("state", String(8), nullable=False, default=READY),
    Column("run_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False, default=MAX_ATTEMPTS),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("locked_by", String(64), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("dedupe_key", String(200), nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index("ix_jobs_claim", "state", "run_at"),
    Index("ix_jobs_lease", "state", "lease_until"),
    sqlite_autoincrement=True,
)


class UnknownJobKind(ValueError):
    """A job kind nobody registered a handler for."""

    def __init__(self, kind: str) -> None:
        super().__init__(
            f"No handler is registered for job kind {kind!r}: register one with "
            f"@job({kind!r}) in a module the app and the workers import."
        )
        self.kind = kind


@dataclass(frozen=True)
class Job:
    """One claimed job, as a handler sees it."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    locked_by: str


Handler = Callable[["JobContext"], Awaitable[None]]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> Handler:
    """Run ``handler`` for jobs of ``kind`` (one handler per kind; async and idempotent)."""
    known = _handlers.get(kind)
    if known is not None and known is not handler:
        raise ValueError(f"Job kind {kind!r} already has a handler: {known.__qualname__}.")
    _handlers[kind] = handler
    return handler


def job(kind: str) -> Callable[[Handler], Handler]:
    """``@job("kind")``: the decorator form of :func:`register`."""

    def decorate(handler: Handler) -> Handler:
        return register(kind, handler)

    return decorate


BatchHandler = Callable[[Sequence["JobContext"]], Awaitable[dict[int, str]]]
_batch_handlers: dict[str, BatchHandler] = {}


def job_batch(kind: str) -> Callable[[BatchHandler], BatchHandler]:
    """``@job_batch("kind")``: run the claimed jobs of ``kind`` together. The kind keeps its
    ``@job`` handler, which runs a job alone (when it is the only one, or the batch failed)."""

    def decorate(handler: BatchHandler) -> BatchHandler:
        known = _batch_handlers.get(kind)
        if known is not None and known is not handler:
            raise ValueError(f"Job kind {kind!r} already has a batch handler.")
        _batch_handlers[kind] = handler
        return handler

    return decorate


def batch_handler_for(kind: str) -> BatchHandler | None:
    return _batch_handlers.get(kind)


def describe(error: BaseException) -> str:
    """How a job's failure is recorded: the exception's type and message."""
    return "".join(traceback.format_exception_only(error)).strip()


def handler_for(kind: str) -> Handler:
    found = _handlers.get(kind)
    if found is None:
        raise UnknownJobKind(kind)
    return found


def registered_kinds() -> list[str]:
    return sorted(_handlers)


async def enqueue(
    db: AsyncSession,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> bool:
    """Add a job in ``db``'s transaction; it runs only if that transaction commits.

    With a ``dedupe_key`` already in the table this does nothing and returns False (a job
    scheduled twice runs once). Actions call it through
    ``platform.aftercommit.enqueue_on_commit``, which also wakes idle workers after the commit
    instead of leaving the job to their next poll.
    """
    handler_for(kind)  # refuse unknown kinds here, not at 3 a.m. in a worker
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1.")
    now = utcnow()
    values = {
        "kind": kind,
        "payload": payload or {},
        "state": READY,
        "run_at": run_at or now,
        "attempts": 0,
        "max_attempts": max_attempts,
        "dedupe_key": dedupe_key,
        "created_at": now,
    }
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(jobs)
        .values(values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(jobs.c.id)
    )
    return (await db.execute(stmt)).scalar() is not None


async def enqueue_many(
    db: AsyncSession,
    kind: str,
    payloads: Sequence[dict[str, Any]],
    *,
    max_attempts: int = MAX_ATTEMPTS,
) -> int:
    """Add one job of ``kind`` per payload, due now, in one statement of ``db``'s
    transaction (no dedupe keys: each is a job of its own). Returns how many."""
    handler_for(kind)
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1.")
    if not payloads:
        return 0
    now = utcnow()
    rows = [
        {
            "kind": kind,
            "payload": payload,
            "state": READY,
            "run_at": now,
            "attempts": 0,
            "max_attempts": max_attempts,
            "dedupe_key": None,
            "created_at": now,
        }
        for payload in payloads
    ]
    await db.execute(jobs.insert(), rows)
    return len(rows)


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with full jitter in its upper half: 5 s, 10 s, 20 s ... ≤ 1 h."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling / 2 + (rng or random).random() * ceiling / 2)


async def claim(
    db: AsyncSession,
    worker_id: str,
    *,
    limit: int = 50,
    lease_seconds: float = 60.0,
    now: datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> list[Job]:
    """Lease up to ``limit`` due jobs (and jobs whose lease ended) to ``worker_id``, only of
    ``kinds`` when given; commits.

    Jobs whose lease ended come first, then ready ones by ``run_at``: two statements, each
    an ordered walk of its own index, instead of one ``OR`` that would sort the whole backlog.
    """
    now = now or utcnow()
    await _bury_abandoned(db, now)
    lease = {
        "state": RUNNING,
        "attempts": jobs.c.attempts + 1,
        "lease_until": now + timedelta(seconds=lease_seconds),
        "locked_by": worker_id,
    }
    postgres = db.get_bind().dialect.name == "postgresql"
    rows: list[Any] = []
    for state, due, order in (
        (RUNNING, jobs.c.lease_until < now, jobs.c.lease_until),
        (READY, jobs.c.run_at <= now, jobs.c.run_at),
    ):
        chosen = (
            select(jobs.c.id)
            .where(jobs.c.state == state, due)
            .order_by(order)
            .limit(limit - len(rows))
        )
        if kinds is not None:
            chosen = chosen.where(jobs.c.kind.in_(kinds))
        if postgres:
            chosen = chosen.with_for_update(skip_locked=True)
        stmt = (
            update(jobs)
            .where(jobs.c.id.in_(chosen.scalar_subquery()))
            .values(lease)
            .returning(jobs.c.id, jobs.c.kind, jobs.c.payload, jobs.c.attempts, jobs.c.max_attempts)
        )
        rows += (await db.execute(stmt)).all()
        if len(rows) >= limit:
            break
    await db.commit()
    return sorted(
        (Job(r.id, r.kind, r.payload, r.attempts, r.max_attempts, worker_id) for r in rows),
        key=lambda j: j.id,
    )


async def _bury_abandoned(db: AsyncSession, now: datetime) -> None:
    """A job whose lease ended on its last attempt is dead, not claimed once more."""
    await db.execute(
        update(jobs)
        .where(
            jobs.c.state == RUNNING,
            jobs.c.lease_until < now,
            jobs.c.attempts >= jobs.c.max_attempts,
        )
        .values(
            state=DEAD,
            finished_at=now,
            lease_until=None,
            last_error="The worker running it stopped before it finished (lease expired).",
        )
    )


async def complete(
    db: AsyncSession, done: Sequence[Job], failed: Sequence[tuple[Job, str]], *, now: datetime
) -> None:
    """Record a batch's outcomes in one transaction. Only the lease holder's word counts:
    a job whose lease ran out and was claimed again by another worker is left to that one."""
    if done:
        for worker_id in {j.locked_by for j in done}:
            await db.execute(
                update(jobs)
                .where(
                    jobs.c.id.in_([j.id for j in done if j.locked_by == worker_id]),
                    jobs.c.state == RUNNING,
                    jobs.c.locked_by == worker_id,
                )
                .values(state=DONE, finished_at=now, lease_until=None)
            )
    for failure, error in failed:
        dead = failure.attempts >= failure.max_attempts
        await db.execute(
            update(jobs)
            .where(
                jobs.c.id == failure.id,
                jobs.c.state == RUNNING,
                jobs.c.locked_by == failure.locked_by,
            )
            .values(
                state=DEAD if dead else READY,
                run_at=now if dead else now + backoff(failure.attempts),
                finished_at=now if dead else None,
                lease_until=None,
                last_error=error[:ERROR_MAX_CHARS],
            )
        )
    await db.commit()


async def extend(
    db: AsyncSession, claimed: Job, seconds: float, *, now: datetime | None = None
) -> bool:
    """Push the lease of a job this worker still holds ``seconds`` from now; commits."""
    result = await db.execute(
        update(jobs)
        .where(
            jobs.c.id == claimed.id,
            jobs.c.state == RUNNING,
            jobs.c.locked_by == claimed.locked_by,
        )
        .values(lease_until=(now or utcnow()) + timedelta(seconds=seconds))
    )
    await db.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DeadJob:
    id: int
    kind: str
    attempts: int
    last_error: str
    finished_at: datetime | None


async def dead_jobs(db: AsyncSession, *, limit: int = 50) -> list[DeadJob]:
    """The most recently parked dead jobs, newest first."""
    rows = await db.execute(
        select(jobs.c.id, jobs.c.kind, jobs.c.attempts, jobs.c.last_error, jobs.c.finished_at)
        .where(jobs.c.state == DEAD)
        .order_by(jobs.c.id.desc())
        .limit(limit)
    )
    return [DeadJob(r.id, r.kind, r.attempts, r.last_error or "", r.finished_at) for r in rows]


async def retry_dead(db: AsyncSession, job_id: int, *, now: datetime | None = None) -> bool:
    """Give a dead job a fresh set of attempts, due now (no commit). False if there is no dead
    job with that id (it ran again already, or never failed)."""
    result = await db.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.state == DEAD)
        .values(state=READY, attempts=0, run_at=now or utcnow(), finished_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def new_worker_id() -> str:
    return uuid.uuid4().hex[:16]


class JobContext:
    """What a handler gets: the job, the app's services, and a way to keep its lease."""

    def __init__(self, claimed: Job, services: Any, lease_seconds: float) -> None:
        self.job = claimed
        self.services = services
        self.lease_seconds = lease_seconds

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    async def extend_lease(self, seconds: float | None = None) -> bool:
        """Keep running past the lease (call it well before it ends). False when the lease
        was lost: another worker has the job, and this run should stop."""
        async with self.services.db.sessions() as db:
            return await extend(db, self.job, seconds or self.lease_seconds)
