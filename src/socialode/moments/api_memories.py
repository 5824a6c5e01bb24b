"""/api/v1 memories: the moments a person shared with you (``/people/{handle}/moments``)
and "Shared with you" a month at a time (``/moments/shared?month=``). Same rules and pages
as the HTML; both lists end (``next`` is null)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.circles.access_people import access_person
from socialode.moments.access import Page
from socialode.moments.access_memories import (
    access_person_moments,
    access_shared_month,
    answered_ids,
    parse_month,
)
from socialode.moments.schemas import MomentOut
from socialode.platform.deps import DB, Svc
from socialode.platform.i18n import N_
from socialode.platform.pagination import Cursor, Next, decode_ints

router = APIRouter(prefix="/api/v1", responses=ERRORS)
MONTH_HELP = N_("A calendar month in your time zone, as YYYY-MM; by default the newest.")


class MemoriesOut(BaseModel):
    moments: list[MomentOut] = Field(description="Newest first.")
    answered: list[int] = Field(description="Which of these you answered (yours only).")
    next: Next


class SharedMonthOut(MemoriesOut):
    month: str = Field(description="The month shown, YYYY-MM.")
    earlier: str | None = Field(description="The nearest earlier month with moments, or null.")
    later: str | None = Field(description="The nearest later month with moments, or null.")


def _month(month: date | None) -> str | None:
    return f"{month.year:04d}-{month.month:02d}" if month else None


async def _out(db: DB, viewer: CurrentViewer, page: Page) -> MemoriesOut:
    answered = await answered_ids(db, viewer, [v.moment.id for v in page.items])
    moments = [MomentOut.of(v) for v in page.items]
    return MemoriesOut(moments=moments, answered=sorted(answered), next=page.next)


@router.get("/moments/shared", tags=["moments"])
async def shared_with_you(
    viewer: CurrentViewer,
    db: DB,
    month: str | None = Query(default=None, max_length=20, description=MONTH_HELP),
    cursor: Cursor = None,
) -> SharedMonthOut:
    """Moments your people shared with you, one month at a time, newest first, in pages
    that end; ``earlier`` and ``later`` skip months with nothing in them."""
    start = decode_ints(cursor)
    found = await access_shared_month(db, viewer, parse_month(month), start[0] if start else None)
    out = await _out(db, viewer, found.page)
    return SharedMonthOut(
        **out.model_dump(exclude={"moments"}),
        moments=out.moments,
        month=_month(found.month) or "",
        earlier=_month(found.earlier),
        later=_month(found.later),
    )


@router.get("/people/{handle}/moments", tags=["people"])
async def person_moments(
    handle: str, viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None
) -> MemoriesOut:
    """The moments of a connection that were shared with you, newest first, in pages that
    end (empty for anyone else; missing across a block)."""
    person = await access_person(db, viewer, handle, svc.settings.request_ttl_days)
    if person.relation == "none":
        return MemoriesOut(moments=[], answered=[], next=None)
    start = decode_ints(cursor)
    page = await access_person_moments(db, viewer, person.user, start[0] if start else None)
    return await _out(db, viewer, page)
