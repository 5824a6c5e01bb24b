"""Live fan-out of committed events to connected clients.

Actions publish an :class:`Envelope` after their commit. The hub hands it to the sinks (live
sockets) of its recipients in this process and, when Redis is configured, publishes it on one
pub/sub channel so every other app process does the same for its own sockets.

Nothing here is the source of truth: events are already committed when published, and a
client that may have missed any (a full queue, a Redis outage) is told to reconnect, after
which it resumes from its cursor out of the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any, Protocol
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("socialode.events")

CHANNEL = "socialode:events"


def channel_for(redis_url: str | None) -> str:
    """One channel per Redis database: pub/sub ignores database numbers, and two instances
    sharing a Redis server (on different databases) must not hear each other's events."""
    if not redis_url:
        return CHANNEL
    database = urlsplit(redis_url).path.strip("/") or "0"
    return f"{CHANNEL}:{database}"


RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)


class Envelope:
    """One committed event and who may receive it (computed by the feature's access rule).

    ``stream``/``seq`` order events per stream (a conversation) for resuming; ``quiet`` are
    recipients who get the event without a notification (they muted the actor).
    """

    __slots__ = ("_frames", "payload", "quiet", "recipients", "seq", "stream")

    def __init__(
        self,
        recipients: Iterable[int],
        payload: dict[str, Any],
        *,
        stream: int = 0,
        seq: int = 0,
        quiet: Iterable[int] = (),
    ) -> None:
        self.recipients = tuple(recipients)
        self.payload = payload
        self.stream = stream
        self.seq = seq
        self.quiet = frozenset(quiet)
        self._frames: dict[bool, str] = {}

    def frame_for(self, user_id: int) -> str:
        """The JSON text frame for one recipient, serialised once per variant."""
        notify = user_id not in self.quiet
        frame = self._frames.get(notify)
        if frame is None:
            frame = json.dumps({**self.payload, "notify": notify}, separators=(",", ":"))
            self._frames[notify] = frame
        return frame

    def encode(self, origin: str) -> str:
        return json.dumps(
            {
                "o": origin,
                "r": self.recipients,
                "p": self.payload,
                "s": self.stream,
                "q": self.seq,
                "m": sorted(self.quiet),
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, raw: str | bytes) -> tuple[str, Envelope]:
        data = json.loads(raw)
        return data["o"], cls(
            data["r"], data["p"], stream=data["s"], seq=data["q"], quiet=data["m"]
        )


class Sink(Protocol):
    """A live connection of one user."""

    def deliver(self, envelope: Envelope) -> None:
        """Queue the event without waiting; a sink that cannot keep up disconnects itself."""

    def resync(self) -> None:
        """Events may have been missed: close, so the client resumes from its cursor."""


class Hub:
    def __init__(self, redis_url: str | None = None) -> None:
        self._sinks: dict[int, set[Sink]] = {}
        self._origin = uuid.uuid4().hex
        self._redis: Redis | None = (
            Redis.from_url(redis_url, socket_connect_timeout=2, socket_keepalive=True)
            if redis_url
            else None
        )
        self.channel = channel_for(redis_url)
        self._listener: asyncio.Task[None] | None = None
        self.connected = self._redis is None  # whether cross-process delivery is live
        # Set while this hub's own subscription is down: its publishes are skipped then (Redis
        # may be gone, and every attempt would wait for a timeout), and when it is back it asks
        # every hub to resync, so nobody misses what was skipped.
        self._lost = False

    # -- local sinks -------------------------------------------------------------------
    def subscribe(self, user_id: int, sink: Sink) -> None:
        self._sinks.setdefault(user_id, set()).add(sink)

    def unsubscribe(self, user_id: int, sink: Sink) -> None:
        sinks = self._sinks.get(user_id)
        if sinks is not None:
            sinks.discard(sink)
            if not sinks:
                del self._sinks[user_id]

    def local_count(self) -> int:
        return sum(len(s) for s in self._sinks.values())

    def deliver_local(self, envelope: Envelope) -> None:
        sinks = self._sinks
        for user_id in envelope.recipients:
            for sink in tuple(sinks.get(user_id, ())):
                sink.deliver(envelope)

    def resync_all(self) -> None:
        for sinks in list(self._sinks.values()):
            for sink in tuple(sinks):
                sink.resync()

    # -- publishing --------------------------------------------------------------------
    async def publish(self, envelope: Envelope) -> None:
        """Deliver an already-committed event here and, through Redis, everywhere else.

        Never raises for a Redis failure: the event is in the database, and clients on other
        processes catch up when their process sees the outage and has them reconnect.
        """
        if not envelope.recipients:
            return
        self.deliver_local(envelope)
        if self._redis is None or self._lost:
            return  # every hub resyncs when this one is back (see _listen)
        await self._send(envelope.encode(self._origin))

    async def _send(self, frame: str) -> None:
        assert self._redis is not None
        for attempt in range(2):
            try:
                await self._redis.publish(self.channel, frame)
                return
            except (RedisError, OSError) as error:
                if attempt:
                    log.warning(
                        "live fan-out through Redis failed (%s); clients will resume", error
                    )
                    return
                # A connection idle in the pool since before a Redis restart fails once
                # ("Connection closed by server"), while the other hubs are already back
                # and will not resync: drop idle connections and try once more. (A repeat
                # is harmless: a socket drops a stream event it has already sent.)
                with contextlib.suppress(Exception):
                    await self._redis.connection_pool.disconnect(inuse_connections=False)

    # -- the Redis listener -------------------------------------------------------------
    async def start(self) -> None:
        if self._redis is not None and self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="socialode-hub-listener")

    async def _listen(self) -> None:
        assert self._redis is not None
        attempt = 0
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if self._lost:
                    # Events were missed here, and events published here were skipped: every
                    # hub (this one too) has its clients resume from their cursors.
                    log.warning("Redis is back; live clients resume from their cursors")
                    self.resync_all()
                    self._lost = False
                    await self._send(json.dumps({"o": self._origin, "resync": True}))
                self.connected, attempt = True, 0
                async for message in pubsub.listen():
                    self._receive(message)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                if not self._lost:
                    log.warning("lost Redis (%s); live clients resume from their cursors", error)
                    self.resync_all()
                self.connected, self._lost = False, True
                await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
                attempt += 1
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _receive(self, message: dict[str, Any]) -> None:
        if message.get("type") != "message":
            return
        try:
            data = json.loads(message["data"])
            if data.get("resync"):
                if data.get("o") != self._origin:
                    self.resync_all()  # another hub skipped publishing for a while
                return
            origin, envelope = Envelope.decode(message["data"])
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignored a malformed event on %s", self.channel)
            return
        if origin != self._origin:
            self.deliver_local(envelope)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
