"""One member's limits on being reached, as the rest of the app reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialode.boundaries.models import (
    DEFAULT_DIGEST_TIMES,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    Boundary,
)

LIVE, DIGEST, OFF = "live", "digest", "off"
CHANNELS = (LIVE, DIGEST, OFF)
FALLBACK_ZONE = "UTC"


def safe_zone(name: str | None) -> str:
    """``name`` when it is a time zone this machine knows, else UTC (a member whose stored
    zone went missing is still protected, by the UTC clock)."""
    if not name:
        return FALLBACK_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return FALLBACK_ZONE
    return name


@dataclass(frozen=True)
class Limits:
    user_id: int
    zone: str  # the member's time zone (users.timezone), e.g. "Europe/Lisbon"
    quiet_on: bool
    quiet_start: str  # "HH:MM" local
    quiet_end: str  # "HH:MM" local (start > end: the range crosses midnight)
    digest_times: tuple[str, ...]  # sorted "HH:MM" local, 0..8 of them
    channels: Mapping[str, str] = field(default_factory=dict)  # kind -> live|digest|off
    email_digest: bool = False
    push_previews: bool = False
    share_sleep_line: bool = True
    together_until: datetime | None = None


def default_limits(user_id: int, zone: str | None) -> Limits:
    """What a member who never changed anything has: protected from the start."""
    return Limits(
        user_id=user_id,
        zone=safe_zone(zone),
        quiet_on=True,
        quiet_start=DEFAULT_QUIET_START,
        quiet_end=DEFAULT_QUIET_END,
        digest_times=tuple(sorted(DEFAULT_DIGEST_TIMES)),
        channels=MappingProxyType({}),
        email_digest=False,
        push_previews=False,
        share_sleep_line=True,
        together_until=None,
    )


def limits_of(row: Boundary, zone: str | None) -> Limits:
    channels = {str(k): str(v) for k, v in (row.channels or {}).items() if v in CHANNELS}
    return Limits(
        user_id=row.user_id,
        zone=safe_zone(zone),
        quiet_on=bool(row.quiet_on),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        digest_times=tuple(sorted(set(row.digest_times or []))),
        channels=MappingProxyType(channels),
        email_digest=bool(row.email_digest),
        push_previews=bool(row.push_previews),
        share_sleep_line=bool(row.share_sleep_line),
        together_until=row.together_until,
    )
