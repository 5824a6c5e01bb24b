"""Calendar files (RFC 5545, written with the ``icalendar`` package): one per gathering, and
each member's private feed of all their gatherings.

An event's UID never changes; its SEQUENCE is the gathering's, which grows with every change
a calendar should take in; a cancelled gathering stays in the feed with STATUS:CANCELLED so
calendars remove it. Times carry the organiser's time zone (with its VTIMEZONE), so every
calendar shows them in its owner's zone at the same instant.

An event depends only on the gathering (DTSTAMP is when it last changed), so its text is kept
per gathering, sequence and last change, and a time zone's per zone: a feed of hundreds of
gatherings is put together from text already made, reading only the columns an event shows.

A feed's address is ``/calendar/<member>-<generation>-<signature>.ics``: the signature (HMAC
of the instance's secret) proves the address was handed out; resetting it moves the member
to the next generation, so every older address stops working at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import icalendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, suspended_clause
from socialode.accounts.models import User
from socialode.gatherings.models import CalendarFeed, Gathering, Invitee, Rsvp, State
from socialode.gatherings.validation import zone_of
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_

PRODID = "-//Socialode//Gatherings//EN"
NO_FEED = N_("There is no such calendar address: it may have been replaced by a new one.")


def _uid(gathering_id: int, host: str) -> str:
    return f"gathering-{gathering_id}@{host}"


@dataclass(frozen=True)
class EventRow:
    """What one event is made of: a gathering's own columns and its organiser's name."""

    id: int
    sequence: int
    title: str
    description: str
    place: str
    map_url: str
    state: str
    zone: str
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime
    organiser_name: str

    @classmethod
    def of(cls, gathering: Gathering, organiser: User) -> EventRow:
        g = gathering
        return cls(
            g.id,
            g.sequence,
            g.title,
            g.description,
            g.place,
            g.map_url,
            g.state,
            g.zone,
            g.starts_at,
            g.ends_at,
            g.updated_at,
            organiser.display_name,
        )


def _event_text(row: EventRow, host: str, base_url: str, organiser_line: str) -> bytes:
    assert row.starts_at is not None and row.ends_at is not None
    zone = zone_of(row.zone)
    event = icalendar.Event()
    event.add("uid", _uid(row.id, host))
    event.add("dtstamp", row.updated_at.astimezone(UTC))
    event.add("dtstart", row.starts_at.astimezone(zone))
    event.add("dtend", row.ends_at.astimezone(zone))
    event.add("sequence", row.sequence)
    event.add("summary", row.title)
    if row.place:
        event.add("location", row.place)
    lines = [row.description] if row.description else []
    if row.map_url:
        lines.append(row.map_url)
    lines.append(organiser_line)
    event.add("description", "\n\n".join(lines))
    if base_url:
        event.add("url", f"{base_url}/gatherings/{row.id}")
    event.add("status", "CANCELLED" if row.state == State.cancelled.value else "CONFIRMED")
    text: bytes = event.to_ical()
    return text


EVENTS_KEPT = 20_000  # event texts each process keeps (a few hundred bytes each)
_events: OrderedDict[tuple[object, ...], bytes] = OrderedDict()


def _event(row: EventRow, host: str, base_url: str, organiser_line: str) -> bytes:
    """The event's text, made once per gathering, sequence and last change (anything an event
    shows changes one of them, or the organiser's line, also in the key)."""
    key = (row.id, row.sequence, row.updated_at, row.state, host, base_url, organiser_line)
    found = _events.get(key)
    if found is None:
        found = _events[key] = _event_text(row, host, base_url, organiser_line)
        if len(_events) > EVENTS_KEPT:
            _events.popitem(last=False)
    return found


@lru_cache(maxsize=512)
def _zone_text(zone_name: str) -> bytes:
    zone = icalendar.Timezone.from_tzid(zone_name) if zone_name != "UTC" else None
    text: bytes = zone.to_ical() if zone is not None else b""
    return text


def calendar_file(
    items: Iterable[EventRow], host: str, base_url: str, words: str, name: str
) -> bytes:
    """A VCALENDAR of these gatherings (those with a time), with the time zones they use;
    ``words`` names the organiser in each description ("… by %(name)s")."""
    events: list[bytes] = []
    zones: dict[str, bytes] = {}
    for row in items:
        if row.starts_at is None or row.ends_at is None:
            continue
        key = zone_of(row.zone).key
        if key not in zones:
            zones[key] = _zone_text(key)
        events.append(_event(row, host, base_url, words % {"name": row.organiser_name}))
    head = icalendar.Calendar()
    head.add("prodid", PRODID)
    head.add("version", "2.0")
    head.add("calscale", "GREGORIAN")
    head.add("method", "PUBLISH")
    head.add("x-wr-calname", name)
    whole: bytes = head.to_ical()
    opening = whole.removesuffix(b"END:VCALENDAR\r\n")
    return opening + b"".join(zones.values()) + b"".join(events) + b"END:VCALENDAR\r\n"


async def gatherings_for_feed(db: AsyncSession, user_id: int) -> list[EventRow]:
    """Every gathering of the member that has a time, except those they said no to: only the
    columns an event shows."""
    rows = await db.execute(
        select(
            Gathering.id,
            Gathering.sequence,
            Gathering.title,
            Gathering.description,
            Gathering.place,
            Gathering.map_url,
            Gathering.state,
            Gathering.zone,
            Gathering.starts_at,
            Gathering.ends_at,
            Gathering.updated_at,
            User.display_name,
        )
        .join(Invitee, Invitee.gathering_id == Gathering.id)
        .join(User, User.id == Gathering.organiser_id)
        .where(
            Invitee.user_id == user_id,
            Invitee.rsvp != Rsvp.not_going.value,
            Gathering.starts_at.is_not(None),
            ~suspended_clause(Gathering.organiser_id),
        )
        .order_by(Gathering.starts_at, Gathering.id)
    )
    return [
        EventRow(gid, seq, title, text, place, url, state, zone, starts, ends, changed, name)
        for gid, seq, title, text, place, url, state, zone, starts, ends, changed, name in rows
    ]


# The private address ---------------------------------------------------------------------


def _signature(secret: str, user_id: int, generation: int) -> str:
    mac = hmac.new(secret.encode(), f"calendar:{user_id}:{generation}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def feed_token(secret: str, user_id: int, generation: int) -> str:
    return f"{user_id}-{generation}-{_signature(secret, user_id, generation)}"


async def access_own_feed_token(db: AsyncSession, viewer: Viewer, secret: str) -> str:
    """The viewer's current calendar address token."""
    row = await db.get(CalendarFeed, viewer.id)
    return feed_token(secret, viewer.id, row.generation if row else 1)


async def access_feed_owner(db: AsyncSession, token: str, secret: str) -> User:
    """Whose feed this token opens; a wrong, old or made-up token is a 404."""
    user_part, _sep, rest = token.partition("-")
    generation_part, _sep, signature = rest.partition("-")
    # ASCII digits only (str.isdigit also accepts "²", which int() refuses), and short.
    if not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in (user_part, generation_part)):
        raise NotFound(NO_FEED)
    user_id, generation = int(user_part), int(generation_part)
    expected = _signature(secret, user_id, generation)
    if not hmac.compare_digest(signature.encode(), expected.encode()):  # str: ASCII only
        raise NotFound(NO_FEED)
    row = await db.get(CalendarFeed, user_id)
    if (row.generation if row else 1) != generation:
        raise NotFound(NO_FEED)
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound(NO_FEED)
    return user
