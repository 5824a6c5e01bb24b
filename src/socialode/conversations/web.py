"""HTML routes of conversations: the same access and actions as the API, rendered.

Everything works without JavaScript: sending is a form post with a server-made idempotency
key (so a double submit sends once), a photo is a multipart upload, a reply carries the id of
what it answers, and what cannot be undone asks first on a page of its own; the page's small
module (static/chat.js) adds live updates, Enter to send and dialogs on top.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.conversations import access, access_chat, actions
from socialode.conversations.bubbles import Bubble, arrange, group_face
from socialode.conversations.links import opening_url
from socialode.conversations.web_messages import leave_question, remove_question
from socialode.conversations.web_messages import router as messages_router
from socialode.notifications.access import access_marks
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError
from socialode.platform.pagination import Cursor, decode_at_id, decode_ints, encode_cursor, next_of
from socialode.safety.web import HELP_OFFERED, pause_from_form, refusal
from socialode.web.confirm import Confirm
from socialode.web.forms import form_data, read_form, see_other, shown_beside
from socialode.web.templating import render
from socialode.web.when import day_text

router = APIRouter(include_in_schema=False)


@router.get("/conversations", response_class=HTMLResponse)
async def conversation_list(
    request: Request, viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None
) -> Response:
    start = decode_at_id(cursor)
    page, more = await access.list_conversations(db, viewer, start=start)
    context = {
        "page": page,
        "lines": await access_chat.last_lines(db, viewer, page),
        "group_face": group_face,
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
    return see_other(opening_url(conversation_id))


@router.post("/conversations/groups", response_class=HTMLResponse)
async def create_group(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    async with request.form() as submitted:
        members = [str(v)[:100] for v in submitted.getlist("members")][:100]
        form = {"name": str(submitted.get("name", ""))[:200]}
    try:
        conversation_id = await actions.check_create_group(svc, db, viewer, form["name"], members)
    except AppError as exc:
        return await _list_failed(request, viewer, svc, db, exc, form, members)
    return see_other(opening_url(conversation_id))


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
        "lines": await access_chat.last_lines(db, viewer, page),
        "group_face": group_face,
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
    """The conversation page: the newest messages (or from the first unread one, under a
    "New" divider), oldest at the top; with ``svc``, reading them moves the marker."""
    view = await access.access_conversation(db, viewer, conversation_id)
    opening = await access_chat.opening(db, view, viewer.id) if before_seq is None else None
    limit = opening.limit if opening else None
    detail = await access.conversation_detail(
        db, viewer, conversation_id, before_seq, view=view, limit=limit
    )
    if svc is not None and before_seq is None and detail.view.is_member:
        await actions.check_mark_read(svc, db, viewer, conversation_id, detail.view.visible_seq)
        request.state.marks = await access_marks(db, viewer)  # read now: its dot goes
    form = form or {}
    context = {
        "detail": detail,
        "bubbles": await _bubbles(db, viewer, detail, opening),
        "group_face": group_face,
        "replying": await _replying(db, detail, form.get("reply_to") or request.query_params),
        "client_key": uuid.uuid4().hex,
        "cursor": json.dumps(
            {"at": utcnow().isoformat(), "c": {str(view.id): detail.view.visible_seq}}
        ),
        "connections": await access.connections_to_talk_with(db, viewer),
        "errors": errors or {},
        "form": form,
        "latest": before_seq is None,
        "earlier": encode_cursor([detail.messages[0][0].seq]) if detail.earlier else None,
    }
    return render(request, "conversations/conversation.html", context, status=status)


async def _bubbles(
    db: DB, viewer: CurrentViewer, detail: access.Detail, opening: access_chat.Opening | None
) -> list[Bubble]:
    quotes = await access_chat.quotes_for(db, detail.view, [m for m, _ in detail.messages])
    zone = viewer.user.timezone
    return arrange(
        detail.messages,
        viewer.id,
        lambda at: day_text(at, zone),
        read_upto=opening.read_upto if opening and opening.unread else None,
        quotes=quotes,
    )


async def _replying(
    db: DB, detail: access.Detail, source: str | Mapping[str, str]
) -> access_chat.Quoted | None:
    """The message the composer answers (``?reply_to=`` or the form sent back), if seen."""
    raw = source if isinstance(source, str) else source.get("reply_to", "")
    if not detail.view.is_member or not raw.isdigit() or len(raw) > 10:
        return None
    found = await access_chat.quotes_by_id(db, detail.view, {int(raw)})
    quoted = found.get(int(raw))
    return quoted if quoted and not quoted.deleted else None


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
    form, files = await read_form(request, {"photo": svc.settings.max_upload_bytes})
    reply = form.get("reply_to", "")
    try:
        sent = await actions.check_send(
            svc, viewer, conversation_id, form.get("client_key", ""), form.get("body", ""), db,
            reply_to=int(reply) if reply.isdigit() and len(reply) <= 10 else None,
            photo=files.get("photo"), pause=pause_from_form(form),
        )  # fmt: skip
    except AppError as exc:
        errors = refusal(request, exc, ("body", "photo", "reply_to"))
        return await _page(
            request, viewer, db, conversation_id, None, errors, form, exc.status_code
        )
    helped = f"?notice={HELP_OFFERED}" if sent.offer_help else ""
    return see_other(f"/conversations/{conversation_id}{helped}#m-{sent.message.id}")


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
    request: Request,
    conversation_id: RowId,
    handle: str,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    confirm: Confirm,
) -> Response:
    """Asks first (web/confirm.py); who may remove whom is the action's to decide."""
    if not confirm.yes:
        view = await access.access_current_conversation(db, viewer, conversation_id)
        members = await access.current_members(db, view)
        person = next((p for p in members if p.handle == handle), None)
        return confirm.ask(remove_question(view, person.display_name if person else handle))
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
    request: Request,
    conversation_id: RowId,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    confirm: Confirm,
) -> Response:
    """Asks first (web/confirm.py): a page without JavaScript, a dialog with it."""
    if not confirm.yes:
        view = await access.access_current_conversation(db, viewer, conversation_id)
        return confirm.ask(leave_question(view))
    call = actions.check_leave(svc, db, viewer, conversation_id)
    return await _change(request, viewer, db, conversation_id, call)


router.include_router(messages_router)
