"""Who may see which conversation, message and event: one rule, used by every surface.

A member sees the events of a conversation whose sequence number falls inside one of their
membership periods (``from_seq``..``until_seq``). Someone who left or was removed sees the
conversation as it was when they left — its name then, its members then, each message's text
then — until they are added again; then they see it as it is, and nothing from the gap.
Blocking hides both people from each other: a one-to-one conversation between them is missing
for both, and in a group each one's messages and comings and goings are missing for the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, suspended_clause
from socialode.accounts.models import User
from socialode.circles import access as circles
from socialode.conversations.models import (
    ChatSettings,
    Conversation,
    Event,
    EventKind,
    Kind,
    Member,
    Message,
    MessageRevision,
)
from socialode.conversations.sleep import access_sleep_line
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_

NO_CONVERSATION = N_("There is no such conversation, or you are not in it.")
NO_MESSAGE = N_("There is no such message, or it is not yours to change.")
PAGE = 50
LIST_PAGE = 30  # conversations per page of the list


@dataclass(frozen=True)
class Periods:
    """A member's membership periods in one conversation, newest last."""

    rows: tuple[Member, ...]

    @property
    def current(self) -> Member | None:
        last = self.rows[-1]
        return last if last.until_seq is None else None

    @property
    def last(self) -> Member:
        return self.rows[-1]

    def sees(self, seq: int) -> bool:
        return any(
            m.from_seq <= seq and (m.until_seq is None or seq <= m.until_seq) for m in self.rows
        )

    @property
    def max_seq(self) -> int | None:
        """The last sequence number the member may see, or None while they are a member."""
        return None if self.current else self.last.until_seq

    @property
    def user_id(self) -> int:
        return self.last.user_id


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    periods: Periods
    # People whose words the viewer does not see: the other side of a block with the viewer,
    # and members suspended or banned by a moderator (while that lasts).
    hidden: frozenset[int]
    other: User | None  # the other person of a one-to-one conversation

    @property
    def id(self) -> int:
        return self.conversation.id

    @property
    def is_member(self) -> bool:
        return self.periods.current is not None

    @property
    def departure(self) -> Member | None:
        """The membership period that ended last, while the viewer is not a member."""
        return None if self.is_member else self.periods.last

    @property
    def name(self) -> str:
        """The group's name as the viewer may see it: its name when they left, if they did."""
        gone = self.departure
        if gone is not None and gone.name_then is not None:
            return gone.name_then
        return self.conversation.name

    @property
    def removed(self) -> bool:
        """Whether the viewer's last membership ended by removal (rather than leaving)."""
        gone = self.departure
        return gone is not None and gone.ended == EventKind.remove.value

    @property
    def visible_seq(self) -> int:
        """The newest sequence number the viewer may see."""
        cap = self.periods.max_seq
        last = self.conversation.last_seq
        return last if cap is None else min(cap, last)


def period_clause(user_id: int) -> ColumnElement[bool]:
    return and_(
        Member.conversation_id == Event.conversation_id,
        Member.user_id == user_id,
        Event.seq >= Member.from_seq,
        or_(Member.until_seq.is_(None), Event.seq <= Member.until_seq),
    )


async def _periods(
    db: AsyncSession, user_id: int, conversation_ids: Iterable[int]
) -> dict[int, Periods]:
    ids = list(conversation_ids)
    if not ids:
        return {}
    rows = (
        await db.execute(
            select(Member)
            .where(Member.user_id == user_id, Member.conversation_id.in_(ids))
            .order_by(Member.conversation_id, Member.id)
        )
    ).scalars()
    grouped: dict[int, list[Member]] = {}
    for row in rows:
        grouped.setdefault(row.conversation_id, []).append(row)
    return {cid: Periods(tuple(members)) for cid, members in grouped.items()}


async def direct_other(db: AsyncSession, conversation: Conversation, viewer_id: int) -> int:
    low, high = (int(x) for x in (conversation.direct_key or "0:0").split(":"))
    return high if low == viewer_id else low


async def access_conversation(
    db: AsyncSession, viewer: Viewer, conversation_id: int
) -> ConversationView:
    """The conversation as the viewer may see it; missing, never a member, or blocked → 404."""
    conversation = await db.get(Conversation, conversation_id)
    periods = (await _periods(db, viewer.id, [conversation_id])).get(conversation_id)
    if conversation is None or periods is None:
        raise NotFound(NO_CONVERSATION)
    blocked = await circles.block_partners(db, viewer.id)
    other: User | None = None
    if conversation.kind == Kind.direct.value:
        other_id = await direct_other(db, conversation, viewer.id)
        if other_id in blocked:
            raise NotFound(NO_CONVERSATION)
        other = await db.get(User, other_id)
    hidden = frozenset(blocked | await _suspended_members(db, [conversation_id]))
    return ConversationView(conversation, periods, hidden, other)


async def _suspended_members(db: AsyncSession, conversation_ids: Iterable[int]) -> set[int]:
    """Members of these conversations who are suspended or banned now."""
    rows = await db.scalars(
        select(Member.user_id)
        .where(Member.conversation_id.in_(list(conversation_ids)))
        .where(suspended_clause(Member.user_id))
        .distinct()
    )
    return set(rows)


async def access_current_conversation(
    db: AsyncSession, viewer: Viewer, conversation_id: int
) -> ConversationView:
    """As access_conversation, for writing: former members may read but not write."""
    view = await access_conversation(db, viewer, conversation_id)
    if not view.is_member:
        raise NotFound(NO_CONVERSATION)
    return view


@dataclass(frozen=True)
class ListedConversation:
    view: ConversationView
    unread: bool
    activity_at: datetime


async def list_conversations(
    db: AsyncSession,
    viewer: Viewer,
    *,
    start: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> tuple[list[ListedConversation], bool]:
    """The viewer's conversations, most recent activity first, a page at a time (it ends):
    those after ``start`` (the activity time and id of the last one shown). Conversations the
    viewer may not see are left out before paging, so they never end the list early."""
    memberships = (
        (await db.execute(select(Member.conversation_id).where(Member.user_id == viewer.id)))
        .scalars()
        .all()
    )
    ids = set(memberships)
    if not ids:
        return [], False
    periods = await _periods(db, viewer.id, ids)
    conversations = (
        await db.execute(select(Conversation).where(Conversation.id.in_(ids)))
    ).scalars()
    blocked = await circles.block_partners(db, viewer.id)
    hidden = frozenset(blocked | await _suspended_members(db, ids))
    others: dict[int, int] = {}
    views: list[tuple[Conversation, Periods]] = []
    for conversation in conversations:
        if conversation.kind == Kind.direct.value:
            other_id = await direct_other(db, conversation, viewer.id)
            if other_id in blocked:
                continue
            others[conversation.id] = other_id
        views.append((conversation, periods[conversation.id]))
    users = {
        u.id: u
        for u in (await db.execute(select(User).where(User.id.in_(set(others.values()))))).scalars()
    }

    def activity(item: tuple[Conversation, Periods]) -> datetime:
        conversation, member = item
        left = member.last.left_at
        return left if left is not None else conversation.last_activity_at

    views.sort(key=lambda item: (activity(item), item[0].id), reverse=True)
    if start is not None:
        views = [v for v in views if (activity(v), v[0].id) < start]
    size = limit or LIST_PAGE
    page, more = views[:size], len(views) > size
    unread = await _unread(db, viewer.id, [c.id for c, _ in page], hidden)
    listed = [
        ListedConversation(
            ConversationView(c, p, hidden, users.get(others.get(c.id, 0))),
            c.id in unread,
            activity((c, p)),
        )
        for c, p in page
    ]
    return listed, more


async def _unread(
    db: AsyncSession, user_id: int, conversation_ids: Sequence[int], hidden: frozenset[int]
) -> set[int]:
    """Conversations with a message from someone else after the viewer's read marker."""
    if not conversation_ids:
        return set()
    rows = await db.execute(
        select(Message.conversation_id, Message.sender_id)
        .join(
            Member,
            and_(
                Member.conversation_id == Message.conversation_id,
                Member.user_id == user_id,
                Message.seq >= Member.from_seq,
                or_(Member.until_seq.is_(None), Message.seq <= Member.until_seq),
                Message.seq > Member.last_read_seq,
            ),
        )
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.sender_id != user_id,
            Message.deleted_at.is_(None),
        )
        .distinct()
    )
    return {cid for cid, sender in rows if sender not in hidden}


async def visible_messages(
    db: AsyncSession,
    view: ConversationView,
    *,
    before_seq: int | None = None,
    limit: int | None = None,
) -> tuple[list[tuple[Message, User]], bool]:
    """A page of messages the viewer may see, oldest first, and whether earlier ones exist.
    The rule is applied in the query, so hidden messages never shorten or end a page."""
    limit = limit or PAGE
    ranges = [
        and_(
            Message.seq >= m.from_seq,
            Message.seq <= m.until_seq if m.until_seq is not None else Message.seq > 0,
        )
        for m in view.periods.rows
    ]
    query = (
        select(Message, User)
        .join(User, User.id == Message.sender_id)
        .where(Message.conversation_id == view.id, or_(*ranges))
    )
    if view.hidden:
        query = query.where(Message.sender_id.not_in(view.hidden))
    if before_seq is not None:
        query = query.where(Message.seq < before_seq)
    rows = (await db.execute(query.order_by(Message.seq.desc()).limit(limit + 1))).all()
    page = [(m, u) for m, u in rows[:limit]]
    page.reverse()
    upto = view.periods.max_seq
    if upto is not None:
        then = await texts_as_of(db, [m for m, _ in page], upto)
        page = [(then.get(m.id, m), u) for m, u in page]
    return page, len(rows) > limit


async def texts_as_of(
    db: AsyncSession, messages: Sequence[Message], upto: int
) -> dict[int, Message]:
    """Messages edited after event ``upto``, as they read then: detached copies (never
    written back) with the text kept from before the first later edit. A deletion is not
    undone: whoever deletes their words withdraws them from everyone."""
    ids = [m.id for m in messages if m.edited_at is not None and m.deleted_at is None]
    if not ids:
        return {}
    rows = await db.execute(
        select(MessageRevision)
        .where(MessageRevision.message_id.in_(ids), MessageRevision.seq > upto)
        .order_by(MessageRevision.message_id, MessageRevision.seq)
    )
    first: dict[int, MessageRevision] = {}
    for revision in rows.scalars():
        first.setdefault(revision.message_id, revision)
    out: dict[int, Message] = {}
    for message in messages:
        kept = first.get(message.id)
        if kept is None:
            continue
        copy = Message(**{c.key: getattr(message, c.key) for c in Message.__table__.columns})
        copy.body, copy.body_html, copy.edited_at = kept.body, kept.body_html, kept.edited_at
        out[message.id] = copy
    return out


async def current_members(db: AsyncSession, view: ConversationView) -> list[User]:
    """Who is in the conversation as the viewer may see it (blocked people missing): now,
    or, for someone who left, the others who were in it when they left."""
    upto = view.periods.max_seq
    who = select(Member.user_id).where(Member.conversation_id == view.id)
    if upto is None:
        who = who.where(Member.until_seq.is_(None))
    else:
        who = who.where(
            Member.user_id != view.periods.user_id,
            Member.from_seq <= upto,
            or_(Member.until_seq.is_(None), Member.until_seq > upto),
        )
    rows = await db.execute(
        select(User).where(User.id.in_(who)).order_by(User.display_name, User.id)
    )
    return [u for u in rows.scalars() if u.id not in view.hidden]


async def access_own_message(db: AsyncSession, viewer: Viewer, message_id: int) -> Message:
    message = await db.get(Message, message_id)
    if message is None or message.sender_id != viewer.id or message.deleted_at is not None:
        raise NotFound(NO_MESSAGE)
    try:
        await access_current_conversation(db, viewer, message.conversation_id)
    except NotFound:
        raise NotFound(NO_MESSAGE) from None  # a hidden conversation hides its messages too
    return message


async def receipts_on(db: AsyncSession, user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    rows = await db.execute(
        select(ChatSettings.user_id).where(
            ChatSettings.user_id.in_(ids), ChatSettings.read_receipts.is_(True)
        )
    )
    return set(rows.scalars())


async def read_receipts_enabled(db: AsyncSession, user_id: int) -> bool:
    return bool(await receipts_on(db, [user_id]))


async def seen_by_other(db: AsyncSession, view: ConversationView, viewer: Viewer) -> int | None:
    """In a one-to-one conversation where both turned receipts on: the other's read marker."""
    if view.other is None or len(await receipts_on(db, [viewer.id, view.other.id])) < 2:
        return None
    member = (
        await db.execute(
            select(Member).where(
                Member.conversation_id == view.id,
                Member.user_id == view.other.id,
                Member.until_seq.is_(None),
            )
        )
    ).scalar_one_or_none()
    return member.last_read_seq if member else None


@dataclass(frozen=True)
class Detail:
    view: ConversationView
    members: list[User]
    messages: list[tuple[Message, User]]
    earlier: bool
    seen_by_other: int | None
    sleep_line: str | None = None  # to a member writing here: who is resting now


async def conversation_detail(
    db: AsyncSession,
    viewer: Viewer,
    conversation_id: int,
    before_seq: int | None = None,
    *,
    view: ConversationView | None = None,
    limit: int | None = None,
) -> Detail:
    view = view or await access_conversation(db, viewer, conversation_id)
    messages, earlier = await visible_messages(db, view, before_seq=before_seq, limit=limit)
    members = await current_members(db, view)
    others = [m for m in members if m.id != viewer.id]
    return Detail(
        view,
        members,
        messages,
        earlier,
        await seen_by_other(db, view, viewer),
        await access_sleep_line(db, others) if view.is_member and others else None,
    )


async def connections_to_talk_with(db: AsyncSession, viewer: Viewer) -> list[User]:
    """The viewer's own connections (for starting a conversation), by name."""
    ids = await circles.connection_ids(db, viewer.id)
    if not ids:
        return []
    rows = await db.execute(select(User).where(User.id.in_(ids)).order_by(User.display_name))
    return list(rows.scalars())
