"""HTML routes of conversations: the same access and actions as the API, rendered.

Everything works without JavaScript: sending is a form post with a server-made idempotency
key (so a double submit sends once); the page's small module adds live updates on top.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.conversations import access, actions
from socialode.notifications.access import access_marks
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError
from socialode.platform.pagination import Cursor, decode_at_id, decode_ints, encode_cursor, next_of
from socialode.web.forms import form_data, see_other, shown_beside
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/conversations", response_class=HTMLResponse)
async def conversation_list(
    request: Request, viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None
) -> Response:
    start = decode_at_id(cursor)
    page, more = await access.list_conversations(db, viewer, start=start)
    context = {
        "page": page,
        "next": next_of(page, more, lambda c: (c.activity_at, c.view.id)),
        "connections": await access.connections_to_talk_with(db, viewer),
        "group_limit": svc.settings.group_max_members - 1,
    }
    return render(request, "conversations/list.html", context)


@router.post("/conversations/direct", response_class=HTMLResponse)
async def open_direct(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        conversation_id = await actions.check_open_direct(db, viewer, form.get("handle", ""))
    except AppError as exc:
        return await _list_failed(request, viewer, svc, db, exc, form, None)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/conversations/groups", response_class=HTMLResponse)
async def create_group(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    async with request.form() as submitted:
        members = [str(v)[:100] for v in submitted.getlist("members")][:100]
        form = {"name": str(submitted.get("name", ""))[:200]}
    try:
        conversation_id = await actions.check_create_group(svc, db, viewer, form["name"], members)
    except AppError as exc:
        return await _list_failed(request, viewer, svc, db, exc, form, members)
    return see_other(f"/conversations/{conversation_id}")


async def _list_failed(
    request: Request,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    exc: AppError,
    form: dict[str, str],
    chosen: list[str] | None,
) -> Response:
    page, _more = await access.list_conversations(db, viewer)
    context = {
        "group_limit": svc.settings.group_max_members - 1,
        "page": page,
        "next": None,
        "connections": await access.connections_to_talk_with(db, viewer),
        "chosen": set(chosen or []),
        "errors": shown_beside(exc, ("handle", "name", "members")),
        "form": form,
    }
    return render(request, "conversations/list.html", context, status=exc.status_code)


async def _page(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    conversation_id: int,
    before_seq: int | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
    svc: Svc | None = None,
) -> Response:
    """The conversation page; with ``svc``, reading its newest messages moves the marker."""
    detail = await access.conversation_detail(db, viewer, conversation_id, before_seq)
    if svc is not None and before_seq is None and detail.view.is_member:
        await actions.check_mark_read(svc, db, viewer, conversation_id, detail.view.visible_seq)
        request.state.marks = await access_marks(db, viewer)  # read now: its mark is gone
        if getattr(request.state, "marks", None) is not None:  # read now: its dot goes
            request.state.marks = await access_marks(db, viewer)
    cursor = {"at": utcnow().isoformat(), "c": {str(detail.view.id): detail.view.visible_seq}}
    context = {
        "detail": detail,
        "client_key": uuid.uuid4().hex,
        "cursor": json.dumps(cursor),
        "connections": await access.connections_to_talk_with(db, viewer),
        "errors": errors or {},
        "form": form or {},
        "latest": before_seq is None,
        "earlier": encode_cursor([detail.messages[0][0].seq]) if detail.earlier else None,
    }
    return render(request, "conversations/conversation.html", context, status=status)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(
    request: Request,
    conversation_id: RowId,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    cursor: Cursor = None,
) -> Response:
    start = decode_ints(cursor)
    before_seq = start[0] if start else None
    return await _page(request, viewer, db, conversation_id, before_seq, svc=svc)


@router.post("/conversations/{conversation_id}/messages", response_class=HTMLResponse)
async def send(
    request: Request, conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    try:
        sent = await actions.check_send(
            svc, viewer, conversation_id, form.get("client_key", ""), form.get("body", ""), db
        )
    except AppError as exc:
        errors = shown_beside(exc, ("body",))
        return await _page(
            request, viewer, db, conversation_id, None, errors, form, exc.status_code
        )
    return see_other(f"/conversations/{conversation_id}#m-{sent.message.id}")


async def _change(
    request: Request, viewer: CurrentViewer, db: DB, conversation_id: int, call: Awaitable[None]
) -> Response:
    try:
        await call
    except AppError as exc:
        form = await form_data(request)
        errors = shown_beside(exc, ("handle", "name"))
        return await _page(
            request, viewer, db, conversation_id, None, errors, form, exc.status_code
        )
    return see_other(f"/conversations/{conversation_id}")


@router.post("/conversations/{conversation_id}/members", response_class=HTMLResponse)
async def add_member(
    request: Request, conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    handle = (await form_data(request)).get("handle", "")
    call = actions.check_add_member(svc, db, viewer, conversation_id, handle)
    return await _change(request, viewer, db, conversation_id, call)


@router.post(
    "/conversations/{conversation_id}/members/{handle}/remove", response_class=HTMLResponse
)
async def remove_member(
    request: Request, conversation_id: RowId, handle: str, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    call = actions.check_remove_member(svc, db, viewer, conversation_id, handle[:100])
    return await _change(request, viewer, db, conversation_id, call)


@router.post("/conversations/{conversation_id}/rename", response_class=HTMLResponse)
async def rename(
    request: Request, conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    name = (await form_data(request)).get("name", "")
    call = actions.check_rename(svc, db, viewer, conversation_id, name)
    return await _change(request, viewer, db, conversation_id, call)


@router.post("/conversations/{conversation_id}/leave", response_class=HTMLResponse)
async def leave(
    request: Request, conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    call = actions.check_leave(svc, db, viewer, conversation_id)
    return await _change(request, viewer, db, conversation_id, call)


@router.get("/messages/{message_id}/edit", response_class=HTMLResponse)
async def edit_page(request: Request, message_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    message = await access.access_own_message(db, viewer, message_id)
    return render(request, "conversations/edit.html", {"message": message})


@router.post("/messages/{message_id}/edit", response_class=HTMLResponse)
async def edit(
    request: Request, message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    message = await access.access_own_message(db, viewer, message_id)
    try:
        await actions.check_edit(svc, db, viewer, message_id, form.get("body", ""))
    except AppError as exc:
        errors = shown_beside(exc, ("body",))
        context = {"message": message, "errors": errors, "form": form}
        return render(request, "conversations/edit.html", context, status=exc.status_code)
    return see_other(f"/conversations/{message.conversation_id}#m-{message_id}")


@router.post("/messages/{message_id}/delete", response_class=HTMLResponse)
async def delete(
    request: Request, message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    message = await actions.check_delete(svc, db, viewer, message_id)
    return see_other(f"/conversations/{message.conversation_id}")


@router.get("/settings/chat", response_class=HTMLResponse)
async def chat_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    enabled = await access.read_receipts_enabled(db, viewer.id)
    return render(request, "conversations/settings_chat.html", {"read_receipts": enabled})


@router.post("/settings/chat", response_class=HTMLResponse)
async def save_chat_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    await actions.do_set_read_receipts(db, viewer, form.get("read_receipts") == "on")
    return see_other("/settings/chat?notice=chat-saved")
