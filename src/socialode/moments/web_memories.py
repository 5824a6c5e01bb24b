"""Memories, looked at on purpose: "Your moments" (your own history with whom each went to)
and "Shared with you" (what your people shared with you, a month at a time). Both come in
pages that end; neither is a feed, and nothing here scrolls on by itself."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.moments import access
from socialode.moments.access_memories import (
    access_own_audiences,
    access_shared_month,
    answered_ids,
    audience_words,
    parse_month,
)
from socialode.platform.deps import DB
from socialode.platform.i18n import current, locale_of
from socialode.platform.pagination import Cursor, decode_ints
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/moments/mine", response_class=HTMLResponse)
async def my_moments(
    request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> Response:
    start = decode_ints(cursor)
    page = await access.access_own_moments(db, viewer, start[0] if start else None)
    audiences = await access_own_audiences(db, viewer, page.items)
    words = {mid: audience_words(a) for mid, a in audiences.items()}
    return render(request, "moments/mine.html", {"page": page, "audiences": words})


def month_key(month: date | None) -> str | None:
    return f"{month.year:04d}-{month.month:02d}" if month else None


def month_name(month: date | None) -> str | None:
    """'November 2026', in the reader's language."""
    return format_date(month, "LLLL y", locale=locale_of(current())) if month else None


@router.get("/moments/shared", response_class=HTMLResponse)
async def shared_with_you(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    month: str | None = Query(default=None, max_length=20),
    cursor: Cursor = None,
) -> Response:
    start = decode_ints(cursor)
    found = await access_shared_month(db, viewer, parse_month(month), start[0] if start else None)
    context = {
        "found": found,
        "month_key": month_key(found.month),
        "earlier_key": month_key(found.earlier),
        "later_key": month_key(found.later),
        "names": {k: month_name(v) for k, v in vars(found).items() if k != "page"},
        "answered": await answered_ids(db, viewer, [v.moment.id for v in found.page.items]),
        "later_page": cursor is not None,
    }
    return render(request, "moments/shared.html", context)
