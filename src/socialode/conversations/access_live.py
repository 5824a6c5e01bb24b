"""The conversations' read rule from the event side: who receives a live event, who may
write, and what a resuming client missed. Same rule as access.py, in bulk where it pays."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import User
from socialode.circles import access as circles
from socialode.circles import access_bulk
from socialode.conversations.access import (
    NO_CONVERSATION,
    direct_other,
    period_clause,
    texts_as_of,
)
from socialode.conversations.models import Conversation, Event, Kind, Member, Message
from socialode.platform.errors import AppError, Conflict, NotFound
from socialode.platform.i18n import N_


# -- recipients of live events: the same rule, from the event's side ----------------------
async def live_recipients(
    db: AsyncSession, conversation_id: int, about: Iterable[int]
) -> tuple[list[int], set[int]]:
    """Current members who may see an event about ``about`` (its actor and subject), and
    which of them muted the actor (they get it without a notification)."""
    people = [p for p in about if p]
    members = (
        (
            await db.execute(
                select(Member.user_id).where(
                    Member.conversation_id == conversation_id, Member.until_seq.is_(None)
                )
            )
        )
        .scalars()
        .all()
    )
    partners = await access_bulk.block_partners_of(db, people)
    hidden = set().union(*partners.values()) if partners else set()
    recipients = [m for m in members if m not in hidden]
    # No notification for people who muted the actor, nor for the actor's own other devices.
    quiet = (await circles.muted_by(db, people[0], recipients) | {people[0]}) if people else set()
    return recipients, quiet


# -- catching up from a cursor -------------------------------------------------------------
@dataclass(frozen=True)
class Replayed:
    event: Event
    message: Message | None
    users: dict[int, User]
    name: str  # the conversation's name as the member may see it (for rename events)


@dataclass(frozen=True)
class ReplayPage:
    items: list[Replayed]
    reached: dict[int, int]  # the last sequence number looked at, per conversation
    more: bool


async def replay(
    db: AsyncSession, user_id: int, starts: dict[int, int], *, limit: int = 500
) -> ReplayPage:
    """Events after ``starts[conversation]`` that the user may see, in order per
    conversation, at most ``limit`` looked at (call again from ``reached`` for more)."""
    if not starts:
        return ReplayPage([], {}, more=False)
    hidden = await circles.block_partners(db, user_id)
    clauses = [and_(Event.conversation_id == cid, Event.seq > seq) for cid, seq in starts.items()]
    rows = (
        await db.execute(
            select(Event, Message, Conversation.name)
            .join(Member, period_clause(user_id))
            .join(Conversation, Conversation.id == Event.conversation_id)
            .outerjoin(Message, Message.id == Event.message_id)
            .where(or_(*clauses))
            .order_by(Event.conversation_id, Event.seq)
            .limit(limit)
        )
    ).all()
    wanted = {u for e, m, _ in rows for u in (e.actor_id, e.subject_id) if u}
    users = {u.id: u for u in (await db.execute(select(User).where(User.id.in_(wanted)))).scalars()}
    # Someone who left sees names and texts as they were when they left (access.py's rule).
    departed = await _departures(db, user_id, {e.conversation_id for e, _, _ in rows})
    then: dict[int, Message] = {}
    for cid, ended in departed.items():
        if ended.until_seq is not None:
            mine = [m for e, m, _ in rows if m is not None and e.conversation_id == cid]
            then.update(await texts_as_of(db, mine, ended.until_seq))
    items: list[Replayed] = []
    reached: dict[int, int] = {}
    for event, message, name in rows:
        reached[event.conversation_id] = event.seq
        if event.actor_id in hidden or event.subject_id in hidden:
            continue
        gone = departed.get(event.conversation_id)
        if gone is not None and gone.name_then is not None:
            name = gone.name_then
        if message is not None:
            message = then.get(message.id, message)
        items.append(Replayed(event, message, users, name))
    return ReplayPage(items, reached, more=len(rows) == limit)


async def _departures(
    db: AsyncSession, user_id: int, conversation_ids: set[int]
) -> dict[int, Member]:
    """The ended membership of each conversation the user is no longer in."""
    if not conversation_ids:
        return {}
    rows = await db.execute(
        select(Member)
        .where(Member.user_id == user_id, Member.conversation_id.in_(conversation_ids))
        .order_by(Member.id)
    )
    latest = {m.conversation_id: m for m in rows.scalars()}
    return {cid: m for cid, m in latest.items() if m.until_seq is not None}


async def resume_points(
    db: AsyncSession, user_id: int, cursor: dict[int, int], since: datetime | None
) -> tuple[dict[int, int], dict[int, int]]:
    """Where to replay from per conversation, and the cursor the client holds afterwards.

    Conversations in the cursor replay after its number. Others replay from the start of
    the membership only when it began after ``since`` (joined while the client was away).
    One-to-one conversations with someone on the other side of a block are left out.
    """
    memberships = (
        (await db.execute(select(Member).where(Member.user_id == user_id).order_by(Member.id)))
        .scalars()
        .all()
    )
    if not memberships:
        return {}, {}
    ids = {m.conversation_id for m in memberships}
    conversations = {
        c.id: c
        for c in (await db.execute(select(Conversation).where(Conversation.id.in_(ids)))).scalars()
    }
    hidden = await circles.block_partners(db, user_id)
    starts: dict[int, int] = {}
    ready: dict[int, int] = {}
    latest: dict[int, Member] = {}
    for member in memberships:
        latest[member.conversation_id] = member
    for cid, member in latest.items():
        conversation = conversations[cid]
        if conversation.kind == Kind.direct.value:
            other = await direct_other(db, conversation, user_id)
            if other in hidden:
                continue
        top = conversation.last_seq if member.until_seq is None else member.until_seq
        ready[cid] = max(top, cursor.get(cid, 0))
        if cid in cursor:
            if cursor[cid] < top:
                starts[cid] = cursor[cid]
        elif since is not None and member.joined_at >= since:
            starts[cid] = member.from_seq - 1
    return starts, ready


# -- the same rules in bulk, for sends written together (see actions/sending.py) ----------
NOT_CONNECTED = N_(
    "You can write here again once you are connected with this person. Your earlier messages stay."
)


def _other(direct_key: str | None, user_id: int) -> int:
    low, high = (int(x) for x in (direct_key or "0:0").split(":"))
    return high if low == user_id else low


async def writable(
    db: AsyncSession, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], AppError | None]:
    """For each (sender, conversation): None if the sender may write there now, else the
    error to answer — the rule of access_current_conversation plus the connection rule of
    one-to-one conversations, decided for many sends in a few queries."""
    wanted = set(pairs)
    senders = {s for s, _ in wanted}
    conversation_ids = {c for _, c in wanted}
    kinds = {
        cid: (kind, key)
        for cid, kind, key in await db.execute(
            select(Conversation.id, Conversation.kind, Conversation.direct_key).where(
                Conversation.id.in_(conversation_ids)
            )
        )
    }
    current = {
        (uid, cid)
        for uid, cid in await db.execute(
            select(Member.user_id, Member.conversation_id).where(
                Member.conversation_id.in_(conversation_ids),
                Member.user_id.in_(senders),
                Member.until_seq.is_(None),
            )
        )
    }
    partners = await access_bulk.block_partners_of(db, senders)
    pairs = {
        (sender, _other(kinds[cid][1], sender))
        for sender, cid in wanted
        if cid in kinds and kinds[cid][0] == Kind.direct.value
    }
    connected = await access_bulk.connected_pairs(db, pairs)  # one-to-ones only
    out: dict[tuple[int, int], AppError | None] = {}
    for sender, cid in wanted:
        found = kinds.get(cid)
        if found is None or (sender, cid) not in current:
            out[(sender, cid)] = NotFound(NO_CONVERSATION)
            continue
        kind, key = found
        if kind != Kind.direct.value:
            out[(sender, cid)] = None
            continue
        other = _other(key, sender)
        if other in partners.get(sender, set()):
            out[(sender, cid)] = NotFound(NO_CONVERSATION)
        elif (sender, other) not in connected:
            out[(sender, cid)] = Conflict(NOT_CONNECTED, "body")
        else:
            out[(sender, cid)] = None
    return out


async def message_audiences(
    db: AsyncSession, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], tuple[list[int], set[int]]]:
    """For each (sender, conversation): the current members who may see the sender's message
    (blocked people left out) and which of them muted the sender — live_recipients in bulk."""
    wanted = set(pairs)
    senders = {s for s, _ in wanted}
    members: dict[int, list[int]] = {}
    for cid, uid in await db.execute(
        select(Member.conversation_id, Member.user_id).where(
            Member.conversation_id.in_({c for _, c in wanted}), Member.until_seq.is_(None)
        )
    ):
        members.setdefault(cid, []).append(uid)
    partners = await access_bulk.block_partners_of(db, senders)
    muters = await access_bulk.muters_of(db, senders)
    out: dict[tuple[int, int], tuple[list[int], set[int]]] = {}
    for sender, cid in wanted:
        hidden = partners.get(sender, set())
        recipients = [u for u in members.get(cid, []) if u not in hidden]
        quiet = (muters.get(sender, set()) | {sender}) & set(recipients)
        out[(sender, cid)] = (recipients, quiet)
    return out
