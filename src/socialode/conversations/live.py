"""Conversations on the live stream: each conversation is a stream (its id, its event
numbers), replayed through access_live's rule, and the client frames ``send`` and ``read``.
Registered with platform.live by ``register_live``; the gateway knows none of it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations import access_live, actions
from socialode.conversations.payloads import event_payload
from socialode.platform import live
from socialode.platform.services import Services
from socialode.safety.access import folds_hurtful
from socialode.safety.marks import marked
from socialode.safety.pause import PauseAnswer, folds


def replayed_frame(item: access_live.Replayed, reader_id: int, reader_folds: bool) -> str:
    payload = event_payload(item.event, item.message, item.users, item.name)
    payload["notify"] = False  # replayed events are not news any more: no notification
    if item.message is not None and "message" in payload:  # the mark as this reader is shown it
        shown = marked(item.message.paused, item.message.sender_id, reader_id, reader_folds)
        payload["message"]["may_hurt"] = shown and payload["message"]["may_hurt"]
    return json.dumps(payload, separators=(",", ":"))


class ConversationStreams:
    """The stream source of conversations (see platform.live.StreamSource)."""

    async def resume_points(
        self, db: AsyncSession, user_id: int, cursor: dict[int, int], since: datetime | None
    ) -> tuple[dict[int, int], dict[int, int]]:
        return await access_live.resume_points(db, user_id, cursor, since)

    async def replay(
        self, db: AsyncSession, user_id: int, starts: dict[int, int], *, limit: int
    ) -> live.ReplayPage:
        page = await access_live.replay(db, user_id, starts, limit=limit)
        marks = any(i.message is not None and folds(i.message.paused) for i in page.items)
        reader_folds = marks and await folds_hurtful(db, user_id)
        items = [
            live.Replayed(
                item.event.conversation_id,
                item.event.seq,
                replayed_frame(item, user_id, reader_folds),
            )
            for item in page.items
        ]
        return live.ReplayPage(items, page.reached, page.more)


STREAMS = ConversationStreams()


async def send_frame(svc: Services, viewer: Viewer, frame: dict[str, Any]) -> dict[str, Any]:
    """``{"type": "send", "conversation_id", "client_key", "body"}``, acknowledged after the
    commit (a repeated key answers the first send, ``duplicate: true``)."""
    conversation_id = live.frame_int(frame, "conversation_id")
    key = live.frame_str(frame, "client_key")
    body = live.frame_str(frame, "body")
    token = frame.get("pause_token")
    pause = PauseAnswer(token if isinstance(token, str) else "", frame.get("send_anyway") is True)
    sent = await actions.check_send(svc, viewer, conversation_id, key, body, pause=pause)
    return {
        "type": "ack",
        "client_key": key,
        "conversation_id": conversation_id,
        "message_id": sent.message.id,
        "seq": sent.message.seq,
        "duplicate": not sent.created,
        "offer_help": sent.offer_help,
    }


async def read_frame(svc: Services, viewer: Viewer, frame: dict[str, Any]) -> None:
    """``{"type": "read", "conversation_id", "seq"}``: moves the read marker, no reply."""
    conversation_id, seq = live.frame_int(frame, "conversation_id"), live.frame_int(frame, "seq")
    async with svc.db.sessions() as db:
        await actions.check_mark_read(svc, db, viewer, conversation_id, seq)


def register_live() -> None:
    """Safe to call again."""
    live.register_stream_source(STREAMS)
    live.register_frame("send", send_frame)
    live.register_frame("read", read_frame)
