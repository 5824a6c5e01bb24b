"""Gatherings' part of a member's export and erasure: the gatherings they were invited to
(their own answers and RSVP, never anyone else's), what they felt afterwards (opened), and
whether they have a calendar address."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.gatherings.access_felt import feelings_of_member
from socialode.gatherings.actions.erase import do_erase_gatherings
from socialode.gatherings.models import (
    FEELINGS,
    CalendarFeed,
    Gathering,
    Invitee,
    TimeOption,
    Vote,
)
from socialode.platform.personal_data import PersonalData, register_personal_data
from socialode.platform.services import Services


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def export_gatherings(db: AsyncSession, svc: Services, user_id: int) -> dict[str, Any]:
    rows = await db.execute(
        select(Gathering, Invitee)
        .join(Invitee, Invitee.gathering_id == Gathering.id)
        .where(Invitee.user_id == user_id)
        .order_by(Gathering.id)
    )
    votes = await db.execute(
        select(Vote.gathering_id, TimeOption.starts_at, Vote.answer)
        .join(TimeOption, TimeOption.id == Vote.option_id)
        .where(Vote.user_id == user_id)
    )
    answers: dict[int, list[dict[str, Any]]] = {}
    for gathering_id, starts_at, answer in votes:
        answers.setdefault(gathering_id, []).append({"time": _when(starts_at), "answer": answer})
    feed = await db.get(CalendarFeed, user_id)
    return {
        "gatherings": [
            {
                "title": g.title,
                "description": g.description,
                "place": g.place,
                "organised_by_you": g.organiser_id == user_id,
                "state": g.state,
                "starts_at": _when(g.starts_at),
                "ends_at": _when(g.ends_at),
                "your_rsvp": i.rsvp or None,
                "your_answers_to_times": answers.get(g.id, []),
            }
            for g, i in rows
        ],
        "how_they_felt": [
            {
                "gathering": f.title,
                "answered_at": _when(f.taken_at),
                "score": f.score,
                "words": f.words,
                "unreadable": f.problem is not None,
            }
            for f in await feelings_of_member(db, svc, user_id)
        ],
        "calendar_address": feed is not None,
    }


def register_privacy() -> None:
    tables = (
        "gatherings",
        "gathering_options",
        "gathering_invitees",
        "gathering_votes",
        FEELINGS,
        "gathering_calendar_feeds",
    )
    register_personal_data(
        PersonalData("gatherings", tables, export_gatherings, do_erase_gatherings)
    )
