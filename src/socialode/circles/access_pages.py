"""The viewer's own lists of the social graph, a page at a time (``platform.pagination``).

Each list is read after its rule is applied, so a page is full unless the list has ended.
Connections, mutes and circles are bounded by their caps and paged in memory; requests and
blocks are paged in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.circles.access import (
    CircleView,
    ConnectionView,
    PersonSince,
    RequestView,
    access_incoming_requests,
    access_outgoing_requests,
    access_own_blocks,
    access_own_circles,
    access_own_connections,
    access_own_mutes,
    by_name,
)
from socialode.circles.models import ConnectionRequest
from socialode.platform.errors import Invalid
from socialode.platform.pagination import (
    FORGED,
    decode_at_id,
    decode_cursor,
    encode_cursor,
    next_of,
    page_of,
)

PAGE = 50
INCOMING, OUTGOING = 0, 1
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


async def connections_page(
    db: AsyncSession, viewer: Viewer, cursor: str | None
) -> tuple[list[ConnectionView], str | None]:
    """By display name (then handle)."""
    start = decode_cursor(cursor, str, str)
    found = await access_own_connections(db, viewer)
    return page_of(found, lambda c: by_name(c.user), start, PAGE)


async def mutes_page(
    db: AsyncSession, viewer: Viewer, cursor: str | None
) -> tuple[list[PersonSince], str | None]:
    """By display name (then handle)."""
    start = decode_cursor(cursor, str, str)
    return page_of(await access_own_mutes(db, viewer), lambda p: by_name(p.user), start, PAGE)


async def circles_page(
    db: AsyncSession, viewer: Viewer, cursor: str | None
) -> tuple[list[CircleView], str | None]:
    """By name (names are unique among one person's circles), then id."""
    start = decode_cursor(cursor, str, int)
    found = await access_own_circles(db, viewer)
    return page_of(found, lambda c: (c.circle.name_key, c.circle.id), start, PAGE)


async def blocks_page(
    db: AsyncSession, viewer: Viewer, cursor: str | None
) -> tuple[list[PersonSince], str | None]:
    """Oldest block first."""
    found = await access_own_blocks(db, viewer, decode_at_id(cursor), PAGE + 1)
    return found[:PAGE], next_of(found[:PAGE], len(found) > PAGE, lambda b: (b.since, b.user.id))


@dataclass(frozen=True)
class RequestsPage:
    incoming: list[RequestView]
    outgoing: list[RequestView]
    next: str | None


async def requests_page(
    db: AsyncSession, viewer: Viewer, ttl_days: int, cursor: str | None
) -> RequestsPage:
    """Incoming requests oldest first, then outgoing ones: a page holds up to ``PAGE`` of
    them together, and the cursor says which list it stopped in and where."""
    key = decode_cursor(cursor, int, datetime, int)
    side = INCOMING if key is None else key[0]
    if side not in (INCOMING, OUTGOING):
        raise Invalid(FORGED, field="cursor")
    start = None
    if key is not None:
        at, row_id = key[1], key[2]
        assert isinstance(at, datetime) and isinstance(row_id, int)
        start = (at, row_id)
    incoming: list[RequestView] = []
    if side == INCOMING:
        incoming = await access_incoming_requests(db, viewer, ttl_days, start, PAGE + 1)
        if len(incoming) > PAGE:
            last = incoming[PAGE - 1].request
            return RequestsPage(incoming[:PAGE], [], encode_cursor([INCOMING, *_at(last)]))
        start = None
    room = PAGE - len(incoming)
    outgoing = await access_outgoing_requests(db, viewer, ttl_days, start, room + 1)
    nxt = None
    if len(outgoing) > room:
        resume = _at(outgoing[room - 1].request) if room else (BEGINNING, 0)
        nxt = encode_cursor([OUTGOING, *resume])
    return RequestsPage(incoming, outgoing[:room], nxt)


def _at(request: ConnectionRequest) -> tuple[datetime, int]:
    return request.created_at, request.id
