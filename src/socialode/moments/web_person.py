"""Someone's page (``/people/{handle}``, and the older ``/u/{handle}``).

It lives in moments, not circles, because it shows the moments of theirs the viewer was
shared, and moments come after circles in the layer order. What it shows of the person
comes from the one profile rule (``circles.access_people``), the moments from the one moment
rule (``moments.access_memories``); the forms on it post to circles and conversations.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.access import Viewer
from socialode.accounts.deps import CurrentViewer
from socialode.circles.access import access_own_circles
from socialode.circles.access_people import Person, access_person
from socialode.circles.web import page
from socialode.moments.access_memories import access_person_moments, answered_ids
from socialode.platform.deps import DB, Svc
from socialode.platform.pagination import Cursor, decode_ints

router = APIRouter(include_in_schema=False)


async def person_context(
    db: DB, viewer: Viewer, person: Person, cursor: str | None
) -> dict[str, Any]:
    """A connection's page adds the moments of theirs shared with the viewer (newest first,
    in pages that end) and the viewer's own circles with this person ticked in or out."""
    if person.relation != "connected":
        return {"person": person}
    start = decode_ints(cursor)
    page = await access_person_moments(db, viewer, person.user, start[0] if start else None)
    circles = [
        (view.circle, any(m.id == person.user.id for m in view.members))
        for view in await access_own_circles(db, viewer)
    ]
    return {
        "person": person,
        "page": page,
        "answered": await answered_ids(db, viewer, [v.moment.id for v in page.items]),
        "circles": circles,
        "later": cursor is not None,
    }


@router.get("/u/{handle}", response_class=HTMLResponse)
@router.get("/people/{handle}", response_class=HTMLResponse)
async def person_page(
    request: Request, handle: str, viewer: CurrentViewer, svc: Svc, db: DB, cursor: Cursor = None
) -> Response:
    found = await access_person(db, viewer, handle, svc.settings.request_ttl_days)
    context = await person_context(db, viewer, found, cursor)
    return page(request, "moments/person.html", context)  # with circles' notices
