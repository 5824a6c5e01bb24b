"""The notifications of moderation: a decision about your words or your account, told in
plain words (never who reported it), linking to the decision's own page; to a reporter, what
came of their report, in general words (never the moderator's reason, never what was done to
the account); to moderators, that reports wait."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moderation.access import is_moderator, waiting
from socialode.moderation.models import Outcome, Report
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.i18n import N_, _

DECISION = "moderation_decision"
WAITING = "report_waiting"  # to moderators: reports are waiting (never what, nor by whom)
WAITING_REF = "reports:waiting"
OUTCOME = "report_outcome"  # to a reporter: what came of their report

# Where a report stands, as its reporter reads it.
FOR_REPORTER = {
    "open": N_("Waiting for a moderator."),
    "in_review": N_("A moderator is looking at it."),
    Outcome.dismissed.value: N_(
        "A moderator looked and found nothing to act on. You can still block or mute them."
    ),
    Outcome.removed.value: N_("A moderator looked and removed it."),
    Outcome.warned.value: N_("A moderator looked and acted on it."),
    Outcome.suspended.value: N_("A moderator looked and acted on it."),
    Outcome.banned.value: N_("A moderator looked and acted on it."),
    Outcome.cared.value: N_("A moderator looked and made sure the person was offered help."),
}

TOLD = {
    Outcome.removed.value: N_("A moderator removed something you wrote. See why."),
    Outcome.warned.value: N_("A moderator asks you to take care with your words. See why."),
    Outcome.cared.value: N_("Someone is worried about you. Help is here if you want it."),
    Outcome.suspended.value: N_("Your account was suspended for a while. See why."),
    Outcome.banned.value: N_("Your account was closed by a moderator. See why."),
}


def decision_ref(report_id: int) -> str:
    return f"report:{report_id}"


def outcome_ref(report_id: int) -> str:
    return f"reported:{report_id}"


def standing(report: Report) -> str:
    """Where a report stands, for its reporter, in their language."""
    return _(FOR_REPORTER[report.outcome or report.state])


async def resolve(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    ids = {int(r.ref.split(":")[1]): r for r in rows if r.ref.startswith("report:")}
    if not ids:
        return {}
    reports = await db.scalars(
        select(Report).where(Report.id.in_(ids), Report.subject_id == viewer.id)
    )
    shown: dict[int, Shown] = {}
    for report in reports:
        text = TOLD.get(report.outcome or "")
        if text is not None:
            url = "/help" if report.outcome == Outcome.cared.value else f"/decisions/{report.id}"
            shown[ids[report.id].id] = Shown(_(text), url)
    return shown


async def resolve_waiting(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    if not is_moderator(viewer):  # no longer a moderator: nothing to show
        return {}
    any_waiting = await db.scalar(select(exists().where(waiting(), Report.subject_id != viewer.id)))
    if not any_waiting:
        return {}
    text = _("Reports are waiting for a moderator.")
    return {row.id: Shown(text, "/moderation") for row in rows if row.ref == WAITING_REF}


async def resolve_outcome(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    ids = {int(r.ref.split(":")[1]): r for r in rows if r.ref.startswith("reported:")}
    if not ids:
        return {}
    reports = await db.scalars(
        select(Report).where(Report.id.in_(ids), Report.reporter_id == viewer.id)
    )
    return {
        ids[r.id].id: Shown(_("About your report: %(what)s") % {"what": standing(r)}, "/reports")
        for r in reports
        if r.outcome is not None
    }


def register_notices() -> None:
    register_kind(Kind(DECISION, N_("Moderators' decisions about you"), "live", resolve))
    register_kind(Kind(OUTCOME, N_("What came of your reports"), "digest", resolve_outcome))
    register_kind(Kind(WAITING, N_("Reports waiting (moderators)"), "digest", resolve_waiting))
    from socialode.moderation.privacy import register_privacy

    register_privacy()
