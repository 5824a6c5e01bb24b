"""Erasing a member's part of gatherings (their export and erasure, ``gatherings.privacy``)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.gatherings.models import CalendarFeed, Feeling, Gathering, Invitee, Vote


async def do_erase_gatherings(db: AsyncSession, user_id: int) -> None:
    """The gatherings they organised (with everyone's answers to them), their invitations,
    answers and feelings elsewhere, and their calendar address. The caller commits."""
    await db.execute(delete(Gathering).where(Gathering.organiser_id == user_id))
    await db.execute(delete(Vote).where(Vote.user_id == user_id))
    await db.execute(delete(Invitee).where(Invitee.user_id == user_id))
    await db.execute(delete(Feeling).where(Feeling.user_id == user_id))
    await db.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
