"""The search page: your own people and circles by name or handle (``access_search``).

``GET /search?q=`` is a page that works without JavaScript; ``?part=results`` answers only
its list of results, which static/search.js puts under a search box as you type. ``for``
(share, talk, group) says which picker the search came from, so each result offers the
next step there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.circles.access_search import MAX_QUERY, access_search
from socialode.platform.deps import DB
from socialode.platform.errors import AppError
from socialode.web.forms import shown_beside
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

PURPOSES = ("share", "talk", "group")
PAGE, RESULTS = "circles/search.html", "circles/_search_results.html"


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    q: str = "",
    part: str = "",
    purpose: Annotated[str, Query(alias="for")] = "",
) -> Response:
    fragment = part == "results"
    context = {
        "q": q[: MAX_QUERY * 2],  # kept as typed (an absurd length is refused, not echoed)
        "purpose": purpose if purpose in PURPOSES else "",
        "fragment": fragment,
        "hl": 3 if fragment else 2,
    }
    try:
        context["found"] = await access_search(db, viewer, q)
    except AppError as exc:
        errors = shown_beside(exc, ("q",))
        return render(
            request, RESULTS if fragment else PAGE, {**context, "errors": errors}, exc.status_code
        )
    return render(request, RESULTS if fragment else PAGE, context)
