"""Group commit: work that arrives together is written in one transaction.

Callers await :meth:`Batcher.submit`; one task per batcher takes everything queued so far
(up to ``max_batch``), hands it to the write function, and resolves each caller with its own
result or error only after that function returned — i.e. after its commit. Nothing is
acknowledged before it is durable, and a busy server commits many items per fsync.
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


class Batcher(Generic[T, R]):
    def __init__(self, write: WriteFn[T, R], max_batch: int = 256) -> None:
        self._write = write
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
        try:
            results = await self._write([item for item, _ in batch])
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

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
