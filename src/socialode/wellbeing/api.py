"""/api/v1 routes of wellbeing: the member's own check-ins and choices, nobody else's."""

from __future__ import annotations

from fastapi import APIRouter, Response

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.pagination import Cursor, decode_ints, encode_cursor
from socialode.wellbeing import actions
from socialode.wellbeing.access import access_own_entries, access_own_entry, access_prefs
from socialode.wellbeing.instruments import INSTRUMENTS
from socialode.wellbeing.schemas import (
    CheckinIn,
    CheckinOut,
    CheckinsOut,
    InstrumentOut,
    InstrumentsOut,
    PrefsIn,
    PrefsOut,
)

router = APIRouter(prefix="/api/v1/wellbeing", responses=ERRORS, tags=["wellbeing"])
PAGE = 50


@router.get("/instruments")
async def instruments(viewer: CurrentViewer) -> InstrumentsOut:
    """Every check-in's published wording, answer choices and citation (all of them: four)."""
    return InstrumentsOut(instruments=[InstrumentOut.of(i) for i in INSTRUMENTS.values()])


@router.post("/checkins", status_code=201)
async def checkin(body: CheckinIn, viewer: CurrentViewer, db: DB, svc: Svc) -> CheckinOut:
    """Check in: answers are checked, scored, encrypted and stored for you alone. With
    PHQ-9 item 9 above 0 the result's ``next_steps`` start with "crisis"."""
    made = await actions.check_checkin(
        svc, db, viewer, body.instrument, body.answers, body.feelings, body.note
    )
    return CheckinOut.of(made)


@router.get("/checkins")
async def checkins(viewer: CurrentViewer, db: DB, svc: Svc, cursor: Cursor = None) -> CheckinsOut:
    """Your check-ins, newest first, in pages of 50 that end (``next``: null)."""
    entries = await access_own_entries(db, svc, viewer)
    start = max(0, (decode_ints(cursor) or (0,))[0])
    shown = entries[start : start + PAGE]
    more = len(entries) > start + PAGE
    following = encode_cursor([start + PAGE]) if more else None
    return CheckinsOut(checkins=[CheckinOut.of(e) for e in shown], next=following)


@router.get("/checkins/{checkin_id}")
async def one(checkin_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc) -> CheckinOut:
    return CheckinOut.of(await access_own_entry(db, svc, viewer, checkin_id))


@router.delete("/checkins/{checkin_id}", status_code=204)
async def delete(checkin_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    await actions.do_delete_checkin(db, viewer, checkin_id)
    return Response(status_code=204)


@router.get("/settings")
async def settings(viewer: CurrentViewer, db: DB) -> PrefsOut:
    return PrefsOut.of(await access_prefs(db, viewer.id))


@router.patch("/settings")
async def change_settings(body: PrefsIn, viewer: CurrentViewer, db: DB) -> PrefsOut:
    """Change what was given: which check-ins are offered and how often, reminders, a
    pause (``pause_days``) or carrying on (``resume``), and time with people in trends."""
    prefs = await actions.check_update_prefs(
        db,
        viewer,
        schedule=body.schedule,
        reminders=body.reminders,
        line_up=body.line_up,
        pause_days=body.pause_days,
        resume=body.resume,
    )
    return PrefsOut.of(prefs)
