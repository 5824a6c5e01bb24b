"""The JSON shape of conversation events, the same live and on replay."""

from __future__ import annotations

from typing import Any

from socialode.accounts.models import User
from socialode.conversations.models import Event, EventKind, Message
from socialode.safety.pause import folds


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"handle": user.handle, "display_name": user.display_name}


def photo_url(key: str) -> str:
    return f"/media/messages/{key}.jpg"


def photo_dict(message: Message) -> dict[str, Any] | None:
    if message.photo_key is None or message.deleted_at is not None:
        return None
    return {
        "url": photo_url(message.photo_key),
        "width": message.photo_width,
        "height": message.photo_height,
    }


def message_dict(message: Message, sender: User | None) -> dict[str, Any]:
    """A message as every recipient of its event may see it. A reply carries only the id of
    what it answers: each reader's page shows that message as they themselves may see it."""
    deleted = message.deleted_at is not None
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "sender": person(sender),
        "body": "" if deleted else message.body,
        "html": "" if deleted else message.body_html,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": deleted,
        "quote": message.quote or None,
        "reply_to": message.reply_to_id if not deleted else None,
        "photo": photo_dict(message),
        "may_hurt": folds(message.paused) and not deleted,
    }


def event_payload(
    event: Event,
    message: Message | None,
    users: dict[int, User],
    conversation_name: str | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "event",
        "kind": event.kind,
        "conversation_id": event.conversation_id,
        "seq": event.seq,
        "at": event.created_at.isoformat(),
        "actor": person(users.get(event.actor_id or 0)),
    }
    if message is not None:
        sender = users.get(message.sender_id)
        payload["message"] = message_dict(message, sender)
    if event.kind in (EventKind.joined, EventKind.leave, EventKind.remove):
        payload["subject"] = person(users.get(event.subject_id or 0))
    if event.kind == EventKind.rename and conversation_name is not None:
        payload["name"] = conversation_name
    return payload
