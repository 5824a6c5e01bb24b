"""A member's own time with people in conversations, for their private pictures of it
(wellbeing trends, later insights): on which days they wrote to someone. Only ever about
the member asking, and never what was written or to whom."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations.models import Message


async def access_own_talk_days(
    db: AsyncSession, viewer: Viewer, since: datetime, zone: ZoneInfo
) -> set[date]:
    """The days (in ``zone``) since ``since`` on which the viewer sent a message."""
    rows = await db.scalars(
        select(Message.created_at).where(
            Message.sender_id == viewer.id, Message.created_at >= since
        )
    )
    return {at.astimezone(zone).date() for at in rows}
