"""Sending, editing and deleting messages, and read markers. The only writes to messages.

A send is acknowledged only after its commit; its idempotency key (unique per sender) makes a
retry return the message already stored instead of a second one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations import access, access_chat, access_live
from socialode.conversations.actions.photos import remove_message_photo, store_message_photo
from socialode.conversations.actions.sending import Outgoing, Sent, sender_of
from socialode.conversations.models import (
    ChatSettings,
    Conversation,
    Event,
    EventKind,
    Member,
    MessageRevision,
)
from socialode.conversations.models import Message as MessageRow
from socialode.conversations.notices import added_ref, conversation_ref
from socialode.conversations.payloads import event_payload
from socialode.conversations.render import clean_body, to_html
from socialode.notifications.actions import do_read_about
from socialode.platform.aftercommit import publish_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.events import Envelope
from socialode.platform.i18n import N_
from socialode.platform.services import Services
from socialode.safety.marks import marked_envelopes
from socialode.safety.pause import NO_ANSWER, PauseAnswer, check_words, folds

CLIENT_KEY = re.compile(r"[A-Za-z0-9_\-:.]{8,64}")


def check_client_key(key: str) -> str:
    if not CLIENT_KEY.fullmatch(key):
        raise Invalid(
            N_("The idempotency key must be 8 to 64 letters, digits or - _ : . (a UUID works)."),
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


async def publish_event_on_commit(
    db: AsyncSession,
    event: Event,
    message: MessageRow | None,
    users: dict[int, User],
    *,
    also: tuple[int, ...] = (),
    name: str | None = None,
) -> None:
    """Before commit: have the event sent, once committed, to everyone the access rule lets
    see it, live (recipients are read in the same transaction as the write)."""
    about = [p for p in (event.actor_id, event.subject_id) if p]
    recipients, quiet = await access_live.live_recipients(db, event.conversation_id, about)
    extra = [u for u in also if u not in recipients]
    for envelope in await marked_envelopes(
        db,
        recipients + extra,
        event_payload(event, message, users, name),
        "message",
        message.sender_id if message is not None else 0,
        stream=event.conversation_id,
        seq=event.seq,
        quiet=quiet,
    ):
        publish_on_commit(db, envelope)


async def check_send(
    svc: Services,
    viewer: Viewer,
    conversation_id: int,
    client_key: str,
    body: str,
    db: AsyncSession | None = None,
    *,
    quote: str = "",
    quote_ref: str | None = None,
    notice: str = "",
    reply_to: int | None = None,
    photo: bytes | None = None,
    pause: PauseAnswer = NO_ANSWER,
    surface: str = "message",
) -> Sent:
    """Validate, then write together with whatever else is being sent (see sending.py).

    A reply must answer a message of the same conversation the sender may see; a photo goes
    through the image pipeline and may come without text. Nothing is stored when any of it
    is refused, and a photo file is removed again when its message is not stored.

    A caller's own session is closed first: its connection goes back to the pool while the
    caller waits, so a burst of waiting requests cannot starve the writer of connections.
    """
    key = check_client_key(client_key)
    photo_only = photo is not None and not body.strip()
    text = "" if photo_only else clean_body(body, svc.settings.message_max_chars)
    cleared = await check_words(svc, viewer.id, viewer.user.language, surface, text, pause)
    if reply_to is not None:
        if db is None:
            async with svc.db.sessions() as own:
                await access_chat.access_reply_target(own, viewer, conversation_id, reply_to)
        else:
            await access_chat.access_reply_target(db, viewer, conversation_id, reply_to)
    await svc.limits.hit(svc.settings.rate_messages, "messages", str(viewer.id))
    if db is not None:
        await db.close()
    stored = await store_message_photo(svc, photo) if photo is not None else None
    outgoing = Outgoing(
        viewer.user,
        conversation_id,
        key,
        text,
        quote,
        quote_ref,
        notice,
        reply_to,
        stored,
        cleared.paused,
    )
    try:
        sent = await sender_of(svc).submit(outgoing)
    except BaseException:
        remove_message_photo(svc, stored.key if stored else None)
        raise
    if not sent.created and stored is not None:  # a retry: the first send has its own photo
        remove_message_photo(svc, stored.key)
    return replace(sent, offer_help=cleared.offer_help)


async def do_set_quotes(db: AsyncSession, ref: str, quote: str) -> None:
    """Refresh (or, with "", clear) the quoted text of every message answering ``ref``.
    Joins the caller's transaction."""
    await db.execute(
        update(MessageRow)
        .where(MessageRow.quote_ref == ref)
        .values(quote=quote, quote_ref=ref if quote else None)
    )


async def _keep_for_departed(
    db: AsyncSession, message: MessageRow, seq: int, before: tuple[str, str, datetime | None]
) -> None:
    """Keep the text an edit at ``seq`` replaces while someone who saw it has left since."""
    saw_it = await db.scalar(
        select(
            exists().where(
                Member.conversation_id == message.conversation_id,
                Member.until_seq >= message.seq,
                Member.until_seq < seq,
            )
        )
    )
    if saw_it:
        body, html, edited_at = before
        db.add(
            MessageRevision(
                message_id=message.id, seq=seq, body=body, body_html=html, edited_at=edited_at
            )
        )


async def _change(
    db: AsyncSession,
    viewer: Viewer,
    message: MessageRow,
    kind: EventKind,
    before: tuple[str, str, datetime | None] | None = None,
    *,
    commit: bool = True,
) -> MessageRow:
    now = utcnow()
    seq = await next_seq(db, message.conversation_id)
    if before is not None:
        await _keep_for_departed(db, message, seq, before)
    elif kind == EventKind.delete:  # withdrawn words are gone for everyone, former members too
        await db.execute(delete(MessageRevision).where(MessageRevision.message_id == message.id))
    event = Event(
        conversation_id=message.conversation_id,
        seq=seq,
        kind=kind.value,
        message_id=message.id,
        actor_id=viewer.id,
        created_at=now,
    )
    db.add(event)
    await publish_event_on_commit(db, event, message, {viewer.id: viewer.user})
    if commit:
        await db.commit()
    return message


async def check_edit(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    message_id: int,
    body: str,
    pause: PauseAnswer = NO_ANSWER,
) -> MessageRow:
    message = await access.access_own_message(db, viewer, message_id)
    # Editing puts new words in front of the others: the same rule as sending a message.
    pair = (viewer.id, message.conversation_id)
    if (refusal := (await access_live.writable(db, [pair]))[pair]) is not None:
        raise refusal
    keep_photo_only = message.photo_key is not None and not body.strip()
    text = "" if keep_photo_only else clean_body(body, svc.settings.message_max_chars)
    if text == message.body:
        return message
    cleared = await check_words(svc, viewer.id, viewer.user.language, "message", text, pause)
    # What was chosen at this edit's pause; a "sent anyway" goes with the words it was about.
    message.paused = cleared.paused or (None if folds(message.paused) else message.paused)
    before = (message.body, message.body_html, message.edited_at)
    message.body, message.body_html, message.edited_at = text, to_html(text), utcnow()
    return await _change(db, viewer, message, EventKind.edit, before)


async def check_delete(
    svc: Services, db: AsyncSession, viewer: Viewer, message_id: int
) -> MessageRow:
    message, photo_key = await do_delete(db, viewer, message_id)
    await db.commit()
    remove_message_photo(svc, photo_key)
    return message


async def do_delete(
    db: AsyncSession, viewer: Viewer, message_id: int
) -> tuple[MessageRow, str | None]:
    """Withdraw one of the viewer's messages, uncommitted (so a moderator's removal commits
    with the decision); the photo key returned is for the caller to remove once committed."""
    message = await access.access_own_message(db, viewer, message_id)
    photo_key = message.photo_key  # withdrawn with the words
    message.body, message.body_html, message.deleted_at = "", "", utcnow()
    message.photo_key = message.photo_width = message.photo_height = None
    await _change(db, viewer, message, EventKind.delete, commit=False)
    return message, photo_key


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
    if seq >= view.visible_seq:  # read to the end: its notifications are read too
        await do_read_about(db, viewer.id, [conversation_ref(view.id), added_ref(view.id)])
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
        publish_on_commit(db, Envelope([view.other.id], payload))
    await db.commit()
    return seq


async def do_set_read_receipts(db: AsyncSession, viewer: Viewer, enabled: bool) -> None:
    settings = await db.get(ChatSettings, viewer.id)
    if settings is None:
        db.add(ChatSettings(user_id=viewer.id, read_receipts=enabled))
    else:
        settings.read_receipts = enabled
    await db.commit()
