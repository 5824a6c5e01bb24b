"""Sending, editing and deleting messages, and read markers. The only writes to messages.

A send is acknowledged only after its commit; its idempotency key (unique per sender) makes a
retry return the message already stored instead of a second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles import access as circles
from socialode.conversations import access
from socialode.conversations.models import ChatSettings, Conversation, Event, EventKind, Member
from socialode.conversations.models import Message as MessageRow
from socialode.conversations.payloads import event_payload
from socialode.conversations.render import clean_body, to_html
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.events import Envelope
from socialode.platform.services import Services

CLIENT_KEY = re.compile(r"[A-Za-z0-9_\-:.]{8,64}")
NOT_CONNECTED = (
    "You can write here again once you are connected with this person. Your earlier messages stay."
)


@dataclass(frozen=True)
class Sent:
    message: MessageRow
    created: bool  # False when the idempotency key matched an earlier send


def check_client_key(key: str) -> str:
    if not CLIENT_KEY.fullmatch(key):
        raise Invalid(
            "The idempotency key must be 8 to 64 letters, digits or - _ : . (a UUID works).",
            "client_key",
        )
    return key


async def next_seq(db: AsyncSession, conversation_id: int) -> int:
    """The conversation's next event number; the row stays locked until commit."""
    result = await db.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + 1, last_activity_at=utcnow())
        .returning(Conversation.last_seq)
    )
    return int(result.scalar_one())


async def publish_event(
    svc: Services,
    db: AsyncSession,
    event: Event,
    message: MessageRow | None,
    users: dict[int, User],
    *,
    also: tuple[int, ...] = (),
    name: str | None = None,
) -> None:
    """After commit: send the event to everyone the access rule lets see it, live."""
    about = [p for p in (event.actor_id, event.subject_id) if p]
    recipients, quiet = await access.live_recipients(db, event.conversation_id, about)
    extra = [u for u in also if u not in recipients]
    envelope = Envelope(
        recipients + extra,
        event_payload(event, message, users, name),
        stream=event.conversation_id,
        seq=event.seq,
        quiet=quiet,
    )
    await svc.hub.publish(envelope)


async def _existing(db: AsyncSession, sender_id: int, client_key: str) -> MessageRow | None:
    return (
        await db.execute(
            select(MessageRow).where(
                MessageRow.sender_id == sender_id, MessageRow.client_key == client_key
            )
        )
    ).scalar_one_or_none()


def _same_send(found: MessageRow, conversation_id: int) -> Sent:
    if found.conversation_id != conversation_id:
        raise Conflict(
            "This idempotency key was already used for a message in another conversation. "
            "Use a new key for each message.",
            "client_key",
        )
    return Sent(found, created=False)


async def check_send(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    conversation_id: int,
    client_key: str,
    body: str,
) -> Sent:
    key = check_client_key(client_key)
    view = await access.access_current_conversation(db, viewer, conversation_id)
    found = await _existing(db, viewer.id, key)
    if found is not None:
        return _same_send(found, conversation_id)
    text = clean_body(body, svc.settings.message_max_chars)
    if view.other is not None and not await circles.are_connected(db, viewer.id, view.other.id):
        raise Conflict(NOT_CONNECTED, "body")
    await svc.limits.hit(svc.settings.rate_messages, "messages", str(viewer.id), fail_open=True)
    return await do_send(svc, db, viewer, conversation_id, key, text)


async def do_send(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int, key: str, text: str
) -> Sent:
    now = utcnow()
    try:
        seq = await next_seq(db, conversation_id)
        message_id = (
            await db.execute(
                insert(MessageRow)
                .values(
                    conversation_id=conversation_id,
                    seq=seq,
                    sender_id=viewer.id,
                    client_key=key,
                    body=text,
                    body_html=to_html(text),
                    created_at=now,
                )
                .returning(MessageRow.id)
            )
        ).scalar_one()
        await db.execute(
            insert(Event).values(
                conversation_id=conversation_id,
                seq=seq,
                kind=EventKind.message.value,
                message_id=message_id,
                actor_id=viewer.id,
                created_at=now,
            )
        )
        await db.execute(
            update(Member)
            .where(
                Member.conversation_id == conversation_id,
                Member.user_id == viewer.id,
                Member.until_seq.is_(None),
            )
            .values(last_read_seq=seq)
        )
        await db.commit()
    except IntegrityError:
        await db.rollback()  # the same key raced in from a retry: answer with that message
        found = await _existing(db, viewer.id, key)
        if found is None:
            raise
        return _same_send(found, conversation_id)
    message = await db.get(MessageRow, message_id)
    assert message is not None
    event = Event(
        conversation_id=conversation_id,
        seq=seq,
        kind=EventKind.message.value,
        message_id=message_id,
        actor_id=viewer.id,
        created_at=now,
    )
    await publish_event(svc, db, event, message, {viewer.id: viewer.user})
    return Sent(message, created=True)


async def _change(
    svc: Services, db: AsyncSession, viewer: Viewer, message: MessageRow, kind: EventKind
) -> MessageRow:
    now = utcnow()
    seq = await next_seq(db, message.conversation_id)
    db.add(
        Event(
            conversation_id=message.conversation_id,
            seq=seq,
            kind=kind.value,
            message_id=message.id,
            actor_id=viewer.id,
            created_at=now,
        )
    )
    await db.commit()
    event = Event(
        conversation_id=message.conversation_id,
        seq=seq,
        kind=kind.value,
        message_id=message.id,
        actor_id=viewer.id,
        created_at=now,
    )
    await publish_event(svc, db, event, message, {viewer.id: viewer.user})
    return message


async def check_edit(
    svc: Services, db: AsyncSession, viewer: Viewer, message_id: int, body: str
) -> MessageRow:
    message = await access.access_own_message(db, viewer, message_id)
    text = clean_body(body, svc.settings.message_max_chars)
    if text == message.body:
        return message
    message.body, message.body_html, message.edited_at = text, to_html(text), utcnow()
    return await _change(svc, db, viewer, message, EventKind.edit)


async def check_delete(
    svc: Services, db: AsyncSession, viewer: Viewer, message_id: int
) -> MessageRow:
    message = await access.access_own_message(db, viewer, message_id)
    message.body, message.body_html, message.deleted_at = "", "", utcnow()
    return await _change(svc, db, viewer, message, EventKind.delete)


async def check_mark_read(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int, seq: int
) -> int:
    """Move the viewer's own read marker forward; tell the other person only when both of a
    one-to-one conversation turned read receipts on."""
    view = await access.access_conversation(db, viewer, conversation_id)
    member = view.periods.current
    if member is None:
        raise NotFound(access.NO_CONVERSATION)
    seq = min(seq, view.conversation.last_seq)
    if seq <= member.last_read_seq:
        return member.last_read_seq
    member.last_read_seq = seq
    await db.commit()
    if (
        view.other is not None
        and len(await access.receipts_on(db, [viewer.id, view.other.id])) == 2
    ):
        payload = {
            "type": "read",
            "conversation_id": view.id,
            "seq": seq,
            "reader": viewer.user.handle,
        }
        await svc.hub.publish(Envelope([view.other.id], payload))
    return seq


async def do_set_read_receipts(db: AsyncSession, viewer: Viewer, enabled: bool) -> None:
    settings = await db.get(ChatSettings, viewer.id)
    if settings is None:
        db.add(ChatSettings(user_id=viewer.id, read_receipts=enabled))
    else:
        settings.read_receipts = enabled
    await db.commit()


def missing_message() -> NotFound:
    return NotFound(access.NO_MESSAGE)
