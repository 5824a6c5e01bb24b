"""Wellbeing's part of a member's export and erasure: every check-in, opened, with the
member's choices; erasure removes both tables' rows of that member."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.personal_data import PersonalData, register_personal_data
from socialode.platform.services import Services
from socialode.wellbeing.access import access_prefs, entries_of_member
from socialode.wellbeing.actions import do_erase_wellbeing
from socialode.wellbeing.models import CHECKINS


async def export_wellbeing(db: AsyncSession, svc: Services, user_id: int) -> dict[str, Any]:
    """The member's own check-ins, oldest first, and their choices, for their export only."""
    entries = await entries_of_member(db, svc, user_id)
    prefs = await access_prefs(db, user_id)
    return {
        "checkins": [
            {
                "taken_at": e.taken_at.isoformat(),
                "instrument": e.name or None,
                "answers": e.answers,
                "feelings": list(e.feelings),
                "note": e.note,
                "score": e.result.shown if e.result else None,
                "unreadable": e.problem is not None,
            }
            for e in reversed(entries)
        ],
        "settings": {
            "schedule": prefs.schedule,
            "reminders": prefs.reminders,
            "paused_until": prefs.paused_until.isoformat() if prefs.paused_until else None,
            "line_up": prefs.line_up,
        },
    }


def register_privacy() -> None:
    register_personal_data(
        PersonalData(
            "wellbeing", (CHECKINS, "wellbeing_prefs"), export_wellbeing, do_erase_wellbeing
        )
    )
