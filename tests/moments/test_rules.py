"""The product's rules as they touch moments: lists end, no counts, mutes are quiet, words
over taps, prompts without streaks, support in private, photos without metadata."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from socialode.moments.questions import shipped
from socialode.platform.help_directory import load_help_directory
from socialode.platform.services import Services
from tests.clock import clock_at
from tests.conversations.people import Stream, connect, members, served
from tests.moments.people import day_ids, make_circle, read_feed, shared
from tests.pages import page_url

AFTERNOON = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
NIGHT = datetime(2027, 1, 14, 22, 30, tzinfo=UTC)  # 23:30 in Berlin: quiet hours

COUNT_WORDS = re.compile(
    r"count|likes?|(?<!pre)views?|viewers?|reshares?|shares_|answers_|popular|rank|score|streak|total",
    re.IGNORECASE,
)
NUMBER_OF_THINGS = re.compile(
    r"\b\d+\s+(answers?|likes?|views?|people|replies|supporters|readers|times|days in a row)\b",
    re.IGNORECASE,
)


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


async def test_the_feed_ends_and_only_looking_back_shows_older(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_f", "bob_f")
    await connect(client, ada, bob)
    ids = [await shared(client, ada, f"moment {i}", people=[bob]) for i in range(45)]

    pages: list[dict[str, Any]] = []
    url: str | None = "/api/v1/feed"
    while url is not None:
        pages.append((await client.get(url, headers=bob.headers)).json())
        url = page_url("/api/v1/feed", pages[-1]["next"]) if pages[-1]["next"] else None
        assert len(pages) <= 3, "the feed kept going"
    assert [len(p["moments"]) for p in pages] == [20, 20, 5]
    assert [p["caught_up"] for p in pages] == [False, False, True]
    assert [m["id"] for p in pages for m in p["moments"]] == ids[::-1]  # newest first

    # Caught up: the next visit has nothing and no way further; the web page says so and
    # offers only the look-back form.
    again = (await client.get("/api/v1/feed", headers=bob.headers)).json()
    assert again == {"moments": [], "next": None, "caught_up": True}
    page = await client.get("/feed", headers=bob.headers)
    assert "You're all caught up" in page.text and "Nothing new since you last looked" in page.text
    assert "/feed?" not in page.text and 'action="/feed/day"' in page.text

    # A new moment is all that shows next time; looking back at today shows all 46, in pages.
    newest = await shared(client, ada, "one more", people=[bob])
    assert [m["id"] for m in await read_feed(client, bob)] == [newest]
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    assert await day_ids(client, bob, today) == [newest, *ids[::-1]]

    # A day long before anything was shared, or far ahead, is simply empty.
    for far in ("0001-01-01", "9999-12-31"):
        assert await day_ids(client, bob, far) == []

    # The web feed pages end the same way.
    await shared(client, ada, "and another", people=[bob])
    html = (await client.get("/feed", headers=bob.headers)).text
    assert "and another" in html and "More new moments" not in html


async def test_no_surface_counts_anything(
    client: httpx.AsyncClient, services: Services, app: FastAPI
) -> None:
    ada, bob, cyd = await members(client, services, "ada_n", "bob_n", "cyd_n")
    await connect(client, ada, bob)
    await connect(client, ada, cyd)
    await connect(client, bob, cyd)
    family = await make_circle(client, ada, "Family", bob, cyd)
    await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=ada.headers
    )
    mid = await shared(client, ada, "First snow", circles=[family])
    for who in (bob, cyd):
        answer = await client.post(
            f"/api/v1/moments/{mid}/answers",
            json={"body": "lovely", "client_key": f"key-{who.handle}-1"},
            headers=who.headers,
        )
        assert answer.status_code == 201
    prompt = await client.post(
        f"/api/v1/prompts/{family}/answers", json={"body": "my answer"}, headers=bob.headers
    )
    assert prompt.status_code == 201, prompt.text
    await client.post(
        "/api/v1/moments/support", json={"supporters": ["bob_n"]}, headers=ada.headers
    )

    api = [
        "/api/v1/feed/days/" + datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat(),
        f"/api/v1/moments/{mid}",
        "/api/v1/moments/mine",
        "/api/v1/notifications",
        "/api/v1/prompts",
        f"/api/v1/circles/{family}/prompt",
    ]
    pages = ["/feed", f"/moments/{mid}", "/moments/mine", "/notifications", f"/prompts/{family}"]
    for who in (ada, bob, cyd):
        for url in api:
            response = await client.get(url, headers=who.headers)
            if response.status_code == 200:
                counted = {k for k in _keys(response.json()) if COUNT_WORDS.search(k)}
                assert not counted, (who.handle, url, counted)
        for url in pages:
            text = (await client.get(url, headers=who.headers)).text
            assert not NUMBER_OF_THINGS.search(text), (who.handle, url)
    # The author's own view of the moment says nothing about who answered or how many.
    own = (await client.get(f"/api/v1/moments/{mid}", headers=ada.headers)).json()
    assert set(own) == {
        "id", "kind", "author", "body", "html", "content_note", "prompt", "photo", "photos",
        "created_at", "edited", "closed", "url", "own", "audience", "may_hurt", "offer_help",
    }  # fmt: skip
    # Nor does a live event.
    async with served(app) as port:
        stream = await Stream(port, bob).open()
        await shared(client, ada, "Live one", circles=[family])
        await stream.drain()
        frames = [e for e in stream.others if e.get("type") == "moment"]
        assert len(frames) == 1
        assert not {k for k in _keys(frames[0]) if COUNT_WORDS.search(k)}
        await stream.close()


async def test_muted_people_moments_arrive_quietly(
    client: httpx.AsyncClient, services: Services, app: FastAPI
) -> None:
    with clock_at(AFTERNOON):  # Bob is awake: only the mute keeps the first one quiet
        await _muted_quietly(client, services, app)


async def _muted_quietly(client: httpx.AsyncClient, services: Services, app: FastAPI) -> None:
    ada, bob = await members(client, services, "ada_q", "bob_q")
    await connect(client, ada, bob)
    assert (await client.put("/api/v1/mutes/ada_q", headers=bob.headers)).status_code == 204
    async with served(app) as port:
        stream = await Stream(port, bob).open()
        mid = await shared(client, ada, "quiet one", people=[bob])
        await stream.drain()
        (event,) = [e for e in stream.others if e.get("type") == "moment"]
        assert event["moment"]["id"] == mid and event["notify"] is False
        await client.delete("/api/v1/mutes/ada_q", headers=bob.headers)
        loud = await shared(client, ada, "loud one", people=[bob])
        await stream.drain()
        last = [e for e in stream.others if e.get("type") == "moment"][-1]
        assert last["moment"]["id"] == loud and last["notify"] is True
        await stream.close()
    assert [m["id"] for m in await read_feed(client, bob)] == [loud, mid]
    notes = (await client.get("/api/v1/notifications", headers=bob.headers)).json()
    assert [n["url"] for n in notes["notifications"]] == [f"/moments/{loud}"]


async def test_moments_reach_people_in_their_quiet_hours_without_a_notify(
    client: httpx.AsyncClient, services: Services, app: FastAPI
) -> None:
    """Stored and visible at once; announced only when their quiet hours end."""
    with clock_at(AFTERNOON):
        ada, bob = await members(client, services, "ada_n", "bob_n")
        await connect(client, ada, bob)
    with clock_at(NIGHT):  # 23:30 in Berlin, where the members live
        async with served(app) as port:
            stream = await Stream(port, bob).open()
            mid = await shared(client, ada, "good night", people=[bob])
            await stream.drain()
            (event,) = [e for e in stream.others if e.get("type") == "moment"]
            assert event["moment"]["id"] == mid and event["notify"] is False
            await stream.close()
        assert [m["id"] for m in await read_feed(client, bob)] == [mid]


async def test_daily_questions_without_streaks(
    client: httpx.AsyncClient, services: Services
) -> None:
    questions = shipped()
    assert len(questions) >= 100 and len({q.casefold() for q in questions}) == len(questions)
    assert all(q.endswith("?") for q in questions)

    ada, bob, cyd, dee = await members(client, services, "ada_p", "bob_p", "cyd_p", "dee_p")
    for other in (bob, cyd, dee):
        await connect(client, ada, other)
    await connect(client, bob, cyd)  # Dee knows only Ada
    family = await make_circle(client, ada, "Family", bob, cyd, dee)
    assert (await client.get("/api/v1/prompts", headers=bob.headers)).json()[
        "prompts"
    ] == []  # off by default
    on = await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=ada.headers
    )
    assert on.json()["enabled"] is True and on.json()["question"] in questions

    (today,) = (await client.get("/api/v1/prompts", headers=bob.headers)).json()["prompts"]
    assert today["asked_by"]["handle"] == "ada_p" and today["circle_name"] is None
    assert today["question"] == on.json()["question"]
    assert (
        "Family" not in (await client.get("/feed", headers=bob.headers)).text
    )  # circles stay private

    answer = await client.post(
        f"/api/v1/prompts/{family}/answers", json={"body": "The sea"}, headers=bob.headers
    )
    assert answer.status_code == 201 and answer.json()["prompt"] == today["question"]
    mid = answer.json()["id"]
    seen = {
        who.handle: (await client.get(f"/api/v1/moments/{mid}", headers=who.headers)).status_code
        for who in (ada, cyd, dee)
    }
    assert seen == {"ada_p": 200, "cyd_p": 200, "dee_p": 404}  # Dee is not Bob's connection
    # Answered: not shown again today. Cyd sets it aside; nobody is told or counted.
    assert (await client.get("/api/v1/prompts", headers=bob.headers)).json()["prompts"] == []
    aside = await client.post(f"/api/v1/prompts/{family}/set-aside", headers=cyd.headers)
    assert aside.status_code == 204
    assert (await client.get("/api/v1/prompts", headers=cyd.headers)).json()["prompts"] == []
    # The owner may word today's question; removed members stop seeing the circle's question.
    worded = await client.put(
        f"/api/v1/circles/{family}/prompt",
        json={"enabled": True, "question": "What made you laugh today?"},
        headers=ada.headers,
    )
    assert worded.json() == {
        "circle_id": family,
        "enabled": True,
        "question": "What made you laugh today?",
        "written_by_you": True,
    }
    assert (await client.get("/api/v1/prompts", headers=dee.headers)).json()["prompts"][0][
        "question"
    ] == ("What made you laugh today?")
    await client.delete(f"/api/v1/circles/{family}/members/dee_p", headers=ada.headers)
    assert (await client.get("/api/v1/prompts", headers=dee.headers)).json()["prompts"] == []
    assert (await client.get(f"/prompts/{family}", headers=dee.headers)).status_code == 404


async def test_asking_for_support_is_private(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, cyd, dee = await members(client, services, "ada_s", "bob_s", "cyd_s", "dee_s")
    for other in (bob, cyd, dee):
        await connect(client, ada, other)
    asked = await client.post(
        "/api/v1/moments/support",
        json={"body": "Rough week.", "supporters": ["bob_s", "cyd_s"]},
        headers=ada.headers,
    )
    assert asked.status_code == 201, asked.text
    mid = asked.json()["id"]
    assert asked.json()["kind"] == "support"
    assert {p["handle"] for p in asked.json()["audience"]["people"]} == {"bob_s", "cyd_s"}

    for who in (bob, cyd):
        seen = (await client.get(f"/api/v1/moments/{mid}", headers=who.headers)).json()
        assert seen["audience"] is None  # nobody sees who else was asked
        page = (await client.get(f"/moments/{mid}", headers=who.headers)).text
        other = "cyd_s" if who is bob else "bob_s"
        assert other not in page and "Reach out" in page
        (note,) = (await client.get("/api/v1/notifications", headers=who.headers)).json()[
            "notifications"
        ]
        assert note["kind"] == "support" and "could use some support" in note["text"]
    assert (await client.get(f"/api/v1/moments/{mid}", headers=dee.headers)).status_code == 404
    own_page = (await client.get(f"/moments/{mid}", headers=ada.headers)).text
    shown = load_help_directory(None).for_locale("en")
    assert "Help is there too" in own_page
    assert shown.emergency_text in own_page and shown.support_text[:30] in own_page

    closed = await client.post(f"/api/v1/moments/{mid}/close", headers=ada.headers)
    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert (await client.get("/api/v1/notifications", headers=bob.headers)).json()[
        "notifications"
    ] == []
    assert "closed this request" in (await client.get(f"/moments/{mid}", headers=bob.headers)).text


async def test_reflection_before_sharing(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_r")
    assert (await client.get("/api/v1/settings/moments", headers=ada.headers)).json() == {
        "enabled": False,
        "text": "Is this for them, or for how it looks?",
    }
    assert "for how it looks" not in (await client.get("/moments/new", headers=ada.headers)).text
    (bob,) = await members(client, services, "bob_r")
    await connect(client, ada, bob)
    await client.put(
        "/api/v1/settings/moments",
        json={"enabled": True, "text": "Would I say this to their face?"},
        headers=ada.headers,
    )
    page = (await client.get("/moments/new", headers=ada.headers)).text
    assert "Would I say this to their face?" in page
    shared_anyway = await client.post(
        "/api/v1/moments", json={"body": "x", "people": ["bob_r"]}, headers=ada.headers
    )
    assert shared_anyway.status_code == 201  # a pause, never a block


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    from tests.circles.conftest import QUICK

    return {**QUICK, "moment_edit_minutes": 0}


async def test_editing_closes_after_the_window(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_e", "bob_e")
    await connect(client, ada, bob)
    mid = await shared(client, ada, "typo", people=[bob])
    late = await client.patch(f"/api/v1/moments/{mid}", json={"body": "fixed"}, headers=ada.headers)
    assert late.status_code == 409 and "0 minutes" in late.json()["detail"]
    assert (await client.delete(f"/api/v1/moments/{mid}", headers=ada.headers)).status_code == 204


async def test_photos_lose_their_metadata_and_follow_the_moment(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cyd = await members(client, services, "ada_ph", "bob_ph", "cyd_ph")
    await connect(client, ada, bob)
    await connect(client, ada, cyd)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0)}  # GPS
    original = io.BytesIO()
    Image.new("RGB", (3000, 2000), (10, 90, 160)).save(
        original, format="JPEG", exif=exif.tobytes(), comment=b"home address"
    )
    upload = await client.post(
        "/api/v1/moments/photos",
        files={"photo": ("p.jpg", original.getvalue(), "image/jpeg")},
        headers=ada.headers,
    )
    assert upload.status_code == 201 and (upload.json()["width"], upload.json()["height"]) == (
        1280,
        853,
    )
    made = await client.post(
        "/api/v1/moments",
        json={"body": "the lake", "people": ["bob_ph"], "photo_id": upload.json()["id"]},
        headers=ada.headers,
    )
    url = made.json()["photo"]["url"]
    served_photo = await client.get(url, headers=bob.headers)
    assert served_photo.status_code == 200
    assert b"SecretCam" not in served_photo.content and b"home address" not in served_photo.content
    with Image.open(io.BytesIO(served_photo.content)) as image:
        assert image.format == "JPEG" and not image.getexif() and "comment" not in image.info
    # Only the moment's audience sees the photo, and it goes with the moment.
    missing = await client.get("/media/moments/" + "0" * 32 + ".jpg", headers=cyd.headers)
    hidden = await client.get(url, headers=cyd.headers)
    assert hidden.status_code == missing.status_code == 404 and hidden.text == missing.text
    gone = await client.delete(f"/api/v1/moments/{made.json()['id']}", headers=ada.headers)
    assert gone.status_code == 204
    assert (await client.get(url, headers=ada.headers)).status_code == 404
    assert not list((services.settings.media_dir / "moments").glob("*.jpg"))
    # The upload can be used once only.
    again = await client.post(
        "/api/v1/moments",
        json={"body": "again", "people": ["bob_ph"], "photo_id": upload.json()["id"]},
        headers=ada.headers,
    )
    assert again.status_code == 422


async def test_pages_fill_across_rounds_of_hidden_moments(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page skips any number of moments the reader no longer sees, a few at a time."""
    from socialode.moments import access

    monkeypatch.setattr(access, "CANDIDATES", 3)
    monkeypatch.setattr(access, "PAGE", 4)
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    family = await make_circle(client, ada, "Family", bob)
    kept = []
    for i in range(6):
        for j in range(3):
            await shared(client, ada, f"family {i}.{j}", circles=[family])
        kept.append(await shared(client, ada, f"to bob {i}", people=[bob]))
    await client.delete(f"/api/v1/circles/{family}/members/bob_c", headers=ada.headers)
    pages: list[list[int]] = []
    url: str | None = "/api/v1/feed"
    while url is not None:
        page = (await client.get(url, headers=bob.headers)).json()
        pages.append([m["id"] for m in page["moments"]])
        url = page_url("/api/v1/feed", page["next"]) if page["next"] else None
    assert pages == [kept[::-1][:4], kept[::-1][4:]]
