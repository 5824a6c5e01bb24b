"""The block, connection and mute rules for many people at once (for batched writes and
fan-out). Same tables and meaning as access.py, a few queries instead of one per person."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.circles.models import Block, Connection, Mute


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
