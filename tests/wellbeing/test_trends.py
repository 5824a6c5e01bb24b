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


async def test_how_gatherings_felt_joins_the_members_own_trends_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    """After a gathering, what Ada felt is charted in her trends (and counted in her weeks
    with people), never in Bob's, who was there too."""
    ada, bob = await members(client, services, "ada_felt", "bob_felt")
    await connect(client, ada, bob)
    now = datetime.now(UTC)
    day = (now + timedelta(days=2)).date().isoformat()
    times = [{"starts_at": f"{day}T10:00:00Z", "ends_at": f"{day}T12:00:00Z"}]
    made = await client.post(
        "/api/v1/gatherings",
        json={"title": "Swim at the lake", "people": [ada.handle], "times": times},
        headers=bob.headers,
    )
    assert made.status_code == 201, made.text
    gathering = made.json()["gathering"]["id"]
    going = await client.put(
        f"/api/v1/gatherings/{gathering}/rsvp", json={"rsvp": "going"}, headers=ada.headers
    )
    assert going.status_code == 200, going.text
    await client.patch("/api/v1/wellbeing/settings", json={"line_up": True}, headers=ada.headers)
    with time_machine.travel(now + timedelta(days=3), tick=False):
        felt = await client.put(
            f"/api/v1/gatherings/{gathering}/felt",
            json={"score": 5, "words": "cold water, warm company"},
            headers=ada.headers,
        )
        assert felt.status_code == 200, felt.text
        mine = await client.get("/wellbeing/trends", headers=ada.headers)
        theirs = await client.get("/wellbeing/trends", headers=bob.headers)
    text = page_of(mine).text()
    assert "How gatherings felt" in text and "cold water, warm company" in text
    assert "Gatherings you went to" in text
    assert 'id="chart-gatherings"' in mine.text
    assert "cold water" not in theirs.text and "How gatherings felt" not in theirs.text
