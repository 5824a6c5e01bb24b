"""The summary after answering a daily question names everyone who received the answer: a
summary never understates who can see something."""

from __future__ import annotations

import httpx

from socialode.platform.services import Services
from tests.conversations.people import connect, members
from tests.form_helpers import page_of
from tests.moments.people import make_circle


async def test_an_answer_in_someone_elses_circle_names_everyone_it_reached(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, ines, tom, ada, lee = await members(client, services, "maya", "ines", "tom", "ada", "lee")
    for other in (ines, tom, ada, lee):
        await connect(client, maya, other)
    for other in (ines, tom):
        await connect(client, ada, other)
    # Lee is in the circle but not one of Ada's people: Ada's answer does not reach Lee.
    family = await make_circle(client, maya, "Family", ines, tom, ada, lee)
    turned_on = await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=maya.headers
    )
    assert turned_on.status_code == 200, turned_on.text

    answered = await client.post(
        f"/prompts/{family}/answer", data={"body": "A long walk by the river"}, headers=ada.headers
    )
    assert answered.status_code == 303, answered.text
    where = answered.headers["location"].split("?")[0]
    moment_id = int(where.rsplit("/", 1)[1])

    # Who really can see it.
    can_see = {
        who.handle
        for who in (maya, ines, tom, lee)
        if (await client.get(f"/api/v1/moments/{moment_id}", headers=who.headers)).status_code
        == 200
    }
    assert can_see == {"maya", "ines", "tom"}

    # The summary, in the API and on the page, names exactly them.
    own = (await client.get(f"/api/v1/moments/{moment_id}", headers=ada.headers)).json()
    assert {p["handle"] for p in own["audience"]["people"]} == can_see
    page = page_of(await client.get(where, headers=ada.headers))
    summary = page.by_id.get("audience-h", "")
    assert summary == "Whom you shared it with"
    for name in ("Maya (@maya)", "Ines (@ines)", "Tom (@tom)"):
        assert name in page.text(), name
    assert "@lee" not in page.text()


async def test_a_moment_shared_with_an_own_circle_still_names_the_circle(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, ines, tom = await members(client, services, "maya", "ines", "tom")
    for other in (ines, tom):
        await connect(client, maya, other)
    family = await make_circle(client, maya, "Family", ines)
    shared = await client.post(
        "/api/v1/moments",
        json={"body": "Bread", "circles": [family], "people": ["tom"]},
        headers=maya.headers,
    )
    assert shared.status_code == 201, shared.text
    audience = shared.json()["audience"]
    assert audience["circles"] == ["Family"]
    assert [p["handle"] for p in audience["people"]] == ["tom"]
