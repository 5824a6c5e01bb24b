"""Bad input to every conversations endpoint and form: a clear 4xx, and nothing written."""

# ruff: noqa: E501  (the tables of cases read best one case per line)

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from socialode.platform.services import Services
from tests.accounts.test_bad_input_api import assert_refused
from tests.conversations.people import Member, connect, direct, group, members, send
from tests.form_helpers import assert_form_refused


@dataclass
class Setup:
    ada: Member
    bob: Member
    cy: Member
    dee: Member  # connected to nobody
    one: int  # Ada and Bob
    walks: int  # Ada's group with Bob and Cy
    bob_message: int


@pytest.fixture
async def setup(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[Setup]]
) -> Setup:
    return await reuse(lambda: build_setup(client, services))


async def build_setup(client: httpx.AsyncClient, services: Services) -> Setup:
    ada, bob, cy, dee = await members(client, services, "ada_x", "bob_x", "cy_x", "dee_x")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    one = await direct(client, ada, bob)
    walks = await group(client, ada, "Walks", bob, cy)
    bob_message = (await send(client, bob, one, "hello")).json()["id"]
    return Setup(ada, bob, cy, dee, one, walks, bob_message)


Call = Callable[[httpx.AsyncClient, Setup], Awaitable[httpx.Response]]


def post(path: str, who: str, body: Any) -> Call:
    def call(client: httpx.AsyncClient, s: Setup) -> Awaitable[httpx.Response]:
        url = path.format(one=s.one, walks=s.walks, msg=s.bob_message)
        return client.post(url, json=body, headers=getattr(s, who).headers)

    return call


def request(method: str, path: str, who: str, body: Any = None) -> Call:
    def call(client: httpx.AsyncClient, s: Setup) -> Awaitable[httpx.Response]:
        url = path.format(one=s.one, walks=s.walks, msg=s.bob_message)
        return client.request(method, url, json=body, headers=getattr(s, who).headers)

    return call


KEY = "0123456789abcdef"
SEND = "/api/v1/conversations/{one}/messages"
CASES: list[tuple[str, Call, int, str]] = [
    ("empty message", post(SEND, "ada", {"client_key": KEY, "body": "  \n "}), 422, "write"),
    ("oversized", post(SEND, "ada", {"client_key": KEY, "body": "x" * 4001}), 422, "4,000"),
    ("only control characters", post(SEND, "ada", {"client_key": KEY, "body": "\x00\x07"}), 422, "write"),
    ("short key", post(SEND, "ada", {"client_key": "abc", "body": "hi"}), 422, "idempotency"),
    ("key with spaces", post(SEND, "ada", {"client_key": "a b c d e f g h", "body": "hi"}), 422, "idempotency"),
    ("no key", post(SEND, "ada", {"body": "hi"}), 422, "client key"),
    ("body not text", post(SEND, "ada", {"client_key": KEY, "body": 5}), 422, "body"),
    ("unknown field", post(SEND, "ada", {"client_key": KEY, "body": "hi", "x": 1}), 422, "x"),
    ("not json", lambda c, s: c.post(SEND.format(one=s.one), content=b"{", headers={**s.ada.headers, "content-type": "application/json"}), 422, ""),
    ("to a non-member", post(SEND, "cy", {"client_key": KEY, "body": "hi"}), 404, "no such conversation"),
    ("to an unknown conversation", post("/api/v1/conversations/999999/messages", "ada", {"client_key": KEY, "body": "hi"}), 404, "no such conversation"),
    ("to an absurd id", post("/api/v1/conversations/99999999999/messages", "ada", {"client_key": KEY, "body": "hi"}), 422, ""),
    ("direct with a stranger", post("/api/v1/conversations/direct", "ada", {"handle": "dee_x"}), 404, "connected"),
    ("direct with nobody", post("/api/v1/conversations/direct", "ada", {"handle": "nobody_here"}), 404, "no member"),
    ("direct with yourself", post("/api/v1/conversations/direct", "ada", {"handle": "ada_x"}), 404, "connected"),
    ("group without a name", post("/api/v1/conversations/groups", "ada", {"name": " ", "members": ["bob_x"]}), 422, "name"),
    ("group name too long", post("/api/v1/conversations/groups", "ada", {"name": "n" * 81, "members": ["bob_x"]}), 422, "80"),
    ("group of nobody", post("/api/v1/conversations/groups", "ada", {"name": "Us", "members": []}), 422, "at least one"),
    ("group with a stranger", post("/api/v1/conversations/groups", "ada", {"name": "Us", "members": ["bob_x", "dee_x"]}), 404, "connected"),
    ("group too big", post("/api/v1/conversations/groups", "ada", {"name": "Us", "members": [f"m{i}_x" for i in range(20)]}), 422, "up to 20"),
    ("rename by a member", request("PATCH", "/api/v1/conversations/{walks}", "bob", {"name": "Mine"}), 404, "started this group"),
    ("rename a one-to-one", request("PATCH", "/api/v1/conversations/{one}", "ada", {"name": "Us"}), 422, "one-to-one"),
    ("add by a member", post("/api/v1/conversations/{walks}/members", "bob", {"handle": "ada_x"}), 404, "started this group"),
    ("add a stranger", post("/api/v1/conversations/{walks}/members", "ada", {"handle": "dee_x"}), 404, "connected"),
    ("add someone already in", post("/api/v1/conversations/{walks}/members", "ada", {"handle": "bob_x"}), 409, "already"),
    ("remove someone not in", request("DELETE", "/api/v1/conversations/{walks}/members/dee_x", "ada"), 404, "not in this group"),
    ("remove yourself", request("DELETE", "/api/v1/conversations/{walks}/members/ada_x", "ada"), 422, "leave"),
    ("leave a one-to-one", post("/api/v1/conversations/{one}/leave", "ada", None), 422, "one-to-one"),
    ("edit someone else's", request("PATCH", "/api/v1/messages/{msg}", "ada", {"body": "mine now"}), 404, "no such message"),
    ("edit to empty", request("PATCH", "/api/v1/messages/{msg}", "bob", {"body": ""}), 422, "write"),
    ("delete someone else's", request("DELETE", "/api/v1/messages/{msg}", "ada"), 404, "no such message"),
    ("read a negative seq", post("/api/v1/conversations/{one}/read", "ada", {"seq": -1}), 422, "seq"),
    ("read in someone else's", post("/api/v1/conversations/{one}/read", "cy", {"seq": 1}), 404, "no such conversation"),
    ("settings not boolean", request("PUT", "/api/v1/settings/chat", "ada", {"read_receipts": "perhaps"}), 422, "read receipts"),
]  # fmt: skip


@pytest.mark.reuses_setup
@pytest.mark.parametrize(("name", "call", "status", "words"), CASES, ids=[c[0] for c in CASES])
async def test_conversations_api_refuses(
    client: httpx.AsyncClient,
    services: Services,
    setup: Setup,
    name: str,
    call: Call,
    status: int,
    words: str,
) -> None:
    await assert_refused(services, call(client, setup), status, words or None)


async def test_blocked_person_cannot_send(
    client: httpx.AsyncClient, services: Services, setup: Setup
) -> None:
    assert (await client.put("/api/v1/blocks/bob_x", headers=setup.ada.headers)).status_code == 204
    body = {"client_key": uuid.uuid4().hex, "body": "are you there?"}
    await assert_refused(
        services,
        client.post(
            f"/api/v1/conversations/{setup.one}/messages", json=body, headers=setup.bob.headers
        ),
        404,
        "no such conversation",
    )


def form(path: str, who: str, data: dict[str, str]) -> Call:
    def call(client: httpx.AsyncClient, s: Setup) -> Awaitable[httpx.Response]:
        url = path.format(one=s.one, walks=s.walks, msg=s.bob_message)
        return client.post(url, data=data, headers=getattr(s, who).headers)

    return call


FORMS: list[tuple[str, Call, int, str, str, dict[str, str]]] = [
    ("empty message", form("/conversations/{one}/messages", "ada", {"client_key": KEY, "body": " "}), 422, "body", "write", {}),
    ("oversized message", form("/conversations/{one}/messages", "ada", {"client_key": KEY, "body": "y" * 4001}), 422, "body", "4,000", {"body": "y" * 4001}),
    ("missing key", form("/conversations/{one}/messages", "ada", {"body": "kept text"}), 422, "_form", "idempotency", {"body": "kept text"}),
    ("group without name", form("/conversations/groups", "ada", {"name": "", "members": "bob_x"}), 422, "name", "name", {}),
    ("group of a stranger", form("/conversations/groups", "ada", {"name": "Us", "members": "dee_x"}), 404, "members", "connected", {"name": "Us"}),
    ("direct with a stranger", form("/conversations/direct", "ada", {"handle": "dee_x"}), 404, "handle", "connected", {}),
    ("add a stranger", form("/conversations/{walks}/members", "ada", {"handle": "dee_x"}), 404, "handle", "connected", {}),
    ("rename to nothing", form("/conversations/{walks}/rename", "ada", {"name": "  "}), 422, "name", "name", {}),
    ("edit to empty", form("/messages/{msg}/edit", "bob", {"body": ""}), 422, "body", "write", {}),
]  # fmt: skip


@pytest.mark.reuses_setup
@pytest.mark.parametrize(
    ("name", "call", "status", "where", "words", "kept"), FORMS, ids=[f[0] for f in FORMS]
)
async def test_conversation_forms_refuse(
    client: httpx.AsyncClient,
    services: Services,
    setup: Setup,
    name: str,
    call: Call,
    status: int,
    where: str,
    words: str,
    kept: dict[str, str],
) -> None:
    await assert_form_refused(services, call(client, setup), status, where, words, kept=kept)
