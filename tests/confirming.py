"""Checking an action that asks first: the question changes nothing; agreeing acts."""

from __future__ import annotations

import html
from typing import Protocol

import httpx

from socialode.platform.services import Services
from tests.form_helpers import Page, page_of, stored_state


class Member(Protocol):
    @property
    def headers(self) -> dict[str, str]: ...


async def asks_then_acts(
    client: httpx.AsyncClient,
    services: Services,
    who: Member,
    path: str,
    question: str,
    data: dict[str, str] | None = None,
) -> httpx.Response:
    """POST ``path`` without ``confirm``: the answer is a page asking ``question`` whose form
    posts the same fields again with ``confirm=yes``, and nothing at all was written. Then
    agree, and return that answer (the caller checks what it did)."""
    before = await stored_state(services)
    asked = await client.post(path, data=data or {}, headers=who.headers)
    assert asked.status_code == 200, asked.text
    page = page_of(asked)
    assert page.h1 == question, page.h1
    assert page.inputs["confirm"].get("value") == "yes"
    assert f'action="{path}"' in asked.text
    for name, value in (data or {}).items():
        assert page.inputs[name].get("value") == value, name
    assert await stored_state(services) == before, "asking changed something"
    agreed = {**(data or {}), "confirm": "yes"}
    return await client.post(path, data=agreed, headers=who.headers)


async def notice_after(client: httpx.AsyncClient, who: Member, response: httpx.Response) -> Page:
    """Follow a 303 and return the page it leads to (its ``role=status`` notice included)."""
    assert response.status_code == 303, response.text
    shown = await client.get(response.headers["location"], headers=who.headers)
    assert shown.status_code == 200, shown.text
    return page_of(shown)


def notice_of(page: Page) -> str:
    """The short confirmation at the top of a page."""
    marker = '<p class="notice" role="status">'
    assert marker in page.html, "no notice on the page"
    return html.unescape(page.html.split(marker, 1)[1].split("</p>", 1)[0])
