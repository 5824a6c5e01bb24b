"""The job queue: enqueued in the caller's transaction, leased, retried, run once per success."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import time_machine
from sqlalchemy import select

from socialode.app import create_app
from socialode.config import Settings
from socialode.platform import jobs as q
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import next_local_time, utcnow
from socialode.platform.jobs import enqueue, jobs
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests import backends
from tests.helpers import bearer, login, make_admin, sign_up
from tests.platform import job_kinds

ROOT = Path(__file__).resolve().parents[2]


async def add(
    services: Services, kind: str, payload: dict[str, Any] | None = None, **kw: Any
) -> int:
    async with services.db.sessions() as db:
        await enqueue(db, kind, payload, **kw)
        await db.commit()
        return int(await db.scalar(select(jobs.c.id).order_by(jobs.c.id.desc()).limit(1)) or 0)


async def row(services: Services, job_id: int) -> Any:
    async with services.db.sessions() as db:
        return (await db.execute(select(jobs).where(jobs.c.id == job_id))).one()


async def states(services: Services) -> Counter[str]:
    async with services.db.sessions() as db:
        return Counter((await db.scalars(select(jobs.c.state))).all())


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    with time_machine.travel(instant, tick=True):
        yield


async def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(services: Services) -> None:
    async with services.db.sessions() as db:
        await enqueue(db, "test.count", {})
        await db.rollback()
    async with services.db.sessions() as db:
        await enqueue(db, "test.count", {})  # never committed: closing the session drops it
    assert await Worker(services).run_once() == 0
    assert await states(services) == Counter()


async def test_a_second_enqueue_with_the_same_dedupe_key_is_a_no_op(services: Services) -> None:
    async with services.db.sessions() as db:
        assert await enqueue(db, "test.count", {"n": 1}, dedupe_key="digest:7:2026-12-02")
        assert not await enqueue(db, "test.count", {"n": 2}, dedupe_key="digest:7:2026-12-02")
        await db.commit()
    async with services.db.sessions() as db:
        assert not await enqueue(db, "test.count", {"n": 3}, dedupe_key="digest:7:2026-12-02")
        assert await enqueue(db, "test.count", {"n": 4})  # no key: never deduplicated
        assert await enqueue(db, "test.count", {"n": 5})
        await db.commit()
        payloads = (await db.scalars(select(jobs.c.payload).order_by(jobs.c.id))).all()
    assert payloads == [{"n": 1}, {"n": 4}, {"n": 5}]


async def test_an_unknown_kind_is_refused_at_enqueue(services: Services) -> None:
    async with services.db.sessions() as db:
        with pytest.raises(q.UnknownJobKind, match="No handler is registered for job kind"):
            await enqueue(db, "test.no_such_kind", {})
        with pytest.raises(ValueError, match="max_attempts"):
            await enqueue(db, "test.count", {}, max_attempts=0)
    assert await states(services) == Counter()


async def test_a_kind_without_handler_in_the_worker_fails_clearly_and_goes_dead(
    services: Services,
) -> None:
    async def gone(_ctx: q.JobContext) -> None:
        raise AssertionError("never runs")

    q.register("test.gone", gone)
    try:
        job_id = await add(services, "test.gone", {}, max_attempts=1)
    finally:
        del q._handlers["test.gone"]  # a worker that does not load the module it lives in
    await Worker(services).run_once()
    found = await row(services, job_id)
    assert found.state == "dead"
    assert "No handler is registered for job kind 'test.gone'" in found.last_error


async def test_a_failing_job_is_retried_with_backoff_then_parked_dead_with_its_error(
    services: Services,
) -> None:
    start = utcnow()
    job_id = await add(services, "test.fail", {}, max_attempts=3)
    worker = Worker(services)
    waits = []

    async def fails_and_waits(attempt: int) -> datetime:
        assert await worker.run_once() == 1
        found = await row(services, job_id)
        assert (found.state, found.attempts) == ("ready", attempt)
        assert f"attempt {attempt}" in found.last_error
        assert await worker.run_once() == 0  # not due before its backoff
        waits.append(found.run_at - utcnow())
        return found.run_at + timedelta(milliseconds=10)  # type: ignore[no-any-return]

    due = await fails_and_waits(1)
    with clock_at(due):
        due = await fails_and_waits(2)
        with clock_at(due):
            assert await worker.run_once() == 1
    found = await row(services, job_id)
    assert (found.state, found.attempts) == ("dead", 3)
    assert "RuntimeError: the mail server refused us (attempt 3)" in found.last_error
    assert found.finished_at is not None and found.finished_at >= start
    # Exponential with jitter: 2.5-5 s after the first failure, 5-10 s after the second.
    assert timedelta(seconds=2.4) < waits[0] <= timedelta(seconds=5)
    assert timedelta(seconds=4.9) < waits[1] <= timedelta(seconds=10)
    async with services.db.sessions() as db:
        assert [j.id for j in await q.dead_jobs(db)] == [job_id]


async def test_jobs_of_a_kind_with_a_batch_handler_run_together_and_fail_one_by_one(
    services: Services,
) -> None:
    """Claimed together, run together; a job the batch says failed is retried alone later,
    and the others are done."""
    job_kinds.batches.clear()
    job_kinds.alone.clear()
    ids = [await add(services, "test.batch", {"fail": i == 2}) for i in range(5)]
    lone = await add(services, "test.count", {})
    assert await Worker(services).run_once() == 6
    assert job_kinds.batches == [ids]
    assert job_kinds.alone == []
    assert job_kinds.executions[lone] == 1  # other kinds run as before, beside the batch
    found = {i: await row(services, i) for i in ids}
    assert [found[i].state for i in ids] == ["done", "done", "ready", "done", "done"]
    assert "address was refused" in found[ids[2]].last_error
    with clock_at(found[ids[2]].run_at + timedelta(milliseconds=10)):
        assert await Worker(services).run_once() == 1  # alone now: its own handler runs it
    assert job_kinds.alone == [ids[2]]
    assert (await row(services, ids[2])).attempts == 2


async def test_a_batch_that_fails_as_a_whole_runs_each_job_alone(services: Services) -> None:
    job_kinds.batches.clear()
    job_kinds.alone.clear()
    ids = [await add(services, "test.batch", {"explode": i == 0}) for i in range(3)]
    assert await Worker(services).run_once() == 3
    assert job_kinds.batches == []
    assert sorted(job_kinds.alone) == ids
    assert {(await row(services, i)).state for i in ids} == {"done"}


async def test_a_job_whose_lease_expired_is_completed_by_another_worker(services: Services) -> None:
    job_id = await add(services, "test.count", {})
    async with services.db.sessions() as db:
        [lost] = await q.claim(db, "dead-worker", lease_seconds=1)
    other = Worker(services, worker_id="second")
    assert await other.run_once() == 0  # leased
    with clock_at(utcnow() + timedelta(seconds=2)):
        assert await other.run_once() == 1
    found = await row(services, job_id)
    assert (found.state, found.attempts, found.locked_by) == ("done", 2, "second")
    assert job_kinds.executions[job_id] == 1
    # The first worker's late word changes nothing: the job is no longer its own.
    async with services.db.sessions() as db:
        await q.complete(db, [], [(lost, "late")], now=utcnow())
    assert (await row(services, job_id)).state == "done"


async def test_a_lease_that_ends_on_the_last_attempt_parks_the_job_dead(services: Services) -> None:
    job_id = await add(services, "test.count", {}, max_attempts=1)
    async with services.db.sessions() as db:
        await q.claim(db, "dead-worker", lease_seconds=1)
    with clock_at(utcnow() + timedelta(seconds=2)):
        assert await Worker(services).run_once() == 0
    found = await row(services, job_id)
    assert found.state == "dead" and "lease expired" in found.last_error


async def test_a_long_job_extends_its_lease(services: Services) -> None:
    job_id = await add(services, "test.extend", {})
    await Worker(services, lease_seconds=5).run_once()
    lease = job_kinds.leases[job_id]
    assert lease is not None and lease > utcnow() + timedelta(seconds=500)
    assert (await row(services, job_id)).state == "done"


def worker_env(services: Services, **extra: str) -> dict[str, str]:
    settings = services.settings
    env = {
        **os.environ,
        "SOCIALODE_DATABASE_URL": settings.resolved_database_url,
        "SOCIALODE_DATA_DIR": str(settings.data_dir),
        "SOCIALODE_SECRET_KEY": settings.resolved_secret_key,
        "SOCIALODE_JOBS_MODULES": '["tests.platform.job_kinds"]',
        "SOCIALODE_JOBS_POLL_SECONDS": "0.1",
        **extra,
    }
    if settings.redis_url:
        env["SOCIALODE_REDIS_URL"] = settings.redis_url
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from socialode.cli import main; main()", "worker"]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)


async def wait_for(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_worker_process_killed_mid_job_leaves_it_to_another_worker(
    services: Services, tmp_path: Path
) -> None:
    job_id = await add(services, "test.sleep", {"dir": str(tmp_path)})
    proc = start_worker(worker_env(services, SOCIALODE_JOBS_LEASE_SECONDS="2"), tmp_path / "log")
    try:

        async def started() -> bool:
            return (tmp_path / "started").exists()

        await wait_for(started, 30, "the worker process to start the job")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert (await row(services, job_id)).state == "running"
    other = Worker(services, worker_id="survivor")

    async def finished() -> bool:
        await other.run_once()
        return bool((await row(services, job_id)).state == "done")

    await wait_for(finished, 10, "another worker to finish the job after the lease")
    found = await row(services, job_id)
    assert (found.attempts, found.locked_by) == (2, "survivor")
    assert (tmp_path / "done-2").exists()


async def test_four_worker_processes_run_each_of_a_thousand_jobs_exactly_once(
    services: Services, tmp_path: Path
) -> None:
    runs = tmp_path / "runs.txt"
    runs.touch()
    env = worker_env(services, SOCIALODE_JOBS_BATCH="20")
    procs = [start_worker(env, tmp_path / f"log{i}") for i in range(4)]
    try:

        async def all_listening() -> bool:  # a worker still starting would die of SIGTERM
            return all("running" in (tmp_path / f"log{i}").read_text() for i in range(4))

        # Every worker is up before the jobs come: one that started first could otherwise
        # take all of them while the others were still starting, on a busy machine
        await wait_for(all_listening, 60, "every worker to have started")
        async with services.db.sessions() as db:
            # each takes 2 ms: trivial jobs could all go to the one worker that polled first
            # (one batch of 20 at a time) before any other's next poll, on a busy machine
            for n in range(1000):
                await enqueue(db, "test.count", {"file": str(runs), "n": n, "ms": 2})
            await db.commit()

        async def all_done() -> bool:
            return (await states(services)).get("done", 0) == 1000

        await wait_for(all_done, 90, "1,000 jobs to be done")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for i, proc in enumerate(procs):
            assert proc.wait(20) == 0, (tmp_path / f"log{i}").read_text()
    lines = runs.read_text().split()
    ids, pids = Counter(lines[0::2]), set(lines[1::2])
    assert len(ids) == 1000 and set(ids.values()) == {1}, "every job runs exactly once"
    assert len(pids) >= 2, "the work is shared"


async def _woken_at_once(services: Services, worker_services: Services) -> None:
    worker = Worker(worker_services, poll_seconds=30)
    worker.start()
    try:
        await asyncio.sleep(0.5)  # subscribed; the first poll found nothing
        async with services.db.sessions() as db:
            await enqueue_on_commit(db, "test.count", {})
            await db.commit()

        async def done() -> bool:
            return (await states(services)).get("done", 0) == 1

        await wait_for(done, 5, "the woken worker")
    finally:
        await worker.close()


async def test_a_commit_wakes_the_idle_worker_of_its_process_at_once(
    services: Services,
) -> None:
    await _woken_at_once(services, services)


async def test_a_rolled_back_enqueue_wakes_nobody_and_runs_nothing(services: Services) -> None:
    woken: list[bool] = []
    services.hub.on_jobs(lambda: woken.append(True))
    async with services.db.sessions() as db:
        await enqueue_on_commit(db, "test.count", {})
        await db.rollback()
    async with services.db.sessions() as db:
        await enqueue_on_commit(db, "test.count", {}, dedupe_key="once")
        await db.commit()
        assert not await enqueue_on_commit(db, "test.count", {}, dedupe_key="once")
        await db.commit()
    assert woken == [True], "woken for the committed job only, not the rollback or the repeat"


@pytest.mark.skipif(backends.BACKEND != "postgres", reason="wake-ups across processes need Redis")
async def test_redis_wakes_an_idle_worker_of_another_process_at_once(
    services: Services, settings: Settings
) -> None:
    elsewhere = Services.build(settings)
    try:
        await _woken_at_once(services, elsewhere)
    finally:
        await elsewhere.close()


async def test_the_admin_page_lists_dead_jobs_with_their_error(
    client: httpx.AsyncClient, services: Services
) -> None:
    await add(services, "test.fail", {}, max_attempts=1)
    await Worker(services).run_once()
    await make_admin(services)
    admin = await login(client, "root_admin")
    page = await client.get("/admin", headers=bearer(admin))
    assert page.status_code == 200
    assert "test.fail" in page.text
    assert "RuntimeError: the mail server refused us (attempt 1)" in page.text
    assert "That is every failed job." in page.text


async def test_the_admin_page_says_when_older_dead_jobs_are_not_shown(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialode.accounts import access as accounts_access

    monkeypatch.setattr(accounts_access, "DEAD_JOBS_SHOWN", 2)
    for _ in range(3):
        await add(services, "test.fail", {}, max_attempts=1)
    await Worker(services).run_once()
    await make_admin(services)
    admin = await login(client, "root_admin")
    page = await client.get("/admin", headers=bearer(admin))
    assert page.text.count("<td>test.fail</td>") == 2
    assert "These are the 2 most recent; older failed jobs stay in the jobs table." in page.text
    assert "That is every failed job." not in page.text


async def test_an_admin_can_give_a_failed_job_another_set_of_attempts(
    client: httpx.AsyncClient, services: Services
) -> None:
    job_id = await add(services, "test.fail", {}, max_attempts=1)
    await Worker(services).run_once()
    await make_admin(services)
    admin = await login(client, "root_admin")
    member = await sign_up(client, services, "not_admin")
    url = f"/admin/jobs/{job_id}/retry"
    # Not an administrator, or not a dead job: the same "no such job", and nothing changes.
    assert (await client.post(url, headers=bearer(member))).status_code == 404
    assert (await client.post("/admin/jobs/999999/retry", headers=bearer(admin))).status_code == 404
    assert (await row(services, job_id)).state == "dead"
    answer = await client.post(url, headers=bearer(admin))
    assert answer.status_code == 303 and "job-retried" in answer.headers["location"]
    again = await row(services, job_id)
    assert (again.state, again.attempts) == ("ready", 0)
    await Worker(services).run_once()
    assert (await row(services, job_id)).attempts == 1, "it ran again (and failed again here)"
    assert (await client.post(url, headers=bearer(admin))).status_code == 303
    assert (await client.post(url, headers=bearer(admin))).status_code == 404, "only once"


LISBON = "Europe/Lisbon"


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Winter (WET, UTC+0) on the Saturday before the change: the next morning is summer.
        (datetime(2026, 3, 28, 7, 0, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        (datetime(2026, 3, 28, 6, 59, tzinfo=UTC), datetime(2026, 3, 28, 7, 0, tzinfo=UTC)),
        (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), datetime(2026, 3, 30, 6, 0, tzinfo=UTC)),
        # Summer (WEST, UTC+1) on the Saturday before October's change: back to UTC+0.
        (datetime(2026, 10, 24, 6, 0, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
        (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), datetime(2026, 10, 26, 7, 0, tzinfo=UTC)),
    ],
)
def test_a_daily_job_at_seven_in_lisbon_across_the_2026_changes(
    after: datetime, expected: datetime
) -> None:
    assert next_local_time(LISBON, "07:00", after) == expected


def test_local_times_that_do_not_exist_or_happen_twice() -> None:
    # 29 March 2026: 01:00 WET jumps to 02:00 WEST; 01:30 never happens, 02:00 WEST does first.
    gap = next_local_time(LISBON, "01:30", datetime(2026, 3, 28, 12, tzinfo=UTC))
    assert gap == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    # 25 October 2026: 02:00 WEST goes back to 01:00 WET; 01:30 happens twice, first at UTC+1.
    twice = next_local_time(LISBON, "01:30", datetime(2026, 10, 24, 12, tzinfo=UTC))
    assert twice == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    new_york = next_local_time("America/New_York", "02:30", datetime(2026, 3, 7, 12, tzinfo=UTC))
    assert new_york == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    with pytest.raises(ValueError, match="HH:MM"):
        next_local_time(LISBON, "7am", datetime(2026, 3, 7, tzinfo=UTC))


async def test_a_periodic_job_schedules_its_next_run_in_the_same_transaction(
    services: Services,
) -> None:
    after = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    async with services.db.sessions() as db:
        when = next_local_time(LISBON, "07:00", after)
        await enqueue(db, "test.count", {}, run_at=when, dedupe_key=f"daily:1:{when.isoformat()}")
        assert not await enqueue(
            db, "test.count", {}, run_at=when, dedupe_key=f"daily:1:{when.isoformat()}"
        )
        await db.commit()
    found = await row(services, await _last_id(services))
    assert found.run_at == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


async def _last_id(services: Services) -> int:
    async with services.db.sessions() as db:
        return int(await db.scalar(select(jobs.c.id).order_by(jobs.c.id.desc()).limit(1)) or 0)


async def test_the_app_runs_jobs_in_process_only_when_its_settings_say_so(
    services: Services, settings: Settings
) -> None:
    job_id = await add(services, "test.count", {})
    quiet = create_app(settings.model_copy(update={"jobs_in_process": False}))
    async with quiet.router.lifespan_context(quiet):
        await asyncio.sleep(0.3)
        assert (await row(services, job_id)).state == "ready"
    busy = create_app(settings.model_copy(update={"jobs_in_process": True}))
    async with busy.router.lifespan_context(busy):

        async def done() -> bool:
            return bool((await row(services, job_id)).state == "done")

        await wait_for(done, 5, "the app's own worker")


async def test_closing_a_worker_does_not_wait_forever_for_a_hung_job(
    services: Services, tmp_path: Path
) -> None:
    job_id = await add(services, "test.sleep", {"dir": str(tmp_path)})
    worker = Worker(services, lease_seconds=1)
    worker.start()

    async def started() -> bool:
        return (tmp_path / "started").exists()

    await wait_for(started, 5, "the job to start")
    begun = time.monotonic()
    await worker.close(grace=0.2)
    assert time.monotonic() - begun < 2
    assert (await row(services, job_id)).state == "running"  # its lease will hand it on
