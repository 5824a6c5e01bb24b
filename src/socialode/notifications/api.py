"""/api/v1 routes of notifications: your own, in pages that end."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.notifications import access, actions
from socialode.notifications.schemas import NotificationOut, NotificationsOut, ReadIn
from socialode.platform.deps import DB, MAX_ID

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["notifications"])


@router.get("/notifications")
async def notifications(
    viewer: CurrentViewer, db: DB, before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> NotificationsOut:
    """Newest first; only about things you may still see."""
    items, nxt = await access.access_notifications(db, viewer, before)
    return NotificationsOut(
        notifications=[NotificationOut.of(i) for i in items],
        next=f"/api/v1/notifications?before={nxt}" if nxt else None,
    )


@router.post("/notifications/read", status_code=204)
async def mark_read(body: ReadIn, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_mark_read(db, viewer, body.upto)
