"""/api/v1 routes of notifications: your own, in pages that end."""

from __future__ import annotations

from fastapi import APIRouter

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.notifications import access, actions
from socialode.notifications.schemas import NotificationOut, NotificationsOut, NotificationsReadIn
from socialode.platform.deps import DB
from socialode.platform.pagination import Cursor, decode_ints, encode_cursor

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["notifications"])


@router.get("/notifications")
async def notifications(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> NotificationsOut:
    """Newest first; only about things you may still see."""
    start = decode_ints(cursor)
    items, nxt = await access.access_notifications(db, viewer, start[0] if start else None)
    return NotificationsOut(
        notifications=[NotificationOut.of(i) for i in items],
        next=encode_cursor([nxt]) if nxt is not None else None,
    )


@router.post("/notifications/read", status_code=204)
async def mark_read(body: NotificationsReadIn, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_mark_read(db, viewer, body.upto)
