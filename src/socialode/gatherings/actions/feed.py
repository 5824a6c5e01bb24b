"""Resetting a member's private calendar address (see ``gatherings.calendar``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.gatherings.calendar import feed_token
from socialode.gatherings.models import CalendarFeed
from socialode.platform.clock import utcnow


async def _feed_row(db: AsyncSession, user_id: int) -> CalendarFeed:
    found = await db.get(CalendarFeed, user_id)
    if found is None:
        found = CalendarFeed(user_id=user_id, generation=1, created_at=utcnow())
        db.add(found)
        await db.flush()
    return found


async def do_reset_feed(db: AsyncSession, viewer: Viewer, secret: str) -> str:
    """A new address; every earlier one stops working at once."""
    row = await _feed_row(db, viewer.id)
    row.generation += 1
    row.created_at = utcnow()
    await db.commit()
    return feed_token(secret, viewer.id, row.generation)
