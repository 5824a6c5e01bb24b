"""/api/v1 routes of the conversations feature: parse, access, one action, return a schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.accounts.schemas import NoticeOut
from socialode.conversations import access, access_chat, actions
from socialode.conversations.schemas import (
    ChatSettingsIn,
    ChatSettingsOut,
    ConversationDetailOut,
    ConversationOut,
    ConversationPageOut,
    DirectIn,
    EditIn,
    GroupIn,
    MemberIn,
    MessageOut,
    PersonShortOut,
    ReadMarkerIn,
    ReadOut,
    RenameIn,
    SendIn,
)
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.i18n import _
from socialode.platform.pagination import Cursor, decode_at_id, decode_ints, encode_cursor, next_of
from socialode.safety.pause import PauseAnswer

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["conversations"])


async def _out(db: DB, viewer: CurrentViewer, conversation_id: int) -> ConversationOut:
    return ConversationOut.of(
        await access.access_conversation(db, viewer, conversation_id), viewer.id
    )


@router.get("/conversations")
async def list_conversations(
    viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> ConversationPageOut:
    start = decode_at_id(cursor)
    page, more = await access.list_conversations(db, viewer, start=start)
    lines = await access_chat.last_lines(db, viewer, page)
    return ConversationPageOut(
        conversations=[
            ConversationOut.listed(item, viewer.id, lines.get(item.view.id)) for item in page
        ],
        next=next_of(page, more, lambda c: (c.activity_at, c.view.id)),
    )


@router.post(
    "/conversations/direct",
    status_code=201,
    responses={200: {"model": ConversationOut, "description": "It already existed."}},
)
async def open_direct(
    body: DirectIn, response: Response, viewer: CurrentViewer, db: DB
) -> ConversationOut:
    """Your one-to-one with a connection: 201 when this call created it, 200 when it was
    already there (the same conversation either way)."""
    conversation_id, created = await actions.check_open_direct_created(db, viewer, body.handle)
    if not created:
        response.status_code = status.HTTP_200_OK
    return await _out(db, viewer, conversation_id)


@router.post("/conversations/groups", status_code=201)
async def create_group(body: GroupIn, viewer: CurrentViewer, svc: Svc, db: DB) -> ConversationOut:
    conversation_id = await actions.check_create_group(svc, db, viewer, body.name, body.members)
    return await _out(db, viewer, conversation_id)


@router.get("/conversations/{conversation_id}")
async def get_conversation(
    conversation_id: RowId, viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> ConversationDetailOut:
    """Members and a page of the messages you may see, oldest first; ``next`` is earlier."""
    start = decode_ints(cursor)
    before_seq = start[0] if start else None
    detail = await access.conversation_detail(db, viewer, conversation_id, before_seq)
    quotes = await access_chat.quotes_for(db, detail.view, [m for m, _ in detail.messages])
    base = ConversationOut.of(detail.view, viewer.id)
    return ConversationDetailOut(
        **base.model_dump(),
        members=[PersonShortOut.of(u) for u in detail.members],
        messages=[MessageOut.of(m, u, quotes) for m, u in detail.messages],
        next=encode_cursor([detail.messages[0][0].seq]) if detail.earlier else None,
        seen_by_other_seq=detail.seen_by_other,
        sleep_line=detail.sleep_line,
    )


@router.patch("/conversations/{conversation_id}")
async def rename_group(
    conversation_id: RowId, body: RenameIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> ConversationOut:
    await actions.check_rename(svc, db, viewer, conversation_id, body.name)
    return await _out(db, viewer, conversation_id)


@router.post("/conversations/{conversation_id}/members", status_code=201)
async def add_member(
    conversation_id: RowId, body: MemberIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> NoticeOut:
    await actions.check_add_member(svc, db, viewer, conversation_id, body.handle)
    return NoticeOut(message=_("Added to the group."))


@router.delete("/conversations/{conversation_id}/members/{handle}", status_code=204)
async def remove_member(
    conversation_id: RowId, handle: str, viewer: CurrentViewer, svc: Svc, db: DB
) -> None:
    """Take someone out of your group: they see nothing sent from now on."""
    await actions.check_remove_member(svc, db, viewer, conversation_id, handle[:100])


@router.post("/conversations/{conversation_id}/leave", status_code=204)
async def leave_group(conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.check_leave(svc, db, viewer, conversation_id)


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=201,
    responses={200: {"model": MessageOut, "description": "A retry: the message already sent."}},
)
async def send_message(
    conversation_id: RowId,
    body: SendIn,
    response: Response,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
) -> MessageOut:
    sent = await actions.check_send(
        svc,
        viewer,
        conversation_id,
        body.client_key,
        body.body,
        db,
        reply_to=body.reply_to,
        pause=body.pause_answer(),
    )
    return await _sent_out(svc, viewer, sent, response)


async def _sent_out(
    svc: Svc, viewer: CurrentViewer, sent: actions.Sent, response: Response
) -> MessageOut:
    """The stored message, with what it replies to as its sender sees it; 200 for a retry."""
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    async with svc.db.sessions() as db:
        view = await access.access_conversation(db, viewer, sent.message.conversation_id)
        quotes = await access_chat.quotes_for(db, view, [sent.message])
    out = MessageOut.of(sent.message, viewer.user, quotes)
    out.offer_help = sent.offer_help
    return out


@router.post(
    "/conversations/{conversation_id}/messages/photo",
    status_code=201,
    operation_id="send_message_with_photo",
    responses={200: {"model": MessageOut, "description": "A retry: the message already sent."}},
)
async def send_photo(
    conversation_id: RowId,
    photo: Annotated[UploadFile, File(description="JPEG, PNG, GIF or WebP")],
    client_key: Annotated[str, Form(max_length=64)],
    response: Response,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    body: Annotated[str, Form(max_length=20000)] = "",
    reply_to: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
    pause_token: Annotated[str, Form(max_length=400)] = "",
    send_anyway: Annotated[bool, Form()] = False,
) -> MessageOut:
    """A message with a photo (multipart), and optional text: resized, its metadata
    stripped; what is not an image we can read, or a decompression bomb, is refused."""
    data = await photo.read(svc.settings.max_upload_bytes + 1)
    sent = await actions.check_send(
        svc, viewer, conversation_id, client_key, body, db, reply_to=reply_to, photo=data,
        pause=PauseAnswer(pause_token, send_anyway),
    )  # fmt: skip
    return await _sent_out(svc, viewer, sent, response)


@router.patch("/messages/{message_id}")
async def edit_message(
    message_id: RowId, body: EditIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> MessageOut:
    return MessageOut.of(
        await actions.check_edit(svc, db, viewer, message_id, body.body, body.pause_answer()),
        viewer.user,
    )


@router.delete("/messages/{message_id}", status_code=204)
async def delete_message(message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    """Others see that a message was deleted, never its words."""
    await actions.check_delete(svc, db, viewer, message_id)


@router.post("/conversations/{conversation_id}/read")
async def mark_read(
    conversation_id: RowId, body: ReadMarkerIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> ReadOut:
    seq = await actions.check_mark_read(svc, db, viewer, conversation_id, body.seq)
    return ReadOut(last_read_seq=seq)


@router.get("/settings/chat")
async def chat_settings(viewer: CurrentViewer, db: DB) -> ChatSettingsOut:
    return ChatSettingsOut(read_receipts=await access.read_receipts_enabled(db, viewer.id))


@router.put("/settings/chat")
async def set_chat_settings(body: ChatSettingsIn, viewer: CurrentViewer, db: DB) -> ChatSettingsOut:
    await actions.do_set_read_receipts(db, viewer, body.read_receipts)
    return ChatSettingsOut(read_receipts=body.read_receipts)
