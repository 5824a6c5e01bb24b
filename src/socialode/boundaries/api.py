"""/api/v1 routes of boundaries that need no notification kinds (the settings that do live
in notifications.api_settings)."""

from __future__ import annotations

from fastapi import APIRouter

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.boundaries import access, actions
from socialode.boundaries.schemas import BoundariesOut, TogetherIn
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["boundaries"])


@router.get("/boundaries")
async def boundaries(viewer: CurrentViewer, db: DB) -> BoundariesOut:
    """Your quiet hours, digests, channel choices and privacy, and whether you rest now."""
    return BoundariesOut.of(await access.access_own_limits(db, viewer), utcnow())


@router.post("/together")
async def start_together(body: TogetherIn, viewer: CurrentViewer, db: DB) -> BoundariesOut:
    """Pause every notification for 1-4 hours while you are with people; it ends by itself."""
    limits = await actions.check_start_together(db, viewer, body.hours)
    return BoundariesOut.of(limits, utcnow())


@router.delete("/together")
async def end_together(viewer: CurrentViewer, db: DB) -> BoundariesOut:
    """End together mode now; what it held arrives (unless your quiet hours hold it)."""
    return BoundariesOut.of(await actions.do_end_together(db, viewer), utcnow())
