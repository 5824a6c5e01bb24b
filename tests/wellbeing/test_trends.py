"""The trends page: a chart per check-in taken, notes on change since about a month before,
and mood beside time with people only when the member allows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import time_machine

from socialode.platform.services import Services
from tests.form_helpers import page_of
from tests.helpers import connect, members
from tests.wellbeing.test_checkins import check_in

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


async def test_trends_chart_each_check_in_and_say_how_it_changed(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_trend")
    for week, raw in enumerate((2, 3, 4, 4, 5)):
        with time_machine.travel(START + timedelta(weeks=week), tick=False):
            await check_in(client, ada, "who5", {f"q{n}": raw for n in range(1, 6)})
    page = await client.get("/wellbeing/trends", headers=ada.headers)
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<table" in page.text
    text = page_of(page).text()
    assert "rose 60 points since" in text  # 40 -> 100, four weeks apart
    assert "style=" not in page.text
    assert "beside your time with people" in text  # offered, not shown: off by default


async def test_mood_beside_time_with_people_only_when_allowed(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_lineup", "bob_lineup")
    await connect(client, ada, bob)
    await check_in(client, ada, "mood", {"mood": 4})
    page = page_of(await client.get("/wellbeing/trends", headers=ada.headers)).text()
    assert "Days you wrote to people" not in page
    allowed = await client.patch(
        "/api/v1/wellbeing/settings", json={"line_up": True}, headers=ada.headers
    )
    assert allowed.status_code == 200
    page = page_of(await client.get("/wellbeing/trends", headers=ada.headers)).text()
    assert "Days you wrote to people" in page and "does not say one caused the other" in page
