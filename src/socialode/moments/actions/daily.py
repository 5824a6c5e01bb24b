"""Today's question reaches each member of a prompted circle at 09:00 in their own time zone.

Each member has one chain of ``moments.daily_prompt`` jobs: a run announces the day's
questions the member has not answered or set aside, then enqueues the next 09:00 in the same
transaction (one job per member and local day, by its dedupe key). A run that finds the
member in no prompted circle ends the chain; turning questions on for a circle, or putting
someone in a circle whose questions are on, starts it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import User
from socialode.circles.access import muted_ids
from socialode.circles.access_bulk import circles_including
from socialode.moments.models import PromptSeen
from socialode.moments.notices import PROMPT, prompt_ref
from socialode.moments.prompts import enabled_circles, local_today
from socialode.notifications.actions import do_notify
from socialode.notifications.models import Notification
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import next_local_time, utcnow

DAILY_PROMPT = "moments.daily_prompt"
ANNOUNCE_AT = "09:00"


def _zone(user: User) -> str:
    try:
        ZoneInfo(user.timezone)
    except (KeyError, ValueError):
        return "UTC"
    return user.timezone


async def _schedule(db: AsyncSession, user: User, now: datetime) -> None:
    zone = _zone(user)
    at = next_local_time(zone, ANNOUNCE_AT, now)
    day = at.astimezone(ZoneInfo(zone)).date()
    await enqueue_on_commit(
        db, DAILY_PROMPT, {"user": user.id}, run_at=at, dedupe_key=f"prompt:{user.id}:{day}"
    )


async def do_start_chains(
    db: AsyncSession, user_ids: Iterable[int], now: datetime | None = None
) -> None:
    """Make sure each of these members hears of their next 09:00 question (no commit)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return
    at = now or utcnow()
    for user in await db.scalars(select(User).where(User.id.in_(wanted))):
        await _schedule(db, user, at)


async def do_start_for_member(db: AsyncSession, circle_id: int, user_id: int) -> None:
    """Someone was put in a circle: if its questions are on, they start hearing of them."""
    if await enabled_circles(db, [circle_id]):
        await do_start_chains(db, [user_id])


async def do_announce(db: AsyncSession, user_id: int, now: datetime) -> None:
    """One run of a member's chain (no commit): today's questions, then the next run."""
    user = await db.get(User, user_id)
    if user is None:
        return
    circles = await circles_including(db, user_id)
    on = await enabled_circles(db, [c.id for c in circles])
    prompted = [c for c in circles if c.id in on]
    if not prompted:
        return  # the chain ends here
    day = local_today(user, now)
    seen = set(
        await db.scalars(
            select(PromptSeen.circle_id).where(PromptSeen.user_id == user_id, PromptSeen.day == day)
        )
    )
    muted = await muted_ids(db, user_id)
    for circle in prompted:
        if circle.id in seen or circle.owner_id in muted:
            continue
        ref = prompt_ref(circle.id, day)
        told = await db.scalar(
            select(Notification.id).where(
                Notification.user_id == user_id,
                Notification.kind == PROMPT,
                Notification.ref == ref,
            )
        )
        if told is None:  # a run retried after its commit tells nobody twice
            await do_notify(db, [user_id], PROMPT, ref, circle.owner_id, now)
    await _schedule(db, user, now)
