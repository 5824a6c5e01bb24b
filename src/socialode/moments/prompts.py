"""Reads of the daily questions: which ones a member sees today, and an owner's settings.

A member of someone's circle sees its question once a day, named only by the owner (circles
stay private: never their name, never who else is in them). Nothing counts answers or days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import access_circle
from socialode.circles.access_bulk import circles_including
from socialode.circles.models import Circle
from socialode.moments.models import CirclePrompt, PromptQuestion, PromptSeen
from socialode.moments.questions import shipped_question
from socialode.platform.clock import utcnow
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_

NO_PROMPT = N_("There is no question for you from that circle today.")


@dataclass(frozen=True)
class TodayPrompt:
    circle_id: int
    day: date
    question: str
    owner: User
    own: bool
    circle_name: str  # only for the owner; empty for everyone else


@dataclass(frozen=True)
class PromptSetting:
    circle: Circle
    enabled: bool
    question: str
    written_by_owner: bool


def local_today(user: User, now: datetime | None = None) -> date:
    try:
        zone = ZoneInfo(user.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or utcnow()).astimezone(zone).date()


async def question_for(db: AsyncSession, circle_id: int, day: date) -> tuple[str, bool]:
    """The day's question and whether the owner wrote it."""
    own = await db.get(PromptQuestion, (circle_id, day))
    if own is not None:
        return own.text, True
    return shipped_question(circle_id, day), False


async def enabled_circles(db: AsyncSession, circle_ids: list[int]) -> set[int]:
    """Which of these circles have their daily question on."""
    if not circle_ids:
        return set()
    rows = await db.scalars(
        select(CirclePrompt.circle_id).where(
            CirclePrompt.circle_id.in_(circle_ids), CirclePrompt.enabled
        )
    )
    return set(rows)


async def _today(
    db: AsyncSession, viewer: Viewer, circles: list[Circle], day: date
) -> list[TodayPrompt]:
    on = await enabled_circles(db, [c.id for c in circles])
    out: list[TodayPrompt] = []
    for circle in circles:
        if circle.id not in on:
            continue
        own = circle.owner_id == viewer.id
        owner = viewer.user if own else await db.get(User, circle.owner_id)
        if owner is None:
            continue
        question, _written = await question_for(db, circle.id, day)
        out.append(TodayPrompt(circle.id, day, question, owner, own, circle.name if own else ""))
    return out


async def access_prompts_today(db: AsyncSession, viewer: Viewer) -> list[TodayPrompt]:
    """Today's questions for the viewer that they have not answered or set aside today."""
    day = local_today(viewer.user)
    owned = list(
        await db.scalars(select(Circle).where(Circle.owner_id == viewer.id).order_by(Circle.id))
    )
    circles = owned + await circles_including(db, viewer.id)
    seen = set(
        await db.scalars(
            select(PromptSeen.circle_id).where(
                PromptSeen.user_id == viewer.id, PromptSeen.day == day
            )
        )
    )
    return await _today(db, viewer, [c for c in circles if c.id not in seen], day)


async def access_prompt(db: AsyncSession, viewer: Viewer, circle_id: int) -> TodayPrompt:
    """Today's question of a circle the viewer owns or is in (answered or not)."""
    circle = await db.get(Circle, circle_id)
    if circle is None:
        raise NotFound(NO_PROMPT)
    mine = circle.owner_id == viewer.id
    if not mine and circle.id not in {c.id for c in await circles_including(db, viewer.id)}:
        raise NotFound(NO_PROMPT)
    found = await _today(db, viewer, [circle], local_today(viewer.user))
    if not found:
        raise NotFound(NO_PROMPT)
    return found[0]


async def access_prompt_setting(db: AsyncSession, viewer: Viewer, circle_id: int) -> PromptSetting:
    """The owner's view of a circle's daily question."""
    circle = await access_circle(db, viewer, circle_id)
    setting = await db.get(CirclePrompt, circle.id)
    question, written = await question_for(db, circle.id, local_today(viewer.user))
    return PromptSetting(circle, bool(setting and setting.enabled), question, written)
