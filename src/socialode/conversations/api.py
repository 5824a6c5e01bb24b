"""/api/v1 routes of the conversations feature: parse, access, one action, return a schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.accounts.schemas import MessageOut as NoticeOut
from socialode.conversations import access, actions
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
    PersonOut,
    ReadIn,
    ReadOut,
    RenameIn,
    SendIn,
)
from socialode.platform.deps import DB, MAX_ID, RowId, Svc

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["conversations"])
BeforeSeq = Annotated[int | None, Query(ge=1, le=MAX_ID)]


async def _out(db: DB, viewer: CurrentViewer, conversation_id: int) -> ConversationOut:
    return ConversationOut.of(
        await access.access_conversation(db, viewer, conversation_id), viewer.id
    )


@router.get("/conversations")
async def list_conversations(
    viewer: CurrentViewer, db: DB, before: datetime | None = None
) -> ConversationPageOut:
    page, more = await access.list_conversations(db, viewer, before=before)
    return ConversationPageOut(
        conversations=[ConversationOut.listed(item, viewer.id) for item in page],
        next_before=page[-1].activity_at if more and page else None,
    )


@router.post("/conversations/direct")
async def open_direct(body: DirectIn, viewer: CurrentViewer, db: DB) -> ConversationOut:
    conversation_id = await actions.check_open_direct(db, viewer, body.handle)
    return await _out(db, viewer, conversation_id)


@router.post("/conversations/groups", status_code=201)
async def create_group(body: GroupIn, viewer: CurrentViewer, svc: Svc, db: DB) -> ConversationOut:
    conversation_id = await actions.check_create_group(svc, db, viewer, body.name, body.members)
    return await _out(db, viewer, conversation_id)


@router.get("/conversations/{conversation_id}")
async def get_conversation(
    conversation_id: RowId, viewer: CurrentViewer, db: DB, before_seq: BeforeSeq = None
) -> ConversationDetailOut:
    detail = await access.conversation_detail(db, viewer, conversation_id, before_seq)
    base = ConversationOut.of(detail.view, viewer.id)
    return ConversationDetailOut(
        **base.model_dump(),
        members=[PersonOut.of(u) for u in detail.members],
        messages=[MessageOut.of(m, u) for m, u in detail.messages],
        earlier_before_seq=detail.messages[0][0].seq if detail.earlier else None,
        seen_by_other_seq=detail.seen_by_other,
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
    return NoticeOut(message="Added to the group.")


@router.delete("/conversations/{conversation_id}/members/{handle}")
async def remove_member(
    conversation_id: RowId, handle: str, viewer: CurrentViewer, svc: Svc, db: DB
) -> NoticeOut:
    await actions.check_remove_member(svc, db, viewer, conversation_id, handle[:100])
    return NoticeOut(message="Removed from the group. They will not see anything sent from now on.")


@router.post("/conversations/{conversation_id}/leave")
async def leave_group(conversation_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> NoticeOut:
    await actions.check_leave(svc, db, viewer, conversation_id)
    return NoticeOut(message="You left the group.")


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
    sent = await actions.check_send(svc, viewer, conversation_id, body.client_key, body.body, db)
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    return MessageOut.of(sent.message, viewer.user)


@router.patch("/messages/{message_id}")
async def edit_message(
    message_id: RowId, body: EditIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> MessageOut:
    return MessageOut.of(
        await actions.check_edit(svc, db, viewer, message_id, body.body), viewer.user
    )


@router.delete("/messages/{message_id}")
async def delete_message(message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> MessageOut:
    return MessageOut.of(await actions.check_delete(svc, db, viewer, message_id), viewer.user)


@router.post("/conversations/{conversation_id}/read")
async def mark_read(
    conversation_id: RowId, body: ReadIn, viewer: CurrentViewer, svc: Svc, db: DB
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
