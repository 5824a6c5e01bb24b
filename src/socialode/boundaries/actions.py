"""The only writes to boundaries. Each is a request of its own and commits.

A member's row is written the first time they change anything (with the defaults for the
rest), so everyone has the defaults without one. When a change moves the moment what is
held for them is released -- quiet hours switched off or edited, together mode started or
ended early -- a ``notifications.release`` job is enqueued in the same transaction, for the
new moment (now, when they are reachable again). Release jobs are idempotent: one that finds
the member still resting releases nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.boundaries.hours import held_until
from socialode.boundaries.limits import Limits, limits_of
from socialode.boundaries.models import (
    DEFAULT_DIGEST_TIMES,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    Boundary,
)
from socialode.boundaries.validation import (
    check_channels,
    check_digest_times,
    check_quiet_range,
    check_together_hours,
)
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import Checks

RELEASE = "notifications.release"


async def _own_row(db: AsyncSession, user_id: int, now: datetime) -> Boundary:
    """The member's row, locked for this transaction; written with the defaults if missing."""
    row = await db.get(Boundary, user_id, with_for_update=True, populate_existing=True)
    if row is not None:
        return row
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {
        "user_id": user_id,
        "quiet_on": True,
        "quiet_start": DEFAULT_QUIET_START,
        "quiet_end": DEFAULT_QUIET_END,
        "digest_times": list(DEFAULT_DIGEST_TIMES),
        "channels": {},
        "email_digest": False,
        "push_previews": False,
        "share_sleep_line": True,
        "together_until": None,
        "updated_at": now,
    }
    await db.execute(insert(Boundary).values(values).on_conflict_do_nothing())
    row = await db.get(Boundary, user_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def _release(db: AsyncSession, user_id: int, at: datetime) -> None:
    await enqueue_on_commit(
        db, RELEASE, {"user": user_id}, run_at=at, dedupe_key=f"release:{user_id}:{at.isoformat()}"
    )


async def _release_if_moved(
    db: AsyncSession, user_id: int, before: datetime | None, after: datetime | None, now: datetime
) -> None:
    if before != after:
        await _release(db, user_id, after or now)


async def check_save_settings(
    db: AsyncSession,
    viewer: Viewer,
    *,
    quiet: tuple[bool, str, str] | None = None,
    digests: tuple[list[str], bool] | None = None,
    channels: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
    privacy: tuple[bool, bool] | None = None,
) -> Limits:
    """Save any of the sections at once: quiet (on, start, end), digests (times, email),
    channels (choices, known kinds -> default channel), privacy (push previews, sleep line).
    Everything is checked before anything is written."""
    checks = Checks()  # every section checked: all their refusals come back at once
    quiet_range = checks.run(lambda: check_quiet_range(quiet[1], quiet[2]), None) if quiet else None
    times = checks.run(lambda: check_digest_times(digests[0]), None) if digests else None
    chosen = (
        checks.run(lambda: check_channels(channels[0], channels[1]), None) if channels else None
    )
    checks.done()
    now = utcnow()
    zone = viewer.user.timezone
    row = await _own_row(db, viewer.id, now)
    before = held_until(limits_of(row, zone), now)
    if quiet is not None and quiet_range is not None:
        row.quiet_on = bool(quiet[0])
        row.quiet_start, row.quiet_end = quiet_range
    if digests is not None and times is not None:
        row.digest_times = times
        row.email_digest = bool(digests[1])
    if channels is not None and chosen is not None:
        known = channels[1]
        merged = {k: str(v) for k, v in (row.channels or {}).items() if k in known} | chosen
        row.channels = {k: v for k, v in sorted(merged.items()) if v != known[k]}
    if privacy is not None:
        row.push_previews, row.share_sleep_line = bool(privacy[0]), bool(privacy[1])
    row.updated_at = now
    limits = limits_of(row, zone)
    await _release_if_moved(db, viewer.id, before, held_until(limits, now), now)
    await db.commit()
    return limits


async def check_save_quiet_hours(
    db: AsyncSession, viewer: Viewer, on: bool, start: str, end: str
) -> Limits:
    return await check_save_settings(db, viewer, quiet=(on, start, end))


async def check_save_digests(
    db: AsyncSession, viewer: Viewer, times: list[str], email_digest: bool
) -> Limits:
    return await check_save_settings(db, viewer, digests=(times, email_digest))


async def check_save_channels(
    db: AsyncSession, viewer: Viewer, choices: dict[str, str], known_kinds: Mapping[str, str]
) -> Limits:
    return await check_save_settings(db, viewer, channels=(choices, known_kinds))


async def check_save_privacy(
    db: AsyncSession, viewer: Viewer, push_previews: bool, share_sleep_line: bool
) -> Limits:
    return await check_save_settings(db, viewer, privacy=(push_previews, share_sleep_line))


async def check_start_together(db: AsyncSession, viewer: Viewer, hours: object) -> Limits:
    """Pause every notification for 1-4 hours (whole or half); it ends by itself, and what
    it held is released then."""
    value = check_together_hours(hours)
    now = utcnow()
    row = await _own_row(db, viewer.id, now)
    before = held_until(limits_of(row, viewer.user.timezone), now)
    until = now + timedelta(minutes=int(value * 60))
    row.together_until = until
    row.updated_at = now
    limits = limits_of(row, viewer.user.timezone)
    await _release(db, viewer.id, until)
    await _release_if_moved(db, viewer.id, before, held_until(limits, now), now)
    await db.commit()
    return limits


async def do_end_together(db: AsyncSession, viewer: Viewer) -> Limits:
    """End together mode now; what it held is released unless quiet hours still hold it."""
    now = utcnow()
    row = await _own_row(db, viewer.id, now)
    before = held_until(limits_of(row, viewer.user.timezone), now)
    row.together_until = None
    row.updated_at = now
    limits = limits_of(row, viewer.user.timezone)
    await _release_if_moved(db, viewer.id, before, held_until(limits, now), now)
    await db.commit()
    return limits
