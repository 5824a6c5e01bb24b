"""A Redis that hangs (SIGSTOP: a frozen process, as in a network partition or a blocking
command) or refuses connections holds up no send and loses no live message.

Two real app processes share PostgreSQL and a private redis-server of the test's own. While
Redis is away, sends through either process commit and are acknowledged without waiting for
it; once Redis answers again, every message reaches the sockets on the other process, each
exactly once and in order. The bound on each acknowledgement is about waiting for Redis (its
timeouts are seconds long), far above a normal send, not a measurement of speed.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Literal

import httpx
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from socialode.platform import events
from socialode.platform.events import Envelope, Hub
from socialode.platform.services import Services
from tests.conversations.people import Member, connect, group, members, send
from tests.conversations.processes import (
    Follower,
    Pair,
    RedisServer,
    message_bodies,
    needs_redis_server,
    postgres_and_redis,
    two_servers_on_private_redis,
    until,
    until_subscribed,
)
from tests.conversations.test_processes import Inbox

ACK_BOUND = 2.0  # seconds; Redis's own timeouts would keep a waiting send far longer
Outage = Literal["hangs", "refuses"]


class Sockets:
    """A member's stream socket that sends frames and times each acknowledgement. When the
    server closes it (1012: resume), it reconnects and sends again with the same key, as the
    web client does; the time counts from the first attempt."""

    def __init__(self, port: int, member: Member) -> None:
        self.port = port
        self.member = member
        self.ws: ClientConnection | None = None

    async def open(self) -> Sockets:
        self.ws = await ws_connect(
            f"ws://127.0.0.1:{self.port}/api/v1/stream", additional_headers=self.member.headers
        )
        while json.loads(await asyncio.wait_for(self.ws.recv(), 10))["type"] != "ready":
            pass
        return self

    async def send(self, conversation_id: int, body: str) -> float:
        frame = {"type": "send", "conversation_id": conversation_id, "body": body}
        frame["client_key"] = uuid.uuid4().hex
        started = time.monotonic()
        while True:
            try:
                assert self.ws is not None
                await self.ws.send(json.dumps(frame))
                while True:
                    answer = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
                    if answer.get("client_key") == frame["client_key"]:
                        assert answer["type"] == "ack", answer
                        return time.monotonic() - started
            except ConnectionClosed:
                await self.open()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def direct(api: httpx.AsyncClient, a: Member, b: Member) -> int:
    """The one-to-one of a and b (201 when it is made now, 200 when it existed)."""
    response = await api.post(
        "/api/v1/conversations/direct", json={"handle": b.handle}, headers=a.headers
    )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


@pytest.mark.slow
@postgres_and_redis
@needs_redis_server
@pytest.mark.parametrize("outage", ["hangs", "refuses"])
async def test_sends_never_wait_on_redis_and_every_message_arrives_once_it_answers(
    outage: Outage, services: Services, database_url: str, tmp_path: Path
) -> None:
    async with two_servers_on_private_redis(database_url, tmp_path) as servers:
        await _outage(outage, servers, services)


async def _outage(outage: Outage, servers: Pair, services: Services) -> None:
    api_one, api_two, one, two = servers.api_one, servers.api_two, servers.one, servers.two
    redis, followers = servers.redis, servers.followers
    ada, bob, cy = await members(api_one, services, "ada_h", "bob_h", "cy_h")
    await connect(api_one, ada, bob)
    await connect(api_one, ada, cy)
    pair = await direct(api_one, ada, bob)  # a quiet one-to-one: nothing else would resync it
    walks = await group(api_one, ada, "Walks", bob, cy)
    sent: dict[int, list[str]] = {pair: [], walks: []}
    waits: list[float] = []

    async def post(api: httpx.AsyncClient, who: Member, conversation_id: int, body: str) -> None:
        started = time.monotonic()
        response = await send(api, who, conversation_id, body)
        waits.append(time.monotonic() - started)
        assert response.status_code == 201, response.text  # acknowledged = committed
        sent[conversation_id].append(body)

    bob_f = Follower(two.port, bob).start()  # on the other process than ada's sends
    cy_f = Follower(one.port, cy).start()  # on the other process than bob's sends
    followers += [bob_f, cy_f]
    ada_ws = await Sockets(one.port, ada).open()
    try:
        await until(lambda: bob_f.ready and cy_f.ready, "both sockets ready")
        await post(api_one, ada, pair, "before")
        await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "live before")

        if outage == "hangs":
            redis.freeze()
        else:
            redis.kill()  # the port is closed: connections are refused
        try:
            for i in range(3):
                # The first publish and rate limit during the outage meet Redis itself; the
                # later ones need new connections to it, or find the hub already out of sync.
                waits.append(await ada_ws.send(pair, f"socket, during {i}"))
                sent[pair].append(f"socket, during {i}")
                await post(api_one, ada, pair, f"during {i}")
                await post(api_two, bob, walks, f"through two, during {i}")
                await asyncio.sleep(0.5)
            assert max(waits) < ACK_BOUND, waits
            # Both processes found Redis gone (a publish timed out or was refused), so the
            # messages above may not have reached the other process: they must once it is back.
            await until(
                lambda: "lost Redis" in one.tail() and "lost Redis" in two.tail(),
                "both processes out of sync",
                seconds=10,
            )
        finally:
            if outage == "hangs":
                redis.thaw()
            else:
                await redis.start()  # same port, empty

        # Once Redis answers, both processes' sockets catch up: ada's sends reach bob on
        # process two, bob's reach cy on process one.
        await until(
            lambda: message_bodies(bob_f.stream, pair) == sent[pair],
            "bob has every message of the one-to-one",
            seconds=10,
        )
        await until(
            lambda: message_bodies(cy_f.stream, walks) == sent[walks],
            "cy has every message of the group",
            seconds=10,
        )
        await until_subscribed(redis.url, 2)
        await post(api_one, ada, pair, "after")
        await post(api_two, bob, walks, "through two, after")
        await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "bob, after")
        await until(lambda: message_bodies(cy_f.stream, walks) == sent[walks], "cy, after")
    finally:
        await ada_ws.close()

    # Exactly once and in order on every socket, and the same as the server stored.
    for stream in (bob_f.stream, cy_f.stream):
        seen = [(e["conversation_id"], e["seq"]) for e in stream.events]
        assert len(seen) == len(set(seen)), "an event arrived twice"
        for conversation_id in sent:
            seqs = [s for c, s in seen if c == conversation_id]
            assert seqs == sorted(seqs), "out of order"
    assert message_bodies(bob_f.stream, pair) == sent[pair]
    assert message_bodies(bob_f.stream, walks) == sent[walks]
    assert message_bodies(cy_f.stream, walks) == sent[walks]
    for conversation_id, bodies in sent.items():
        detail = await api_two.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert [m["body"] for m in detail.json()["messages"]] == bodies


@pytest.mark.slow
@needs_redis_server
async def test_a_publish_into_a_hung_redis_returns_at_once_and_every_hub_resyncs() -> None:
    """The hub alone: publishing never waits; the publish that times out puts the sender out
    of sync, and when Redis answers again the other hub's sockets resume (a quiet receiver
    never notices a hang by itself within the few seconds it lasts)."""
    redis = RedisServer()
    sender, receiver = Hub(redis.url), Hub(redis.url)
    here, there = Inbox(), Inbox()
    sender.subscribe(7, here)
    receiver.subscribe(7, there)
    try:
        await redis.start()
        await sender.start()
        await receiver.start()
        await until_subscribed(redis.url, 2)
        await sender.publish(Envelope([7], {"body": "before"}))
        await until(lambda: there.bodies == ["before"], "the first event")

        redis.freeze()
        started = time.monotonic()
        await sender.publish(Envelope([7], {"body": "frozen"}))
        assert time.monotonic() - started < ACK_BOUND / 4
        assert here.bodies == ["before", "frozen"]  # this process's sockets have it at once
        await until(lambda: not sender.connected, "the publish times out", seconds=5)
        await sender.publish(Envelope([7], {"body": "skipped"}))  # out of sync: not sent
        redis.thaw()
        await until(lambda: there.resyncs > 0, "the other hub's sockets resume", seconds=8)
        await until(lambda: sender.connected and receiver.connected, "both hubs back")
        assert here.resyncs > 0  # the sender's own sockets resume too: they missed events
        await sender.publish(Envelope([7], {"body": "after"}))
        await until(lambda: there.bodies[-1:] == ["after"], "live again")
        assert "skipped" not in there.bodies
    finally:
        redis.thaw()
        await sender.close()
        await receiver.close()
        redis.kill()


@pytest.mark.slow
@needs_redis_server
async def test_a_quiet_hub_notices_a_hung_subscription_and_resyncs_when_it_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing is published, so only the ping of a quiet subscription can tell it hangs: the
    hub's sockets resume at once (they may miss events) and again once Redis answers."""
    monkeypatch.setattr(events, "IDLE_SECONDS", 0.5)
    monkeypatch.setattr(events, "ANSWER_SECONDS", 1.0)
    redis = RedisServer()
    hub = Hub(redis.url)
    inbox = Inbox()
    hub.subscribe(7, inbox)
    try:
        await redis.start()
        await hub.start()
        await until_subscribed(redis.url, 1)
        await until(lambda: hub.connected, "subscribed")
        redis.freeze()
        await until(lambda: not hub.connected, "the unanswered ping is noticed", seconds=5)
        assert inbox.resyncs == 1
        redis.thaw()
        await until(lambda: hub.connected, "back on Redis", seconds=8)
        assert inbox.resyncs == 2
        await hub.publish(Envelope([8], {"body": "nobody here"}))  # publishing works again
        assert hub.connected
    finally:
        redis.thaw()
        await hub.close()
        redis.kill()
