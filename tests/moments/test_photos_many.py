"""Moments of photos: up to four in the author's order, words optional with a photo, each
photo described in words that become its alternative text everywhere, each on a page of its
own that answers like a missing moment to anyone who may not see the moment; and suggested
words that open the answer form, still a private message in words."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from socialode.moments.models import MomentPhoto
from socialode.platform.services import Services
from tests.conversations.people import Member, connect, members
from tests.form_helpers import page_of, stored_state
from tests.moments.people import image_bytes, share, shared

M = "/api/v1/moments"


async def upload(client: httpx.AsyncClient, who: Member, size: tuple[int, int] = (40, 30)) -> int:
    files = {"photo": ("p.png", image_bytes("PNG", size), "image/png")}
    made = await client.post(f"{M}/photos", files=files, headers=who.headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def uploads(client: httpx.AsyncClient, who: Member, count: int) -> list[int]:
    return [await upload(client, who, (40 + n, 30)) for n in range(count)]


async def ada_and_bob(client: httpx.AsyncClient, services: Services) -> tuple[Member, Member]:
    ada, bob = await members(client, services, "ada_p", "bob_p")
    await connect(client, ada, bob)
    return ada, bob


def alts(html: str, moment_id: int) -> list[str]:
    """The alternative texts of a moment's photos on a page, in the order they are shown."""
    part = html.split(f'data-viewer="{moment_id}"', 1)[1].split("</ul>", 1)[0]
    found = re.findall(r'<img src="/media/moments/\w+\.jpg"[^>]* alt="([^"]*)"', part)
    return [html_lib.unescape(alt) for alt in found]


async def test_a_photo_needs_no_words_and_four_keep_their_order_and_descriptions(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await ada_and_bob(client, services)
    (alone,) = await uploads(client, ada, 1)
    only = await share(client, ada, "", people=[bob], photos=[{"id": alone}])
    assert only.status_code == 201, only.text
    assert only.json()["body"] == "" and len(only.json()["photos"]) == 1
    assert only.json()["photos"][0]["alt"] == "Photo shared by Ada_P"  # never the file name
    assert only.json()["photos"][0]["description"] is None

    four = await uploads(client, ada, 4)
    order = [four[2], four[0], four[3], four[1]]
    described = ["Mist on the river", "", "Grandma's tulips", "The dog asleep"]
    made = await share(
        client,
        ada,
        "A weekend",
        people=[bob],
        photos=[{"id": i, "alt": a} for i, a in zip(order, described, strict=True)],
    )
    assert made.status_code == 201, made.text
    photos = made.json()["photos"]
    assert [p["width"] for p in photos] == [42, 40, 43, 41]  # the chosen order, with sizes
    expected = ["Mist on the river", "Photo shared by Ada_P", "Grandma's tulips", "The dog asleep"]
    assert [p["alt"] for p in photos] == expected
    assert made.json()["photo"] == photos[0]  # the older single field: the first
    moment = made.json()["id"]
    seen = await client.get(f"{M}/{moment}", headers=bob.headers)
    assert [p["url"] for p in seen.json()["photos"]] == [p["url"] for p in photos]

    # The description is the image's alternative text on every page that shows it.
    for url, who in (
        ("/feed?since=0", bob),
        (f"/moments/{moment}", bob),
        ("/moments/mine", ada),
        (f"/moments/{moment}", ada),
    ):
        page = await client.get(url, headers=who.headers)
        assert page.status_code == 200, url
        assert alts(page.text, moment) == expected, url
    page = await client.get(f"/moments/{only.json()['id']}", headers=bob.headers)
    assert alts(page.text, only.json()["id"]) == ["Photo shared by Ada_P"]
    assert "p.png" not in page.text


async def test_a_fifth_photo_a_long_description_and_nothing_at_all_are_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await ada_and_bob(client, services)
    five = await uploads(client, ada, 6)
    before = await stored_state(services)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"photos": [{"id": i} for i in five[:5]]}, "photos", "up to 4 photos; this one has 5"),
        ({"photos": [{"id": i} for i in five]}, "photos", "this one has 6. Remove 2"),
        (
            {"photos": [{"id": five[0]}, {"id": five[1], "alt": "a" * 501}]},
            "photos.1.alt",
            "up to 500 characters; the one of photo 2 has 501",
        ),
        ({"photos": []}, "body", "Write a few words or add a photo"),
        ({"photos": [{"id": five[0]}, {"id": five[0]}]}, "photos", "chosen twice"),
    ]
    for extra, field, words in cases:
        refused = await share(client, ada, " ", people=[bob], **extra)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == field and words in refused.json()["detail"], extra
        assert await stored_state(services) == before, extra
    exactly = await share(client, ada, "", people=[bob], photos=[{"id": five[0], "alt": "b" * 500}])
    assert exactly.status_code == 201, exactly.text


async def test_the_share_form_uploads_orders_describes_and_shares(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob = await ada_and_bob(client, services)
    files = [
        ("photos", (f"p{n}.png", image_bytes("PNG", (30 + n, 20)), "image/png")) for n in (0, 1)
    ]
    added = await client.post(
        "/moments", data={"body": "Two", "add": "yes"}, files=files, headers=ada.headers
    )
    assert added.status_code == 200, added.text  # the form again, with both, nothing shared
    first, second = [p.id for p in await _photos(services)]
    assert _carried(added.text) == [first, second]
    moved = await client.post(
        "/moments",
        data={
            "body": "Two",
            "photo_ids": [str(first), str(second)],
            "move": f"down:{first}",
            f"alt_{first}": "The first, now second",
        },
        headers=ada.headers,
    )
    assert moved.status_code == 200, moved.text
    assert _carried(moved.text) == [second, first]
    assert page_of(moved).value(f"alt_{first}") == "The first, now second"

    too_long = await client.post(
        "/moments",
        data={
            "body": "Two",
            "people": "bob_p",
            "photo_ids": [str(second), str(first)],
            f"alt_{first}": "x" * 501,
        },
        headers=ada.headers,
    )
    assert too_long.status_code == 422
    assert "500 characters" in page_of(too_long).field_errors["photos.1.alt"]
    assert 'href="#f-photos.1.alt"' in too_long.text and 'id="f-photos.1.alt"' in too_long.text

    done = await client.post(
        "/moments",
        data={
            "body": "",
            "people": "bob_p",
            "photo_ids": [str(second), str(first)],
            f"alt_{first}": "The first, now second",
        },
        headers=ada.headers,
    )
    assert done.status_code == 303, done.text
    kept = {p.id: p for p in await _photos(services)}
    assert (kept[second].position, kept[first].position) == (0, 1)
    assert (kept[second].alt, kept[first].alt) == ("", "The first, now second")


async def test_each_photo_has_its_own_page_that_follows_the_moment(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await ada_and_bob(client, services)
    (cyd,) = await members(client, services, "cyd_p")
    await connect(client, ada, cyd)
    ids = await uploads(client, ada, 2)
    moment = await shared(
        client, ada, "Two", people=[bob], photos=[{"id": ids[0], "alt": "Sea"}, {"id": ids[1]}]
    )
    first = page_of(await client.get(f"/moments/{moment}/photos/1", headers=bob.headers))
    assert [i.get("alt") for i in first.images if "/media/moments/" in i.get("src", "")] == ["Sea"]
    assert f'href="/moments/{moment}/photos/2"' in first.html
    assert f'href="/moments/{moment}"' in first.html and "/photos/0" not in first.html
    second = await client.get(f"/moments/{moment}/photos/2", headers=bob.headers)
    assert f'href="/moments/{moment}/photos/1"' in second.text

    # Not shared with Cyd, a third photo that is not there, a moment that is not there: the
    # same 404; and the same once Bob is blocked, either way.
    async def missing(who: Member) -> str:  # the page of a moment that is not there
        page = await client.get("/moments/999999/photos/1", headers=who.headers)
        assert page.status_code == 404
        return page.text

    for url, who in (
        (f"/moments/{moment}/photos/1", cyd),
        (f"/moments/{moment}/photos/3", bob),
    ):
        denied = await client.get(url, headers=who.headers)
        assert denied.status_code == 404 and denied.text == await missing(who), url
    blocked = await client.put("/api/v1/blocks/bob_p", headers=ada.headers)
    assert blocked.status_code in (200, 201, 204), blocked.text
    for url in (f"/moments/{moment}/photos/1", f"/moments/{moment}/photos/2"):
        gone = await client.get(url, headers=bob.headers)
        assert gone.status_code == 404 and gone.text == await missing(bob)
    key = (await _photos(services))[0].key
    assert (await client.get(f"/media/moments/{key}.jpg", headers=bob.headers)).status_code == 404


async def test_suggested_words_open_the_answer_box_and_go_privately(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await ada_and_bob(client, services)
    moment = await shared(client, ada, "The tulips are up", people=[bob])
    page = page_of(await client.get(f"/moments/{moment}", headers=bob.headers))
    for n, words in enumerate(("Thinking of you", "This made me smile", "Tell me more"), 1):
        assert f'href="/moments/{moment}?words={n}#answer"' in page.html
        assert words in page.html
    filled = page_of(await client.get(f"/moments/{moment}?words=2", headers=bob.headers))
    assert filled.value("body") == "This made me smile"
    odd = await client.get(f"/moments/{moment}?words=Send%20me%20money", headers=bob.headers)
    assert odd.status_code == 422  # only the suggestions: a link never puts words in a box
    assert (
        "This made me smile"
        not in (await client.get(f"/moments/{moment}", headers=ada.headers)).text
    )

    sent = await client.post(
        f"/moments/{moment}/answer",
        data={"body": "This made me smile, so much", "client_key": "k" * 32},
        headers=bob.headers,
    )
    assert sent.status_code == 303, sent.text
    assert "/conversations/" in sent.headers["location"]


async def _photos(services: Services) -> list[MomentPhoto]:
    async with services.db.sessions() as db:
        return list(await db.scalars(select(MomentPhoto).order_by(MomentPhoto.id)))


def _carried(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="photo_ids" value="(\d+)"', html)]


@pytest.mark.parametrize("words", ["", "  "])
async def test_an_edit_may_leave_a_photo_without_words(
    client: httpx.AsyncClient, services: Services, words: str
) -> None:
    ada, bob = await ada_and_bob(client, services)
    (photo,) = await uploads(client, ada, 1)
    moment = await shared(client, ada, "Some words", people=[bob], photos=[{"id": photo}])
    edited = await client.patch(f"{M}/{moment}", json={"body": words}, headers=ada.headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == ""
