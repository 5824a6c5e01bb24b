"""The notifications page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer, MaybeViewer
from socialode.notifications import access, actions
from socialode.platform.deps import DB
from socialode.platform.pagination import Cursor, decode_ints, encode_cursor
from socialode.web.forms import form_data, see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


async def page_marks(request: Request, viewer: MaybeViewer, db: DB) -> None:
    """For every HTML page: the calm marks its menu shows (a dot, never a number)."""
    if viewer is not None and request.method == "GET":
        request.state.marks = await access.access_marks(db, viewer)


@router.get("/notifications", response_class=HTMLResponse)
async def notifications_page(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    cursor: Cursor = None,
) -> Response:
    start = decode_ints(cursor)
    items, nxt = await access.access_notifications(db, viewer, start[0] if start else None)
    context = {
        "items": items,
        "next": encode_cursor([nxt]) if nxt is not None else None,
        "first_page": start is None,
    }
    if start is None and any(i.unread for i in items):  # seen now; marked "New" this once
        await actions.do_mark_read(db, viewer, items[0].id)
        request.state.marks = await access.access_marks(db, viewer)
    return render(request, "notifications/list.html", context)


@router.post("/notifications/read", response_class=HTMLResponse)
async def mark_read(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    await form_data(request)
    await actions.do_mark_read(db, viewer)
    return see_other("/notifications")
