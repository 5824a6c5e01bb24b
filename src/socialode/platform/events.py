"""Live fan-out of committed events to connected clients.

Actions record an :class:`Envelope` with ``platform.aftercommit.publish_on_commit``; it
reaches the hub only after their transaction commits. The hub hands it to the sinks (live
sockets) of its recipients in this process at once and, when Redis is configured, queues it
for one pub/sub channel so every other app process does the same for its own sockets.

Nothing here is the source of truth: events are already committed when published, and a
client that may have missed any (a full queue, a Redis outage) is told to reconnect, after
which it resumes from its cursor out of the database. Nobody waits on Redis: publishing only
queues, one task per process sends the queue in order with a short timeout, and a Redis that
fails, refuses or hangs puts the hub *out of sync* until Redis answers again, when every hub
has its sockets resume.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
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
PUBLISH_SECONDS = 2.0  # one publish (connecting included) may wait this long for Redis
ANSWER_SECONDS = 3.0  # subscribing, or answering a ping, may take this long
POLL_SECONDS = 0.25  # how often the listener looks up from a quiet subscription
IDLE_SECONDS = 5.0  # a subscription quiet this long is pinged
OUTBOX_FRAMES = 10_000  # frames waiting for Redis; more puts the hub out of sync
PIPELINE_FRAMES = 500  # frames sent in one round trip

Failure = (RedisError, OSError, TimeoutError)


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


class _Resubscribe(Exception):
    """The hub went out of sync (a publish failed) while its subscription looked fine."""


class Hub:
    def __init__(self, redis_url: str | None = None) -> None:
        self._sinks: dict[int, set[Sink]] = {}
        self._origin = uuid.uuid4().hex
        self._redis: Redis | None = (
            Redis.from_url(
                redis_url,
                socket_connect_timeout=PUBLISH_SECONDS,
                socket_keepalive=True,
                retry=Retry(NoBackoff(), 0),  # the hub decides when to try again
            )
            if redis_url
            else None
        )
        self.channel = channel_for(redis_url)
        self.jobs_channel = self.channel.replace(":events", ":jobs")
        self._job_listeners: set[Callable[[], None]] = set()
        self._wakes: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._publisher: asyncio.Task[None] | None = None
        self._outbox: asyncio.Queue[str] | None = None  # made with its task, in the loop
        self.connected = self._redis is None  # whether cross-process delivery is live
        # Out of sync: set when this hub's subscription drops or hangs, or when a publish
        # fails, times out or finds the outbox full. Publishing is skipped then (every
        # attempt would wait for a timeout), and when Redis answers again the listener asks
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
        """Deliver an already-committed event here and queue it for everywhere else.

        Actions do not call this: they record events with
        ``platform.aftercommit.publish_on_commit``, which hands them here after the commit.
        Only a path that answers its callers before fanning out (the batched send) publishes
        directly, after its own commit.
        """
        self.publish_committed(envelope)
        if self._outbox is not None and self._outbox.qsize() > OUTBOX_FRAMES // 2:
            await asyncio.sleep(0)  # a burst that never yields: let the publisher take it

    def publish_committed(self, envelope: Envelope) -> None:
        """``publish`` without waiting: called from the after-commit hook.

        Never waits on Redis and never raises for it: the event is in the database, and a
        publish that cannot be made puts the hub out of sync, so clients everywhere resume
        from their cursors once Redis answers again.
        """
        if not envelope.recipients:
            return
        self.deliver_local(envelope)
        if self._redis is None or self._lost:
            return  # every hub resyncs when Redis answers again (see _listen)
        self._queue(envelope.encode(self._origin))

    def missed(self, why: str) -> None:
        """Events were committed but could not be handed on: every hub's sockets resume
        from the database once Redis answers (at once, if it is answering now)."""
        self._lose(why, here_too=False)

    # -- job wake-ups ------------------------------------------------------------------
    def on_jobs(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever jobs are committed in this process (a local worker)."""
        self._job_listeners.add(listener)

    def off_jobs(self, listener: Callable[[], None]) -> None:
        self._job_listeners.discard(listener)

    def wake_jobs(self) -> None:
        """Jobs were committed: wake this process's worker now, and other processes' through
        Redis. Best effort: a lost wake-up only waits for the next poll."""
        for listener in tuple(self._job_listeners):
            listener()
        if self._redis is None or self._lost or len(self._wakes) > 1:
            return  # one wake-up in flight already covers this one
        task = asyncio.get_running_loop().create_task(self._wake_others())
        self._wakes.add(task)
        task.add_done_callback(self._wakes.discard)

    async def _wake_others(self) -> None:
        assert self._redis is not None
        try:
            async with asyncio.timeout(PUBLISH_SECONDS):
                await self._redis.publish(self.jobs_channel, "1")
        except (*Failure, TimeoutError) as error:
            log.info("could not wake job workers through Redis (they poll): %s", error)

    def _queue(self, frame: str) -> None:
        if self._outbox is None or self._publisher is None or self._publisher.done():
            self._outbox = asyncio.Queue(OUTBOX_FRAMES)
            self._publisher = asyncio.create_task(
                self._drain(self._outbox), name="socialode-hub-publisher"
            )
        try:
            self._outbox.put_nowait(frame)
        except asyncio.QueueFull:
            self._lose("the queue of events for Redis is full", here_too=False)

    async def _drain(self, outbox: asyncio.Queue[str]) -> None:
        """Send the outbox in order (so per conversation too), everything queued so far in
        one round trip; skip it while out of sync."""
        while True:
            frames = [await outbox.get()]
            while len(frames) < PIPELINE_FRAMES and not outbox.empty():
                frames.append(outbox.get_nowait())
            try:
                if self._lost:
                    continue  # every hub resyncs when Redis answers again
                if not await self._send(frames):
                    self._lose("a publish failed or timed out", here_too=False)
            finally:
                for _ in frames:
                    outbox.task_done()

    async def _send(self, frames: list[str]) -> bool:
        assert self._redis is not None
        for attempt in range(2):
            try:
                async with asyncio.timeout(PUBLISH_SECONDS):
                    async with self._redis.pipeline(transaction=False) as pipe:
                        for frame in frames:
                            pipe.publish(self.channel, frame)
                        await pipe.execute()
                return True
            except TimeoutError:
                log.warning("Redis did not answer a publish within %ss", PUBLISH_SECONDS)
                return False  # slow or hung: trying again would only wait again
            except (RedisError, OSError) as error:
                if attempt:
                    log.warning("live fan-out through Redis failed (%s)", error)
                    return False
                # A connection idle in the pool since before a Redis restart fails once
                # ("Connection closed by server"), while the other hubs are already back
                # and will not resync: drop idle connections and try once more. (A repeat
                # is harmless: a socket drops a stream event it has already sent.)
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(PUBLISH_SECONDS):
                        await self._redis.connection_pool.disconnect(inuse_connections=False)
        return False

    def _lose(self, why: object, *, here_too: bool = True) -> None:
        """Out of sync: every hub's sockets resume when Redis answers again, and with
        ``here_too`` this hub's at once (its subscription is down: it misses events)."""
        if not self._lost:
            log.warning("lost Redis (%s); live clients resume from their cursors", why)
            if here_too:
                self.resync_all()
        self.connected, self._lost = False, True

    # -- the Redis listener -------------------------------------------------------------
    async def start(self) -> None:
        if self._redis is not None and self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="socialode-hub-listener")

    async def _listen(self) -> None:
        assert self._redis is not None
        attempt = 0
        while True:
            pubsub = self._redis.pubsub()
            try:
                await self._subscribe(pubsub)
                if self._lost:
                    # Events were missed here, and events published here were skipped: every
                    # hub (this one too) has its clients resume from their cursors. The
                    # request goes through the outbox, ahead of anything published after it.
                    log.warning("Redis is back; live clients resume from their cursors")
                    self.resync_all()
                    self._lost = False
                    self._queue(json.dumps({"o": self._origin, "resync": True}))
                self.connected, attempt = True, 0
                await self._follow(pubsub)
            except asyncio.CancelledError:
                raise
            except (*Failure, _Resubscribe) as error:
                self._lose(str(error) or type(error).__name__)
                await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
                attempt += 1
            finally:
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(ANSWER_SECONDS):
                        await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]

    async def _subscribe(self, pubsub: PubSub) -> None:
        """Subscribe, and wait until Redis confirms it: a hung Redis accepts the connection
        but never answers."""
        async with asyncio.timeout(ANSWER_SECONDS):
            await pubsub.subscribe(self.channel)
            while True:
                message = await pubsub.get_message(timeout=ANSWER_SECONDS)
                if message is not None and message.get("type") == "subscribe":
                    return
                if message is not None:
                    self._receive(message)

    async def _follow(self, pubsub: PubSub) -> None:
        """Hand on what arrives; ping a quiet subscription, and give up on one that does not
        answer or on a hub that went out of sync meanwhile (a publish failed)."""
        loop = asyncio.get_running_loop()
        heard = loop.time()
        pinged: float | None = None
        while True:
            if self._lost:
                raise _Resubscribe("out of sync: a publish failed or events were missed")
            message = await pubsub.get_message(timeout=POLL_SECONDS)
            now = loop.time()
            if message is not None:
                heard, pinged = now, None
                self._receive(message)
            elif pinged is not None:
                if now - pinged > ANSWER_SECONDS:
                    raise TimeoutError(f"Redis did not answer a ping within {ANSWER_SECONDS}s")
            elif now - heard > IDLE_SECONDS:
                async with asyncio.timeout(ANSWER_SECONDS):
                    await pubsub.ping()
                pinged = now

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
        if self._outbox is not None and not self._lost:
            with contextlib.suppress(TimeoutError):  # what was queued before shutdown
                async with asyncio.timeout(PUBLISH_SECONDS):
                    await self._outbox.join()
        for task in (self._listener, self._publisher, *self._wakes):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._listener = self._publisher = self._outbox = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(PUBLISH_SECONDS):
                    await self._redis.aclose()
