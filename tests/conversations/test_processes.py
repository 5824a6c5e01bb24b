"""Real app processes: two behind one PostgreSQL + Redis, a Redis outage, and kill -9.

Each server is ``uvicorn socialode.asgi:app`` in its own process, configured only through
``SOCIALODE_*`` variables, as an operator runs it. Test data goes through the servers' HTTP
API (invites are issued through the accounts action, as everywhere in the suite). Every child
process is killed in ``finally``; waits poll with deadlines and no test asserts a duration.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from socialode.platform.events import Envelope, Hub
from socialode.platform.services import Services
from tests import backends
from tests.conversations.people import (
    Member,
    Stream,
    connect,
    direct,
    group,
    members,
    send,
)
from tests.conversations.processes import (
    Follower,
    Pair,
    RedisServer,
    Server,
    live_message,
    message_bodies,
    needs_redis_server,
    postgres_and_redis,
    running,
    subscribers,
    two_servers_on_private_redis,
    until,
    until_subscribed,
)


# -- 1. two processes, one PostgreSQL, one Redis -----------------------------------------------
@pytest.mark.slow
@postgres_and_redis
async def test_a_message_sent_through_one_process_arrives_live_on_the_other(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    one = Server(database_url, backends.REDIS_URL, tmp_path / "one")
    two = Server(database_url, backends.REDIS_URL, tmp_path / "two")
    async with running(one, two), httpx.AsyncClient(base_url=one.url, timeout=10) as api:
        await until_subscribed(backends.REDIS_URL, 2)
        ada, bob = await members(api, services, "ada_p", "bob_p")
        await connect(api, ada, bob)
        conversation = await direct(api, ada, bob)
        ada_s = await Stream(one.port, ada).open()
        bob_s = await Stream(two.port, bob).open()
        try:
            sent = await send(api, ada, conversation, "sent through process one")
            assert sent.status_code == 201, sent.text
            event = await live_message(bob_s, conversation, "sent through process one")
            assert event["seq"] == sent.json()["seq"] and event["notify"] is True

            async with httpx.AsyncClient(base_url=two.url, timeout=10) as api_two:
                back = await send(api_two, bob, conversation, "sent through process two")
            assert back.status_code == 201, back.text
            event = await live_message(ada_s, conversation, "sent through process two")
            assert event["seq"] == back.json()["seq"]

            # The socket's own send frame on process two, acknowledged after its commit.
            assert bob_s.ws is not None
            key = uuid.uuid4().hex
            frame = {"type": "send", "conversation_id": conversation, "client_key": key}
            await bob_s.ws.send(json.dumps({**frame, "body": "a socket frame on two"}))
            event = await live_message(ada_s, conversation, "a socket frame on two")
            assert event["actor"]["handle"] == "bob_p"
            ack = await bob_s.next()
            while ack.get("type") != "ack":
                ack = await bob_s.next()
            assert ack["client_key"] == key and ack["seq"] == event["seq"]
        finally:
            await ada_s.close()
            await bob_s.close()


# -- 2. Redis stops, sends go on, Redis returns ------------------------------------------------
@pytest.mark.slow
@postgres_and_redis
@needs_redis_server
async def test_redis_outage_loses_nothing_and_live_delivery_resumes(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    async with two_servers_on_private_redis(database_url, tmp_path) as servers:
        await _outage(servers, services)


async def _outage(servers: Pair, services: Services) -> None:
    api_one, api_two, one, two = servers.api_one, servers.api_two, servers.one, servers.two
    redis, followers = servers.redis, servers.followers
    # Every account first, while Redis is there.
    ada, bob, cy = await members(api_one, services, "ada_r", "bob_r", "cy_r")
    await connect(api_one, ada, bob)
    await connect(api_one, ada, cy)
    walks = await group(api_one, ada, "Walks", bob, cy)
    pair = await direct(api_one, ada, bob)
    sent: dict[int, list[str]] = {walks: [], pair: []}

    async def post(api: httpx.AsyncClient, who: Member, conversation_id: int, body: str) -> None:
        response = await send(api, who, conversation_id, body)
        assert response.status_code == 201, response.text  # acknowledged = committed
        sent[conversation_id].append(body)
        detail = await api.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert body in [m["body"] for m in detail.json()["messages"]]

    bob_f = Follower(two.port, bob).start()  # on the other process than the senders
    cy_f = Follower(one.port, cy).start()  # on the same process as ada's sends
    followers += [bob_f, cy_f]
    await until(lambda: bob_f.ready and cy_f.ready, "both sockets ready")
    await post(api_one, ada, walks, "before the outage")
    await post(api_one, ada, pair, "before, one to one")
    await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "live before outage")

    redis.kill()
    # Both hubs lost Redis: their sockets are closed with 1012 (service restart).
    await until(lambda: bool(bob_f.closes) and bool(cy_f.closes), "sockets closed on loss")
    assert bob_f.closes[0] == 1012, bob_f.closes
    assert cy_f.closes[0] == 1012, cy_f.closes
    for i in range(3):
        await post(api_one, ada, walks, f"during the outage {i}")
        await post(api_one, ada, pair, f"during the outage, one to one {i}")
    await until(lambda: bob_f.ready and cy_f.ready, "sockets back while Redis is down")
    for i in range(3, 6):
        await post(api_one, ada, walks, f"during the outage {i}")
        await post(api_one, ada, pair, f"during the outage, one to one {i}")
    await post(api_two, bob, walks, "during the outage, through process two")

    closes = (len(bob_f.closes), len(cy_f.closes))
    await redis.start()  # same port, empty
    # Back on Redis, each hub has its sockets resume once more (they may have missed events).
    await until(
        lambda: len(bob_f.closes) > closes[0] and len(cy_f.closes) > closes[1],
        "sockets closed when the hubs got Redis back",
    )
    assert bob_f.closes[-1] == 1012 and cy_f.closes[-1] == 1012, (bob_f.closes, cy_f.closes)
    await until(lambda: bob_f.ready and cy_f.ready, "sockets back after Redis returned")
    assert await subscribers(redis.url) == 2

    # Live again, in both directions between the processes, on the same sockets.
    connects = (bob_f.connects, cy_f.connects)
    await post(api_one, ada, pair, "after Redis is back")
    await post(api_two, bob, walks, "after Redis is back, through process two")
    await until(lambda: message_bodies(bob_f.stream, pair) == sent[pair], "bob live after")
    await until(lambda: message_bodies(cy_f.stream, walks) == sent[walks], "cy live after")
    await until(lambda: message_bodies(bob_f.stream, walks) == sent[walks], "bob's group")
    assert (bob_f.connects, cy_f.connects) == connects, "delivered by a reconnect, not live"

    # Exactly once and in order on every socket, and the same as the server stored.
    for stream in (bob_f.stream, cy_f.stream):
        seen = [(e["conversation_id"], e["seq"]) for e in stream.events]
        assert len(seen) == len(set(seen)), "an event arrived twice"
    assert message_bodies(bob_f.stream, walks) == sent[walks]
    assert message_bodies(bob_f.stream, pair) == sent[pair]
    assert message_bodies(cy_f.stream, walks) == sent[walks]
    for conversation_id, bodies in sent.items():
        detail = await api_two.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert [m["body"] for m in detail.json()["messages"]] == bodies


class Inbox:
    """A hub sink that records what it is handed, standing in for a socket."""

    def __init__(self) -> None:
        self.bodies: list[str] = []
        self.resyncs = 0

    def deliver(self, envelope: Envelope) -> None:
        self.bodies.append(str(envelope.payload["body"]))

    def resync(self) -> None:
        self.resyncs += 1


@pytest.mark.slow
@needs_redis_server
async def test_the_first_publish_after_redis_returns_reaches_the_other_hubs() -> None:
    """Regression: a connection idle in the pool since before the restart failed the first
    publish afterwards, while the other hubs had already resynced: that event was lost live."""
    redis = RedisServer()
    sender, receiver = Hub(redis.url), Hub(redis.url)
    inbox = Inbox()
    receiver.subscribe(7, inbox)
    try:
        await redis.start()
        await sender.start()
        await receiver.start()
        await until_subscribed(redis.url, 2)
        await sender.publish(Envelope([7], {"body": "before"}))
        await until(lambda: inbox.bodies == ["before"], "the first event")
        redis.kill()
        await until(lambda: not sender.connected and not receiver.connected, "hubs see the loss")
        await redis.start()
        await until(lambda: sender.connected and receiver.connected, "hubs back on Redis")
        # Told its client to resume on the loss, on its own return, and when the other hub
        # came back (that hub may have skipped publishing while it was away).
        assert inbox.resyncs >= 2
        await sender.publish(Envelope([7], {"body": "after"}))
        await until(lambda: inbox.bodies == ["before", "after"], "the event after the return")
    finally:
        await sender.close()
        await receiver.close()
        redis.kill()


@pytest.mark.slow
@needs_redis_server
async def test_a_hub_whose_subscription_dropped_still_reaches_the_others() -> None:
    """Redis stays up; only one process's subscription drops (as Redis does to a slow
    subscriber, or while hubs reconnect one after another after an outage). An event sent
    through that process meanwhile must reach the other processes' sockets, or they must be
    told to resume from their cursors."""
    redis = RedisServer()
    sender, receiver = Hub(redis.url), Hub(redis.url)
    inbox = Inbox()
    receiver.subscribe(7, inbox)
    admin = Redis.from_url(redis.url, decode_responses=True)
    try:
        await redis.start()
        await sender.start()
        await until_subscribed(redis.url, 1)
        await receiver.start()
        await until_subscribed(redis.url, 2)
        listeners = [c for c in await admin.client_list() if int(c.get("sub", 0))]
        first = min(listeners, key=lambda c: int(c["id"]))  # the sender's, made first
        await admin.client_kill_filter(_id=first["id"])
        await until(lambda: not sender.connected, "the sender's hub sees its subscription drop")
        await sender.publish(Envelope([7], {"body": "meanwhile"}))
        await until(
            lambda: inbox.bodies == ["meanwhile"] or inbox.resyncs > 0,
            "the event, or a resync, at the other hub",
            seconds=5,
        )
    finally:
        await admin.aclose()
        await sender.close()
        await receiver.close()
        redis.kill()
