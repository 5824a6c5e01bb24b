"""Reads of a member's own safety choices (nobody reads anyone else's)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.safety.models import SafetySettings


async def folds_hurtful(db: AsyncSession, user_id: int) -> bool:
    """Whether this member has texts sent anyway after a pause folded for them."""
    found = await db.scalar(
        select(SafetySettings.fold_hurtful).where(SafetySettings.user_id == user_id)
    )
    return bool(found)
