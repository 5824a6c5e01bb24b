"""The one notification of moderation: a decision about your words or your account, told in
plain words (never who reported it). It links to the decision's own page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moderation.models import Outcome, Report
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.i18n import N_, _

DECISION = "moderation_decision"

TOLD = {
    Outcome.removed.value: N_("A moderator removed something you wrote. See why."),
    Outcome.warned.value: N_("A moderator asks you to take care with your words. See why."),
    Outcome.cared.value: N_("Someone is worried about you. Help is here if you want it."),
    Outcome.suspended.value: N_("Your account was suspended for a while. See why."),
    Outcome.banned.value: N_("Your account was closed by a moderator. See why."),
}


def decision_ref(report_id: int) -> str:
    return f"report:{report_id}"


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


def register_notices() -> None:
    register_kind(Kind(DECISION, N_("Moderators' decisions about you"), "live", resolve))
    from socialode.moderation.privacy import register_privacy

    register_privacy()
