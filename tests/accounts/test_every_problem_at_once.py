"""Three wrong fields give three messages in one answer, each beside its field, with a
summary linking to each, and everything typed kept (never a password); nothing is written."""

from __future__ import annotations

import httpx

from socialode.platform.services import Services
from tests.form_helpers import Page, page_of, stored_state, web_login
from tests.helpers import invite_token, sign_up


def summary_links(page: Page) -> set[str]:
    summary = page.html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return {part.split('"', 1)[0] for part in summary.split('href="#')[1:]}


async def test_sign_up_reports_every_problem_at_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await invite_token(services)
    typed = {
        "handle": "x",
        "display_name": "",
        "email": "not-an-address",
        "password": "short",
        "timezone": "Mars/Olympus",
    }
    before = await stored_state(services)
    answer = await client.post(f"/invite/{token}", data=typed)
    assert answer.status_code == 422, answer.text
    page = page_of(answer)
    assert set(page.field_errors) == {"handle", "display_name", "email", "password", "timezone"}
    assert summary_links(page) == {f"f-{name}" for name in page.field_errors}
    assert page.value("handle") == "x" and page.value("email") == "not-an-address"
    assert "short" not in answer.text.replace("shorter", "")  # the password is never echoed
    assert await stored_state(services) == before


async def test_sign_up_reports_a_taken_handle_with_the_other_problems(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "maya_k")
    token = await invite_token(services)
    typed = {"handle": "maya_k", "display_name": "", "email": "new@example.org"}
    typed |= {"password": "a-long-enough-passphrase-9", "timezone": "Europe/Lisbon"}
    page = page_of(await client.post(f"/invite/{token}", data=typed))
    assert set(page.field_errors) == {"handle", "display_name"}
    assert "taken" in page.field_errors["handle"]


async def test_profile_reports_every_problem_at_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    await web_login(client, "alan_t")
    typed = {"display_name": "", "pronouns": "p" * 41, "bio": "b" * 301, "interests": "walks"}
    typed["timezone"] = "Europe/Lisbon"
    before = await stored_state(services)
    answer = await client.post("/settings/profile", data=typed)
    assert answer.status_code == 422, answer.text
    page = page_of(answer)
    assert set(page.field_errors) == {"display_name", "pronouns", "bio"}
    assert summary_links(page) == {"f-display_name", "f-pronouns", "f-bio"}
    for name, value in typed.items():
        assert page.value(name) == value, name
    assert await stored_state(services) == before


async def test_quiet_hours_report_both_wrong_times_at_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    await web_login(client, "alan_t")
    typed = {"quiet_on": "on", "quiet_start": "25:00", "quiet_end": "soon"}
    before = await stored_state(services)
    answer = await client.post("/settings/notifications/quiet", data=typed)
    assert answer.status_code == 422, answer.text
    page = page_of(answer)
    assert set(page.field_errors) == {"quiet_start", "quiet_end"}
    assert "25:00" in page.field_errors["quiet_start"]
    assert page.value("quiet_start") == "25:00" and page.value("quiet_end") == "soon"
    assert await stored_state(services) == before


async def test_password_and_waitlist_forms_report_both_problems(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    await web_login(client, "alan_t")
    before = await stored_state(services)
    typed = {"current_password": "not-it-at-all", "new_password": "short"}
    page = page_of(await client.post("/settings/password", data=typed))
    assert set(page.field_errors) == {"current_password", "new_password"}
    client.cookies.clear()
    typed = {"email": "nope", "reason": "r" * 501}
    answer = await client.post("/waitlist", data=typed)
    page = page_of(answer)
    assert set(page.field_errors) == {"email", "reason"}
    assert page.value("email") == "nope" and page.value("reason") == "r" * 501
    assert await stored_state(services) == before
