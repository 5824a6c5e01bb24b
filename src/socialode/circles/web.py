"""HTML routes for your people: connections, requests and someone's page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from socialode.accounts.access import Viewer
from socialode.accounts.actions.profile import avatar_file
from socialode.accounts.deps import CurrentViewer, MaybeViewer
from socialode.circles import access, access_pages, access_people, actions
from socialode.platform.deps import DB, MAX_ID, RowId, Svc
from socialode.platform.errors import AppError, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import Cursor
from socialode.platform.services import Services
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import (
    form_data,
    form_failed,
    read_form,
    read_form_lists,
    safe_next,
    see_other,
)
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


async def page_faces(request: Request, viewer: MaybeViewer, db: DB) -> None:
    """For every HTML page: whose photos the viewer may see (their connections; blocking
    ends a connection), so a face without one is a monogram, never a broken image."""
    if viewer is not None and request.method == "GET":
        request.state.faces = await access_people.whole_profile_ids(db, viewer)


CONNECT_FIELDS = ("handle", "note")
NOTICES = {
    "request-sent": N_("Request sent. It waits for their answer."),
    "connected": N_("You are connected."),
    "request-declined": N_("Request declined. They are not told."),
    "request-withdrawn": N_("Request withdrawn."),
    "connection-removed": N_("Connection removed. They are not told."),
    "muted": N_("Muted: their messages still arrive, without notifications."),
    "unmuted": N_("Unmuted."),
    "circle-created": N_("Circle created. Add people to it from your connections."),
    "circle-renamed": N_("Circle renamed."),
    "circle-deleted": N_("Circle deleted. The people in it are still your connections."),
    "member-added": N_("Added to the circle. They are not told."),
    "member-removed": N_("Removed from the circle. They are not told."),
    "blocked": N_("Blocked. Neither of you can see or reach the other now."),
    "unblocked": N_("Unblocked. Your connection, if you had one, does not come back on its own."),
}


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render a page of this feature, with this feature's notice when one is asked for."""
    key = request.query_params.get("notice", "")
    notice = _(NOTICES[key]) if key in NOTICES else None
    return render(request, template, {**context, **({"notice": notice} if notice else {})}, status)


def back_to(request: Request, form: dict[str, str], notice: str) -> Response:
    """Where a button sends you afterwards: the page it was on, or your connections, saying
    what happened (a key of ``NOTICES``, or a sentence naming someone, signed)."""
    target = safe_next(form.get("next")) if form.get("next") else "/connections"
    if notice not in NOTICES:
        return tell(request, target, notice)
    return see_other(f"{target}?notice={notice}")


def invite_number(raw: str) -> int:
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise NotFound(N_("Nobody joined with that invite of yours."), "invite_id")
    return int(raw)


async def connections_context(
    svc: Services, db: DB, viewer: Viewer, cursor: str | None = None
) -> dict[str, Any]:
    ttl = svc.settings.request_ttl_days
    requests = await access_pages.requests_page(db, viewer, ttl, cursor)
    return {
        "connections": await access.access_own_connections(db, viewer),
        "incoming": requests.incoming,
        "outgoing": requests.outgoing,
        "more_requests": requests.next,
        "invitees": await access_people.access_invitees(db, viewer, ttl),
        "ttl_days": ttl,
        "expires": access.request_expires_at,
        "cap": svc.settings.max_connections,
    }


async def on_connections(
    request: Request,
    viewer: Viewer,
    svc: Services,
    db: DB,
    work: Callable[[], Awaitable[object]],
    notice: str,
) -> Response:
    """Run one action for a button on the connections page (or a person's page); a refusal
    shows the connections page again with the message at the top."""
    form = await form_data(request)
    try:
        await work()
    except AppError as exc:
        return await refused(request, viewer, svc, db, exc, form)
    return back_to(request, form, notice)


async def refused(
    request: Request, viewer: Viewer, svc: Services, db: DB, exc: AppError, form: dict[str, str]
) -> Response:
    """The connections page again, with why a button did nothing at the top."""
    context = await connections_context(svc, db, viewer)
    return form_failed(request, "circles/connections.html", exc, form, (), context)


@router.get("/connections", response_class=HTMLResponse)
async def connections(
    request: Request, viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None
) -> Response:
    context = await connections_context(svc, db, viewer, cursor)
    return page(request, "circles/connections.html", context)


@router.post("/connections/requests", response_class=HTMLResponse)
async def send_request(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form, _files = await read_form(request)
    try:
        invite = form.get("invite_id", "")
        target: dict[str, Any] = (
            {"invite_id": invite_number(invite)} if invite else {"handle": form.get("handle", "")}
        )
        sent = await actions.check_send_request(
            svc, db, viewer, note=form.get("note", ""), **target
        )
    except AppError as exc:
        context = await connections_context(svc, db, viewer)
        return form_failed(request, "circles/connections.html", exc, form, CONNECT_FIELDS, context)
    return see_other(f"/connections?notice={'request-sent' if sent.request else 'connected'}")


@router.post("/connections/requests/{request_id}/accept")
async def accept(
    request: Request, request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    return await on_connections(
        request,
        viewer,
        svc,
        db,
        lambda: actions.check_accept_request(svc, db, viewer, request_id),
        "connected",
    )


@router.post("/connections/requests/{request_id}/decline")
async def decline(
    request: Request, request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    return await on_connections(
        request,
        viewer,
        svc,
        db,
        lambda: actions.do_decline_request(svc, db, viewer, request_id),
        "request-declined",
    )


@router.post("/connections/requests/{request_id}/withdraw")
async def withdraw(
    request: Request, request_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    return await on_connections(
        request,
        viewer,
        svc,
        db,
        lambda: actions.do_withdraw_request(svc, db, viewer, request_id),
        "request-withdrawn",
    )


@router.post("/connections/{handle}/remove")
async def remove(
    request: Request, handle: str, viewer: CurrentViewer, svc: Svc, db: DB, confirm: Confirm
) -> Response:
    try:
        name = (await access.access_connection(db, viewer, handle)).display_name
    except AppError as exc:
        return await refused(request, viewer, svc, db, exc, confirm.fields)
    if not confirm.yes:
        back = safe_next(confirm.fields.get("next") or "/connections")
        detail = _("They won't be told. You can ask to connect again later.")
        question = _("Remove %(name)s from your connections?") % {"name": name}
        return confirm.ask(Question(question, detail, _("Remove"), back))
    return await on_connections(
        request,
        viewer,
        svc,
        db,
        lambda: actions.do_remove_connection(db, viewer, handle),
        _("%(name)s is no longer in your connections. They are not told.") % {"name": name},
    )


@router.post("/connections/{handle}/mute")
async def mute(request: Request, handle: str, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    return await on_connections(
        request, viewer, svc, db, lambda: actions.check_mute(db, viewer, handle), "muted"
    )


@router.post("/connections/{handle}/unmute")
async def unmute(
    request: Request, handle: str, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    return await on_connections(
        request, viewer, svc, db, lambda: actions.do_unmute(db, viewer, handle), "unmuted"
    )


@router.get("/media/avatars/{key}/{size}.jpg")
async def avatar(key: str, size: int, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    """A photo by its key, under the one profile rule (the owner's own settings page uses it)."""
    if size not in (64, 256):
        raise NotFound(access_people.NO_SUCH_IMAGE)
    user = await access_people.access_avatar_by_key(db, viewer, key)
    return FileResponse(avatar_file(svc, user.avatar_key or key, size), media_type="image/jpeg")


@router.post("/people/{handle}/circles", response_class=HTMLResponse)
async def set_circles(request: Request, handle: str, viewer: CurrentViewer, db: DB) -> Response:
    """From their page: the viewer's own circles with this connection ticked in or out."""
    _fields, lists, _files = await read_form_lists(request, ("circles",))
    person = await access.access_connection(db, viewer, handle)
    chosen = {int(c) for c in lists["circles"] if c.isascii() and c.isdigit() and len(c) < 12}
    for view in await access.access_own_circles(db, viewer):
        inside = any(m.id == person.id for m in view.members)
        if view.circle.id in chosen and not inside:
            await actions.check_add_to_circle(db, viewer, view.circle.id, person.handle)
        elif view.circle.id not in chosen and inside:
            await actions.do_remove_from_circle(db, viewer, view.circle.id, person.handle)
    saved = _("Saved the circles %(name)s is in.") % {"name": person.display_name}
    return tell(request, f"/people/{person.handle}#circles", saved)


@router.post("/people/{handle}/connect", response_class=HTMLResponse)
async def connect(
    request: Request, handle: str, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    try:
        sent = await actions.check_send_request(
            svc, db, viewer, handle=handle, note=form.get("note", "")
        )
    except AppError as exc:
        found = await access_people.access_person(db, viewer, handle, svc.settings.request_ttl_days)
        context = {"person": found}
        return form_failed(request, "circles/person.html", exc, form, ("note",), context)
    notice = "request-sent" if sent.request else "connected"
    return see_other(f"/people/{sent.other.handle}?notice={notice}")
