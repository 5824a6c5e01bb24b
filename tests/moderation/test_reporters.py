"""A reporter hears what came of their report, in general words: never the moderator's
reason (the reported person's to read) and never what was done to the account; their list of
reports is theirs alone and ends."""

from __future__ import annotations

import httpx

from socialode.platform.services import Services
from tests.form_helpers import web_login
from tests.helpers import PASSWORD
from tests.moderation.world import build, decide, report

REASON = "Private words for Bob about his threat."


async def _standing(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    mine = await client.get("/api/v1/reports", headers=headers)
    assert mine.status_code == 200, mine.text
    assert mine.json()["next"] is None
    return [r["standing"] for r in mine.json()["reports"]]


async def test_a_reporter_hears_what_came_of_it_and_nothing_more(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    filed = await report(client, w.ada, kind="message", id=w.message, reason="threats")
    report_id = filed.json()["id"]
    assert await _standing(client, w.ada.headers) == ["Waiting for a moderator."]
    await client.get(f"/api/v1/moderation/reports/{report_id}", headers=w.mod.headers)
    assert await _standing(client, w.ada.headers) == ["A moderator is looking at it."]
    # Nobody else sees Ada's reports: not Bob, not Cy, not the moderator through this list.
    for other in (w.bob, w.cy, w.mod):
        assert await _standing(client, other.headers) == []

    decided = await decide(client, w, report_id, action="suspend", reason=REASON, days=2)
    assert decided.status_code == 200, decided.text
    assert await _standing(client, w.ada.headers) == ["A moderator looked and acted on it."]
    told = await client.get("/api/v1/notifications", headers=w.ada.headers)
    (outcome,) = [n for n in told.json()["notifications"] if n["kind"] == "report_outcome"]
    assert outcome["text"] == "About your report: A moderator looked and acted on it."
    assert outcome["url"] == "/reports"
    await web_login(client, w.ada.handle, PASSWORD)
    page = await client.get("/reports")
    assert page.status_code == 200
    assert "A message" in page.text and "Threats of harm" in page.text
    assert "acted on it" in page.text and "That is every report you made." in page.text
    for shown in (page.text, str(told.json()), str(await _standing(client, w.ada.headers))):
        assert REASON not in shown and "suspend" not in shown.casefold()


async def test_a_dismissal_and_care_are_told_plainly(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    profile = await report(client, w.ada, kind="profile", handle=w.bob.handle, reason="other")
    message = await report(client, w.ada, kind="message", id=w.message, reason="self_harm")
    await decide(client, w, profile.json()["id"], action="dismiss", reason="Nothing wrong.")
    await decide(client, w, message.json()["id"], action="care", reason="Worried about him.")
    assert await _standing(client, w.ada.headers) == [
        "A moderator looked and made sure the person was offered help.",
        "A moderator looked and found nothing to act on. You can still block or mute them.",
    ]
    await web_login(client, w.cy.handle, PASSWORD)
    empty = await client.get("/reports")
    assert "You have not reported anything." in empty.text
