"""Times as a reader sees them: in their own time zone, relative when recent.

One format everywhere: pages render it with the ``when`` filter, and ``static/when.js``
formats live updates (and refreshes "5 min" as minutes pass) with the same rules, so a
message that arrived live and the same message after a reload read alike:

- under a minute ago: "now"; under an hour: "5 min";
- earlier today: "14:05"; yesterday: "yesterday 21:40";
- in the last week: "Mon 21:40"; this year: "3 Dec"; before: "3 Dec 2025".

The full date and time (in the reader's zone) is the element's ``title``; its ``datetime``
attribute is the UTC instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def reader_zone(name: str | None) -> ZoneInfo:
    """The reader's zone, or UTC when they have none this machine knows."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when_text(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    local = at.astimezone(zone)
    ago = now - at
    if ago < timedelta(minutes=1):  # a clock a little ahead says "now" too
        return "now"
    if ago < timedelta(hours=1):
        return f"{ago // timedelta(minutes=1)} min"
    clock = f"{local.hour:02d}:{local.minute:02d}"
    days = (now.astimezone(zone).date() - local.date()).days
    if days == 0:
        return clock
    if days == 1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{DAYS[local.weekday()]} {clock}"
    if local.year == now.astimezone(zone).year:
        return f"{local.day} {MONTHS[local.month - 1]}"
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def full_text(at: datetime, zone: ZoneInfo) -> str:
    """'Wed 2 Dec 2026, 14:05' in the reader's zone."""
    local = at.astimezone(zone)
    return (
        f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}, "
        f"{local.hour:02d}:{local.minute:02d}"
    )


def when_html(at: datetime, zone_name: str | None, now: datetime | None = None) -> Markup:
    """``<time>`` for ``at`` as the reader with ``zone_name`` sees it (see the module)."""
    zone = reader_zone(zone_name)
    instant = at.astimezone(UTC)
    return Markup('<time datetime="{}" title="{}" data-when>{}</time>').format(
        instant.isoformat().replace("+00:00", "Z"),
        escape(full_text(instant, zone)),
        when_text(instant, zone, now or datetime.now(UTC)),
    )


def day_text(at: datetime, zone_name: str | None, now: datetime | None = None) -> str:
    """A day separator: 'Today', 'Yesterday', 'Monday 30 November' or '3 December 2025'."""
    zone = reader_zone(zone_name)
    local = at.astimezone(zone).date()
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    days = (today - local).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    long_months = LONG_MONTHS
    long_days = LONG_DAYS
    if local.year == today.year:
        return f"{long_days[local.weekday()]} {local.day} {long_months[local.month - 1]}"
    return f"{local.day} {long_months[local.month - 1]} {local.year}"
