"""The one source of the current time (aware UTC datetimes only) and local-time schedules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def next_local_time(zone: str, hhmm: str, after: datetime) -> datetime:
    """The first UTC instant after ``after`` when the wall clock in ``zone`` reads ``hhmm``.

    DST safe: on a spring-forward day a time that does not exist moves to the first valid
    instant after it (the end of the gap); a time that happens twice picks the first.
    """
    hours, _, minutes = hhmm.partition(":")
    if not (hours.isdigit() and minutes.isdigit()) or int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"{hhmm!r} is not a time of day; write it as HH:MM, e.g. 07:00.")
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    tz = ZoneInfo(zone)
    wall = time(int(hours), int(minutes))
    day = after.astimezone(tz).date()
    for offset in range(3):
        naive = datetime.combine(day + timedelta(days=offset), wall)
        instant = _first_instant_at_or_after(naive, tz)
        if instant > after:
            return instant
    raise AssertionError("unreachable: a wall time recurs within three days")


def _first_instant_at_or_after(naive: datetime, tz: ZoneInfo) -> datetime:
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first  # exists (once, or the first of two)
    # In a gap: fold=1 reads it with the offset after the change, fold=0 with the one before;
    # the change itself, the first instant the clock reads later than ``naive``, lies between.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)
