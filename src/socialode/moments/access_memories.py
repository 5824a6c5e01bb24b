"""Memories: the moments a person was shared, looked at on purpose, through the one moment
rule of ``access.py`` (``shared_with``), so blocking, disconnecting and leaving a circle end
them here too.

- a person's moments shared with the viewer, newest first, in pages that end (their page);
- "Shared with you": one calendar month (in the viewer's time zone) at a time, in pages that
  end, with the nearest earlier and later months that hold anything;
- which moments the viewer answered (shown to the viewer only);
- the audience of the viewer's own moments, in words, for "Your moments".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations.models import Message
from socialode.moments.access import (
    PAGE,
    Audience,
    MomentView,
    Page,
    _first_id_from,
    _others_page,
    _views,
    _with_people,
    access_audience,
    shared_with,
)
from socialode.moments.models import Moment, MomentAudience
from socialode.platform.clock import utcnow
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _

BAD_MONTH = N_("Give the month as year and month, such as 2026-11.")


async def access_person_moments(
    db: AsyncSession, viewer: Viewer, author: User, before: int | None = None
) -> Page:
    """The moments of ``author`` the viewer may see now, newest first, in pages that end.
    The caller has already applied the profile rule to ``author``; the moment rule applies
    here again, so a block or a removal from a circle ends them at once. For the viewer
    themselves: their own moments."""
    query = _with_people().where(Moment.author_id == author.id)
    if author.id != viewer.id:
        query = query.join(MomentAudience, shared_with(viewer.id))
    if before is not None:
        query = query.where(Moment.id < before)
    rows = (await db.execute(query.order_by(Moment.id.desc()).limit(PAGE + 1))).all()
    views = await _views(db, viewer.id, rows)
    more = len(views) > PAGE
    views = views[:PAGE]
    return Page(views, views[-1].moment.id if more else None)


# Month by month ------------------------------------------------------------------------------


def parse_month(raw: str | None) -> date | None:
    """'2026-11' -> the first of that month; None for nothing; anything else is refused."""
    if raw is None or raw == "":
        return None
    parts = raw.split("-")
    if (
        len(raw) != 7
        or len(parts) != 2
        or not all(p.isascii() and p.isdigit() for p in parts)
        or not 1970 <= int(parts[0]) <= 9998
        or not 1 <= int(parts[1]) <= 12
    ):
        raise Invalid(_(BAD_MONTH), "month")
    return date(int(parts[0]), int(parts[1]), 1)


def _zone(viewer: Viewer) -> ZoneInfo:
    try:
        return ZoneInfo(viewer.user.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _month_of(at: datetime, zone: ZoneInfo) -> date:
    local = at.astimezone(zone)
    return date(local.year, local.month, 1)


@dataclass(frozen=True)
class MonthPage:
    """One page of a month of moments shared with the viewer, and where else to go."""

    month: date
    page: Page
    earlier: date | None  # the nearest earlier month holding a moment shared with the viewer
    later: date | None  # the nearest later one


async def _nearest(
    db: AsyncSession, viewer: Viewer, *, below: int | None = None, at_least: int | None = None
) -> datetime | None:
    """When the nearest moment shared with the viewer was posted: the newest below an id
    (or the newest of all), else the oldest from an id on."""
    query = select(Moment.created_at).join(MomentAudience, shared_with(viewer.id))
    if at_least is not None:
        query = query.where(MomentAudience.moment_id >= at_least)
        query = query.order_by(MomentAudience.moment_id.asc())
    else:
        if below is not None:
            query = query.where(MomentAudience.moment_id < below)
        query = query.order_by(MomentAudience.moment_id.desc())
    return await db.scalar(query.limit(1))


async def access_shared_month(
    db: AsyncSession, viewer: Viewer, month: date | None, before: int | None = None
) -> MonthPage:
    """ "Shared with you": others' moments the viewer may see, posted in ``month`` (the
    viewer's time zone; by default the month of the newest), newest first, in pages."""
    zone = _zone(viewer)
    if month is None:
        month = _month_of(await _nearest(db, viewer) or utcnow(), zone)
    start = datetime.combine(month, time(0), zone)
    end = datetime.combine(_month_after(month), time(0), zone)
    first = await _first_id_from(db, start)
    after_month = await _first_id_from(db, end)
    if first is None:
        page = Page([], None)
    else:
        upper = after_month if before is None else min(before, after_month or before)
        page = await _others_page(db, viewer, first - 1, upper)
    # Nothing posted from the month's start on: everything shared is earlier.
    earlier_at = await _nearest(db, viewer, below=first)
    later_at = await _nearest(db, viewer, at_least=after_month) if after_month else None
    return MonthPage(
        month,
        page,
        _month_of(earlier_at, zone) if earlier_at else None,
        _month_of(later_at, zone) if later_at else None,
    )


# Yours only ----------------------------------------------------------------------------------


async def answered_ids(db: AsyncSession, viewer: Viewer, moment_ids: Sequence[int]) -> set[int]:
    """Which of these moments the viewer answered (a message of theirs quoting it, not
    deleted). Only ever shown to the viewer: never to the author or anyone else."""
    refs = {f"moment:{i}": i for i in moment_ids}
    if not refs:
        return set()
    rows = await db.scalars(
        select(Message.quote_ref).where(
            Message.sender_id == viewer.id,
            Message.quote_ref.in_(list(refs)),
            Message.deleted_at.is_(None),
        )
    )
    return {refs[r] for r in rows if r in refs}


def audience_words(audience: Audience) -> str:
    """ "Family, Old flatmates, Maya": the circles by name, then the people."""
    return ", ".join([*audience.circles, *(p.display_name for p in audience.people)])


async def access_own_audiences(
    db: AsyncSession, viewer: Viewer, views: Sequence[MomentView]
) -> dict[int, Audience]:
    """The audience of each of the viewer's own moments as its author sees it."""
    return {v.moment.id: await access_audience(db, viewer, v.moment) for v in views if v.own}
