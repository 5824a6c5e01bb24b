"""A suspension takes effect at once everywhere: on two app processes behind one PostgreSQL +
Redis, the suspended member's live socket on the other process closes too (as signed out),
and nothing of theirs works any more. Waits poll with deadlines; no duration is asserted."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from socialode.platform.services import Services
from tests import backends
from tests.conversations.people import Member, Stream, connect, direct, members
from tests.conversations.processes import Server, postgres_and_redis, running, until_subscribed
from tests.helpers import login, make_admin


@pytest.mark.slow
@postgres_and_redis
async def test_a_suspension_closes_the_socket_on_the_other_process(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    one = Server(database_url, backends.REDIS_URL, tmp_path / "one")
    two = Server(database_url, backends.REDIS_URL, tmp_path / "two")
    async with running(one, two), httpx.AsyncClient(base_url=one.url, timeout=10) as api:
        await until_subscribed(backends.REDIS_URL, 2)
        ada, bob = await members(api, services, "ada_sp", "bob_sp")
        await connect(api, ada, bob)
        conversation = await direct(api, ada, bob)
        sent = await api.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"client_key": uuid.uuid4().hex, "body": "you are worthless"},
            headers=bob.headers,
        )
        if sent.status_code == 409:  # the pause: Bob sends it anyway
            token = sent.json()["pause"]["token"]
            sent = await api.post(
                f"/api/v1/conversations/{conversation}/messages",
                json={"client_key": uuid.uuid4().hex, "body": "you are worthless",
                      "pause_token": token, "send_anyway": True},
                headers=bob.headers,
            )  # fmt: skip
        assert sent.status_code == 201, sent.text
        await make_admin(services, "mod_sp")
        moderator = Member("mod_sp", await login(api, "mod_sp"))
        filed = await api.post(
            "/api/v1/reports",
            json={"kind": "message", "id": sent.json()["id"], "reason": "bullying"},
            headers=ada.headers,
        )
        assert filed.status_code == 201, filed.text

        bob_on_two = await Stream(two.port, bob).open()
        ada_on_two = await Stream(two.port, ada).open()
        try:
            decided = await api.post(
                f"/api/v1/moderation/reports/{filed.json()['id']}/decision",
                json={"action": "suspend", "reason": "Cruel words.", "days": 7},
                headers=moderator.headers,
            )
            assert decided.status_code == 200, decided.text
            with pytest.raises(ConnectionClosed) as closed:
                await _read_until_closed(bob_on_two)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
            # Ada, on the same process, is untouched.
            assert ada_on_two.ws is not None
            await ada_on_two.ws.send('{"type": "ping"}')
            assert (await ada_on_two.next())["type"] == "pong"
            async with httpx.AsyncClient(base_url=two.url, timeout=10) as api_two:
                me = await api_two.get("/api/v1/me", headers=bob.headers)
                assert me.status_code == 401
        finally:
            await bob_on_two.close()
            await ada_on_two.close()


async def _read_until_closed(stream: Stream) -> None:
    """Read frames (a notification may come first) until the server closes the socket."""
    assert stream.ws is not None
    while True:
        await asyncio.wait_for(stream.ws.recv(), 5)
