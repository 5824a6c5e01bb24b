"""The API's promises to client developers, read off its OpenAPI document and its answers:
every list pages with one cursor, every operation says how to authenticate, schema names are
clean, and every 4xx answers ``{"detail", "field"}``."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from socialode.platform.pagination import FORGED
from socialode.platform.services import Services
from tests.helpers import PASSWORD, bearer, make_members

PUBLIC = {
    ("POST", "/api/v1/waitlist"),
    ("GET", "/api/v1/waitlist/status/{signed}"),
    ("GET", "/api/v1/invites/{token}"),
    ("POST", "/api/v1/auth/signup"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
}
SIGNED_IN: list[dict[str, list[str]]] = [{"sessionCookie": []}, {"bearer": []}]
MAX_UPLOAD = 4096


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"max_upload_bytes": MAX_UPLOAD, "rate_login_client": "3/minute"}


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    return schema


def answer_schema(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    ok = op["responses"].get("200", {})
    return resolve(doc, ok.get("content", {}).get("application/json", {}).get("schema", {}))


def is_list(doc: dict[str, Any], path: str, op: dict[str, Any]) -> bool:
    """An object with a list and a ``next``, or a bare array from a path without an id."""
    schema = answer_schema(doc, op)
    if schema.get("type") == "array":
        return "{" not in path
    props = schema.get("properties", {})
    lists = [p for p in props.values() if resolve(doc, p).get("type") == "array"]
    return "next" in props and bool(lists)


async def openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


async def test_every_list_pages_with_one_cursor(client: httpx.AsyncClient) -> None:
    doc = await openapi(client)
    lists = [(m, p, op) for m, p, op in operations(doc) if m == "GET" and is_list(doc, p, op)]
    assert len(lists) >= 15, "the walk found too few lists to be looking at the right thing"
    for method, path, op in lists:
        schema = answer_schema(doc, op)
        assert schema.get("type") == "object", f"{method} {path} answers a bare array"
        assert "next" in schema["properties"], f"{method} {path} has no next"
        query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        assert "cursor" in query, f"{method} {path} takes no cursor"
        assert not query & {"before", "after", "before_seq", "top"}, f"{method} {path}: {query}"
        assert not set(schema["properties"]) & {"next_before", "next_after", "earlier_before_seq"}


async def test_every_operation_declares_how_to_sign_in(client: httpx.AsyncClient) -> None:
    doc = await openapi(client)
    schemes = doc["components"]["securitySchemes"]
    assert schemes["sessionCookie"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "socialode_session",
        "description": schemes["sessionCookie"]["description"],
    }
    assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"] == "bearer"
    for method, path, op in operations(doc):
        assert "security" in op, f"{method} {path} declares no security"
        if (method, path) in PUBLIC:
            assert op["security"] == [], f"{method} {path} is public"
        else:
            required = [r for r in op["security"] if r]
            assert required == SIGNED_IN, f"{method} {path}: {op['security']}"
    assert next(op for m, p, op in operations(doc) if p == "/api/v1/session")["security"] == [
        *SIGNED_IN,
        {},
    ]


async def test_schema_names_carry_no_module_path(client: httpx.AsyncClient) -> None:
    doc = await openapi(client)
    names = list(doc["components"]["schemas"])
    assert [n for n in names if "__" in n or "." in n] == []
    assert {"PersonOut", "NoticeOut", "ErrorOut"} <= set(names)
    error = doc["components"]["schemas"]["ErrorOut"]
    assert {"detail", "field"} <= set(error["required"])


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> str:
    assert response.status_code == status, (response.request.url, response.text)
    body = response.json()
    assert set(body) >= {"detail", "field"}, body
    assert isinstance(body["detail"], str) and body["detail"].endswith((".", "?")), body
    assert body["field"] == field, body
    assert not re.fullmatch(r"\d+", str(body["field"])), body
    return str(body["detail"])


async def test_every_router_answers_errors_in_one_shape(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await make_members(client, services, 1, "shape")
    me = ada.headers
    # 401 from every router, signed out.
    for path in (
        "/api/v1/me",
        "/api/v1/connections",
        "/api/v1/conversations",
        "/api/v1/feed",
        "/api/v1/notifications",
    ):
        assert_error(await client.get(path), 401)
    # 404: unknown addresses, and things that are not there, in every router.
    assert_error(await client.get("/api/v1/nothing-here", headers=me), 404)
    assert_error(await client.get("/api/v1/people/nobody_here", headers=me), 404, "handle")
    assert_error(await client.delete("/api/v1/sessions/999999", headers=me), 404)
    assert_error(await client.get("/api/v1/conversations/999999", headers=me), 404)
    assert_error(await client.get("/api/v1/moments/999999", headers=me), 404)
    assert_error(await client.get("/api/v1/circles/999999", headers=me), 404)
    # The old second person endpoint is gone; /people/{handle} is the one.
    assert_error(await client.get("/api/v1/users/shape_1", headers=me), 404)
    # 405: a method the address does not take.
    assert_error(await client.delete("/api/v1/feed", headers=me), 405)
    # 422: bad input names its field; a body that is not JSON says so.
    made = await client.post("/api/v1/circles", json={"name": ""}, headers=me)
    assert_error(made, 422, "name")
    not_json = await client.post(
        "/api/v1/auth/login",
        content=b'{"login": "shape_1", ',
        headers={"content-type": "application/json"},
    )
    assert assert_error(not_json, 422) == "The request body is not valid JSON."
    for path in ("/api/v1/notifications", "/api/v1/conversations", "/api/v1/connections"):
        forged = await client.get(path, params={"cursor": "bm90IGEgY3Vyc29y"}, headers=me)
        assert assert_error(forged, 422, "cursor") == FORGED
    assert_error(await client.get("/api/v1/moments/0", headers=me), 422, "moment_id")
    # 409: a conflict with what is there.
    assert (await client.post("/api/v1/circles", json={"name": "Kin"}, headers=me)).status_code
    assert_error(
        await client.post("/api/v1/circles", json={"name": "Kin"}, headers=me), 409, "name"
    )
    # 413: too large, refused before it is read.
    big = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("a.png", b"x" * (MAX_UPLOAD + 70000))}, headers=me
    )
    assert_error(big, 413)
    # 403: a browser request from another site.
    cross = await client.post(
        "/api/v1/circles", json={"name": "X"}, headers={**me, "Origin": "https://elsewhere.example"}
    )
    assert_error(cross, 403)
    # 429: too many attempts, with Retry-After.
    for _ in range(3):
        await client.post("/api/v1/auth/login", json={"login": "shape_1", "password": "wrong!"})
    limited = await client.post(
        "/api/v1/auth/login", json={"login": "shape_1", "password": PASSWORD}
    )
    assert_error(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0


async def test_success_codes_are_the_same_for_the_same_kind_of_action(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Creating answers 201, deleting or removing 204; opening a one-to-one that is already
    there answers 200 with the same conversation."""
    from tests.helpers import connect

    ada, bob, cy = await make_members(client, services, 3, "codes")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    opened = await client.post(
        "/api/v1/conversations/direct", json={"handle": bob.handle}, headers=ada.headers
    )
    again = await client.post(
        "/api/v1/conversations/direct", json={"handle": ada.handle}, headers=bob.headers
    )
    assert (opened.status_code, again.status_code) == (201, 200)
    assert opened.json()["id"] == again.json()["id"]
    group = await client.post(
        "/api/v1/conversations/groups",
        json={"name": "Walks", "members": [bob.handle, cy.handle]},
        headers=ada.headers,
    )
    assert group.status_code == 201
    gid = group.json()["id"]
    sent = await client.post(
        f"/api/v1/conversations/{gid}/messages",
        json={"client_key": "0b9c3f7e-7d1f-4a55-9a47-6c1e1b5d2a10", "body": "Sunday?"},
        headers=ada.headers,
    )
    assert sent.status_code == 201
    for response in (
        await client.delete(f"/api/v1/messages/{sent.json()['id']}", headers=ada.headers),
        await client.delete(
            f"/api/v1/conversations/{gid}/members/{cy.handle}", headers=ada.headers
        ),
        await client.post(f"/api/v1/conversations/{gid}/leave", headers=bob.headers),
        await client.delete("/api/v1/me/avatar", headers=ada.headers),
    ):
        assert response.status_code == 204, (response.request.url, response.text)
        assert response.content == b""
    asked = await client.post(
        "/api/v1/connections/requests", json={"handle": "codes_3"}, headers=bearer(bob.token)
    )
    assert asked.status_code == 201
    accepted = await client.post(
        f"/api/v1/connections/requests/{asked.json()['request']['id']}/accept", headers=cy.headers
    )
    assert accepted.status_code == 201
