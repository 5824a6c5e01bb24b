"""kill -9 of a real app process in the middle of a burst of sends, then restart: every
acknowledged message is there exactly once, and retries never duplicate (SQLite and
PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from socialode import migrate
from socialode.platform.services import Services
from tests import backends
from tests.conftest import clear_tables, make_settings
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
    ON_POSTGRES,
    Server,
    running,
    until,
)


# -- 3. kill -9 in the middle of a burst of sends --------------------------------------------------
@dataclass
class Attempt:
    key: str
    sender: Member
    conversation_id: int
    channel: str  # "ws" or "http"
    acked: tuple[int, int] | None = None  # (message id, seq) from the ack / 201

    @property
    def body(self) -> str:
        return f"burst {self.key}"


@dataclass
class Burst:
    attempts: list[Attempt] = field(default_factory=list)
    acks: int = 0
    errors: list[str] = field(default_factory=list)

    def begin(self, sender: Member, conversation_id: int, channel: str) -> Attempt:
        attempt = Attempt(uuid.uuid4().hex, sender, conversation_id, channel)
        self.attempts.append(attempt)  # recorded before it leaves: maybe in flight
        return attempt

    def ack(self, attempt: Attempt, message_id: int, seq: int) -> None:
        attempt.acked = (message_id, seq)
        self.acks += 1


def send_frame(attempt: Attempt) -> str:
    return json.dumps(
        {
            "type": "send",
            "conversation_id": attempt.conversation_id,
            "client_key": attempt.key,
            "body": attempt.body,
        }
    )


async def stream_socket(port: int, member: Member) -> ClientConnection:
    ws = await ws_connect(f"ws://127.0.0.1:{port}/api/v1/stream", additional_headers=member.headers)
    while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "ready":
        pass
    return ws


async def ws_sender(port: int, member: Member, targets: list[int], burst: Burst) -> None:
    """Sends pipelined, up to four unacknowledged at a time, until the server dies."""
    pending: dict[str, Attempt] = {}
    room = asyncio.Semaphore(4)
    gone = False

    async def read(ws: ClientConnection) -> None:
        nonlocal gone
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "ack" and frame["client_key"] in pending:
                    burst.ack(pending.pop(frame["client_key"]), frame["message_id"], frame["seq"])
                    room.release()
                elif frame["type"] == "error":
                    burst.errors.append(str(frame))
        gone = True
        for _ in range(8):
            room.release()

    with contextlib.suppress(OSError, ConnectionClosed):
        ws = await stream_socket(port, member)
        reader = asyncio.create_task(read(ws))
        try:
            for i in range(2000):
                await room.acquire()
                if gone:
                    break
                attempt = burst.begin(member, targets[i % len(targets)], "ws")
                pending[attempt.key] = attempt
                await ws.send(send_frame(attempt))
        finally:
            await ws.close()
            await reader


async def http_sender(base_url: str, member: Member, targets: list[int], burst: Burst) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as api:
        for i in range(2000):
            attempt = burst.begin(member, targets[i % len(targets)], "http")
            try:
                response = await send(
                    api, member, attempt.conversation_id, attempt.body, attempt.key
                )
            except httpx.TransportError:
                return
            if response.status_code != 201:
                burst.errors.append(response.text)
                return
            burst.ack(attempt, response.json()["id"], response.json()["seq"])


async def retry(port: int, api: httpx.AsyncClient, attempt: Attempt) -> tuple[int, int, bool]:
    """The same send again, same key, same channel: (message id, seq, created now)."""
    if attempt.channel == "http":
        response = await send(
            api, attempt.sender, attempt.conversation_id, attempt.body, attempt.key
        )
        assert response.status_code in (200, 201), response.text
        return response.json()["id"], response.json()["seq"], response.status_code == 201
    ws = await stream_socket(port, attempt.sender)
    try:
        await ws.send(send_frame(attempt))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame.get("client_key") == attempt.key:
                assert frame["type"] == "ack", frame
                return frame["message_id"], frame["seq"], not frame["duplicate"]
    finally:
        await ws.close()


async def stored_messages(api: httpx.AsyncClient, who: Member, conversation_id: int) -> list[Any]:
    """Every message of the conversation, following the pages back to the first."""
    found: list[Any] = []
    before: str | None = None
    while True:
        params = {"cursor": before} if before else {}
        response = await api.get(
            f"/api/v1/conversations/{conversation_id}", params=params, headers=who.headers
        )
        assert response.status_code == 200, response.text
        found = response.json()["messages"] + found
        before = response.json()["next"]
        if before is None:
            return found


@pytest.fixture
def burst_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLite: a file of its own, migrated. PostgreSQL: the suite's test database."""
    if backend == "postgres":
        yield str(request.getfixturevalue("database_url"))
        return
    url = f"sqlite+aiosqlite:///{tmp_path / 'burst.db'}"
    migrate.upgrade(url)
    yield url


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(
            "sqlite",
            marks=pytest.mark.skipif(ON_POSTGRES, reason="runs in the SQLite pass"),
        ),
        pytest.param(
            "postgres",
            marks=pytest.mark.skipif(
                not ON_POSTGRES, reason="runs in the SOCIALODE_TEST_BACKEND=postgres pass"
            ),
        ),
    ],
)
async def test_kill_9_during_a_burst_loses_no_ack_and_duplicates_nothing(
    backend: str, burst_database: str, tmp_path: Path
) -> None:
    redis_url = backends.REDIS_URL if backend == "postgres" else None
    setup = Services.build(make_settings(tmp_path / "setup", burst_database, redis_url=redis_url))
    server = Server(burst_database, redis_url, tmp_path / "server")
    try:
        await clear_tables(setup)
        async with running(server), httpx.AsyncClient(base_url=server.url, timeout=10) as api:
            ada, bob, cy, dee = await members(api, setup, "ada_k", "bob_k", "cy_k", "dee_k")
            await setup.close()  # the server alone holds the database from here
            for other in (bob, cy, dee):
                await connect(api, ada, other)
            crowd = await group(api, ada, "Crowd", bob, cy, dee)
            pair = await direct(api, ada, bob)

            burst = Burst()
            senders = [
                ws_sender(server.port, ada, [crowd, pair], burst),
                ws_sender(server.port, bob, [pair, crowd], burst),
                ws_sender(server.port, cy, [crowd], burst),
                http_sender(server.url, dee, [crowd], burst),
                http_sender(server.url, ada, [pair], burst),
                http_sender(server.url, bob, [crowd], burst),
            ]
            tasks = [asyncio.create_task(s) for s in senders]
            try:
                await until(lambda: burst.acks >= 60 or all(t.done() for t in tasks), "acks")
                assert not any(t.done() for t in tasks), f"a sender stopped early: {burst.errors}"
                server.kill()  # mid-burst: every sender has more to send
                async with asyncio.timeout(30):
                    await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
            assert not burst.errors, burst.errors
            unacked = [a for a in burst.attempts if a.acked is None]
            assert unacked, "the kill came after the burst, not during it"

            server.start()  # the same database, the same port
            await server.ready()
            await _check_after_crash(server, api, burst, ada, [crowd, pair])
    finally:
        await setup.close()
        await server.stop()
    if backend == "sqlite":
        with contextlib.closing(sqlite3.connect(tmp_path / "burst.db")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def _check_after_crash(
    server: Server, api: httpx.AsyncClient, burst: Burst, ada: Member, conversations: list[int]
) -> None:
    before = {c: await stored_messages(api, ada, c) for c in conversations}
    stored = [m for messages in before.values() for m in messages]
    count = {m["body"]: 0 for m in stored}
    for m in stored:
        count[m["body"]] += 1
    # (a) every acknowledged send survived the crash, exactly once, as acknowledged.
    by_body = {m["body"]: m for m in stored}
    for attempt in burst.attempts:
        if attempt.acked is not None:
            assert count.get(attempt.body) == 1, attempt
            assert (by_body[attempt.body]["id"], by_body[attempt.body]["seq"]) == attempt.acked
    # Nothing is stored that nobody sent.
    assert set(count) <= {a.body for a in burst.attempts}

    # (b) retrying any send with its key stores it at most once: acked ones are duplicates.
    for attempt in burst.attempts:
        message_id, seq, created = await retry(server.port, api, attempt)
        if attempt.acked is not None or attempt.body in count:
            assert not created, attempt
            assert message_id == by_body[attempt.body]["id"] and seq == by_body[attempt.body]["seq"]
    after = {c: await stored_messages(api, ada, c) for c in conversations}
    bodies = [m["body"] for messages in after.values() for m in messages]
    assert sorted(bodies) == sorted(a.body for a in burst.attempts), "lost or doubled"

    # (c) per conversation: unique seqs, and an event log without holes that matches them.
    for conversation_id, messages in after.items():
        seqs = [m["seq"] for m in messages]
        assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)
        replay = Stream(server.port, ada)
        replay.cursor = {"c": {str(conversation_id): 0}}
        await replay.open()
        await replay.close()
        events = [e for e in replay.events if e["conversation_id"] == conversation_id]
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), "a hole or repeat"
        detail = await api.get(f"/api/v1/conversations/{conversation_id}", headers=ada.headers)
        assert detail.json()["last_seq"] == len(events)
        assert {(e["seq"], e["message"]["id"]) for e in events if e["kind"] == "message"} == {
            (m["seq"], m["id"]) for m in messages
        }
