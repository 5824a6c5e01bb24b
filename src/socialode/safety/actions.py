"""The only writes of safety's own table."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.clock import utcnow
from socialode.safety.models import SafetySettings


async def do_set_fold(db: AsyncSession, user_id: int, fold: bool) -> None:
    row = await db.get(SafetySettings, user_id)
    if row is None:
        row = SafetySettings(user_id=user_id)
        db.add(row)
    row.fold_hurtful = fold
    row.updated_at = utcnow()
    await db.commit()


async def do_erase_safety(db: AsyncSession, user_id: int) -> None:
    """Part of erasing a member; the caller commits."""
    await db.execute(delete(SafetySettings).where(SafetySettings.user_id == user_id))
