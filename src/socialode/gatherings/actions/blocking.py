"""Blocking keeps two people out of any gathering together, including ones planned before the
block: the person blocked leaves every gathering both are in, except their own, which the one
who blocked leaves instead. Nobody is told why; each simply no longer sees the other's."""

from __future__ import annotations

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from socialode.gatherings.models import Gathering, Invitee, Vote


async def do_part_on_block(db: AsyncSession, blocker_id: int, blocked_id: int) -> None:
    """Run in the block's transaction (no commit)."""
    mine, theirs = aliased(Invitee), aliased(Invitee)
    shared = await db.execute(
        select(Gathering.id, Gathering.organiser_id)
        .join(mine, and_(mine.gathering_id == Gathering.id, mine.user_id == blocker_id))
        .join(theirs, and_(theirs.gathering_id == Gathering.id, theirs.user_id == blocked_id))
    )
    for gathering_id, organiser_id in shared.all():
        leaving = blocker_id if organiser_id == blocked_id else blocked_id
        await db.execute(
            delete(Vote).where(Vote.gathering_id == gathering_id, Vote.user_id == leaving)
        )
        await db.execute(
            delete(Invitee).where(Invitee.gathering_id == gathering_id, Invitee.user_id == leaving)
        )
