"""Features plug into the live stream by registering (platform.live); the gateway answers
only what is registered, and names those frame types when it meets another."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from socialode.conversations.live import STREAMS, read_frame, register_live, send_frame
from socialode.platform import live
from socialode.platform.services import Services
from tests.conversations.people import Stream, connect, direct, members, send, served


async def _other_handler(svc: Services, viewer: Any, frame: dict[str, Any]) -> None:
    return None


class _OtherStreams:
    async def resume_points(self, *args: Any) -> tuple[dict[int, int], dict[int, int]]:
        return {}, {}

    async def replay(self, *args: Any, limit: int) -> live.ReplayPage:
        return live.ReplayPage([], {}, more=False)


@pytest.mark.once
def test_registering_again_is_harmless_and_a_second_owner_is_refused() -> None:
    register_live()
    register_live()
    assert live.frame_types()[:2] == ["send", "read"]
    assert live.frame_handler("send") is send_frame
    assert live.frame_handler("read") is read_frame
    assert live.stream_source() is STREAMS
    with pytest.raises(ValueError, match="'send' is already answered"):
        live.register_frame("send", _other_handler)
    with pytest.raises(ValueError, match="'ping' is already answered"):
        live.register_frame("ping", _other_handler)
    with pytest.raises(ValueError, match="stream source is already registered"):
        live.register_stream_source(_OtherStreams())
    # Nothing was replaced by the refusals.
    assert live.frame_handler("send") is send_frame
    assert live.stream_source() is STREAMS


async def test_the_gateway_answers_registered_frames_only(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_r", "bob_r")
    await connect(client, ada, bob)
    conversation = await direct(client, ada, bob)
    assert (await send(client, ada, conversation, "Tea?")).status_code == 201

    async def unread() -> bool:
        listed = await client.get("/api/v1/conversations", headers=bob.headers)
        return bool(listed.json()["conversations"][0]["unread"])

    assert await unread()
    async with served(app) as port:
        bob_s = await Stream(port, bob).open()
        assert bob_s.ws is not None
        await bob_s.ws.send(json.dumps({"type": "dance", "client_key": "k1"}))
        assert await bob_s.next() == {
            "type": "error",
            "client_key": "k1",
            "status": 400,
            "detail": "Unknown frame type; use send, read or ping.",
            "field": "type",
        }
        # read answers nothing; the pong after it means it was handled (frames go in order).
        assert bob_s.cursor is not None
        seq = bob_s.cursor["c"][str(conversation)]
        read = {"type": "read", "conversation_id": conversation, "seq": seq}
        await bob_s.ws.send(json.dumps(read))
        await bob_s.ws.send(json.dumps({"type": "ping"}))
        assert await bob_s.next() == {"type": "pong"}
        assert not await unread()
        await bob_s.ws.send(json.dumps({"type": "read", "conversation_id": conversation}))
        answer = await bob_s.next()
        assert (answer["status"], answer["field"]) == (400, "seq")
        assert answer["detail"] == "'seq' must be a whole number."
        await bob_s.close()
