"""Moments tests sign many people up: the cheapest Argon2 the settings allow keeps them quick.

Moments are read by day in the members' time zone, so these tests run on a controlled clock
set to noon of the members' current day: a test can never straddle their midnight, whatever
the hour it runs at (tests/moments/test_late_evening.py sets it to 23:30 UTC on purpose)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

import pytest

from tests.circles.conftest import QUICK
from tests.clock import MEMBER_ZONE, clock_at, member_day


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(QUICK)


@pytest.fixture(autouse=True)
def _members_midday() -> Iterator[None]:
    noon = datetime.combine(datetime.fromisoformat(member_day()).date(), time(12), MEMBER_ZONE)
    with clock_at(noon):
        yield
