"""Memories: a connection's page with the moments they shared with you, "Your moments" with
whom each went to, "Shared with you" month by month, and "You answered" (yours only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from socialode.platform.services import Services
from tests.clock import MEMBER_ZONE, clock_at
from tests.conversations.people import Member, connect, members
from tests.form_helpers import page_of
from tests.helpers import login
from tests.moments.people import make_circle, shared
from tests.pages import page_url


async def html(client: httpx.AsyncClient, who: Member, path: str, status: int = 200) -> str:
    response = await client.get(path, headers=who.headers)
    assert response.status_code == status, response.text
    return response.text


async def api(client: httpx.AsyncClient, who: Member, path: str, status: int = 200) -> Any:
    response = await client.get(path, headers=who.headers)
    assert response.status_code == status, response.text
    return response.json()


async def all_pages(client: httpx.AsyncClient, who: Member, path: str) -> list[int]:
    """Every moment id of a paged list, following ``next`` until the list ends."""
    ids: list[int] = []
    url: str | None = path
    for _ in range(100):
        assert url is not None
        body = await api(client, who, url)
        ids += [m["id"] for m in body["moments"]]
        url = page_url(path, body["next"]) if body["next"] else None
        if url is None:
            return ids
    raise AssertionError("the list did not end")


async def answer(client: httpx.AsyncClient, who: Member, moment_id: int) -> None:
    response = await client.post(
        f"/api/v1/moments/{moment_id}/answers",
        json={"body": "Thinking of you", "client_key": uuid.uuid4().hex},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text


async def test_a_connections_page_shows_only_the_moments_shared_with_you(
    client: httpx.AsyncClient, services: Services
) -> None:
    ann, bea, cal, dan = await members(client, services, "ann_m", "bea_m", "cal_m", "dan_m")
    await connect(client, ann, bea)
    await connect(client, bea, cal)
    family = await make_circle(client, bea, "Family", ann, cal)
    to_ann = await shared(client, bea, "Only for Ann.", people=[ann])
    to_cal = await shared(client, bea, "Only for Cal.", people=[cal])
    to_both = await shared(client, bea, "For the family.", circles=[family])

    page = await html(client, ann, "/people/bea_m")
    assert "Only for Ann." in page and "For the family." in page
    assert "Only for Cal." not in page
    assert page.index("For the family.") < page.index("Only for Ann.")  # newest first
    assert "That is every moment Bea_M has shared with you." in page  # the list ends
    assert 'action="/conversations/direct"' in page and "Message Bea_M" in page
    assert 'href="/support/new?to=bea_m"' in page
    assert await all_pages(client, ann, "/api/v1/people/bea_m/moments") == [to_both, to_ann]
    assert await all_pages(client, cal, "/api/v1/people/bea_m/moments") == [to_both, to_cal]

    # Someone not connected with Bea sees none of her moments on her page.
    page = await html(client, dan, "/people/bea_m")
    assert "Only for" not in page and "For the family." not in page
    assert await all_pages(client, dan, "/api/v1/people/bea_m/moments") == []

    # Taken out of the circle: the circle's moment goes at once, the direct one stays.
    removed = await client.post("/people/ann_m/circles", data={}, headers=bea.headers)
    assert removed.status_code == 303
    assert await all_pages(client, ann, "/api/v1/people/bea_m/moments") == [to_ann]

    # A block: the page, its moments and the API are missing, in both directions.
    blocked = await client.put("/api/v1/blocks/ann_m", headers=bea.headers)
    assert blocked.status_code in (200, 201, 204), blocked.text
    nobody = await client.get("/people/nobody_here", headers=ann.headers)
    for who, handle in ((ann, "bea_m"), (bea, "ann_m")):
        gone = await client.get(f"/people/{handle}", headers=who.headers)
        assert gone.status_code == 404 and page_of(gone).h1 == page_of(nobody).h1
        assert "Only for Ann." not in gone.text
        missing = await client.get(f"/api/v1/people/{handle}/moments", headers=who.headers)
        unknown = await client.get("/api/v1/people/nobody_here/moments", headers=who.headers)
        assert (missing.status_code, missing.json()) == (unknown.status_code, unknown.json())


async def test_a_persons_moments_come_in_pages_that_end(
    client: httpx.AsyncClient, services: Services
) -> None:
    ann, bea = await members(client, services, "ann_m", "bea_m")
    await connect(client, ann, bea)
    made = [await shared(client, bea, f"Moment {i}.", people=[ann]) for i in range(23)]
    first = await api(client, ann, "/api/v1/people/bea_m/moments")
    assert len(first["moments"]) == 20 and first["next"]
    assert await all_pages(client, ann, "/api/v1/people/bea_m/moments") == made[::-1]
    page = await html(client, ann, "/people/bea_m")
    assert "Earlier moments" in page and "That is every moment" not in page
    later = page.split('href="/people/bea_m?cursor=')[1].split("#")[0]
    last = await html(client, ann, f"/people/bea_m?cursor={later}")
    assert "Moment 0." in last and "That is every moment Bea_M has shared with you." in last


async def test_circles_are_edited_on_the_persons_page_by_their_owner_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    ann, bea, cal = await members(client, services, "ann_m", "bea_m", "cal_m")
    await connect(client, ann, bea)
    await connect(client, cal, bea)
    family = await make_circle(client, ann, "Family")
    friends = await make_circle(client, ann, "Friends", bea)
    cals = await make_circle(client, cal, "Cal's own")
    page = await html(client, ann, "/people/bea_m")
    assert f'value="{friends}" checked' in page and f'value="{family}">' in page
    assert "Cal&#39;s own" not in page and "Cal's own" not in page

    data = {"circles": [str(family), str(cals)]}
    saved = await client.post("/people/bea_m/circles", data=data, headers=ann.headers)
    assert saved.status_code == 303 and saved.headers["location"] == "/people/bea_m#circles"
    circles = {c["name"]: c for c in (await api(client, ann, "/api/v1/circles"))["circles"]}
    members_of = {
        name: [
            m["handle"] for m in (await api(client, ann, f"/api/v1/circles/{c['id']}"))["members"]
        ]
        for name, c in circles.items()
    }
    assert members_of == {"Family": ["bea_m"], "Friends": []}
    cal_circle = await api(client, cal, f"/api/v1/circles/{cals}")
    assert cal_circle["members"] == []  # someone else's circle is never touched

    # Only for connections: anyone else answers like the circle form's usual 404.
    refused = await client.post("/people/cal_m/circles", data=data, headers=ann.headers)
    assert refused.status_code == 404


async def test_your_moments_say_whom_each_went_to(
    client: httpx.AsyncClient, services: Services
) -> None:
    ann, bea, cal = await members(client, services, "ann_m", "bea_m", "cal_m")
    await connect(client, ann, bea)
    await connect(client, ann, cal)
    family = await make_circle(client, ann, "Family", bea)
    flat = await make_circle(client, ann, "Old flatmates", cal)
    await shared(client, ann, "To both circles.", circles=[family, flat])
    await shared(client, ann, "Just Cal.", people=[cal])
    page = page_of(await client.get("/moments/mine", headers=ann.headers)).text()
    assert "Shared with Family, Old flatmates" in page
    assert "Shared with Cal_M" in page
    assert "That is every moment you have shared." in page
    # The API says the same, moment by moment.
    listed = (await api(client, ann, "/api/v1/moments/mine"))["moments"]
    assert [
        (m["audience"]["circles"], [p["handle"] for p in m["audience"]["people"]]) for m in listed
    ] == [([], ["cal_m"]), (["Family", "Old flatmates"], [])]
    # The audience is the author's: Bea's view of the same moment never names it.
    assert "Old flatmates" not in await html(client, bea, "/people/ann_m")


async def test_you_answered_is_shown_to_you_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    ann, bea, cal = await members(client, services, "ann_m", "bea_m", "cal_m")
    await connect(client, ann, bea)
    await connect(client, cal, bea)
    moment = await shared(client, bea, "A quiet day.", people=[ann, cal])
    other = await shared(client, bea, "Another day.", people=[ann])
    await answer(client, ann, moment)

    assert "You answered" in await html(client, ann, "/people/bea_m")
    assert "You answered" in await html(client, ann, "/moments/shared")
    body = await api(client, ann, "/api/v1/people/bea_m/moments")
    assert body["answered"] == [moment] and other not in body["answered"]
    # Not to the author, not to someone else who saw the same moment.
    assert "You answered" not in await html(client, bea, "/moments/mine")
    assert "You answered" not in await html(client, bea, f"/moments/{moment}")
    assert "You answered" not in await html(client, cal, "/people/bea_m")
    assert "You answered" not in await html(client, cal, "/moments/shared")
    assert (await api(client, cal, "/api/v1/people/bea_m/moments"))["answered"] == []
    mine = await api(client, bea, "/api/v1/moments/mine")
    assert "answered" not in str(mine)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=MEMBER_ZONE)


async def test_shared_with_you_steps_through_months_that_hold_something(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(at(2026, 9, 2)):
        ann, bea, cal = await members(client, services, "ann_m", "bea_m", "cal_m")
        await connect(client, ann, bea)
        await connect(client, cal, bea)
    with clock_at(at(2026, 9, 3)):
        september = await shared(client, bea, "September light.", people=[ann])
        await shared(client, bea, "Not for Ann.", people=[cal])
    with clock_at(at(2026, 11, 12)):  # sessions last 30 days: sign in again
        ann, bea = [Member(m.handle, await login(client, m.handle)) for m in (ann, bea)]
        november = [await shared(client, bea, f"November {i}.", people=[ann]) for i in range(22)]
        await shared(client, ann, "Ann's own.", people=[bea])
    with clock_at(at(2026, 12, 2)):
        newest = await api(client, ann, "/api/v1/moments/shared")
        assert (newest["month"], newest["earlier"], newest["later"]) == ("2026-11", "2026-09", None)
        assert (
            await all_pages(client, ann, "/api/v1/moments/shared?month=2026-11") == november[::-1]
        )
        sept = await api(client, ann, "/api/v1/moments/shared?month=2026-09")
        assert [m["id"] for m in sept["moments"]] == [september]
        assert (sept["earlier"], sept["later"], sept["next"]) == (None, "2026-11", None)
        empty = await api(client, ann, "/api/v1/moments/shared?month=2026-10")
        assert empty["moments"] == [] and (empty["earlier"], empty["later"]) == (
            "2026-09",
            "2026-11",
        )

        page = await html(client, ann, "/moments/shared?month=2026-09")
        assert "September light." in page and "Not for Ann." not in page
        assert 'href="/moments/shared?month=2026-11"' in page
        assert "That is everything shared with you in September 2026." in page
        assert "There is nothing earlier." in page
        first = await html(client, ann, "/moments/shared")
        assert "November 2026" in first and "Earlier in November 2026" in first
        assert "Ann&#39;s own." not in first and "Ann's own." not in first

        refused = await client.get("/api/v1/moments/shared?month=2026-13", headers=ann.headers)
        assert refused.status_code == 422 and refused.json()["field"] == "month"
        assert "such as 2026-11" in refused.json()["detail"]


async def test_the_you_page_and_the_end_of_the_feed_lead_to_shared_with_you(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ann,) = await members(client, services, "ann_m")
    assert 'href="/moments/shared"' in await html(client, ann, "/you")
    assert 'href="/moments/shared"' in await html(client, ann, "/feed")


async def test_ask_for_support_from_a_persons_page_starts_with_them_ticked(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bea, cyd = await members(client, services, "ada_sup", "bea_sup", "cyd_sup")
    await connect(client, ada, bea)
    page = (await client.get(f"/people/{bea.handle}", headers=ada.headers)).text
    assert f'href="/support/new?to={bea.handle}"' in page
    form = (await client.get(f"/support/new?to={bea.handle}", headers=ada.headers)).text
    assert f'value="{bea.handle}" checked' in form
    # Someone who is not a connection is not listed, so nobody is ticked.
    form = (await client.get(f"/support/new?to={cyd.handle}", headers=ada.headers)).text
    assert cyd.handle not in form and " checked" not in form
