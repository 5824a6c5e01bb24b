"""/api/v1 routes of moderation: reporting, the moderators' queue and decisions, the audit
log (administrators), and a member's own decisions."""

from __future__ import annotations

from fastapi import APIRouter

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.moderation import access, actions
from socialode.moderation.access import Listed
from socialode.moderation.notices import standing
from socialode.moderation.schemas import (
    NEXT,
    AuditOut,
    AuditPageOut,
    DecisionIn,
    DecisionOut,
    FiledOut,
    OwnReportOut,
    OwnReportsOut,
    QueueOut,
    ReportDetailOut,
    ReportIn,
    ReportOut,
)
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.i18n import _
from socialode.platform.pagination import Cursor, decode_ints, encode_cursor

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["moderation"])


@router.post("/reports", status_code=201)
async def report(body: ReportIn, viewer: CurrentViewer, svc: Svc, db: DB) -> FiledOut:
    """Report something you can see. The reported person never learns who reported it;
    reporting the same thing again while it is open adds to your first report."""
    filed = await actions.check_report(
        svc, db, viewer, kind=body.kind, object_id=body.id, handle=body.handle,
        reason=body.reason, note=body.note,
    )  # fmt: skip
    return FiledOut(id=filed.report.id, state=filed.report.state, merged=filed.merged, next=_(NEXT))


@router.get("/reports")
async def own_reports(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> OwnReportsOut:
    """Your own reports, newest first, and where each stands."""
    start = decode_ints(cursor)
    found, nxt = await access.access_own_reports(db, viewer, start[0] if start else None)
    return OwnReportsOut(
        reports=[
            OwnReportOut(
                id=r.id, kind=r.kind, reason=r.reason, state=r.state, standing=standing(r),
                created_at=r.created_at, decided_at=r.decided_at,
            )
            for r in found
        ],
        next=encode_cursor([nxt]) if nxt else None,
    )  # fmt: skip


@router.get("/moderation/reports")
async def queue(
    viewer: CurrentViewer, db: DB, cursor: Cursor = None, resolved: bool = False
) -> QueueOut:
    """Moderators: open and in-review reports, oldest first (``resolved=true``: decided ones,
    newest first), a page at a time."""
    start = decode_ints(cursor)
    found = await access.access_queue(
        db, viewer, resolved=resolved, before=start[0] if start else None
    )
    following = encode_cursor([found.next_before]) if found.next_before else None
    return QueueOut(reports=[ReportOut.of(i) for i in found.items], next=following)


@router.get("/moderation/reports/{report_id}")
async def one(report_id: RowId, viewer: CurrentViewer, db: DB) -> ReportDetailOut:
    """Moderators: the report with what its reporter could see. Every look is recorded."""
    detail = await access.access_report(db, viewer, report_id)
    await actions.do_open_for_review(db, viewer, detail.report)
    return ReportDetailOut.of_detail(detail)


@router.post("/moderation/reports/{report_id}/decision")
async def decide(
    report_id: RowId, body: DecisionIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> ReportOut:
    """Moderators: dismiss, remove the content, warn, suspend (``days``), ban, or offer care
    (a self-harm concern); with a short reason the person is told."""
    decided = await actions.check_decide(
        svc, db, viewer, report_id, action=body.action, reason=body.reason, days=body.days
    )
    detail = await access.access_report(db, viewer, decided.id)
    return ReportOut.of(Listed(decided, detail.subject))


@router.get("/moderation/audit")
async def audit(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> AuditPageOut:
    """Administrators: every decision and every look at a report, newest first. Nobody can
    change or delete an entry."""
    start = decode_ints(cursor)
    entries, nxt = await access.access_audit(db, viewer, start[0] if start else None)
    following = encode_cursor([nxt]) if nxt else None
    return AuditPageOut(entries=[AuditOut.of(e) for e in entries], next=following)


@router.get("/decisions/{report_id}")
async def decision(report_id: RowId, viewer: CurrentViewer, db: DB) -> DecisionOut:
    """A moderator's decision about your words or your account."""
    return DecisionOut.of(await access.access_decision(db, viewer, report_id))
