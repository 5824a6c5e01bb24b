"""Rate limits with the ``limits`` library: in memory by default, in Redis when configured.

With Redis, a limit is never held up by it: its connections have short socket timeouts, and
a Redis that fails, refuses or is slow to answer switches the process to its own in-memory
counters for a while (``FALLBACK_SECONDS``), after which Redis is tried again. Meanwhile each
process counts on its own, so several processes together allow a little more than the rule.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

import redis.asyncio
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from socialode.platform.errors import RateLimited

log = logging.getLogger("socialode.ratelimit")

ANSWER_SECONDS = 0.5  # what one count may wait for Redis, connecting included
FALLBACK_SECONDS = 15.0  # how long counting stays in memory after Redis failed

Failure = (RedisError, OSError, StorageError, TimeoutError)


class RateLimits:
    def __init__(self, redis_url: str | None) -> None:
        self._local = MemoryStorage()
        self._memory = MovingWindowRateLimiter(self._local)
        self.storage: Storage = self._local
        self._pool: redis.asyncio.ConnectionPool | None = None
        self._shared: MovingWindowRateLimiter | None = None
        self._memory_until = 0.0  # monotonic time until which Redis is not tried
        if redis_url:
            self._pool = redis.asyncio.ConnectionPool.from_url(
                redis_url,
                socket_connect_timeout=ANSWER_SECONDS,
                socket_timeout=ANSWER_SECONDS,
                retry=Retry(NoBackoff(), 0),  # a failure falls back instead
            )
            self.storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix="socialode-limits",
                connection_pool=self._pool,  # type: ignore[arg-type]
            )
            self._shared = MovingWindowRateLimiter(self.storage)
        self._parsed: dict[str, RateLimitItem] = {}

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._parsed:
            self._parsed[rule] = parse(rule)
        return self._parsed[rule]

    @property
    def in_memory(self) -> bool:
        """Whether counts are kept in this process's memory now (no Redis, or Redis failed)."""
        return self._shared is None or time.monotonic() < self._memory_until

    async def hit(self, rule: str, scope: str, key: str) -> None:
        """Count one attempt; raise RateLimited with a Retry-After when over the rule.

        Never fails because Redis does: the attempt is counted in memory instead.
        """
        item = self._item(rule)
        if self._shared is not None and not self.in_memory:
            try:
                async with asyncio.timeout(ANSWER_SECONDS):
                    if await self._shared.hit(item, scope, key):
                        return
                    stats = await self._shared.get_window_stats(item, scope, key)
                raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())))
            except Failure as error:
                self._fall_back(error)
        if await self._memory.hit(item, scope, key):
            return
        stats = await self._memory.get_window_stats(item, scope, key)
        raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())))

    def _fall_back(self, error: BaseException) -> None:
        if not self.in_memory:
            log.warning(
                "rate limits counted in memory for %ss: Redis failed or was slow (%s)",
                FALLBACK_SECONDS,
                str(error) or type(error).__name__,
            )
        self._memory_until = time.monotonic() + FALLBACK_SECONDS

    async def reset(self, attempts: int = 10) -> None:
        """Forget every count. Unlike a count, a reset must reach Redis: a connection that
        misses the short timeout on a busy machine is tried again, up to ``attempts`` times."""
        await self._local.reset()
        if self.storage is not self._local:
            for attempt in range(1, attempts + 1):
                try:
                    await self.storage.reset()
                    break
                except Failure:
                    if attempt == attempts:
                        raise
                    await asyncio.sleep(0.1 * attempt)
        self._memory_until = 0.0

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()
