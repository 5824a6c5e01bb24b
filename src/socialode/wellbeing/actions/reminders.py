"""Reminders to check in: the wellbeing actions that run from a job.

A member who turned reminders on has one chain of ``wellbeing.remind`` jobs, one run a day at
10:00 in their own time zone (one job per member and local day, by its dedupe key). A run
finds which of the member's chosen check-ins are due (never taken, or last taken at least
their interval ago) and, for those not already reminded of in this interval, writes one
notification. The notification pipeline decides when it arrives: never in quiet hours,
in a digest when the member chose digests. Its words say only that there is a moment for
yourself: never which check-in, never anything answered (a lock screen shows it).

Turning reminders off ends the chain at its next run; pausing skips runs until the pause
ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import User
from socialode.notifications.actions import do_notify, do_withdraw
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import next_local_time
from socialode.platform.services import Services
from socialode.web.when import reader_zone
from socialode.wellbeing.access import Entry, access_prefs, entries_of_member
from socialode.wellbeing.models import WellbeingPrefs
from socialode.wellbeing.prefs import Prefs

REMIND = "wellbeing.remind"
REMINDER = "wellbeing_reminder"  # the notification kind
REMIND_AT = "10:00"


def reminder_ref(user_id: int) -> str:
    return f"wellbeing:{user_id}"


def due(prefs: Prefs, entries: list[Entry], now: datetime) -> list[str]:
    """The chosen check-ins that are due: never taken, or last taken at least their
    interval ago (by calendar day in no zone: a day is 24 hours here, which is kind enough)."""
    last: dict[str, datetime] = {}
    for entry in entries:  # newest first
        if entry.name and entry.name not in last:
            last[entry.name] = entry.taken_at
    return [
        name
        for name, every in prefs.schedule.items()
        if name not in last or now - last[name] >= timedelta(days=every) - timedelta(hours=12)
    ]


async def do_schedule_reminder(db: AsyncSession, user: User, prefs: Prefs, now: datetime) -> None:
    """Make sure the member's chain has its next run (no commit)."""
    zone = reader_zone(user.timezone)
    start = max(now, prefs.paused_until) if prefs.paused_until else now
    at = next_local_time(zone.key, REMIND_AT, start)
    day = at.astimezone(ZoneInfo(zone.key)).date()
    await enqueue_on_commit(
        db, REMIND, {"user": user.id}, run_at=at, dedupe_key=f"remind:{user.id}:{day}"
    )


async def do_remind(db: AsyncSession, svc: Services, user_id: int, now: datetime) -> None:
    """One run of a member's chain (the caller commits)."""
    user = await db.get(User, user_id)
    prefs = await access_prefs(db, user_id)
    if user is None or not prefs.reminders:
        return  # the chain ends here
    if not prefs.paused(now):
        entries = await entries_of_member(db, svc, user_id, since=now - timedelta(days=31))
        row = await db.get(WellbeingPrefs, user_id)
        reminded = dict(row.reminded) if row is not None else {}
        fresh = [
            name
            for name in due(prefs, entries, now)
            if name not in reminded
            or now - datetime.fromisoformat(reminded[name]) >= timedelta(days=prefs.schedule[name])
        ]
        if fresh and row is not None:
            await do_withdraw(db, [reminder_ref(user_id)])  # one waiting reminder at most
            await do_notify(db, [user_id], REMINDER, reminder_ref(user_id), None, now)
            row.reminded = {**reminded, **{name: now.isoformat() for name in fresh}}
    await do_schedule_reminder(db, user, prefs, now)
