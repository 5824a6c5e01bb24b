"""The tests' clock. No assertion may depend on the hour a test happens to run at: a day is
always the members' day (every member the helpers sign up lives in Europe/Berlin), taken from
the time the thing itself carries or from the controlled clock, never from the UTC date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from socialode.platform.clock import utcnow

MEMBER_ZONE = ZoneInfo("Europe/Berlin")  # the time zone tests.helpers.sign_up gives everyone

# 23:30 UTC is already tomorrow in the members' zone, in winter (UTC+1) and summer (UTC+2).
LATE_EVENINGS = {
    "winter": datetime(2027, 1, 14, 23, 30, tzinfo=UTC),
    "summer": datetime(2027, 7, 14, 23, 30, tzinfo=UTC),
}


def member_day(at: datetime | str | None = None) -> str:
    """The members' calendar day of ``at`` (an aware time or its ISO text), or of now."""
    when = datetime.fromisoformat(at) if isinstance(at, str) else (at or utcnow())
    day: date = when.astimezone(MEMBER_ZONE).date()
    return day.isoformat()


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    """Run with the clock set to ``instant`` and running on from there."""
    with time_machine.travel(instant, tick=True):
        yield
