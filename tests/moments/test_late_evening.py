"""Date-sensitive tests again, with the clock at 23:30 UTC — already the next day where the
members live — in winter and in summer. A test that takes "today" from the UTC date instead
of the member's time zone fails here every time, not just in the last hour of a UTC day."""

from __future__ import annotations

import httpx
import pytest

from socialode.platform.services import Services
from tests.clock import LATE_EVENINGS, clock_at
from tests.moments import test_api_journey as journey
from tests.moments import test_rules as rules

SEASONS = pytest.mark.parametrize("season", sorted(LATE_EVENINGS))


@SEASONS
async def test_journey_late_in_the_utc_evening(
    client: httpx.AsyncClient, services: Services, season: str
) -> None:
    with clock_at(LATE_EVENINGS[season]):
        await journey.test_share_read_answer_edit_delete(client, services)


@SEASONS
async def test_the_feed_and_its_days_late_in_the_utc_evening(
    client: httpx.AsyncClient, services: Services, season: str
) -> None:
    with clock_at(LATE_EVENINGS[season]):
        await rules.test_the_feed_ends_and_only_looking_back_shows_older(client, services)


@SEASONS
async def test_daily_questions_late_in_the_utc_evening(
    client: httpx.AsyncClient, services: Services, season: str
) -> None:
    with clock_at(LATE_EVENINGS[season]):
        await rules.test_daily_questions_without_streaks(client, services)
