"""When a member can be reached: quiet hours, together mode and digest times, as pure
functions of their limits and an instant (aware UTC in, aware UTC out; no database).

Quiet hours compare the member's wall clock with the range (start inclusive, end exclusive;
a start later than the end crosses midnight), so they follow the clock across daylight-saving
changes: 22:00-07:00 in Lisbon ends at 06:00 UTC in summer and 07:00 UTC in winter, also on
the nights the clocks change. A wall time skipped by a spring-forward change ends at the end
of the gap; one that happens twice on a fall-back night ends at the occurrence the member is
waiting for.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from socialode.boundaries.limits import Limits, safe_zone
from socialode.platform.clock import next_local_time

MAX_STEPS = 6  # quiet end -> together end -> quiet end ... never more than a few in a row


def _wall(hhmm: str) -> time:
    hours, _, minutes = hhmm.partition(":")
    return time(int(hours), int(minutes))


def _local(limits: Limits, now: datetime) -> tuple[str, datetime]:
    zone = safe_zone(limits.zone)
    return zone, now.astimezone(ZoneInfo(zone))


def _next_wall(zone: str, hhmm: str, after: datetime) -> datetime:
    """The first instant after ``after`` when the wall clock reads ``hhmm``, counting both
    readings of a time repeated by a fall-back change (``next_local_time`` takes the first)."""
    found = next_local_time(zone, hhmm, after)
    tz = ZoneInfo(zone)
    day = after.astimezone(tz).date()
    for offset in (0, 1):
        naive = datetime.combine(day + timedelta(days=offset), _wall(hhmm))
        second = naive.replace(tzinfo=tz, fold=1)
        instant = second.astimezone(UTC)
        repeated = instant != naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
        exists = instant.astimezone(tz).replace(tzinfo=None) == naive
        if repeated and exists and after < instant < found:
            found = instant
    return found


def _together_on(limits: Limits, now: datetime) -> bool:
    return limits.together_until is not None and limits.together_until > now


def in_quiet_hours(limits: Limits, now: datetime) -> bool:
    """Whether ``now`` falls in the member's quiet hours (by their own wall clock)."""
    if not limits.quiet_on or limits.quiet_start == limits.quiet_end:
        return False
    _zone, local = _local(limits, now)
    clock = local.time().replace(tzinfo=None)
    start, end = _wall(limits.quiet_start), _wall(limits.quiet_end)
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def quiet_ends_at(limits: Limits, now: datetime) -> datetime | None:
    """The instant the current quiet period ends; None when not in quiet hours."""
    if not in_quiet_hours(limits, now):
        return None
    zone, _local_now = _local(limits, now)
    return _next_wall(zone, limits.quiet_end, now)


def quiet_starts_at(limits: Limits, now: datetime) -> datetime | None:
    """The instant the next quiet period starts (strictly after ``now``); None when off."""
    if not limits.quiet_on or limits.quiet_start == limits.quiet_end:
        return None
    zone, _local_now = _local(limits, now)
    return next_local_time(zone, limits.quiet_start, now)


def held_until(limits: Limits, now: datetime) -> datetime | None:
    """When what is held now is released: the end of the quiet hours or of together mode,
    whichever is later, carried on through a quiet period that begins before together mode
    ends. None when the member can be reached now."""
    release = now
    for _ in range(MAX_STEPS):
        quiet_end = quiet_ends_at(limits, release)
        if quiet_end is not None:
            release = quiet_end
        elif _together_on(limits, release):
            assert limits.together_until is not None
            release = limits.together_until
        else:
            break
    return release if release > now else None


def next_digest_at(limits: Limits, now: datetime) -> datetime | None:
    """The next digest instant strictly after ``now``; None without digest times."""
    if not limits.digest_times:
        return None
    zone, _local_now = _local(limits, now)
    return min(next_local_time(zone, hhmm, now) for hhmm in limits.digest_times)


def last_digest_at_or_before(limits: Limits, now: datetime) -> datetime | None:
    """The latest digest instant at or before ``now`` (for "since your last digest")."""
    if not limits.digest_times:
        return None
    zone, _local_now = _local(limits, now)
    latest: datetime | None = None
    for hhmm in limits.digest_times:
        at = next_local_time(zone, hhmm, now - timedelta(hours=50))
        while at <= now:
            if latest is None or at > latest:
                latest = at
            at = next_local_time(zone, hhmm, at)
    return latest


def channel_of(limits: Limits, kind: str, default: str) -> str:
    """The member's choice for ``kind``, or the kind's default."""
    return limits.channels.get(kind, default)
