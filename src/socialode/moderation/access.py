"""Reads of moderation. Moderators and administrators see reports (and only what each report
holds: the reported words and the context its reporter could see, never anything else of a
conversation, never anyone's wellbeing); administrators read the audit log; a reported
member reads the decisions about them; a reporter reads where their own reports stand. Everyone
else: 404, like a missing page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import Role, User
from socialode.moderation.models import AuditEntry, Outcome, Report, State
from socialode.platform.clock import utcnow
from socialode.platform.errors import NotFound

QUEUE_PAGE = 25


def waiting() -> ColumnElement[bool]:
    """Not yet decided, said the way the partial index ``ix_reports_waiting`` is."""
    return Report.state != State.resolved.value


EARLIER_SHOWN = 10
AUDIT_PAGE = 50
OWN_PAGE = 25


def is_moderator(viewer: Viewer) -> bool:
    return viewer.user.role in (Role.moderator.value, Role.admin.value)


def require_moderator(viewer: Viewer) -> Viewer:
    if not is_moderator(viewer):
        raise NotFound()
    return viewer


@dataclass(frozen=True)
class Listed:
    report: Report
    subject: User


@dataclass(frozen=True)
class Queue:
    items: list[Listed]
    next_before: int | None  # None: the queue ends here


async def access_queue(
    db: AsyncSession, viewer: Viewer, *, resolved: bool = False, before: int | None = None
) -> Queue:
    """Open and in-review reports, oldest first (or resolved ones, newest first): a page."""
    require_moderator(viewer)
    query = (
        select(Report, User)
        .join(User, User.id == Report.subject_id)
        .where(Report.subject_id != viewer.id)  # never the reports about oneself
    )
    if resolved:
        query = query.where(Report.state == State.resolved.value)
        if before is not None:
            query = query.where(Report.id < before)
        query = query.order_by(Report.id.desc())
    else:
        query = query.where(waiting())
        if before is not None:
            query = query.where(Report.id > before)
        query = query.order_by(Report.id)
    rows = list((await db.execute(query.limit(QUEUE_PAGE + 1))).all())
    items = [Listed(r, u) for r, u in rows[:QUEUE_PAGE]]
    more = len(rows) > QUEUE_PAGE
    return Queue(items, items[-1].report.id if more else None)


@dataclass(frozen=True)
class ReportDetail:
    report: Report
    subject: User
    reporter: User
    earlier: list[Report]  # earlier reports about the same person, newest first
    others_on_it: int  # other open reports about the same thing


async def access_report(db: AsyncSession, viewer: Viewer, report_id: int) -> ReportDetail:
    require_moderator(viewer)
    report = await db.get(Report, report_id)
    if report is None or report.subject_id == viewer.id:  # another moderator reads it
        raise NotFound()
    subject = await db.get(User, report.subject_id)
    reporter = await db.get(User, report.reporter_id)
    assert subject is not None and reporter is not None  # both cascade with their reports
    earlier = list(
        await db.scalars(
            select(Report)
            .where(Report.subject_id == report.subject_id, Report.id != report.id)
            .order_by(Report.id.desc())
            .limit(EARLIER_SHOWN)
        )
    )
    others = await db.scalar(
        select(func.count())
        .select_from(Report)
        .where(
            Report.kind == report.kind,
            Report.object_id == report.object_id,
            Report.id != report.id,
            waiting(),
        )
    )
    return ReportDetail(report, subject, reporter, earlier, int(others or 0))


async def moderator_ids(db: AsyncSession) -> list[int]:
    """Everyone who moderates: moderators and administrators, suspended ones left out."""
    roles = (Role.moderator.value, Role.admin.value)
    rows = await db.execute(select(User.id, User.suspended_until).where(User.role.in_(roles)))
    now = utcnow()
    return [uid for uid, until in rows if until is None or until <= now]


async def access_decision(db: AsyncSession, viewer: Viewer, report_id: int) -> Report:
    """A decision about the viewer's own words or account, as told to them (never who
    reported it)."""
    report = await db.get(Report, report_id)
    shown = report is not None and report.subject_id == viewer.id and report.outcome is not None
    if not shown or report is None or report.outcome == Outcome.dismissed.value:
        raise NotFound()
    return report


async def access_audit(
    db: AsyncSession, viewer: Viewer, before: int | None = None
) -> tuple[list[AuditEntry], int | None]:
    """The audit log, newest first, for administrators only."""
    if not viewer.is_admin:
        raise NotFound()
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE + 1)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = list(await db.scalars(query))
    return rows[:AUDIT_PAGE], rows[AUDIT_PAGE - 1].id if len(rows) > AUDIT_PAGE else None


async def access_audit_people(
    db: AsyncSession, viewer: Viewer, entries: list[AuditEntry]
) -> dict[int, User]:
    """The accounts named in these audit entries (who acted, whom it was about), for
    administrators only; an account since deleted is simply missing."""
    if not viewer.is_admin:
        raise NotFound()
    ids = {e.actor_id for e in entries} | {e.subject_id for e in entries if e.subject_id}
    if not ids:
        return {}
    return {u.id: u for u in await db.scalars(select(User).where(User.id.in_(ids)))}


async def access_own_reports(
    db: AsyncSession, viewer: Viewer, before: int | None = None
) -> tuple[list[Report], int | None]:
    """The viewer's own reports, newest first, a page at a time (the list ends): where each
    stands. What a moderator decided is told in general words (``notices.FOR_REPORTER``), never
    the moderator's reason, which is the reported person's to read."""
    query = select(Report).where(Report.reporter_id == viewer.id)
    if before is not None:
        query = query.where(Report.id < before)
    rows = list(await db.scalars(query.order_by(Report.id.desc()).limit(OWN_PAGE + 1)))
    return rows[:OWN_PAGE], rows[OWN_PAGE - 1].id if len(rows) > OWN_PAGE else None
