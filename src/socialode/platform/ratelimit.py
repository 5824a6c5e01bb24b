"""Rate limits with the ``limits`` library: in memory by default, in Redis when configured."""

from __future__ import annotations

import logging
import math
import time

import redis.asyncio
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.exceptions import RedisError

from socialode.platform.errors import RateLimited

log = logging.getLogger("socialode.ratelimit")


class RateLimits:
    def __init__(self, redis_url: str | None) -> None:
        self.storage: Storage
        self._pool: redis.asyncio.ConnectionPool | None = None
        if redis_url:
            self._pool = redis.asyncio.ConnectionPool.from_url(redis_url)
            self.storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix="socialode-limits",
                connection_pool=self._pool,  # type: ignore[arg-type]
            )
        else:
            self.storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self.storage)
        self._parsed: dict[str, RateLimitItem] = {}

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._parsed:
            self._parsed[rule] = parse(rule)
        return self._parsed[rule]

    async def hit(self, rule: str, scope: str, key: str, *, fail_open: bool = False) -> None:
        """Count one attempt; raise RateLimited with a Retry-After when over the rule.

        With ``fail_open`` an unreachable Redis lets the attempt through (logged) instead of
        failing it: used where losing the action would hurt more than an uncounted attempt.
        """
        item = self._item(rule)
        try:
            allowed = await self._limiter.hit(item, scope, key)
        except (RedisError, OSError, StorageError) as error:
            if not fail_open:
                raise
            log.warning("rate limit %s not counted: storage unreachable (%s)", scope, error)
            return
        if allowed:
            return
        stats = await self._limiter.get_window_stats(item, scope, key)
        raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())))

    async def reset(self) -> None:
        await self.storage.reset()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()
