"""Reads of how gatherings felt: only ever the member's own answers, opened as they are read.
An answer that cannot be opened (changed outside Socialode, or its key is gone) is left out of
lists and reported as unreadable on its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.gatherings.models import FEELINGS, SEALED, Feeling, Gathering
from socialode.platform.i18n import N_
from socialode.platform.sealing import Keyring, Unreadable, unseal
from socialode.platform.services import Services

UNREADABLE = N_("This answer cannot be read: it was changed outside Socialode, or its key is gone.")


@dataclass(frozen=True)
class Felt:
    gathering_id: int | None
    title: str
    taken_at: datetime
    happened_at: datetime | None
    score: int | None = None
    words: str = ""
    problem: str | None = None


def _open(ring: Keyring, row: Feeling, title: str, happened: datetime | None) -> Felt:
    try:
        data = json.loads(
            unseal(ring, row.sealed, member_id=row.user_id, table=FEELINGS, field=SEALED)
        )
        score = data.get("s")
        return Felt(
            row.gathering_id,
            title,
            row.taken_at,
            happened,
            int(score) if score is not None else None,
            str(data.get("w", "")),
        )
    except (Unreadable, ValueError, TypeError, AttributeError):
        return Felt(row.gathering_id, title, row.taken_at, happened, problem=UNREADABLE)


async def access_own_feelings(
    db: AsyncSession, svc: Services, viewer: Viewer, gathering_id: int | None = None
) -> list[Felt]:
    """The viewer's own answers, newest first (of one gathering when ``gathering_id``)."""
    return await feelings_of_member(db, svc, viewer.id, gathering_id)


async def feelings_of_member(
    db: AsyncSession, svc: Services, user_id: int, gathering_id: int | None = None
) -> list[Felt]:
    """A member's answers, for what runs on that member's behalf only (their export)."""
    query = (
        select(Feeling, Gathering.title, Gathering.starts_at)
        .outerjoin(Gathering, Gathering.id == Feeling.gathering_id)
        .where(Feeling.user_id == user_id)
    )
    if gathering_id is not None:
        query = query.where(Feeling.gathering_id == gathering_id)
    rows = await db.execute(query.order_by(Feeling.taken_at.desc(), Feeling.id.desc()))
    ring = svc.keyring
    return [_open(ring, row, title or "", starts) for row, title, starts in rows]
