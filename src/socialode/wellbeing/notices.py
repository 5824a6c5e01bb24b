"""The wellbeing feature's one notification kind: a reminder that says only that there is a
moment for yourself (never which check-in, never an answer: it may show on a lock screen)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.access_log import register_private_paths
from socialode.platform.i18n import N_, _
from socialode.wellbeing.actions.reminders import REMINDER


async def resolve(
    _db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    text = _("A quiet moment for yourself is there when you want it.")
    return {row.id: Shown(text, "/wellbeing") for row in rows if row.user_id == viewer.id}


def register_notices() -> None:
    """The reminder kind, its job handler, and wellbeing's part of export and erasure."""
    register_kind(Kind(REMINDER, N_("Check-in reminders"), "digest", resolve))
    from socialode.wellbeing import jobs  # noqa: F401  (the reminders' job handler)
    from socialode.wellbeing.privacy import register_privacy

    register_privacy()
    # Which check-in someone opens or takes is in the path: the access log shows none of it.
    register_private_paths("/wellbeing", "/api/v1/wellbeing")
