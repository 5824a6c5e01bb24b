"""The block, connection and mute rules for many people at once (for batched writes and
fan-out). Same tables and meaning as access.py, a few queries instead of one per person."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from socialode.circles.models import Block, Circle, CircleMember, Connection, Mute


async def block_partners_of(db: AsyncSession, users: Iterable[int]) -> dict[int, set[int]]:
    """For each user, everyone on the other side of a block with them (either direction)."""
    ids = set(users)
    out: dict[int, set[int]] = {u: set() for u in ids}
    if not ids:
        return out
    rows = await db.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id.in_(ids), Block.blocked_id.in_(ids))
        )
    )
    for blocker, blocked in rows:
        if blocker in out:
            out[blocker].add(blocked)
        if blocked in out:
            out[blocked].add(blocker)
    return out


async def connected_pairs(
    db: AsyncSession, pairs: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which of the (user, other) pairs are connected."""
    wanted = list(set(pairs))
    if not wanted:
        return set()
    rows = await db.execute(
        select(Connection.user_id, Connection.other_id).where(
            tuple_(Connection.user_id, Connection.other_id).in_(wanted)
        )
    )
    return {(a, b) for a, b in rows}


async def muters_of(db: AsyncSession, muted: Iterable[int]) -> dict[int, set[int]]:
    """For each person, who muted them."""
    ids = set(muted)
    out: dict[int, set[int]] = {u: set() for u in ids}
    if not ids:
        return out
    rows = await db.execute(select(Mute.muted_id, Mute.user_id).where(Mute.muted_id.in_(ids)))
    for muted_id, user_id in rows:
        out[muted_id].add(user_id)
    return out


Column = ColumnElement[int] | InstrumentedAttribute[int]

# The same rules as SQL conditions, for features whose reads join them (a feed is one query).


def connected_clause(user: int | Column, other: Column) -> ColumnElement[bool]:
    """``user`` (an id or a column) is connected with the person in column ``other`` (never
    true across a block: blocking ends the connection)."""
    return exists().where(Connection.user_id == user, Connection.other_id == other)


def in_circle_clause(circle: Column, user: int | Column) -> ColumnElement[bool]:
    """``user`` (an id or a column) is in the circle in column ``circle`` now."""
    return exists().where(CircleMember.circle_id == circle, CircleMember.user_id == user)


async def own_circles(db: AsyncSession, owner_id: int, ids: Iterable[int]) -> dict[int, Circle]:
    """Those of the given circles that belong to ``owner_id``."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await db.scalars(
        select(Circle).where(Circle.id.in_(wanted), Circle.owner_id == owner_id)
    )
    return {c.id: c for c in rows}


async def members_of_circles(db: AsyncSession, circle_ids: Iterable[int]) -> set[int]:
    """Everyone in any of the circles now."""
    ids = set(circle_ids)
    if not ids:
        return set()
    rows = await db.scalars(select(CircleMember.user_id).where(CircleMember.circle_id.in_(ids)))
    return set(rows)


async def circles_including(db: AsyncSession, user_id: int) -> list[Circle]:
    """The circles someone is in (other people's circles: the caller must not show their
    names or members to ``user_id``), by id."""
    rows = await db.scalars(
        select(Circle)
        .join(CircleMember, CircleMember.circle_id == Circle.id)
        .where(CircleMember.user_id == user_id)
        .order_by(Circle.id)
    )
    return list(rows)
