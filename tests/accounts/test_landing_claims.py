"""The landing page describes only what exists: each promise it makes is checked against the
product, and what does not exist yet is not promised."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest

from socialode.boundaries.hours import in_quiet_hours
from socialode.boundaries.limits import default_limits
from socialode.boundaries.models import DEFAULT_QUIET_END, DEFAULT_QUIET_START

NOT_YET = ("check-in", "wellbeing", "gathering", "calendar", "moderator", "report")


@pytest.mark.once
async def test_the_landing_page_promises_only_what_exists(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text.lower()
    # Quiet hours: promised with the hours every member gets from sign-up.
    start, end = re.search(r"from (\d\d:\d\d) to (\d\d:\d\d) where you live", page).groups()  # type: ignore[union-attr]
    assert (start, end) == (DEFAULT_QUIET_START, DEFAULT_QUIET_END)
    limits = default_limits(1, "Europe/Lisbon")
    assert limits.quiet_on, "on from the start"
    assert in_quiet_hours(limits, datetime(2027, 1, 14, 23, 0, tzinfo=UTC))
    assert not in_quiet_hours(limits, datetime(2027, 1, 14, 12, 0, tzinfo=UTC))
    assert "digest" in page
    for word in NOT_YET:
        assert word not in page, f"the landing page promises {word!r}, which does not exist yet"
