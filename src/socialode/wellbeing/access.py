"""Reads of wellbeing data: only ever the member's own.

There is no read of anyone else's check-ins, for any role: no administrator or moderator
view exists, and a check-in id of someone else answers exactly like a missing one. Each
check-in is opened (``platform.sealing``) as it is read; one that cannot be opened (tampered
with, or sealed with a key this instance no longer has) is returned with ``problem`` set and
nothing else, so the rest stay readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.platform.errors import AppError, NotFound
from socialode.platform.i18n import N_
from socialode.platform.sealing import Keyring, Unreadable, unseal
from socialode.platform.services import Services
from socialode.wellbeing.instruments import INSTRUMENTS, Result
from socialode.wellbeing.models import CHECKINS, SEALED, Checkin, WellbeingPrefs
from socialode.wellbeing.prefs import NAMES, Prefs

MISSING = N_("There is no such check-in of yours.")
UNREADABLE = N_(
    "This check-in cannot be read: it was changed outside Socialode, or its key is gone. "
    "Your other check-ins are not affected."
)


@dataclass(frozen=True)
class Entry:
    """One check-in as its member reads it. ``value`` is what charts show (mood 1-5, or the
    instrument's shown score); ``problem`` is set, and nothing else, when it cannot be read."""

    id: int
    taken_at: datetime
    name: str = ""
    answers: dict[str, int] = field(default_factory=dict)
    feelings: tuple[str, ...] = ()
    note: str = ""
    result: Result | None = None
    problem: str | None = None

    @property
    def value(self) -> int | None:
        if self.problem is not None:
            return None
        if self.name == "mood":
            return self.answers.get("mood")
        return self.result.shown if self.result else None


def open_entry(
    svc: Services,
    user_id: int,
    row_id: int,
    taken_at: datetime,
    sealed: str,
    ring: Keyring | None = None,
) -> Entry:
    """A stored check-in opened and scored, or an entry that says why it cannot be
    (``ring``: the keys, when the caller opens many at once)."""
    try:
        keys = ring or svc.keyring
        text = unseal(keys, sealed, member_id=user_id, table=CHECKINS, field=SEALED)
        data: dict[str, Any] = json.loads(text)
        name = str(data["i"])
        answers = {str(k): int(v) for k, v in data.get("a", {}).items()}
        if name not in NAMES:
            raise ValueError(name)
        result = _scored(name, tuple(sorted(answers.items()))) if name in INSTRUMENTS else None
        feelings = tuple(str(f) for f in data.get("f", ()))
        return Entry(row_id, taken_at, name, answers, feelings, str(data.get("n", "")), result)
    except (Unreadable, AppError, ValueError, KeyError, TypeError):
        return Entry(row_id, taken_at, problem=UNREADABLE)


@lru_cache(maxsize=4096)
def _scored(name: str, answers: tuple[tuple[str, int], ...]) -> Result:
    """The instrument's result for these answers (the same answers recur across a history;
    results are frozen, so one is shared safely)."""
    return INSTRUMENTS[name].score(dict(answers))


async def access_own_entries(
    db: AsyncSession,
    svc: Services,
    viewer: Viewer,
    *,
    since: datetime | None = None,
    name: str | None = None,
) -> list[Entry]:
    """The viewer's check-ins, newest first (since ``since``; of one kind when ``name``)."""
    return await entries_of_member(db, svc, viewer.id, since=since, name=name)


async def entries_of_member(
    db: AsyncSession,
    svc: Services,
    user_id: int,
    *,
    since: datetime | None = None,
    name: str | None = None,
) -> list[Entry]:
    """A member's check-ins, for what runs on that member's behalf only (their reminders,
    their export): never for showing to anyone else."""
    query = select(Checkin.id, Checkin.taken_at, Checkin.sealed).where(Checkin.user_id == user_id)
    if since is not None:
        query = query.where(Checkin.taken_at >= since)
    rows = await db.execute(query.order_by(Checkin.taken_at.desc(), Checkin.id.desc()))
    ring = svc.keyring  # read once for the whole list
    entries = [open_entry(svc, user_id, r.id, r.taken_at, r.sealed, ring) for r in rows]
    return [e for e in entries if name is None or e.name == name]


async def access_own_entry(
    db: AsyncSession, svc: Services, viewer: Viewer, checkin_id: int
) -> Entry:
    row = (
        await db.execute(
            select(Checkin.id, Checkin.taken_at, Checkin.sealed).where(
                Checkin.id == checkin_id, Checkin.user_id == viewer.id
            )
        )
    ).first()
    if row is None:
        raise NotFound(MISSING)
    return open_entry(svc, viewer.id, row.id, row.taken_at, row.sealed)


async def access_prefs(db: AsyncSession, user_id: int) -> Prefs:
    """A member's check-in choices (the defaults when they never chose)."""
    row = await db.get(WellbeingPrefs, user_id)
    if row is None:
        return Prefs()
    schedule = {k: int(v) for k, v in row.schedule.items() if k in NAMES}
    return Prefs(schedule, row.reminders, row.paused_until, row.line_up)
