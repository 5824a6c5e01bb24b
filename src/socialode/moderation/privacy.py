"""Moderation's part of a member's export and erasure: the reports they filed, and the
decisions about them (never who reported them). The audit log holds ids and moderators'
reasons only; it is append-only and keeps its rows when the people in them are gone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.moderation.models import Report
from socialode.platform.personal_data import PersonalData, register_personal_data
from socialode.platform.services import Services


def _when(report: Report) -> str:
    return report.created_at.isoformat()


async def export_moderation(db: AsyncSession, svc: Services, user_id: int) -> dict[str, Any]:
    filed = await db.scalars(select(Report).where(Report.reporter_id == user_id))
    about = await db.scalars(
        select(Report).where(Report.subject_id == user_id, Report.outcome.is_not(None))
    )
    return {
        "reports_you_made": [
            {"about": r.kind, "reason": r.reason, "note": r.note, "at": _when(r), "state": r.state}
            for r in filed
        ],
        "decisions_about_you": [
            {"about": r.kind, "outcome": r.outcome, "reason": r.decision, "at": _when(r)}
            for r in about
            if r.outcome != "dismissed"
        ],
    }


async def do_erase_moderation(db: AsyncSession, user_id: int) -> None:
    """Part of erasing a member; the caller commits."""
    await db.execute(
        delete(Report).where(or_(Report.reporter_id == user_id, Report.subject_id == user_id))
    )


def register_privacy() -> None:
    register_personal_data(
        PersonalData(
            "moderation", ("reports", "moderation_audit"), export_moderation, do_erase_moderation
        )
    )
