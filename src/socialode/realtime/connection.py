"""One live socket: a bounded outbound queue, per-stream order, and gap filling.

The hub calls :meth:`Connection.deliver` without waiting. Each stream's events (a
conversation's) reach the client in sequence order exactly once: an event already sent is
dropped, and an event that arrives ahead of one not yet seen (two processes published out of
order) triggers a fill from the database for the missing stretch. A client whose queue
overflows is disconnected at once; it resumes from its cursor when it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.websockets import WebSocket

from socialode.platform.events import Envelope

log = logging.getLogger("socialode.realtime")

# Close codes (RFC 6455 and the registered 4000-range for the application).
TRY_AGAIN_LATER = 1013  # too slow to keep up: reconnect and resume
SERVICE_RESTART = 1012  # live delivery was interrupted: reconnect and resume
INVALID_DATA = 1007
TOO_BIG = 1009
UNSUPPORTED = 1003
SESSION_ENDED = 4001  # signed out, revoked or password changed: do not reconnect with it

Filler = Callable[[int, int, int], Awaitable[list[tuple[int, str]]]]


class Connection:
    __slots__ = (
        "_buffered",
        "_filling",
        "_fills",
        "_pending",
        "_task",
        "_writer",
        "close_code",
        "filler",
        "queue",
        "sent",
        "session_id",
        "user_id",
        "ws",
    )

    def __init__(
        self, ws: WebSocket, user_id: int, session_id: int, max_queue: int, filler: Filler
    ) -> None:
        self.ws = ws
        self.user_id = user_id
        self.session_id = session_id
        self.queue: asyncio.Queue[str] = asyncio.Queue(max_queue)
        self.sent: dict[int, int] = {}  # stream (a conversation) → last sequence number sent
        self.filler = filler
        self.close_code: int | None = None
        self._pending: list[Envelope] | None = []  # buffered while catching up
        self._filling: set[int] = set()
        self._fills: set[asyncio.Task[None]] = set()
        self._buffered: dict[int, list[Envelope]] = {}
        self._task: asyncio.Task[Any] | None = asyncio.current_task()
        self._writer: asyncio.Task[None] | None = None

    # -- outbound ------------------------------------------------------------------------
    def start(self) -> None:
        self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        while True:
            frame = await self.queue.get()
            await self.ws.send_text(frame)

    def send_now(self, payload: dict[str, Any]) -> None:
        self._put(json.dumps(payload, separators=(",", ":")))

    async def send_waiting(self, frame: str) -> None:
        """For replays: wait for room instead of dropping the client."""
        await self.queue.put(frame)

    def _put(self, frame: str) -> None:
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.abort(TRY_AGAIN_LATER)

    # -- from the hub ----------------------------------------------------------------------
    def deliver(self, envelope: Envelope) -> None:
        if self.close_code is not None:
            return
        if envelope.payload.get("type") == "session_ended":
            if self.session_id in envelope.payload.get("sessions", ()):
                self.abort(SESSION_ENDED)
            return
        if self._pending is not None:
            if len(self._pending) >= self.queue.maxsize:
                self.abort(TRY_AGAIN_LATER)
            else:
                self._pending.append(envelope)
            return
        self._offer(envelope)

    def resync(self) -> None:
        self.abort(SERVICE_RESTART)

    def caught_up(self) -> None:
        """Replay is done: deliver what arrived meanwhile, in order, without duplicates."""
        pending, self._pending = self._pending or [], None
        for envelope in sorted(pending, key=lambda e: (e.stream, e.seq)):
            self._offer(envelope)

    def _offer(self, envelope: Envelope) -> None:
        stream = envelope.stream
        if not stream:
            self._put(envelope.frame_for(self.user_id))
            return
        if stream in self._filling:
            self._buffered.setdefault(stream, []).append(envelope)
            return
        last = self.sent.get(stream)
        if last is not None and envelope.seq <= last:
            return  # already sent
        if last is not None and envelope.seq > last + 1:
            self._filling.add(stream)
            self._buffered[stream] = [envelope]
            task = asyncio.create_task(self._fill(stream, last, envelope.seq))
            self._fills.add(task)
            task.add_done_callback(self._fills.discard)
            return
        self.sent[stream] = envelope.seq
        self._put(envelope.frame_for(self.user_id))

    async def _fill(self, stream: int, after: int, upto: int) -> None:
        try:
            frames = await self.filler(self.user_id, stream, after)
        except Exception:  # the database is unreachable: the client must resume later
            log.exception("could not fill a gap in stream %s", stream)
            self.abort(SERVICE_RESTART)
            return
        for seq, frame in frames:
            if seq > self.sent.get(stream, after):
                self.sent[stream] = seq
                self._put(frame)
        self.sent[stream] = max(self.sent.get(stream, after), upto)
        self._filling.discard(stream)
        for envelope in sorted(self._buffered.pop(stream, []), key=lambda e: e.seq):
            self._offer(envelope)

    # -- ending ----------------------------------------------------------------------------
    def abort(self, code: int) -> None:
        """Disconnect now (from any task) without waiting on the client."""
        if self.close_code is not None:
            return
        self.close_code = code
        if self._writer is not None:
            self._writer.cancel()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    async def finish(self) -> None:
        for task in list(self._fills):
            task.cancel()
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer
        if self.close_code is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1):
                    await self.ws.close(self.close_code)
