"""The only writes to notifications. They join the caller's transaction (no commit here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import Notification
from socialode.platform.clock import utcnow


async def do_notify(
    db: AsyncSession,
    user_ids: Iterable[int],
    kind: str,
    ref: str,
    actor_id: int | None,
    now: datetime | None = None,
) -> None:
    """One notification per person, in the caller's transaction."""
    at = now or utcnow()
    rows = [
        {"user_id": uid, "kind": kind, "ref": ref, "actor_id": actor_id, "created_at": at}
        for uid in sorted(set(user_ids))
    ]
    if rows:
        await db.execute(insert(Notification), rows)


async def do_withdraw(db: AsyncSession, refs: Iterable[str]) -> None:
    """Remove every notification about these things, for everyone (no commit)."""
    wanted = sorted(set(refs))
    if wanted:
        await db.execute(delete(Notification).where(Notification.ref.in_(wanted)))


async def do_mark_read(db: AsyncSession, viewer: Viewer, upto: int | None = None) -> None:
    """Mark the viewer's notifications read, all of them or those up to ``upto``."""
    query = update(Notification).where(
        Notification.user_id == viewer.id, Notification.read_at.is_(None)
    )
    if upto is not None:
        query = query.where(Notification.id <= upto)
    await db.execute(query.values(read_at=utcnow()))
    await db.commit()
