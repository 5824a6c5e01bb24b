"""A small community for moderation tests: Ada reports, Bob is reported (after sending a
threat anyway), Cy sees nothing of them, with a moderator and an administrator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from socialode.platform.services import Services
from tests.conversations.people import Member, connect, direct, members
from tests.helpers import login

THREAT = "I know where you live and I will hurt you"


@dataclass
class World:
    ada: Member  # reports
    bob: Member  # is reported
    cy: Member  # sees nothing of Ada and Bob's conversation
    mod: Member  # a moderator
    admin: Member
    one: int
    message: int


async def build(client: httpx.AsyncClient, services: Services) -> World:
    ada, bob, cy, mod, admin = await members(
        client, services, "ada_r", "bob_r", "cy_r", "mod_r", "admin_r"
    )
    await connect(client, ada, bob)
    from tests.helpers import make_admin

    await make_admin(services, "root_r")
    root = Member("root_r", await login(client, "root_r"))
    for who, role in ((mod, "moderator"), (admin, "admin")):
        made = await client.put(
            f"/api/v1/admin/users/{who.handle}/role", json={"role": role}, headers=root.headers
        )
        assert made.status_code == 200, made.text
    one = await direct(client, ada, bob)
    url = f"/api/v1/conversations/{one}/messages"
    for who, words in ((ada, "are you coming on Sunday?"), (bob, "why would I"), (ada, "ok")):
        sent = await client.post(
            url, json={"client_key": uuid.uuid4().hex, "body": words}, headers=who.headers
        )
        assert sent.status_code == 201, sent.text
    body = {"client_key": uuid.uuid4().hex, "body": THREAT}
    paused = await client.post(url, json=body, headers=bob.headers)
    token = paused.json()["pause"]["token"]
    sent = await client.post(
        url, json={**body, "pause_token": token, "send_anyway": True}, headers=bob.headers
    )
    assert sent.status_code == 201, sent.text
    after = await client.post(
        url, json={"client_key": uuid.uuid4().hex, "body": "what?"}, headers=ada.headers
    )
    assert after.status_code == 201
    return World(ada, bob, cy, mod, admin, one, int(sent.json()["id"]))


async def report(client: httpx.AsyncClient, who: Member, **body: Any) -> httpx.Response:
    return await client.post("/api/v1/reports", json=body, headers=who.headers)


async def decide(
    client: httpx.AsyncClient, w: World, report_id: int, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/moderation/reports/{report_id}/decision", json=body, headers=w.mod.headers
    )
