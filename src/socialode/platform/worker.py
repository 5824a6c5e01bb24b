"""The loop that runs jobs: in ``socialode serve`` by default, or as ``socialode worker``.

It claims a batch, runs the handlers side by side (the jobs of a kind with a batch handler
together, in one call), records the outcomes in one transaction and goes again; when nothing
is due it sleeps a short poll interval. A commit that enqueued jobs
(``platform.aftercommit.enqueue_on_commit``) wakes it at once: directly in the same process,
and through Redis (when configured) in others. Wake-ups are best effort: a lost one
only waits for the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import RedisError

from socialode.platform import jobs, jobs_prune
from socialode.platform.clock import utcnow

if TYPE_CHECKING:
    from socialode.config import Settings
    from socialode.platform.services import Services

log = logging.getLogger("socialode.jobs")

Failure = (RedisError, OSError, TimeoutError)


@dataclass
class Ran:
    """What :func:`run_due` did: jobs that succeeded, and those that failed (each is retried
    later, or is dead when it was its last attempt)."""

    done: list[jobs.Job] = field(default_factory=list)
    failed: list[tuple[jobs.Job, str]] = field(default_factory=list)


async def run_due(
    services: Services, kinds: Sequence[str] | None = None, *, limit: int = 10_000
) -> Ran:
    """Run jobs (only of ``kinds`` when given) until none is due, at most about ``limit``;
    for processes without a worker loop, such as a command that just enqueued mail. A job
    that fails is not run again here: its backoff puts it in the future."""
    worker = Worker(services, kinds=kinds)
    ran = Ran()
    while len(ran.done) + len(ran.failed) < limit:
        done, failed = await worker.run_batch()
        if not done and not failed:
            break
        ran.done += done
        ran.failed += failed
    return ran


def load_job_modules(settings: Settings) -> None:
    """Import the modules whose ``@job`` handlers this process runs (SOCIALODE_JOBS_MODULES)."""
    for name in settings.jobs_modules:
        importlib.import_module(name)


class Worker:
    def __init__(
        self,
        services: Services,
        *,
        worker_id: str | None = None,
        batch: int | None = None,
        lease_seconds: float | None = None,
        poll_seconds: float | None = None,
        kinds: Sequence[str] | None = None,
    ) -> None:
        settings = services.settings
        self.kinds = tuple(kinds) if kinds is not None else None  # None: every kind
        self.services = services
        self.worker_id = worker_id or jobs.new_worker_id()
        self.batch = batch or settings.jobs_batch
        self.lease_seconds = lease_seconds or settings.jobs_lease_seconds
        self.poll_seconds = poll_seconds or settings.jobs_poll_seconds
        self._stopping = asyncio.Event()
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Claim one batch and run it; returns how many jobs were claimed."""
        done, failed = await self.run_batch()
        return len(done) + len(failed)

    async def run_batch(self) -> tuple[list[jobs.Job], list[tuple[jobs.Job, str]]]:
        """Claim one batch, run it and record it: the jobs that succeeded, and those that
        failed with their errors."""
        async with self.services.db.sessions() as db:
            claimed = await jobs.claim(
                db,
                self.worker_id,
                limit=self.batch,
                lease_seconds=self.lease_seconds,
                kinds=self.kinds,
            )
        if not claimed:
            return [], []
        by_kind: dict[str, list[jobs.Job]] = {}
        for one in claimed:
            by_kind.setdefault(one.kind, []).append(one)
        runs = [self._run_kind(kind, group) for kind, group in by_kind.items()]
        outcomes = [o for outcome in await asyncio.gather(*runs) for o in outcome]
        done = [j for j, error in outcomes if error is None]
        failed = [(j, e) for j, e in outcomes if e is not None]
        async with self.services.db.sessions() as db:
            await jobs.complete(db, done, failed, now=utcnow())
        return done, failed

    async def _run_kind(
        self, kind: str, group: list[jobs.Job]
    ) -> list[tuple[jobs.Job, str | None]]:
        """Run the claimed jobs of one kind: together when the kind has a batch handler,
        and alone (side by side) when it has none or the batch as a whole failed."""
        many = jobs.batch_handler_for(kind)
        if many is not None and len(group) > 1:
            contexts = [jobs.JobContext(j, self.services, self.lease_seconds) for j in group]
            try:
                errors = await many(contexts)
            except Exception as exc:  # nothing of the batch counted: each runs alone
                log.warning(
                    "a batch of %s %s jobs failed, running each alone: %s", len(group), kind, exc
                )
            else:
                for failed in group:
                    if failed.id in errors:
                        log.warning("job %s (%s) failed: %s", failed.id, kind, errors[failed.id])
                return [(j, errors.get(j.id)) for j in group]
        errors_alone = await asyncio.gather(*(self._run(j) for j in group))
        return list(zip(group, errors_alone, strict=True))

    async def _run(self, claimed: jobs.Job) -> str | None:
        try:
            handler = jobs.handler_for(claimed.kind)
            await handler(jobs.JobContext(claimed, self.services, self.lease_seconds))
        except Exception as exc:  # any failure is the job's, recorded on it
            log.warning("job %s (%s) failed: %s", claimed.id, claimed.kind, exc)
            return jobs.describe(exc)
        return None

    async def _schedule_upkeep(self) -> None:
        """The daily prune of finished jobs is scheduled by whichever worker starts first."""
        try:
            async with self.services.db.sessions() as db:
                await jobs_prune.schedule_prune(db, utcnow())
                await db.commit()
        except Exception:  # the database may be down at start: the loop retries its own work
            log.exception("job worker %s: could not schedule the daily prune", self.worker_id)

    async def run(self) -> None:
        """Work until :meth:`stop`; a database error waits a poll interval and goes on."""
        if self.services.settings.redis_url and self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        self.services.hub.on_jobs(self._woken.set)
        await self._schedule_upkeep()
        try:
            while not self._stopping.is_set():
                try:
                    if await self.run_once() >= self.batch:
                        continue  # more may be due: no sleep between full batches
                except Exception:
                    log.exception("job worker %s: claiming failed", self.worker_id)
                self._woken.clear()
                waits = [asyncio.create_task(e.wait()) for e in (self._stopping, self._woken)]
                await asyncio.wait(waits, timeout=self.poll_seconds, return_when="FIRST_COMPLETED")
                for waiting in waits:
                    waiting.cancel()
        finally:
            self.services.hub.off_jobs(self._woken.set)
            if self._listener is not None:
                self._listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._listener
                self._listener = None

    async def _listen(self) -> None:
        url = self.services.settings.redis_url
        assert url is not None
        while True:
            redis: Redis = Redis.from_url(url)
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.services.hub.jobs_channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._woken.set()
            except Failure as exc:
                log.info("job wake-ups unavailable (polling instead): %s", exc)
            finally:
                await redis.aclose()
            await asyncio.sleep(self.poll_seconds * 4)

    def start(self) -> None:
        """Run in the background of the current event loop (the app's lifespan)."""
        if self._task is None:
            self._task = asyncio.create_task(self.run())

    def stop(self) -> None:
        self._stopping.set()

    async def close(self, grace: float = 10.0) -> None:
        """Stop after the batch in hand, waiting ``grace`` seconds for it at most; jobs cut
        short stay running until their lease ends, when any worker takes them up again."""
        self.stop()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait([task], timeout=grace)
        if not done:
            log.warning("job worker %s: stopped with jobs unfinished", self.worker_id)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
