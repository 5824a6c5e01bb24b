"""Rate limits never wait on a Redis that hangs or refuses: they count in memory for a while,
then go back to Redis."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time

import pytest

from socialode.platform import ratelimit
from socialode.platform.errors import RateLimited
from socialode.platform.ratelimit import RateLimits
from tests.conversations.processes import RedisServer, needs_redis_server

BOUND = 2.0  # seconds; a count waiting on a hung Redis would take far longer


async def test_without_redis_limits_count_in_memory() -> None:
    limits = RateLimits(None)
    assert limits.in_memory
    await limits.hit("2/minute", "t", "a")
    await limits.hit("2/minute", "t", "a")
    with pytest.raises(RateLimited):
        await limits.hit("2/minute", "t", "a")
    await limits.hit("2/minute", "t", "b")  # each key has its own window


@needs_redis_server
@pytest.mark.parametrize("outage", ["hangs", "refuses"])
async def test_a_redis_that_hangs_or_refuses_moves_limits_to_memory_and_back(
    outage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimit, "FALLBACK_SECONDS", 1.0)
    redis = RedisServer()
    limits = RateLimits(redis.url)
    try:
        await redis.start()
        await limits.hit("2/minute", "t", "a")
        assert not limits.in_memory
        assert redis.proc is not None
        if outage == "hangs":
            os.kill(redis.proc.pid, signal.SIGSTOP)
        else:
            redis.kill()
        started = time.monotonic()
        await limits.hit("2/minute", "t", "a")  # Redis fails: counted in memory instead
        await limits.hit("2/minute", "t", "a")
        with pytest.raises(RateLimited):  # the rule still holds, per process
            await limits.hit("2/minute", "t", "a")
        assert time.monotonic() - started < BOUND
        assert limits.in_memory
        if outage == "hangs":
            os.kill(redis.proc.pid, signal.SIGCONT)
        else:
            await redis.start()
        await asyncio.sleep(1.1)  # the fallback ends: Redis is tried again
        await limits.hit("2/minute", "t", "b")
        assert not limits.in_memory
    finally:
        if redis.proc is not None and redis.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(redis.proc.pid, signal.SIGCONT)
        await limits.close()
        redis.kill()


async def test_a_reset_tries_again_when_redis_is_slow_to_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counts keep short timeouts; a reset that misses one on a busy machine is tried again
    instead of failing, and one that never gets through says so."""
    limits = RateLimits("redis://127.0.0.1:1/0")  # nothing listens: every try fails
    tries: list[int] = []
    real = limits.storage.reset

    async def slow_then_fine() -> int | None:
        tries.append(1)
        if len(tries) < 3:
            raise TimeoutError("Timeout connecting to server")
        return 0

    monkeypatch.setattr(limits.storage, "reset", slow_then_fine)
    await limits.reset()
    assert len(tries) == 3
    monkeypatch.setattr(limits.storage, "reset", real)
    with pytest.raises(ratelimit.Failure):
        await limits.reset(attempts=2)
    await limits.close()
