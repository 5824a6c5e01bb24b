"""Bad input to boundaries, over the API and through the forms: each a 422 with a sentence
naming the field, and nothing stored. (Unknown time zones are refused where the zone is
edited, on the profile: tests/accounts/test_bad_input_api.py, test_profile_refuses_bad_fields
and test_signup_refuses_bad_fields; one case is repeated here.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from socialode.platform.services import Services
from tests.boundaries.support import ensure_release_kind, member_in
from tests.form_helpers import answer_of, assert_form_refused, stored_state
from tests.helpers import Member, snapshot

pytestmark = pytest.mark.reuses_setup


@pytest.fixture
async def ana(client: httpx.AsyncClient, services: Services, reuse: Any) -> Member:
    ensure_release_kind()

    async def build() -> Member:
        return await member_in(client, services, "ana_l", "Europe/Lisbon")

    member: Member = await reuse(build)
    return member


async def refused_api(
    services: Services, call: Any, words: str, field: str | None
) -> dict[str, Any]:
    before = await snapshot(services), await stored_state(services)
    answer = await answer_of(call)
    assert answer.status_code == 422, answer.text
    body: dict[str, Any] = answer.json()
    assert words.lower() in body["detail"].lower(), body
    assert body["field"] == field, body
    assert (await snapshot(services), await stored_state(services)) == before, "stored something"
    return body


def quiet(start: Any, end: Any) -> dict[str, Any]:
    return {"quiet_hours": {"on": True, "start": start, "end": end}}


def digests(times: list[str]) -> dict[str, Any]:
    return {"digests": {"times": times, "email_digest": True}}


NINE = [f"{h:02d}:00" for h in range(9, 18)]


@pytest.mark.parametrize(
    ("body", "words", "field"),
    [
        (quiet("22:00", "22:00"), "differ", "quiet_end"),
        (quiet("7", "08:00"), "hours and minutes", "quiet_start"),
        (quiet("22:00", "seven"), "hours and minutes", "quiet_end"),
        (quiet("24:00", "07:00"), "not a time of day", "quiet_start"),
        (quiet("22:00", "07:60"), "not a time of day", "quiet_end"),
        (quiet("22:00", "07:00:00"), "hours and minutes", "quiet_end"),
        (quiet("\uff12\uff12:00", "07:00"), "hours and minutes", "quiet_start"),  # fullwidth
        (digests(NINE), "at most 8", "digest_times"),
        (digests(["12:00", "12:00"]), "twice", "digest_times"),
        (digests(["12:00", "9:00", "09:00"]), "twice", "digest_times"),
        (digests(["25:00"]), "not a time of day", "digest_times"),
        (digests(["noon"]), "hours and minutes", "digest_times"),
        ({"channels": {"no_such_kind": "live"}}, "no kind", "channels"),
        ({"channels": {"message": "loud"}}, "live, digest or off", "channels"),
        # A valid section is not saved when another one in the same request is refused.
        ({**digests(["08:00"]), **quiet("07:00", "07:00")}, "differ", "quiet_end"),
    ],
)
async def test_settings_api_refuses(
    client: httpx.AsyncClient,
    services: Services,
    ana: Member,
    body: dict[str, Any],
    words: str,
    field: str,
) -> None:
    put = client.put("/api/v1/settings/notifications", json=body, headers=ana.headers)
    await refused_api(services, put, words, field)


@pytest.mark.parametrize("hours", [0, 0.5, 4.5, 5, 24, 1.25, -1, 1e308])
async def test_together_api_refuses_outside_one_to_four_hours(
    client: httpx.AsyncClient, services: Services, ana: Member, hours: float
) -> None:
    call = client.post("/api/v1/together", json={"hours": hours}, headers=ana.headers)
    await refused_api(services, call, "1 to 4 hours", "hours")


async def test_together_api_refuses_what_is_not_a_number(
    client: httpx.AsyncClient, services: Services, ana: Member
) -> None:
    call = client.post("/api/v1/together", json={"hours": "a while"}, headers=ana.headers)
    await refused_api(services, call, "hours", "hours")


async def test_an_unknown_time_zone_is_refused_on_the_profile(
    client: httpx.AsyncClient, services: Services, ana: Member
) -> None:
    call = client.patch("/api/v1/me", json={"timezone": "Mars/Olympus"}, headers=ana.headers)
    await refused_api(services, call, "time zone", "timezone")


@pytest.mark.parametrize(
    ("start", "end", "where", "words"),
    [
        ("22:00", "22:00", "quiet_end", "differ"),
        ("24:00", "07:00", "quiet_start", "not a time of day"),
        ("22:00", "07:60", "quiet_end", "not a time of day"),
        ("late", "07:00", "quiet_start", "hours and minutes"),
        ("", "07:00", "quiet_start", "hours and minutes"),
    ],
)
async def test_quiet_hours_form_refuses(
    client: httpx.AsyncClient,
    services: Services,
    ana: Member,
    start: str,
    end: str,
    where: str,
    words: str,
) -> None:
    call = client.post(
        "/settings/notifications/quiet",
        data={"quiet_on": "1", "quiet_start": start, "quiet_end": end},
        headers=ana.headers,
    )
    await assert_form_refused(
        services, call, 422, where, words, kept={"quiet_start": start, "quiet_end": end}
    )


@pytest.mark.parametrize(
    ("times", "words"),
    [
        (NINE, "at most 8"),
        (["18:00", "18:00"], "twice"),
        (["12:00", "23:75"], "not a time of day"),
    ],
)
async def test_digest_form_refuses(
    client: httpx.AsyncClient, services: Services, ana: Member, times: list[str], words: str
) -> None:
    call = client.post(
        "/settings/notifications/digests",
        data={"digest_time": times, "email_digest": "1"},
        headers=ana.headers,
    )
    page = await assert_form_refused(services, call, 422, "digest_times", words)
    shown = [
        v.split('value="', 1)[1].split('"', 1)[0] for v in page.html.split('name="digest_time"')[1:]
    ]
    assert [v for v in shown if v] == times, "the typed times are shown again"


async def test_channels_form_refuses_an_unknown_kind_or_channel(
    client: httpx.AsyncClient, services: Services, ana: Member
) -> None:
    for data, words in (
        ({"channel-no_such_kind": "live"}, "no kind"),
        ({"channel-message": "loud"}, "live, digest or off"),
    ):
        call = client.post("/settings/notifications/channels", data=data, headers=ana.headers)
        await assert_form_refused(services, call, 422, "channels", words)


@pytest.mark.parametrize("hours", ["5", "0", "1.25", "soon", ""])
async def test_together_form_refuses_outside_one_to_four_hours(
    client: httpx.AsyncClient, services: Services, ana: Member, hours: str
) -> None:
    call = client.post("/settings/together", data={"hours": hours}, headers=ana.headers)
    await assert_form_refused(services, call, 422, "hours", "1 to 4 hours")
