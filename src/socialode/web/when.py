"""Times as a reader sees them: in their own time zone, relative when recent.

One format everywhere: pages render it with the ``when`` filter, and ``static/when.js``
formats live updates (and refreshes "5 min" as minutes pass) with the same rules, so a
message that arrived live and the same message after a reload read alike:

- under a minute ago: "now"; under an hour: "5 min";
- earlier today: "14:05"; yesterday: "yesterday 21:40";
- in the last week: "Mon 21:40"; this year: "3 Dec"; before: "3 Dec 2025".

The full date and time (in the reader's zone) is the element's ``title``; its ``datetime``
attribute is the UTC instant. Words and their order follow the reader's language: the
patterns come from the catalog, the names of days and months from Babel's locale data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from socialode.platform import i18n
from socialode.platform.i18n import _


@dataclass(frozen=True)
class Words:
    """The words and patterns of times in one language (``%(name)s`` placeholders, as in
    the catalog). ``static/when.js`` receives the same, as JSON on ``<body data-when-words>``.
    """

    now: str
    minutes: str
    yesterday_at: str
    weekday_at: str
    day_month: str
    day_month_year: str
    full: str
    today: str
    yesterday: str
    weekday_day_month: str
    days: tuple[str, ...]
    months: tuple[str, ...]
    long_days: tuple[str, ...]
    long_months: tuple[str, ...]


@lru_cache(maxsize=8)
def _words_in(code: str) -> Words:
    names = i18n.locale_of(code)
    with i18n.language(code):
        return Words(
            now=_("now"),
            minutes=_("%(n)s min"),
            yesterday_at=_("yesterday %(time)s"),
            weekday_at=_("%(weekday)s %(time)s"),
            day_month=_("%(day)s %(month)s"),
            day_month_year=_("%(day)s %(month)s %(year)s"),
            full=_("%(weekday)s %(day)s %(month)s %(year)s, %(time)s"),
            today=_("Today"),
            yesterday=_("Yesterday"),
            weekday_day_month=_("%(weekday)s %(day)s %(month)s"),
            days=tuple(names.days["format"]["abbreviated"][d] for d in range(7)),
            months=tuple(names.months["format"]["abbreviated"][m] for m in range(1, 13)),
            long_days=tuple(names.days["format"]["wide"][d] for d in range(7)),
            long_months=tuple(names.months["format"]["wide"][m] for m in range(1, 13)),
        )


def words() -> Words:
    """The time words of the language in force."""
    return _words_in(i18n.current())


@lru_cache(maxsize=8)
def _words_json(code: str) -> str:
    return json.dumps(asdict(_words_in(code)), ensure_ascii=False, separators=(",", ":"))


def words_json() -> str:
    return _words_json(i18n.current())


def _fill(pattern: str, **values: object) -> str:
    return pattern % values


def reader_zone(name: str | None) -> ZoneInfo:
    """The reader's zone, or UTC when they have none this machine knows."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when_text(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    w = words()
    local = at.astimezone(zone)
    ago = now - at
    if ago < timedelta(minutes=1):  # a clock a little ahead says "now" too
        return w.now
    if ago < timedelta(hours=1):
        return _fill(w.minutes, n=ago // timedelta(minutes=1))
    clock = f"{local.hour:02d}:{local.minute:02d}"
    days = (now.astimezone(zone).date() - local.date()).days
    if days == 0:
        return clock
    if days == 1:
        return _fill(w.yesterday_at, time=clock)
    if 1 < days < 7:
        return _fill(w.weekday_at, weekday=w.days[local.weekday()], time=clock)
    month = w.months[local.month - 1]
    if local.year == now.astimezone(zone).year:
        return _fill(w.day_month, day=local.day, month=month)
    return _fill(w.day_month_year, day=local.day, month=month, year=local.year)


def full_text(at: datetime, zone: ZoneInfo) -> str:
    """'Wed 2 Dec 2026, 14:05' in the reader's zone and language."""
    w = words()
    local = at.astimezone(zone)
    return _fill(
        w.full,
        weekday=w.days[local.weekday()],
        day=local.day,
        month=w.months[local.month - 1],
        year=local.year,
        time=f"{local.hour:02d}:{local.minute:02d}",
    )


def span_text(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """'Fri 11 Dec 2026, 12:00 to 15:00' (joined by an en dash) in the reader's zone; both in
    full when the end falls on another of the reader's days."""
    local_end = ends.astimezone(zone)
    if starts.astimezone(zone).date() == local_end.date():
        return f"{full_text(starts, zone)}{DASH}{local_end.hour:02d}:{local_end.minute:02d}"
    return f"{full_text(starts, zone)}{DASH}{full_text(ends, zone)}"


DASH = " \u2013 "  # between the start and the end of a span of time


def date_text(at: datetime, zone: ZoneInfo) -> str:
    """'3 Dec 2026' in the reader's zone and language (past or future)."""
    w = words()
    local = at.astimezone(zone)
    return _fill(w.day_month_year, day=local.day, month=w.months[local.month - 1], year=local.year)


def when_html(at: datetime, zone_name: str | None, now: datetime | None = None) -> Markup:
    """``<time>`` for ``at`` as the reader with ``zone_name`` sees it (see the module)."""
    zone = reader_zone(zone_name)
    instant = at.astimezone(UTC)
    return Markup('<time datetime="{}" title="{}" data-when>{}</time>').format(
        instant.isoformat().replace("+00:00", "Z"),
        escape(full_text(instant, zone)),
        when_text(instant, zone, now or datetime.now(UTC)),
    )


def calendar_day(day: date, weekday: bool = False) -> str:
    """A calendar day in words of the language in force: '2 December 2026', or with
    ``weekday`` 'Wednesday 2 December 2026'."""
    w = words()
    month = w.long_months[day.month - 1]
    if weekday:
        return _("%(weekday)s %(day)s %(month)s %(year)s") % {
            "weekday": w.long_days[day.weekday()],
            "day": day.day,
            "month": month,
            "year": day.year,
        }
    return _fill(w.day_month_year, day=day.day, month=month, year=day.year)


def day_text(at: datetime, zone_name: str | None, now: datetime | None = None) -> str:
    """A day separator: 'Today', 'Yesterday', 'Monday 30 November' or '3 December 2025'."""
    zone = reader_zone(zone_name)
    local = at.astimezone(zone).date()
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    days = (today - local).days
    w = words()
    if days == 0:
        return w.today
    if days == 1:
        return w.yesterday
    month = w.long_months[local.month - 1]
    if local.year == today.year:
        weekday = w.long_days[local.weekday()]
        return _fill(w.weekday_day_month, weekday=weekday, day=local.day, month=month)
    return _fill(w.day_month_year, day=local.day, month=month, year=local.year)
