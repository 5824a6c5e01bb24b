"""Reads of members' limits on being reached. They say only when someone can be reached,
never why beyond the sleep line they chose to share, so delivery and senders may read them
for anyone they are about to notify or write to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.boundaries.hours import held_until
from socialode.boundaries.limits import Limits, default_limits, limits_of
from socialode.boundaries.models import Boundary

__all__ = ["Limits", "access_limits", "access_own_limits", "access_resting"]

CHUNK = 5000  # ids per query: one query up to this many people, well under any bind limit


async def access_limits(db: AsyncSession, user_ids: Sequence[int]) -> dict[int, Limits]:
    """Every asked member's limits; the defaults for those who never changed anything (and,
    in UTC, for an id that names nobody). One query per 5,000 ids."""
    wanted = sorted(set(user_ids))
    found: dict[int, Limits] = {}
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        query = (
            select(User.id, User.timezone, Boundary)
            .outerjoin(Boundary, Boundary.user_id == User.id)
            .where(User.id.in_(chunk))
        )
        for user_id, zone, row in (await db.execute(query)).all():
            found[user_id] = default_limits(user_id, zone) if row is None else limits_of(row, zone)
    return {uid: found.get(uid) or default_limits(uid, None) for uid in wanted}


async def access_own_limits(db: AsyncSession, viewer: Viewer) -> Limits:
    return (await access_limits(db, [viewer.id]))[viewer.id]


async def access_resting(
    db: AsyncSession, user_ids: Sequence[int], now: datetime
) -> dict[int, datetime]:
    """Of these members, those resting now (quiet hours or together mode) who let others know
    when they will see a message: member -> when they will be reached."""
    resting: dict[int, datetime] = {}
    for user_id, limits in (await access_limits(db, user_ids)).items():
        if not limits.share_sleep_line:
            continue
        until = held_until(limits, now)
        if until is not None:
            resting[user_id] = until
    return resting
