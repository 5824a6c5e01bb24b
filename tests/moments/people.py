"""Circles and moments built through the API, for moments tests."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from tests.conversations.people import Member
from tests.pages import page_url


async def make_circle(client: httpx.AsyncClient, owner: Member, name: str, *people: Member) -> int:
    response = await client.post("/api/v1/circles", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    circle_id = int(response.json()["id"])
    for person in people:
        await add(client, owner, circle_id, person)
    return circle_id


async def add(client: httpx.AsyncClient, owner: Member, circle_id: int, person: Member) -> None:
    response = await client.put(
        f"/api/v1/circles/{circle_id}/members/{person.handle}", headers=owner.headers
    )
    assert response.status_code == 200, response.text


async def remove(client: httpx.AsyncClient, owner: Member, circle_id: int, person: Member) -> None:
    response = await client.delete(
        f"/api/v1/circles/{circle_id}/members/{person.handle}", headers=owner.headers
    )
    assert response.status_code == 204, response.text


async def share(
    client: httpx.AsyncClient,
    who: Member,
    body: str,
    circles: list[int] | None = None,
    people: list[Member] | None = None,
    **extra: Any,
) -> httpx.Response:
    payload = {
        "body": body,
        "circles": circles or [],
        "people": [p.handle for p in people or []],
        **extra,
    }
    return await client.post("/api/v1/moments", json=payload, headers=who.headers)


async def shared(client: httpx.AsyncClient, who: Member, body: str, **kw: Any) -> int:
    response = await share(client, who, body, **kw)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def read_feed(client: httpx.AsyncClient, who: Member) -> list[dict[str, Any]]:
    """A whole reading pass: every page until caught up."""
    url: str | None = "/api/v1/feed"
    seen: list[dict[str, Any]] = []
    for _ in range(1000):
        assert url is not None
        response = await client.get(url, headers=who.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen.extend(page["moments"])
        url = page_url("/api/v1/feed", page["next"]) if page["next"] else None
        if url is None:
            assert page["caught_up"] is True
            return seen
    raise AssertionError("the feed did not end")


async def day_ids(client: httpx.AsyncClient, who: Member, day: str) -> list[int]:
    url: str | None = f"/api/v1/feed/days/{day}"
    ids: list[int] = []
    while url:
        response = await client.get(url, headers=who.headers)
        assert response.status_code == 200, response.text
        ids += [m["id"] for m in response.json()["moments"]]
        nxt = response.json()["next"]
        url = page_url(f"/api/v1/feed/days/{day}", nxt) if nxt else None
    return ids


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt, **save)
    return out.getvalue()
