"""Following a list's pages the way a client does: pass each page's ``next`` back as
``?cursor=`` until it is null."""

from __future__ import annotations

from typing import Any

import httpx

MOST_PAGES = 1000


def page_url(base: str, cursor: str | None) -> str:
    """The address of the page a cursor names (the first page without one)."""
    if cursor is None:
        return base
    return str(httpx.URL(base).copy_merge_params({"cursor": cursor}))


async def all_pages(
    client: httpx.AsyncClient, base: str, headers: dict[str, str]
) -> list[dict[str, Any]]:
    """Every page of a list, in order, until ``next`` is null."""
    pages: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MOST_PAGES):
        response = await client.get(page_url(base, cursor), headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        cursor = pages[-1]["next"]
        if cursor is None:
            return pages
    raise AssertionError(f"{base} did not end")
