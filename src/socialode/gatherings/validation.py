"""What a gathering may hold, checked before anything is written.

Times arrive either as instants (the API: ISO 8601 with an offset) or as a day and clock
times in the organiser's own time zone (the form). A local time that does not exist on that
day (the clocks skip it) is refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
PLACE_MAX = 200
MAP_URL_MAX = 500
FELT_WORDS_MAX = 280
MAX_OPTIONS = 10
MAX_INVITEES = 30  # besides the organiser
LONGEST = timedelta(days=7)
FARTHEST = timedelta(days=3 * 366)  # plans further ahead than three years are a typo


@dataclass(frozen=True)
class Span:
    starts_at: datetime  # aware, UTC
    ends_at: datetime


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def check_title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title:
        raise Invalid(N_("Give the gathering a name, like “Picnic in the park”."), "title")
    if len(title) > TITLE_MAX:
        raise Invalid(_("Names can be up to %(most)s characters.") % {"most": TITLE_MAX}, "title")
    return title


def check_description(raw: str) -> str:
    text = raw.replace("\r\n", "\n").strip()
    if len(text) > DESCRIPTION_MAX:
        message = _("The description can be up to %(most)s characters; this one has %(n)s.")
        raise Invalid(message % {"most": DESCRIPTION_MAX, "n": len(text)}, "description")
    return text


def check_place(raw: str) -> str:
    place = " ".join(raw.split())
    if len(place) > PLACE_MAX:
        message = _("The place can be up to %(most)s characters.")
        raise Invalid(message % {"most": PLACE_MAX}, "place")
    return place


def check_map_url(raw: str) -> str:
    url = raw.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if len(url) > MAP_URL_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(
            N_("The map link must be a web address starting with https:// (or leave it out)."),
            "map_url",
        )
    return url


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    """Whether this wall-clock time happens in ``zone`` (not in a gap the clocks skip)."""
    there = local.replace(tzinfo=zone)
    back = there.astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == local


def local_instant(day: str, clock: str, zone: ZoneInfo, field: str) -> datetime:
    """A day (YYYY-MM-DD) and a clock time (HH:MM) in ``zone``, as an aware UTC instant."""
    try:
        local = datetime.combine(date.fromisoformat(day.strip()), time.fromisoformat(clock.strip()))
    except ValueError:
        raise Invalid(N_("Give a day and a time, like 2027-03-14 and 19:30."), field) from None
    try:
        if not _exists(local, zone):
            message = _("%(time)s does not happen on %(day)s in %(zone)s: the clocks change then.")
            raise Invalid(message % {"time": clock, "day": day, "zone": zone.key}, field)
        return local.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        raise Invalid(OUT_OF_RANGE, field) from None


OUT_OF_RANGE = N_("Choose a time within the next three years.")


def aware(at: datetime, zone: ZoneInfo) -> datetime:
    """An instant from the API: with its offset, or a wall-clock time in ``zone``."""
    try:
        if at.tzinfo is None:
            return at.replace(tzinfo=zone).astimezone(UTC)
        return at.astimezone(UTC)
    except (OverflowError, ValueError):  # a year 1 or 9999 that no zone can move
        raise Invalid(OUT_OF_RANGE, "times") from None


def check_span(starts_at: datetime, ends_at: datetime, now: datetime, field: str) -> Span:
    if starts_at <= now:
        raise Invalid(N_("That time has already passed: choose one still to come."), field)
    if starts_at - now > FARTHEST:
        raise Invalid(OUT_OF_RANGE, field)
    if ends_at <= starts_at:
        raise Invalid(N_("The end must come after the start."), field)
    if ends_at - starts_at > LONGEST:
        raise Invalid(N_("A gathering can last up to seven days."), field)
    return Span(starts_at, ends_at)


def check_spans(spans: list[tuple[datetime, datetime]], now: datetime) -> list[Span]:
    """One to ten different times, each still to come, each ending after it starts."""
    if not spans:
        raise Invalid(N_("Offer at least one time."), "times")
    if len(spans) > MAX_OPTIONS:
        message = _("Offer up to %(most)s times; you offered %(n)s.")
        raise Invalid(message % {"most": MAX_OPTIONS, "n": len(spans)}, "times")
    checked = [check_span(start, end, now, f"times.{n}") for n, (start, end) in enumerate(spans)]
    if len({(s.starts_at, s.ends_at) for s in checked}) != len(checked):
        raise Invalid(N_("Two of the times are the same: offer each time once."), "times")
    return sorted(checked, key=lambda s: (s.starts_at, s.ends_at))


def check_poll_close(
    closes_at: datetime | None, spans: list[Span], now: datetime
) -> datetime | None:
    """When the poll closes by itself (optional): after now, before the first time offered."""
    if closes_at is None:
        return None
    if closes_at <= now:
        raise Invalid(N_("The poll must close in the future."), "poll_closes_at")
    if closes_at > spans[0].starts_at:
        raise Invalid(
            N_("The poll must close before the earliest time offered, so people can plan."),
            "poll_closes_at",
        )
    return closes_at


def check_felt(score: int | None, words: str) -> tuple[int | None, str]:
    text = words.replace("\r\n", "\n").strip()
    if score is not None and not 1 <= score <= 5:
        raise Invalid(N_("Choose from 1 (not good) to 5 (very good)."), "score")
    if len(text) > FELT_WORDS_MAX:
        message = _("Up to %(most)s characters; this has %(n)s.")
        raise Invalid(message % {"most": FELT_WORDS_MAX, "n": len(text)}, "words")
    if score is None and not text:
        raise Invalid(N_("Choose a number or write a few words."), "score")
    return score, text
