"""HTML routes for circles and blocks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.access import Viewer
from socialode.accounts.deps import CurrentViewer
from socialode.accounts.validation import handle_key
from socialode.circles import access, access_pages, actions
from socialode.circles.actions.circles import NOT_IN_CIRCLE
from socialode.circles.web import page
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import Cursor
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import form_data, form_failed, see_other
from socialode.web.notices import tell

router = APIRouter(include_in_schema=False)

CIRCLE_FIELDS = ("name", "handle")
UNBLOCKING = N_(
    "They will be able to see you and ask to connect again. "
    "Your connection does not come back on its own."
)


async def circles_context(db: DB, viewer: Viewer) -> dict[str, Any]:
    return {"circles": await access.access_own_circles(db, viewer)}


async def circle_context(db: DB, viewer: Viewer, circle_id: int) -> dict[str, Any]:
    view = await access.access_circle_view(db, viewer, circle_id)
    inside = {u.id for u in view.members}
    everyone = await access.access_own_connections(db, viewer)
    return {"view": view, "addable": [c.user for c in everyone if c.user.id not in inside]}


@router.get("/circles", response_class=HTMLResponse)
async def circles(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    return page(request, "circles/circles.html", await circles_context(db, viewer))


@router.post("/circles", response_class=HTMLResponse)
async def create_circle(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        circle = await actions.check_create_circle(svc, db, viewer, form.get("name", ""))
    except AppError as exc:
        context = await circles_context(db, viewer)
        return form_failed(request, "circles/circles.html", exc, form, ("name",), context)
    return see_other(f"/circles/{circle.id}?notice=circle-created")


@router.get("/circles/{circle_id}", response_class=HTMLResponse)
async def circle(request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    return page(request, "circles/circle.html", await circle_context(db, viewer, circle_id))


@router.post("/circles/{circle_id}/rename", response_class=HTMLResponse)
async def rename_circle(
    request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    form = await form_data(request)
    try:
        await actions.check_rename_circle(db, viewer, circle_id, form.get("name", ""))
    except AppError as exc:
        context = await circle_context(db, viewer, circle_id)
        return form_failed(request, "circles/circle.html", exc, form, CIRCLE_FIELDS, context)
    return see_other(f"/circles/{circle_id}?notice=circle-renamed")


@router.post("/circles/{circle_id}/delete")
async def delete_circle(
    request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    name = (await access.access_circle(db, viewer, circle_id)).name
    if not confirm.yes:
        detail = _("The people in it stay your connections, and they are not told.")
        question = _("Delete %(circle)s?") % {"circle": name}
        return confirm.ask(Question(question, detail, _("Delete"), f"/circles/{circle_id}"))
    await actions.do_delete_circle(db, viewer, circle_id)
    said = _("%(circle)s is deleted. The people in it are still your connections.")
    return tell(request, "/circles", said % {"circle": name})


@router.post("/circles/{circle_id}/members", response_class=HTMLResponse)
async def add_member(request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_add_to_circle(db, viewer, circle_id, form.get("handle", ""))
    except AppError as exc:
        context = await circle_context(db, viewer, circle_id)
        return form_failed(request, "circles/circle.html", exc, form, CIRCLE_FIELDS, context)
    return see_other(f"/circles/{circle_id}?notice=member-added")


@router.post("/circles/{circle_id}/members/{handle}/remove", response_class=HTMLResponse)
async def remove_member(
    request: Request, circle_id: RowId, handle: str, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    context = await circle_context(db, viewer, circle_id)
    view = context["view"]
    who = next(
        (m for m in view.members if m.handle_key == handle_key(handle.removeprefix("@"))), None
    )
    if who is None:
        exc = NotFound(NOT_IN_CIRCLE, "handle")
        return form_failed(request, "circles/circle.html", exc, confirm.fields, (), context)
    if not confirm.yes:
        question = _("Remove %(name)s from %(circle)s?") % {
            "name": who.display_name,
            "circle": view.circle.name,
        }
        back = f"/circles/{circle_id}"
        return confirm.ask(Question(question, _("They won't be told."), _("Remove"), back))
    await actions.do_remove_from_circle(db, viewer, circle_id, who.handle)
    said = _("%(name)s is no longer in %(circle)s. They are not told.") % {
        "name": who.display_name,
        "circle": view.circle.name,
    }
    return tell(request, f"/circles/{circle_id}", said)


@router.get("/blocked", response_class=HTMLResponse)
async def blocked(
    request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> Response:
    form = {"handle": request.query_params.get("handle", "")[:100]}
    blocks, nxt = await access_pages.blocks_page(db, viewer, cursor)
    context = {"blocks": blocks, "next": nxt, "first_page": cursor is None, "form": form}
    return page(request, "circles/blocked.html", context)


@router.post("/blocked", response_class=HTMLResponse)
async def block(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_block(db, viewer, form.get("handle", ""))
    except AppError as exc:
        blocks, nxt = await access_pages.blocks_page(db, viewer, None)
        context = {"blocks": blocks, "next": nxt, "first_page": True}
        return form_failed(request, "circles/blocked.html", exc, form, ("handle",), context)
    return see_other("/blocked?notice=blocked")


@router.post("/blocked/{handle}/unblock", response_class=HTMLResponse)
async def unblock(
    request: Request, handle: str, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    try:
        name = (await access.access_blocked(db, viewer, handle)).display_name
        if confirm.yes:
            await actions.do_unblock(db, viewer, handle)
    except AppError as exc:
        blocks, nxt = await access_pages.blocks_page(db, viewer, None)
        context = {"blocks": blocks, "next": nxt, "first_page": True}
        return form_failed(request, "circles/blocked.html", exc, confirm.fields, (), context)
    if not confirm.yes:
        asked = _("Unblock %(name)s?") % {"name": name}
        question = Question(asked, _(UNBLOCKING), _("Unblock"), "/blocked", _("Keep blocked"))
        return confirm.ask(question)
    return see_other("/blocked?notice=unblocked")
