"""Group commit: work that arrives together is written in one transaction.

Callers await :meth:`Batcher.submit`; one task per batcher takes everything queued so far
(up to ``max_batch``), hands it to the write function, and resolves each caller with its own
result or error only after that function returned — i.e. after its commit. Nothing is
acknowledged before it is durable, and a busy server commits many items per fsync.

An optional ``after`` function runs once the callers of a batch are answered and before the
next batch is taken (live fan-out): batches reach it in commit order, and its failures are
logged, never reported to callers whose work is already durable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

log = logging.getLogger("socialode.batching")

T = TypeVar("T")
R = TypeVar("R")
WriteFn = Callable[[Sequence[T]], Awaitable[Sequence[R | BaseException]]]
AfterFn = Callable[[Sequence[T], Sequence[R | BaseException]], Awaitable[None]]


class Batcher(Generic[T, R]):
    def __init__(
        self, write: WriteFn[T, R], max_batch: int = 256, after: AfterFn[T, R] | None = None
    ) -> None:
        self._write = write
        self._after = after
        self._max = max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._wake is None:
            self._wake = asyncio.Event()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="socialode-batcher")
        self._wake.set()
        return await future

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch, self._queue = self._queue[: self._max], self._queue[self._max :]
                await self._flush(batch)

    async def _flush(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        items = [item for item, _ in batch]
        try:
            results = await self._write(items)
        except Exception as error:  # the whole batch failed: every caller hears why
            log.exception("a batch of %d failed", len(batch))
            results = [error] * len(batch)
        for (_item, future), result in zip(batch, results, strict=True):
            if future.done():  # the caller went away; its item was still written
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
        if self._after is not None:
            try:
                await self._after(items, results)
            except Exception:
                log.exception("the follow-up of a batch of %d failed", len(batch))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
