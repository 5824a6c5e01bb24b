"""The live stream on a real uvicorn: delivery, acks after commit, resume, bad frames."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid

import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from socialode.platform.services import Services
from tests.conversations.people import (
    Member,
    Stream,
    connect,
    direct,
    group,
    members,
    send,
    served,
)
from tests.conversations.processes import until
from tests.helpers import login


async def test_live_delivery_and_ack_after_commit(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_s", "bob_s", "cy_s")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    conversation = await group(client, ada, "Walks", bob, cy)
    async with served(app) as port:
        ada_s, bob_s, cy_s = [await Stream(port, m).open() for m in (ada, bob, cy)]
        assert ada_s.ws is not None
        key = uuid.uuid4().hex
        await ada_s.ws.send(
            json.dumps(
                {
                    "type": "send",
                    "conversation_id": conversation,
                    "client_key": key,
                    "body": "Sunday at ten?",
                }
            )
        )
        frames = [await ada_s.next(), await ada_s.next()]
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack["client_key"] == key and ack["duplicate"] is False
        # Acknowledged means committed: another session reads it from the database.
        assert (
            await client.get(f"/api/v1/conversations/{conversation}", headers=cy.headers)
        ).json()["messages"][-1]["id"] == ack["message_id"]
        for stream in (bob_s, cy_s):
            event = await stream.next()
            assert event["kind"] == "message" and event["message"]["body"] == "Sunday at ten?"
            assert event["notify"] is True
        # Same key again: acknowledged as a duplicate, nobody gets a second event.
        await ada_s.ws.send(
            json.dumps(
                {
                    "type": "send",
                    "conversation_id": conversation,
                    "client_key": key,
                    "body": "Sunday at ten?",
                }
            )
        )
        again = await ada_s.next()
        assert again["type"] == "ack" and again["duplicate"] is True
        await bob_s.drain()
        assert [e["message"]["body"] for e in bob_s.events] == ["Sunday at ten?"]
        for stream in (ada_s, bob_s, cy_s):
            await stream.close()


async def test_reconnect_gets_each_missed_event_once_in_order(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_s", "bob_s", "cy_s")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    one = await direct(client, ada, bob)
    walks = await group(client, ada, "Walks", bob, cy)
    async with served(app) as port:
        bob_s = await Stream(port, bob).open()
        await send(client, ada, one, "first")
        assert (await bob_s.next())["message"]["body"] == "first"
        await bob_s.close()
        sent = []
        for i in range(30):
            conversation = one if i % 2 else walks
            body = f"missed {i}"
            who = cy if conversation == walks and i % 3 == 0 else ada
            assert (await send(client, who, conversation, body)).status_code == 201
            sent.append((conversation, body))
        edit_target = (await send(client, ada, one, "to edit")).json()["id"]
        sent.append((one, "to edit"))
        await client.patch(
            f"/api/v1/messages/{edit_target}", json={"body": "edited"}, headers=ada.headers
        )
        bob_s.events.clear()
        await bob_s.open()
        await send(client, ada, one, "live again")
        sent.append((one, "live again"))
        await bob_s.drain()
        got = [(e["conversation_id"], e["seq"], e["kind"]) for e in bob_s.events]
        assert len(got) == len(set(got)), "an event arrived twice"
        for conversation in (one, walks):
            seqs = [s for c, s, _ in got if c == conversation]
            assert seqs == sorted(seqs), "events out of order"
        messages = [
            (e["conversation_id"], e["message"]["body"])
            for e in bob_s.events
            if e["kind"] == "message"
        ]
        assert sorted(messages) == sorted((c, "edited" if b == "to edit" else b) for c, b in sent)
        assert [e["kind"] for e in bob_s.events].count("edit") == 1
        await bob_s.close()


async def test_unauthenticated_and_cross_site_sockets_are_refused(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_s")
    async with served(app) as port:
        url = f"ws://127.0.0.1:{port}/api/v1/stream"
        with pytest.raises(InvalidStatus) as anonymous:
            await ws_connect(url)
        assert anonymous.value.response.status_code == 403
        with pytest.raises(InvalidStatus) as cross:
            await ws_connect(url, additional_headers=ada.headers, origin="https://evil.example")  # type: ignore[arg-type]
        assert cross.value.response.status_code == 403


async def _read_until_closed(ws: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), 5)


async def _closed_with(port: int, headers: dict[str, str], payload: str | bytes) -> int:
    async with ws_connect(
        f"ws://127.0.0.1:{port}/api/v1/stream", additional_headers=headers, max_size=None
    ) as ws:
        while json.loads(await ws.recv())["type"] != "ready":
            pass
        await ws.send(payload)
        with pytest.raises(ConnectionClosed) as closed:
            await _read_until_closed(ws)
        assert closed.value.rcvd is not None
        return closed.value.rcvd.code


async def test_bad_frames_close_only_that_socket(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_s", "bob_s")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    async with served(app) as port:
        bob_s = await Stream(port, bob).open()
        assert await _closed_with(port, ada.headers, "{not json") == 1007
        assert await _closed_with(port, ada.headers, '["a list"]') == 1007
        assert await _closed_with(port, ada.headers, "x" * (70 * 1024)) == 1009
        assert await _closed_with(port, ada.headers, b"\x00binary") == 1003
        # Well-formed but wrong: an error frame, the socket stays open.
        ada_s = await Stream(port, ada).open()
        assert ada_s.ws is not None
        for frame, status in (
            (
                {
                    "type": "send",
                    "conversation_id": conversation,
                    "client_key": "k" * 10,
                    "body": "",
                },
                422,
            ),
            (
                {"type": "send", "conversation_id": 999999, "client_key": "k" * 10, "body": "hi"},
                404,
            ),
            ({"type": "send", "conversation_id": "1", "client_key": "k" * 10, "body": "hi"}, 400),
            (
                {
                    "type": "send",
                    "conversation_id": conversation,
                    "client_key": "short",
                    "body": "hi",
                },
                422,
            ),
            (
                {
                    "type": "send",
                    "conversation_id": conversation,
                    "client_key": "k" * 10,
                    "body": "x" * 4001,
                },
                422,
            ),
            ({"type": "dance"}, 400),
        ):
            await ada_s.ws.send(json.dumps(frame))
            answer = await ada_s.next()
            assert answer["type"] == "error" and answer["status"] == status, (frame, answer)
            assert answer["detail"]
        # Bob's socket was unaffected by all of this.
        await send(client, ada, conversation, "still here")
        assert (await bob_s.next())["message"]["body"] == "still here"
        await ada_s.close()
        await bob_s.close()


async def test_a_client_that_stops_reading_is_dropped_without_slowing_others(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_s", "bob_s", "cy_s")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    conversation = await group(client, ada, "Busy", bob, cy)
    services.settings.stream_queue_events = 10
    services.settings.rate_messages = "100000/minute"
    async with served(app) as port:
        # Bob's client: a raw socket that completes the handshake and never reads again.
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.connect(("127.0.0.1", port))
        raw.sendall(
            (
                f"GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                f"Authorization: Bearer {bob.token}\r\n\r\n"
            ).encode()
        )
        cy_s = await Stream(port, cy).open()
        big = "y" * 3900
        hub = services.hub
        # Bob's raw handshake may still be on its way in; wait until both sockets are there.
        await until(lambda: hub.local_count() == 2, "both sockets to be registered")
        sent = 0
        # Kernel buffers absorb a few megabytes first; then Bob's queue fills and he is cut off.
        while hub.local_count() == 2 and sent < 3000:
            assert (await send(client, ada, conversation, f"{sent} {big}")).status_code == 201
            event = await cy_s.next()  # Cy keeps getting every message promptly
            assert event["message"]["body"].startswith(f"{sent} ")
            sent += 1
        assert hub.local_count() == 1, "the client that stopped reading is still connected"
        await send(client, ada, conversation, "after the drop")
        assert (await cy_s.next())["message"]["body"] == "after the drop"
        raw.close()
        await cy_s.close()


async def test_ending_a_session_closes_its_sockets_only(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_s")
    other = await login(client, "ada_s")
    async with served(app) as port:
        kept = await Stream(port, ada).open()
        ended = await Stream(port, Member("ada_s", other)).open()
        sessions = (await client.get("/api/v1/sessions", headers=ada.headers)).json()["sessions"]
        target = next(s["id"] for s in sessions if not s["current"])
        assert (
            await client.delete(f"/api/v1/sessions/{target}", headers=ada.headers)
        ).status_code == 204
        assert ended.ws is not None
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ended.ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
        assert kept.ws is not None
        await kept.ws.send(json.dumps({"type": "ping"}))
        assert (await kept.next())["type"] == "pong"
        await kept.close()


async def test_muted_people_arrive_without_notification(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_s", "bob_s", "cy_s")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    await connect(client, bob, cy)
    walks = await group(client, ada, "Walks", bob, cy)
    assert (await client.put("/api/v1/mutes/bob_s", headers=ada.headers)).status_code == 204
    async with served(app) as port:
        ada_s, cy_s = await Stream(port, ada).open(), await Stream(port, cy).open()
        await send(client, bob, walks, "from the muted one")
        await send(client, cy, walks, "from someone else")
        await ada_s.drain()
        await cy_s.drain()
        notify = {e["message"]["body"]: e["notify"] for e in ada_s.events}
        assert notify == {"from the muted one": False, "from someone else": True}
        assert [e["notify"] for e in cy_s.events] == [True, False]  # no ping for your own
        await ada_s.close()
        await cy_s.close()
