"""Reads for the chat surfaces, each through the one rule of access.py: where a conversation
opens (the first unread message), the messages replies quote, the last line of each listed
conversation, and who may fetch a message's photo.

A reader sees a quoted or last message only when they may see the message itself: inside one
of their membership periods, not from someone a block hides, as its text read when they left
(if they did); a deleted message is only ever "deleted", never its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations.access import (
    PAGE,
    ConversationView,
    ListedConversation,
    access_conversation,
    texts_as_of,
    visible_messages,
)
from socialode.conversations.models import Member, Message
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.safety.access import folds_hurtful
from socialode.safety.pause import FOLDED, folds

MAX_OPENING = 300  # messages on a page that opens at the first unread one, at most
EXCERPT = 120
NO_REPLY = N_(
    "You can reply only to a message of this conversation that you can see; "
    "choose another message or send without replying."
)
DELETED_REPLY = N_("That message was deleted, so it cannot be answered; send without replying.")
NO_PHOTO = N_("There is no such photo, or you cannot see it.")


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first line of a text, shortened with an ellipsis past ``limit`` characters."""
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _visible(view: ConversationView, message: Message) -> bool:
    return view.periods.sees(message.seq) and message.sender_id not in view.hidden


@dataclass(frozen=True)
class Opening:
    """Where the reader's page opens: their read marker and how many messages came after."""

    read_upto: int
    unread: int

    @property
    def limit(self) -> int:
        """A page long enough to start at the first unread message (within reason)."""
        return min(max(PAGE, self.unread + 10), MAX_OPENING)


async def opening(db: AsyncSession, view: ConversationView, viewer_id: int) -> Opening | None:
    """For a member: their read marker and the number of unread messages from others."""
    member = view.periods.current
    if member is None:
        return None
    query = select(func.count()).where(
        Message.conversation_id == view.id,
        Message.seq > member.last_read_seq,
        Message.seq >= member.from_seq,
        Message.sender_id != viewer_id,
        Message.deleted_at.is_(None),
    )
    if view.hidden:
        query = query.where(Message.sender_id.not_in(view.hidden))
    return Opening(member.last_read_seq, int(await db.scalar(query) or 0))


@dataclass(frozen=True)
class Quoted:
    """A message as a reply shows it to this reader."""

    id: int
    sender: User
    text: str  # its first line; "" when deleted or a photo alone
    deleted: bool
    photo: bool
    folded: bool = False  # sent anyway after a pause, to a reader who folds such texts


async def quotes_for(
    db: AsyncSession, view: ConversationView, messages: Sequence[Message]
) -> dict[int, Quoted]:
    """The messages that ``messages`` reply to, keyed by their id, as the viewer may see them;
    one the viewer may not see is missing (the reply then shows no quote)."""
    ids = {m.reply_to_id for m in messages if m.reply_to_id and m.deleted_at is None}
    return await quotes_by_id(db, view, ids)


async def quotes_by_id(
    db: AsyncSession, view: ConversationView, ids: set[int]
) -> dict[int, Quoted]:
    """Messages of the conversation by id, as the viewer may see them (others missing)."""
    if not ids:
        return {}
    rows = await db.execute(
        select(Message, User)
        .join(User, User.id == Message.sender_id)
        .where(Message.id.in_(ids), Message.conversation_id == view.id)
    )
    found = [(m, u) for m, u in rows.all() if _visible(view, m)]
    upto = view.periods.max_seq
    then = await texts_as_of(db, [m for m, _ in found], upto) if upto is not None else {}
    reader = view.periods.user_id
    marked = any(folds(m.paused) and m.sender_id != reader for m, _u in found)
    reader_folds = marked and await folds_hurtful(db, reader)
    out: dict[int, Quoted] = {}
    for message, sender in found:
        shown = then.get(message.id, message)
        deleted = shown.deleted_at is not None
        folded = reader_folds and not deleted and sender.id != reader and folds(message.paused)
        text = "" if deleted else _(FOLDED) if folded else excerpt(shown.body)
        photo = bool(shown.photo_key)
        out[message.id] = Quoted(message.id, sender, text, deleted, photo, folded)
    return out


async def access_reply_target(
    db: AsyncSession, viewer: Viewer, conversation_id: int, reply_to: int
) -> Message:
    """The message a new one may answer: of the same conversation, seen by the sender, and
    not deleted; anything else is refused with a sentence beside the reply."""
    view = await access_conversation(db, viewer, conversation_id)
    message = await db.get(Message, reply_to)
    if message is None or message.conversation_id != view.id or not _visible(view, message):
        raise Invalid(NO_REPLY, "reply_to")
    if message.deleted_at is not None:
        raise Invalid(DELETED_REPLY, "reply_to")
    return message


@dataclass(frozen=True)
class LastLine:
    """The newest message of a listed conversation the reader may see, in one line."""

    text: str
    sender: User
    mine: bool
    deleted: bool
    folded: bool = False  # sent anyway after a pause, to a reader who folds such texts


def _line(message: Message, folded: bool = False) -> str:
    if message.deleted_at is not None:
        return _("Message deleted")
    if folded:
        return _(FOLDED)
    if not message.body.strip():
        return "Photo" if message.photo_key else ""
    return excerpt(message.body, 90)


async def last_lines(
    db: AsyncSession, viewer: Viewer, listed: Sequence[ListedConversation]
) -> dict[int, LastLine]:
    """Each listed conversation's newest message the viewer may see: one query for the page
    (plus one for the old texts of conversations the viewer left, when edited since)."""
    ids = [item.view.id for item in listed]
    if not ids:
        return {}
    hidden = listed[0].view.hidden
    newest = (
        select(Message.conversation_id.label("cid"), func.max(Message.seq).label("seq"))
        .join(
            Member,
            and_(
                Member.conversation_id == Message.conversation_id,
                Member.user_id == viewer.id,
                Message.seq >= Member.from_seq,
                or_(Member.until_seq.is_(None), Message.seq <= Member.until_seq),
            ),
        )
        .where(Message.conversation_id.in_(ids))
        .group_by(Message.conversation_id)
    )
    if hidden:
        newest = newest.where(Message.sender_id.not_in(hidden))
    sub = newest.subquery()
    rows = await db.execute(
        select(Message, User)
        .join(sub, and_(Message.conversation_id == sub.c.cid, Message.seq == sub.c.seq))
        .join(User, User.id == Message.sender_id)
    )
    found = {m.conversation_id: (m, u) for m, u in rows.all()}
    views = {item.view.id: item.view for item in listed}
    # Words sent anyway after a pause stay folded in the list too for a reader who asked for
    # that (their choice is read only when such a line is there).
    marked = any(folds(m.paused) and m.sender_id != viewer.id for m, _u in found.values())
    reader_folds = marked and await folds_hurtful(db, viewer.id)
    out: dict[int, LastLine] = {}
    for cid, (message, sender) in found.items():
        upto = views[cid].periods.max_seq
        if upto is not None:
            message = (await texts_as_of(db, [message], upto)).get(message.id, message)
        deleted = message.deleted_at is not None
        mine = sender.id == viewer.id
        folded = reader_folds and not mine and not deleted and folds(message.paused)
        out[cid] = LastLine(_line(message, folded), sender, mine, deleted, folded)
    return out


async def access_message_photo(db: AsyncSession, viewer: Viewer, key: str) -> Message:
    """The message carrying photo ``key``, when the viewer may see that message (the
    conversation's read rule: members, former members for what they saw, never across a
    block); anything else answers as missing."""
    message = await db.scalar(select(Message).where(Message.photo_key == key))
    if message is None or message.deleted_at is not None:
        raise NotFound(NO_PHOTO)
    try:
        view = await access_conversation(db, viewer, message.conversation_id)
    except NotFound:
        raise NotFound(NO_PHOTO) from None
    if not _visible(view, message):
        raise NotFound(NO_PHOTO)
    return message


@dataclass(frozen=True)
class InContext:
    """A message someone may see, and the few around it they may see too (for a report)."""

    view: ConversationView
    message: Message
    around: list[tuple[Message, User]]


async def access_message_in_context(
    db: AsyncSession, viewer: Viewer, message_id: int, around: int = 3
) -> InContext:
    """The message as its reader sees it, with up to ``around`` visible messages before and
    after; a message they may not see (or one deleted) is missing, like any other."""
    message = await db.get(Message, message_id)
    if message is None:
        raise NotFound()
    try:
        view = await access_conversation(db, viewer, message.conversation_id)
    except NotFound:
        raise NotFound() from None  # said like a missing message: nothing to tell apart
    if not _visible(view, message) or message.deleted_at is not None:
        raise NotFound()
    near, _earlier = await visible_messages(
        db, view, before_seq=message.seq + around + 1, limit=2 * around + 1
    )
    return InContext(view, message, near)
