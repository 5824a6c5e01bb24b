"""Reads about who is connected to, blocked by or muted by whom, with the rule built in.

The block rule is symmetric: if either person blocked the other, each is, to the other, a
missing account. Every surface of every feature asks these functions, never the tables.

Nothing here tells anyone about another person's connections: no lists, no counts. Every list
is the viewer's own and ends: connections and circle members are bounded by the connection cap,
circles by the circle cap; requests and blocks are read oldest first a page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import NO_SUCH_MEMBER as NO_SUCH_MEMBER
from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.accounts.validation import handle_key
from socialode.circles.models import (
    Block,
    Circle,
    CircleMember,
    Connection,
    ConnectionRequest,
    Mute,
    RequestStatus,
)
from socialode.circles.validation import parse_handle
from socialode.platform.clock import utcnow
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_
from socialode.platform.pagination import after

NOT_A_CONNECTION = N_("That handle is not one of your connections.")
NO_SUCH_REQUEST = N_(
    "There is no such request: it may have been withdrawn, answered or expired. "
    "Look at your connections page for the requests that are waiting."
)
NO_SUCH_CIRCLE = N_("There is no such circle among yours.")
LIST_LIMIT = 500

# What the sender of a request sees as "waiting": a declined request still reads as pending to
# its sender until it would have expired, so nobody learns that they were declined.
SENDER_SEES_PENDING = (RequestStatus.pending.value, RequestStatus.declined.value)
Relation = Literal["you", "connected", "none"]
RequestSide = Literal["sent", "received"]


Side = int | SQLColumnExpression[int]


def block_pair(a: Side, b: Side) -> ColumnElement[bool]:
    """A block between ``a`` and ``b``, either way; either may be a column."""
    return or_(
        (Block.blocker_id == a) & (Block.blocked_id == b),
        (Block.blocker_id == b) & (Block.blocked_id == a),
    )


async def blocked_between(db: AsyncSession, a: int, b: int) -> bool:
    """True when either of the two blocked the other."""
    if a == b:
        return False
    return bool((await db.execute(select(exists().where(block_pair(a, b))))).scalar())


async def block_partners(db: AsyncSession, user_id: int) -> set[int]:
    """Everyone on the other side of a block with this person, in either direction."""
    rows = await db.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
        )
    )
    return {b if a == user_id else a for a, b in rows}


async def blocked_among(db: AsyncSession, user_id: int, others: Iterable[int]) -> set[int]:
    """Which of ``others`` are on the other side of a block with ``user_id``."""
    wanted = set(others)
    if not wanted:
        return set()
    return wanted & await block_partners(db, user_id)


async def are_connected(db: AsyncSession, a: int, b: int) -> bool:
    row = await db.execute(
        select(exists().where(Connection.user_id == a, Connection.other_id == b))
    )
    return bool(row.scalar())


async def connection_ids(db: AsyncSession, user_id: int) -> set[int]:
    rows = await db.execute(select(Connection.other_id).where(Connection.user_id == user_id))
    return set(rows.scalars())


async def connection_count(db: AsyncSession, user_id: int) -> int:
    """For the cap only: never shown to anyone but the person themselves."""
    found = await db.scalar(
        select(func.count()).select_from(Connection).where(Connection.user_id == user_id)
    )
    return int(found or 0)


async def muted_ids(db: AsyncSession, user_id: int) -> set[int]:
    rows = await db.execute(select(Mute.muted_id).where(Mute.user_id == user_id))
    return set(rows.scalars())


async def muted_by(db: AsyncSession, muted_id: int, users: Iterable[int]) -> set[int]:
    """Which of ``users`` have muted ``muted_id`` (they get its messages without notifying)."""
    wanted = list(set(users))
    if not wanted:
        return set()
    rows = await db.execute(
        select(Mute.user_id).where(Mute.muted_id == muted_id, Mute.user_id.in_(wanted))
    )
    return set(rows.scalars())


async def access_member(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """Another member by handle, as long as no block stands between them and the viewer."""
    key = handle_key(handle.strip().removeprefix("@"))
    if key == viewer.user.handle_key:
        return viewer.user
    user = (await db.execute(select(User).where(User.handle_key == key))).scalar_one_or_none()
    if user is None or await blocked_between(db, viewer.id, user.id):
        raise NotFound(NO_SUCH_MEMBER, field="handle")
    return user


async def access_member_by_id(db: AsyncSession, viewer: Viewer, user_id: int) -> User:
    if user_id == viewer.id:
        return viewer.user
    user = await db.get(User, user_id)
    if user is None or await blocked_between(db, viewer.id, user.id):
        raise NotFound(NO_SUCH_MEMBER)
    return user


async def find_member(db: AsyncSession, handle: str) -> User | None:
    """Anyone by a handle already checked for shape; callers apply the block rule."""
    found = await db.execute(select(User).where(User.handle_key == handle_key(handle)))
    return found.scalar_one_or_none()


# Connections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionView:
    user: User
    since: datetime
    muted: bool


def by_name(user: User) -> tuple[str, str]:
    return user.display_name.casefold(), user.handle_key


async def access_own_connections(db: AsyncSession, viewer: Viewer) -> list[ConnectionView]:
    """The viewer's own connections by display name; at most the connection cap of them."""
    rows = await db.execute(
        select(User, Connection.created_at)
        .join(Connection, Connection.other_id == User.id)
        .where(Connection.user_id == viewer.id)
    )
    muted = await muted_ids(db, viewer.id)
    found = [ConnectionView(user, since, user.id in muted) for user, since in rows]
    return sorted(found, key=lambda c: by_name(c.user))


async def access_connection(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """One of the viewer's connections; anyone else (unknown, blocked either way, not
    connected, yourself) answers with the same 404."""
    key = handle_key(parse_handle(handle))
    found = await db.execute(
        select(User)
        .join(Connection, Connection.other_id == User.id)
        .where(Connection.user_id == viewer.id, User.handle_key == key)
    )
    user = found.scalar_one_or_none()
    if user is None:
        raise NotFound(NOT_A_CONNECTION, field="handle")
    return user


# Requests -------------------------------------------------------------------------------------


def request_cutoff(ttl_days: int) -> datetime:
    """Requests made before this moment have expired."""
    return utcnow() - timedelta(days=ttl_days)


def request_expires_at(request: ConnectionRequest, ttl_days: int) -> datetime:
    return request.created_at + timedelta(days=ttl_days)


@dataclass(frozen=True)
class RequestView:
    request: ConnectionRequest
    other: User  # the sender of an incoming request, the recipient of an outgoing one


async def access_incoming_requests(
    db: AsyncSession,
    viewer: Viewer,
    ttl_days: int,
    start: tuple[datetime, int] | None = None,
    limit: int = LIST_LIMIT,
) -> list[RequestView]:
    """Requests waiting for the viewer's answer, oldest first, after ``start`` (the time and
    id of the last one shown)."""
    rows = await db.execute(
        select(ConnectionRequest, User)
        .join(User, User.id == ConnectionRequest.sender_id)
        .where(
            ConnectionRequest.recipient_id == viewer.id,
            ConnectionRequest.status == RequestStatus.pending.value,
            ConnectionRequest.created_at >= request_cutoff(ttl_days),
            after((ConnectionRequest.created_at, ConnectionRequest.id), start),
        )
        .order_by(ConnectionRequest.created_at, ConnectionRequest.id)
        .limit(limit)
    )
    return [RequestView(request, user) for request, user in rows]


async def access_outgoing_requests(
    db: AsyncSession,
    viewer: Viewer,
    ttl_days: int,
    start: tuple[datetime, int] | None = None,
    limit: int = LIST_LIMIT,
) -> list[RequestView]:
    """Requests the viewer sent that still wait, as the viewer sees them (declined ones too),
    oldest first, after ``start``."""
    rows = await db.execute(
        select(ConnectionRequest, User)
        .join(User, User.id == ConnectionRequest.recipient_id)
        .where(
            ConnectionRequest.sender_id == viewer.id,
            ConnectionRequest.status.in_(SENDER_SEES_PENDING),
            ConnectionRequest.created_at >= request_cutoff(ttl_days),
            after((ConnectionRequest.created_at, ConnectionRequest.id), start),
        )
        .order_by(ConnectionRequest.created_at, ConnectionRequest.id)
        .limit(limit)
    )
    return [RequestView(request, user) for request, user in rows]


async def access_incoming_request(
    db: AsyncSession, viewer: Viewer, request_id: int, ttl_days: int
) -> ConnectionRequest:
    """A request the viewer may accept or decline: addressed to them, pending, not expired."""
    request = await db.get(ConnectionRequest, request_id)
    if (
        request is None
        or request.recipient_id != viewer.id
        or request.status != RequestStatus.pending.value
        or request.created_at < request_cutoff(ttl_days)
    ):
        raise NotFound(NO_SUCH_REQUEST)
    return request


async def access_outgoing_request(
    db: AsyncSession, viewer: Viewer, request_id: int, ttl_days: int
) -> ConnectionRequest:
    """A request the viewer sent and sees as waiting, so they may withdraw it."""
    request = await db.get(ConnectionRequest, request_id)
    if (
        request is None
        or request.sender_id != viewer.id
        or request.status not in SENDER_SEES_PENDING
        or request.created_at < request_cutoff(ttl_days)
    ):
        raise NotFound(NO_SUCH_REQUEST)
    return request


async def sent_request(
    db: AsyncSession, sender_id: int, recipient_id: int, ttl_days: int
) -> ConnectionRequest | None:
    """The newest request from one to the other that its sender sees as waiting."""
    found = await db.execute(
        select(ConnectionRequest)
        .where(
            ConnectionRequest.sender_id == sender_id,
            ConnectionRequest.recipient_id == recipient_id,
            ConnectionRequest.status.in_(SENDER_SEES_PENDING),
            ConnectionRequest.created_at >= request_cutoff(ttl_days),
        )
        .order_by(ConnectionRequest.id.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


async def received_request(
    db: AsyncSession, recipient_id: int, sender_id: int, ttl_days: int
) -> ConnectionRequest | None:
    """The newest request from ``sender_id`` that is really waiting for ``recipient_id``."""
    found = await db.execute(
        select(ConnectionRequest)
        .where(
            ConnectionRequest.sender_id == sender_id,
            ConnectionRequest.recipient_id == recipient_id,
            ConnectionRequest.status == RequestStatus.pending.value,
            ConnectionRequest.created_at >= request_cutoff(ttl_days),
        )
        .order_by(ConnectionRequest.id.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


async def declined_since(
    db: AsyncSession, sender_id: int, recipient_id: int, ttl_days: int
) -> datetime | None:
    """When the recipient last declined this sender, if that was within the cooldown."""
    found = await db.scalar(
        select(func.max(ConnectionRequest.decided_at)).where(
            ConnectionRequest.sender_id == sender_id,
            ConnectionRequest.recipient_id == recipient_id,
            ConnectionRequest.status.in_(
                (RequestStatus.declined.value, RequestStatus.retracted.value)
            ),
        )
    )
    if found is None or found < request_cutoff(ttl_days):
        return None
    when: datetime = found
    return when


# Circles --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleView:
    circle: Circle
    members: list[User]


async def _members_of(db: AsyncSession, circle_ids: list[int]) -> dict[int, list[User]]:
    members: dict[int, list[User]] = {cid: [] for cid in circle_ids}
    if not circle_ids:
        return members
    rows = await db.execute(
        select(CircleMember.circle_id, User)
        .join(User, User.id == CircleMember.user_id)
        .where(CircleMember.circle_id.in_(circle_ids))
    )
    for circle_id, user in rows:
        members[circle_id].append(user)
    return {cid: sorted(users, key=by_name) for cid, users in members.items()}


async def access_own_circles(db: AsyncSession, viewer: Viewer) -> list[CircleView]:
    """The viewer's circles by name, each with its members (only the owner sees either)."""
    circles = list(
        (
            await db.execute(
                select(Circle).where(Circle.owner_id == viewer.id).order_by(Circle.name_key)
            )
        ).scalars()
    )
    members = await _members_of(db, [c.id for c in circles])
    return [CircleView(c, members[c.id]) for c in circles]


async def access_circle(db: AsyncSession, viewer: Viewer, circle_id: int) -> Circle:
    """One of the viewer's circles; anyone else's answers as missing."""
    circle = await db.get(Circle, circle_id)
    if circle is None or circle.owner_id != viewer.id:
        raise NotFound(NO_SUCH_CIRCLE)
    return circle


async def access_circle_view(db: AsyncSession, viewer: Viewer, circle_id: int) -> CircleView:
    circle = await access_circle(db, viewer, circle_id)
    return CircleView(circle, (await _members_of(db, [circle.id]))[circle.id])


# Blocks and mutes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSince:
    user: User
    since: datetime


async def access_blocked(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """Someone the viewer blocked, by handle; anyone else answers as missing."""
    key = handle_key(handle.strip().removeprefix("@"))
    found = await db.scalar(
        select(User)
        .join(Block, Block.blocked_id == User.id)
        .where(Block.blocker_id == viewer.id, User.handle_key == key)
    )
    if found is None:
        raise NotFound(N_("You have not blocked anyone with that handle."), "handle")
    return found


async def access_own_blocks(
    db: AsyncSession,
    viewer: Viewer,
    start: tuple[datetime, int] | None = None,
    limit: int = LIST_LIMIT,
) -> list[PersonSince]:
    """The people the viewer blocked (never those who blocked the viewer), oldest first,
    after ``start`` (the time of the block and the id of the person last shown)."""
    rows = await db.execute(
        select(User, Block.created_at)
        .join(Block, Block.blocked_id == User.id)
        .where(Block.blocker_id == viewer.id, after((Block.created_at, User.id), start))
        .order_by(Block.created_at, User.id)
        .limit(limit)
    )
    return [PersonSince(user, since) for user, since in rows]


async def access_own_mutes(db: AsyncSession, viewer: Viewer) -> list[PersonSince]:
    rows = await db.execute(
        select(User, Mute.created_at)
        .join(Mute, Mute.muted_id == User.id)
        .where(Mute.user_id == viewer.id)
    )
    found = [PersonSince(user, since) for user, since in rows]
    return sorted(found, key=lambda p: by_name(p.user))
