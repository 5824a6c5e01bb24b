"""The only writes of moderation: filing a report, opening it for review, deciding it.

A report is stored state: open, then in review when a moderator first opens it, then
resolved by a decision. A report left in review undecided for ``REVIEW_HOURS`` goes back to
open by a job (the audit log records that the schedule returned it, as actor 0: nobody), and
moderators are told again that reports wait: a report never sits with someone who looked and
moved on. Every decision and every look at a report lands in the audit log in
the same transaction. Decisions never come from the detector: a person decides each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_members_as_viewers
from socialode.accounts.actions.auth import BANNED, do_suspend, suspension_text
from socialode.accounts.models import User
from socialode.conversations.actions import do_delete as do_delete_message
from socialode.conversations.actions.photos import remove_message_photo
from socialode.gatherings.actions.changes import do_cancel
from socialode.moderation.access import moderator_ids, require_moderator
from socialode.moderation.audit import SCHEDULE, do_audit
from socialode.moderation.models import Kind, Outcome, Reason, Report, State
from socialode.moderation.notices import (
    DECISION,
    OUTCOME,
    WAITING,
    WAITING_REF,
    decision_ref,
    outcome_ref,
)
from socialode.moderation.targets import Target, access_target
from socialode.moments.actions import do_remove as do_remove_moment
from socialode.moments.actions.photos import remove_photo_file
from socialode.notifications.actions import do_notify, do_notify_collapsed
from socialode.platform import i18n
from socialode.platform.clock import utcnow
from socialode.platform.errors import Checks, Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.jobs import enqueue
from socialode.platform.mail import enqueue_mail
from socialode.platform.services import Services
from socialode.safety.loading import detector_for

NOTE_MAX = 1000
DECISION_MAX = 500
MAX_DAYS = 365
ACTIONS = ("dismiss", "remove", "warn", "suspend", "ban", "care")
OUTCOME_OF = {
    "dismiss": Outcome.dismissed,
    "remove": Outcome.removed,
    "warn": Outcome.warned,
    "suspend": Outcome.suspended,
    "ban": Outcome.banned,
    "care": Outcome.cared,
}
BAD_REASON = N_(
    "Choose why you are reporting it: bullying or harassment, threats, a self-harm concern, "
    "hate, spam or something else."
)
DECIDED = N_("This report was decided already; its decision stands in the audit log.")

REVIEW_LAPSED = "moderation.review_lapsed"
REVIEW_HOURS = 24


@dataclass(frozen=True)
class Filed:
    report: Report
    merged: bool  # the same person had reported the same thing already: added to that one


def _note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > NOTE_MAX:
        raise Invalid(N_("Keep the note under 1,000 characters."), "note")
    return cleaned


async def check_report(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    *,
    kind: str,
    object_id: int | None = None,
    handle: str = "",
    reason: str,
    note: str = "",
) -> Filed:
    """Report something the reporter can see; reported again while open, it merges."""
    checks = Checks()
    checks.run(lambda: _reason(reason), "")
    text = checks.run(lambda: _note(note), "")
    checks.done()
    target = await access_target(db, viewer, kind, object_id, handle)
    await svc.limits.hit(svc.settings.rate_reports, "reports", str(viewer.id))
    earlier = await _open_report(db, viewer.id, target)
    if earlier is None:
        try:
            return Filed(await _file(svc, db, viewer, target, reason, text), False)
        except IntegrityError:  # the same report raced in: add to that one
            await db.rollback()
            earlier = await _open_report(db, viewer.id, target)
            assert earlier is not None
    if text and text not in earlier.note:
        earlier.note = f"{earlier.note}\n\n{text}".strip()[: NOTE_MAX * 3]
    earlier.updated_at = utcnow()
    await db.commit()
    return Filed(earlier, True)


def _reason(reason: str) -> str:
    if reason not in Reason.__members__:
        raise Invalid(BAD_REASON, "reason")
    return reason


async def _open_report(db: AsyncSession, reporter_id: int, target: Target) -> Report | None:
    found = await db.scalar(
        select(Report).where(
            Report.reporter_id == reporter_id,
            Report.kind == target.kind.value,
            Report.object_id == target.object_id,
            Report.state != State.resolved.value,
        )
    )
    return found


async def _file(
    svc: Services, db: AsyncSession, viewer: Viewer, target: Target, reason: str, note: str
) -> Report:
    now = utcnow()
    assessed = detector_for(svc.settings).score(target.words, "")
    report = Report(
        reporter_id=viewer.id,
        kind=target.kind.value,
        object_id=target.object_id,
        subject_id=target.subject_id,
        reason=reason,
        note=note,
        context={**target.context, "words": target.words},
        assessment=f"{assessed.category.value}:{assessed.rule}"[:60] if assessed.rule else "",
        paused=target.paused,
        state=State.open.value,
        created_at=now,
        updated_at=now,
    )
    db.add(report)
    await db.flush()
    # Moderators hear that reports wait (one collapsing notice, never what or by whom); the
    # person reported is not among them for this one.
    told = [m for m in await moderator_ids(db) if m != target.subject_id]
    await do_notify_collapsed(db, told, WAITING, WAITING_REF, None, now)
    await db.commit()
    return report


async def do_open_for_review(db: AsyncSession, viewer: Viewer, report: Report) -> None:
    """A moderator looks at a report: recorded every time; an open one is now in review."""
    require_moderator(viewer)
    if report.state == State.open.value:
        report.state = State.in_review.value
        report.updated_at = utcnow()
        await schedule_lapse(db, report, report.updated_at)  # back to open if left undecided
    do_audit(db, viewer.id, "view", report_id=report.id, subject_id=report.subject_id)
    await db.commit()


async def schedule_lapse(db: AsyncSession, report: Report, since: datetime) -> None:
    """In the caller's transaction: look at this report again ``REVIEW_HOURS`` after
    ``since``."""
    await enqueue(
        db,
        REVIEW_LAPSED,
        {"report": report.id},
        run_at=since + timedelta(hours=REVIEW_HOURS),
        dedupe_key=f"review-lapse:{report.id}:{since.isoformat()}",
    )


async def do_return_lapsed(db: AsyncSession, report_id: int, now: datetime) -> bool:
    """Back to open, when still in review with nothing done for ``REVIEW_HOURS``; returns
    whether it was returned. The caller commits."""
    report = await db.get(Report, report_id, with_for_update=True)
    if report is None or report.state != State.in_review.value:
        return False  # decided (or gone with its people): nothing to do
    if report.updated_at > now - timedelta(hours=REVIEW_HOURS):
        await schedule_lapse(db, report, report.updated_at)  # it moved since: count from then
        return False
    report.state = State.open.value
    report.updated_at = now
    do_audit(db, SCHEDULE, "returned", report_id=report.id, subject_id=report.subject_id)
    told = [m for m in await moderator_ids(db) if m != report.subject_id]
    await do_notify_collapsed(db, told, WAITING, WAITING_REF, None, now)
    return True


def _decision_words(reason: str) -> str:
    cleaned = reason.strip()
    if len(cleaned) < 3:
        raise Invalid(N_("Give a short reason; the person is told it in plain words."), "reason")
    if len(cleaned) > DECISION_MAX:
        raise Invalid(N_("Keep the reason under 500 characters."), "reason")
    return cleaned


def _days(action: str, days: int | None) -> int:
    if action != "suspend":
        return 0
    if days is None or not 1 <= days <= MAX_DAYS:
        raise Invalid(N_("Suspend for 1 to 365 days."), "days")
    return days


async def check_decide(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    report_id: int,
    *,
    action: str,
    reason: str,
    days: int | None = None,
) -> Report:
    """Decide a report (and every other open report of the same thing the same way)."""
    require_moderator(viewer)
    checks = Checks()
    if action not in ACTIONS:
        checks.failed.append(
            Invalid(N_("Choose dismiss, remove, warn, suspend, ban or care."), "action")
        )
    words = checks.run(lambda: _decision_words(reason), "")
    length = checks.run(lambda: _days(action, days), 0)
    checks.done()
    report = await db.get(Report, report_id, with_for_update=True)
    if report is None:
        raise Invalid(N_("There is no such report."), "report")
    if report.state == State.resolved.value:
        raise Conflict(DECIDED)
    if report.subject_id == viewer.id:
        raise Conflict(N_("This report is about you: another moderator decides it."))
    if action == "remove" and report.kind not in (Kind.message, Kind.moment, Kind.gathering):
        raise Invalid(
            N_("Only a message, a moment or a gathering can be removed; warn or suspend instead."),
            "action",
        )
    outcome = OUTCOME_OF[action]
    now = utcnow()
    tidy: Callable[[], None] = _nothing
    if action == "remove":
        tidy = await _remove(svc, db, report)
    elif action in ("suspend", "ban"):
        until = BANNED if action == "ban" else now + timedelta(days=length)
        await _tell_by_mail(svc, db, report.subject_id, until, words)
        await do_suspend(db, report.subject_id, until)  # sessions and sockets end at commit
    same = await db.scalars(
        select(Report.id).where(
            Report.kind == report.kind,
            Report.object_id == report.object_id,
            Report.state != State.resolved.value,
        )
    )
    decided = {report.id, *same}
    await db.execute(
        update(Report)
        .where(Report.id.in_(decided))
        .values(
            state=State.resolved.value,
            outcome=outcome.value,
            decided_by=viewer.id,
            decision=words,
            decided_at=now,
            updated_at=now,
        )
    )
    do_audit(db, viewer.id, action, report_id=report.id, subject_id=report.subject_id, reason=words)
    if outcome is not Outcome.dismissed:
        await do_notify(db, [report.subject_id], DECISION, decision_ref(report.id), None, now)
    reporters = await db.execute(
        select(Report.id, Report.reporter_id).where(Report.id.in_(decided))
    )
    for decided_id, reporter_id in reporters:  # each hears what came of theirs
        await do_notify(db, [reporter_id], OUTCOME, outcome_ref(decided_id), None, now)
    await db.commit()  # the removal, the suspension and the decision together, or none
    tidy()
    await db.refresh(report)
    return report


async def _tell_by_mail(
    svc: Services, db: AsyncSession, user_id: int, until: datetime, words: str
) -> None:
    """A suspended member cannot sign in to read why: they are told by email (sent once the
    suspension is committed)."""
    user = await db.get(User, user_id)
    assert user is not None
    with i18n.language(user.language):
        place = svc.settings.instance_name
        subject = _("Your %(place)s account") % {"place": place}
        what = suspension_text(until)
        why = _("The moderator's reason: %(reason)s") % {"reason": words}
        hello = _("Hello %(name)s,") % {"name": user.display_name}
    await enqueue_mail(db, user.email, subject, f"{hello}\n\n{what}\n\n{why}\n")


async def _remove(svc: Services, db: AsyncSession, report: Report) -> Callable[[], None]:
    """Withdraw the reported thing as its author would (everyone it reached sees it go),
    uncommitted: it is committed with the decision. What is returned removes its photos'
    files, once committed."""
    author = (await access_members_as_viewers(db, [report.subject_id]))[report.subject_id]
    try:
        if report.kind == Kind.message:
            _, photo = await do_delete_message(db, author, report.object_id)
            return lambda: remove_message_photo(svc, photo)
        if report.kind == Kind.moment:
            keys = await do_remove_moment(db, author, report.object_id)

            def tidy() -> None:
                for key in keys:
                    remove_photo_file(svc, key)

            return tidy
        await do_cancel(db, author, report.object_id)
    except NotFound:  # gone already (its author deleted it): nothing left to remove
        pass
    return _nothing


def _nothing() -> None:
    return None
