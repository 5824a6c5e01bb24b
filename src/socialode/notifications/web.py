"""The notifications page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.notifications import access, actions
from socialode.platform.deps import DB, MAX_ID
from socialode.web.forms import form_data, see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/notifications", response_class=HTMLResponse)
async def notifications_page(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    items, nxt = await access.access_notifications(db, viewer, before)
    context = {"items": items, "next_before": nxt, "first_page": before is None}
    return render(request, "notifications/list.html", context)


@router.post("/notifications/read", response_class=HTMLResponse)
async def mark_read(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    await form_data(request)
    await actions.do_mark_read(db, viewer)
    return see_other("/notifications")
