"""/api/v1 routes of the circles feature: parse, access, one action, return a schema.

Every list here is the viewer's own, finite, and read a page at a time with a cursor.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from socialode.accounts.actions.profile import avatar_file
from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.circles import access, access_pages, access_people, access_search, actions
from socialode.circles.schemas import (
    BlocksOut,
    CircleIn,
    CircleOut,
    CirclesOut,
    ConnectionOut,
    ConnectionsOut,
    MutesOut,
    PersonBrief,
    PersonOut,
    PersonSinceOut,
    RequestIn,
    RequestOut,
    RequestsOut,
    SearchOut,
    SentOut,
)
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_
from socialode.platform.pagination import Cursor

router = APIRouter(prefix="/api/v1", responses=ERRORS)

SearchQuery = Annotated[
    str, Query(description="Part of a name or handle; up to 100 characters, no control characters.")
]
# untranslated: the API reference is in English
IMAGE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The photo, as JPEG.",
        "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get("/connections", tags=["connections"])
async def connections(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> ConnectionsOut:
    """Your connections by display name; never more than the connection cap."""
    page, nxt = await access_pages.connections_page(db, viewer, cursor)
    return ConnectionsOut(connections=[ConnectionOut.of_view(c) for c in page], next=nxt)


@router.delete("/connections/{handle}", status_code=204, tags=["connections"])
async def remove_connection(handle: str, viewer: CurrentViewer, db: DB) -> None:
    """End a connection, silently; you leave each other's circles."""
    await actions.do_remove_connection(db, viewer, handle)


@router.get("/connections/requests", tags=["connections"])
async def requests(viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None) -> RequestsOut:
    """Requests waiting for you, then those waiting for others, oldest first."""
    ttl = svc.settings.request_ttl_days
    page = await access_pages.requests_page(db, viewer, ttl, cursor)
    return RequestsOut(
        incoming=[RequestOut.of(r, ttl) for r in page.incoming],
        outgoing=[RequestOut.of(r, ttl) for r in page.outgoing],
        next=page.next,
    )


@router.post("/connections/requests", status_code=201, tags=["connections"])
async def send_request(body: RequestIn, viewer: CurrentViewer, svc: Svc, db: DB) -> SentOut:
    """Ask someone to connect. If they already asked you, you are connected at once."""
    sent = await actions.check_send_request(svc, db, viewer, **body.model_dump())
    return SentOut.of(sent, svc.settings.request_ttl_days)


@router.post("/connections/requests/{request_id}/accept", status_code=201, tags=["connections"])
async def accept_request(request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> PersonBrief:
    return PersonBrief.of(await actions.check_accept_request(svc, db, viewer, request_id))


@router.post("/connections/requests/{request_id}/decline", status_code=204, tags=["connections"])
async def decline_request(request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    """Decline a request; its sender is not told."""
    await actions.do_decline_request(svc, db, viewer, request_id)


@router.delete("/connections/requests/{request_id}", status_code=204, tags=["connections"])
async def withdraw_request(request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.do_withdraw_request(svc, db, viewer, request_id)


@router.get("/circles", tags=["circles"])
async def circles(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> CirclesOut:
    """Your circles by name, each with its members; never more than the circle cap."""
    page, nxt = await access_pages.circles_page(db, viewer, cursor)
    return CirclesOut(circles=[CircleOut.of(c) for c in page], next=nxt)


@router.post("/circles", status_code=201, tags=["circles"])
async def create_circle(body: CircleIn, viewer: CurrentViewer, svc: Svc, db: DB) -> CircleOut:
    circle = await actions.check_create_circle(svc, db, viewer, body.name)
    return CircleOut.of(await access.access_circle_view(db, viewer, circle.id))


@router.get("/circles/{circle_id}", tags=["circles"])
async def circle(circle_id: RowId, viewer: CurrentViewer, db: DB) -> CircleOut:
    return CircleOut.of(await access.access_circle_view(db, viewer, circle_id))


@router.patch("/circles/{circle_id}", tags=["circles"])
async def rename_circle(
    circle_id: RowId, body: CircleIn, viewer: CurrentViewer, db: DB
) -> CircleOut:
    await actions.check_rename_circle(db, viewer, circle_id, body.name)
    return CircleOut.of(await access.access_circle_view(db, viewer, circle_id))


@router.delete("/circles/{circle_id}", status_code=204, tags=["circles"])
async def delete_circle(circle_id: RowId, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_delete_circle(db, viewer, circle_id)


@router.put("/circles/{circle_id}/members/{handle}", tags=["circles"])
async def add_to_circle(circle_id: RowId, handle: str, viewer: CurrentViewer, db: DB) -> CircleOut:
    """Add one of your connections; they are not told."""
    await actions.check_add_to_circle(db, viewer, circle_id, handle)
    return CircleOut.of(await access.access_circle_view(db, viewer, circle_id))


@router.delete("/circles/{circle_id}/members/{handle}", status_code=204, tags=["circles"])
async def remove_from_circle(circle_id: RowId, handle: str, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_remove_from_circle(db, viewer, circle_id, handle)


@router.get("/blocks", tags=["safety"])
async def blocks(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> BlocksOut:
    """The people you blocked, oldest first."""
    page, nxt = await access_pages.blocks_page(db, viewer, cursor)
    return BlocksOut(blocks=[PersonSinceOut.of_since(b) for b in page], next=nxt)


@router.put("/blocks/{handle}", status_code=204, tags=["safety"])
async def block(handle: str, viewer: CurrentViewer, db: DB) -> None:
    """Neither of you can see or reach the other anywhere; your connection ends."""
    await actions.check_block(db, viewer, handle)


@router.delete("/blocks/{handle}", status_code=204, tags=["safety"])
async def unblock(handle: str, viewer: CurrentViewer, db: DB) -> None:
    """Lift your block; a connection it ended does not come back."""
    await actions.do_unblock(db, viewer, handle)


@router.get("/mutes", tags=["safety"])
async def mutes(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> MutesOut:
    """The connections you muted, by display name."""
    page, nxt = await access_pages.mutes_page(db, viewer, cursor)
    return MutesOut(mutes=[PersonSinceOut.of_since(m) for m in page], next=nxt)


@router.put("/mutes/{handle}", status_code=204, tags=["safety"])
async def mute(handle: str, viewer: CurrentViewer, db: DB) -> None:
    """Their messages still arrive, without notifications. Connections only."""
    await actions.check_mute(db, viewer, handle)


@router.delete("/mutes/{handle}", status_code=204, tags=["safety"])
async def unmute(handle: str, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_unmute(db, viewer, handle)


@router.get("/people/{handle}", tags=["people"])
async def person(handle: str, viewer: CurrentViewer, svc: Svc, db: DB) -> PersonOut:
    """Someone's page: the whole profile for connections, otherwise handle and name only."""
    found = await access_people.access_person(db, viewer, handle, svc.settings.request_ttl_days)
    return PersonOut.of_person(found)


@router.get(
    "/people/{handle}/avatar/{size}",
    tags=["people"],
    response_class=Response,
    responses=IMAGE,
)
async def person_avatar(
    handle: str, size: int, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    """Their photo (64 or 256 pixels), where you may see their whole profile."""
    if size not in (64, 256):
        raise NotFound(N_("No such image."))
    user = await access_people.access_person_avatar(db, viewer, handle)
    return FileResponse(avatar_file(svc, user.avatar_key or "", size), media_type="image/jpeg")


@router.get("/search", tags=["search"])
async def search(viewer: CurrentViewer, db: DB, q: SearchQuery = "") -> SearchOut:
    """Your own connections and circles whose name or handle holds what you typed, regardless
    of case and accents, by name. Nobody else is ever found, and no count is given."""
    return SearchOut.of(await access_search.access_search(db, viewer, q))
