"""Check-ins through the API and the pages: answered, scored, sealed, read back by their
member only; bad input refused with a sentence and nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from socialode.platform.services import Services
from socialode.wellbeing.models import Checkin
from tests.circles.test_bad_input_api import assert_refused
from tests.form_helpers import page_of
from tests.helpers import Member, members

API = "/api/v1/wellbeing"
WHO5_64 = {"q1": 4, "q2": 3, "q3": 3, "q4": 3, "q5": 3}  # raw 16: shown 64


async def check_in(
    client: httpx.AsyncClient, who: Member, instrument: str, answers: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    body = {"instrument": instrument, "answers": answers, **extra}
    response = await client.post(f"{API}/checkins", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def test_a_who5_is_scored_stored_sealed_and_read_back_by_its_member_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_wb", "bob_wb")
    made = await check_in(client, ada, "who5", WHO5_64, note="walked by the river")
    assert made["result"]["shown"] == 64 and made["result"]["scale_max"] == 100
    assert made["note"] == "walked by the river" and made["problem"] is None
    async with services.db.sessions() as db:
        (stored,) = (await db.scalars(select(Checkin.sealed).where(Checkin.id == made["id"]))).all()
    assert stored.startswith("s1.") and all(w not in stored for w in ("river", "who5", '"q1"'))
    own = await client.get(f"{API}/checkins/{made['id']}", headers=ada.headers)
    assert own.status_code == 200 and own.json()["answers"] == WHO5_64
    listed = await client.get(f"{API}/checkins", headers=ada.headers)
    assert [c["id"] for c in listed.json()["checkins"]] == [made["id"]]
    assert listed.json()["next"] is None
    # Someone else's check-in answers exactly like one that does not exist.
    theirs = await client.get(f"{API}/checkins/{made['id']}", headers=bob.headers)
    missing = await client.get(f"{API}/checkins/{made['id'] + 1000}", headers=bob.headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert (await client.get(f"{API}/checkins", headers=bob.headers)).json()["checkins"] == []
    page = await client.get(f"/wellbeing/checkins/{made['id']}", headers=bob.headers)
    assert page.status_code == 404 and "river" not in page.text
    gone = await client.delete(f"{API}/checkins/{made['id']}", headers=bob.headers)
    assert gone.status_code == 404
    assert (
        await client.delete(f"{API}/checkins/{made['id']}", headers=ada.headers)
    ).status_code == 204
    assert (await client.get(f"{API}/checkins", headers=ada.headers)).json()["checkins"] == []


async def test_phq9_item_9_shows_crisis_help_first_whatever_the_total(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_crisis")
    answers = {f"q{n}": 0 for n in range(1, 10)} | {"q9": 1}
    made = await check_in(client, ada, "phq9", answers)
    assert made["result"]["crisis"] is True and made["result"]["next_steps"][0] == "crisis"
    page = await client.get(f"/wellbeing/checkins/{made['id']}", headers=ada.headers)
    text = page_of(page).text()
    assert "You do not have to go through this alone" in text
    assert text.index("You do not have to go through this alone") < text.index("out of 27")
    assert "988" in page.text or "116 123" in page.text  # the directory's crisis lines


async def test_the_page_forms_take_answers_and_keep_them_beside_a_refusal(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_form")
    form = await client.get("/wellbeing/checkin/ucla3", headers=ada.headers)
    assert form.status_code == 200 and "Hughes" in form.text
    partial = {"q1": "3", "q2": "2", "note": "a quiet week"}
    refused = await client.post("/wellbeing/checkin/ucla3", data=partial, headers=ada.headers)
    assert refused.status_code == 422
    page = page_of(refused)
    assert "Choose an answer" in page.text() and "a quiet week" in refused.text
    assert page.value("note") == "a quiet week"
    done = await client.post(
        "/wellbeing/checkin/ucla3", data={**partial, "q3": "3"}, headers=ada.headers
    )
    assert done.status_code == 303
    result = await client.get(done.headers["location"], headers=ada.headers)
    assert "8 out of 9" in page_of(result).text()
    mood = await client.post(
        "/wellbeing/mood", data={"mood": "4", "feelings": ["calm", "tired"]}, headers=ada.headers
    )
    assert mood.status_code == 303
    shown = page_of(await client.get(mood.headers["location"], headers=ada.headers)).text()
    assert "Calm" in shown or "calm" in shown


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"instrument": "phq10", "answers": {}}, 422, "instrument"),
        ({"instrument": "who5", "answers": {"q1": 1}}, 422, "q2"),
        ({"instrument": "who5", "answers": {**WHO5_64, "q5": 6}}, 422, "q5"),
        ({"instrument": "who5", "answers": {**WHO5_64, "q6": 1}}, 422, "q6"),
        ({"instrument": "who5", "answers": {**WHO5_64, "q1": True}}, 422, "q1"),
        ({"instrument": "mood", "answers": {"mood": 0}}, 422, "mood"),
        ({"instrument": "mood", "answers": {"mood": 3}, "feelings": ["grumpy-ish"]}, 422, None),
        ({"instrument": "who5", "answers": WHO5_64, "feelings": ["calm"]}, 422, "feelings"),
        ({"instrument": "who5", "answers": WHO5_64, "note": "x" * 1001}, 422, "note"),
    ],
)
async def test_bad_check_ins_are_refused_with_a_sentence_and_nothing_written(
    client: httpx.AsyncClient,
    services: Services,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    (ada,) = await members(client, services, "ada_bad_wb")
    call = client.post(f"{API}/checkins", json=body, headers=ada.headers)
    await assert_refused(services, call, status, field=field)


async def test_a_few_moods_a_day_then_a_kind_no(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_moods")
    for level in (2, 3, 4):
        await check_in(client, ada, "mood", {"mood": level})
    call = client.post(
        f"{API}/checkins", json={"instrument": "mood", "answers": {"mood": 5}}, headers=ada.headers
    )
    await assert_refused(services, call, 409, words="today")


async def test_settings_choose_offers_pause_and_refuse_nonsense(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_prefs")
    start = await client.get(f"{API}/settings", headers=ada.headers)
    assert start.json()["schedule"] == {"ucla3": 30, "who5": 14}
    assert start.json()["reminders"] is False
    changed = await client.patch(
        f"{API}/settings",
        json={"schedule": {"mood": 1, "who5": 7}, "reminders": True, "pause_days": 7},
        headers=ada.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["schedule"] == {"mood": 1, "who5": 7}
    assert changed.json()["paused_until"] is not None
    home = page_of(await client.get("/wellbeing", headers=ada.headers)).text()
    assert "paused until" in home.lower()
    for bad, field in (
        ({"schedule": {"who5": 3}}, "every_who5"),
        ({"schedule": {"nope": 7}}, "instrument"),
        ({"pause_days": 5}, "pause"),
    ):
        call = client.patch(f"{API}/settings", json=bad, headers=ada.headers)
        await assert_refused(services, call, 422, field=field)
    resumed = await client.patch(f"{API}/settings", json={"resume": True}, headers=ada.headers)
    assert resumed.json()["paused_until"] is None


async def test_every_wellbeing_page_needs_a_sign_in(client: httpx.AsyncClient) -> None:
    for path in ("/wellbeing", "/wellbeing/trends", "/wellbeing/history", "/wellbeing/settings"):
        page = await client.get(path)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert (await client.get(f"{API}/checkins")).status_code == 401


async def test_deleting_a_check_in_from_its_page_asks_first(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_del_wb", "bob_del_wb")
    made = await check_in(client, ada, "mood", {"mood": 2})
    url = f"/wellbeing/checkins/{made['id']}/delete"
    asked = await client.post(url, data={}, headers=ada.headers)
    assert asked.status_code == 200 and "Delete this check-in?" in page_of(asked).text()
    assert (await client.post(url, data={}, headers=bob.headers)).status_code == 404
    done = await client.post(url, data={"confirm": "yes"}, headers=ada.headers)
    assert done.status_code == 303 and done.headers["location"] == "/wellbeing/history"
    gone = await client.get(f"/wellbeing/checkins/{made['id']}", headers=ada.headers)
    assert gone.status_code == 404
