"""The share and support forms report every problem at once, keep what was typed, and keep
chosen photos across a refusal (uploaded first, carried by id, shown as previews)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import time_machine
from sqlalchemy import select

from socialode.moments.models import Moment, MomentPhoto
from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.confirming import notice_of
from tests.conversations.people import Member, connect, members
from tests.form_helpers import page_of, stored_state
from tests.moments.people import image_bytes, make_circle


async def photos(services: Services) -> list[MomentPhoto]:
    async with services.db.sessions() as db:
        return list(await db.scalars(select(MomentPhoto).order_by(MomentPhoto.id)))


async def two_and_a_circle(
    client: httpx.AsyncClient, services: Services, name: str
) -> tuple[Member, Member, int]:
    """Ada and Bob, connected, and Ada's circle ``name`` with Bob in it."""
    ada, bob = await members(client, services, "ada", "bob")
    await connect(client, ada, bob)
    return ada, bob, await make_circle(client, ada, name, bob)


async def refused_with_photo(
    client: httpx.AsyncClient, services: Services
) -> tuple[Member, Member, MomentPhoto]:
    """Ada and Bob, connected, and the photo Ada chose on a share form refused for its words."""
    ada, bob = await members(client, services, "ada", "bob")
    await connect(client, ada, bob)
    files = {"photos": ("a.png", image_bytes("PNG"), "image/png")}
    await client.post("/moments", data={"body": ""}, files=files, headers=ada.headers)
    (photo,) = await photos(services)
    return ada, bob, photo


async def test_three_wrong_fields_give_three_messages_and_keep_what_was_typed(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada", "bob")
    await connect(client, ada, bob)
    before = await stored_state(services)
    typed = {"body": "x" * 1001, "content_note": "n" * 101}
    answer = await client.post("/moments", data=typed, headers=ada.headers)
    assert answer.status_code == 422, answer.text
    page = page_of(answer)
    assert set(page.field_errors) == {"body", "content_note", "audience"}
    assert "1,000 characters" in page.field_errors["body"]
    assert "100 characters" in page.field_errors["content_note"]
    assert "at least one circle or person" in page.field_errors["audience"]
    assert (
        page.value("body") == typed["body"] and page.value("content_note") == typed["content_note"]
    )
    # A summary at the top links to each field.
    for name in ("body", "content_note", "audience"):
        assert f'href="#f-{name}"' in page.html, name
    assert 'id="f-audience"' in page.html
    assert await stored_state(services) == before


async def test_a_chosen_photo_survives_a_refusal_and_is_the_one_shared(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, family = await two_and_a_circle(client, services, "Old flatmates")
    files = {"photos": ("beach.png", image_bytes("PNG", (64, 48)), "image/png")}
    refused = await client.post(
        "/moments", data={"body": "", "content_note": "n" * 101}, files=files, headers=ada.headers
    )
    assert refused.status_code == 422, refused.text
    page = page_of(refused)
    assert set(page.field_errors) == {"content_note", "audience"}  # words are optional now
    (upload,) = await photos(services)
    assert upload.attached is False and upload.owner_id
    assert page.value("photo_ids") == str(upload.id)
    preview = [i for i in page.images if i.get("src") == f"/media/moments/{upload.key}.jpg"]
    assert preview, "no preview of the chosen photo"
    assert (await client.get(preview[0]["src"], headers=ada.headers)).status_code == 200
    assert (await client.get(preview[0]["src"], headers=bob.headers)).status_code == 404

    # Bob cannot use Ada's upload.
    stolen = await client.post(
        "/moments",
        data={"body": "Mine now", "people": "ada", "photo_ids": str(upload.id)},
        headers=bob.headers,
    )
    assert stolen.status_code == 422
    assert "not one of your uploads" in page_of(stolen).field_errors["photos"]
    assert (await photos(services))[0].attached is False

    fixed = await client.post(
        "/moments",
        data={"body": "At the beach", "circles": str(family), "photo_ids": str(upload.id)},
        headers=ada.headers,
    )
    assert fixed.status_code == 303, fixed.text
    shown = page_of(await client.get(fixed.headers["location"], headers=ada.headers))
    assert notice_of(shown) == "Shared with Old flatmates."
    (kept,) = await photos(services)
    assert kept.id == upload.id and kept.attached is True
    async with services.db.sessions() as db:
        moment = await db.scalar(select(Moment))
        assert moment is not None and kept.moment_id == moment.id


async def test_choosing_more_or_removing_a_photo_leaves_no_upload_behind(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob, one = await refused_with_photo(client, services)
    second = {"photos": ("b.png", image_bytes("PNG", (20, 20)), "image/png")}
    await client.post(
        "/moments", data={"body": "", "photo_ids": str(one.id)}, files=second, headers=ada.headers
    )
    first, two = await photos(services)
    assert first.id == one.id and two.id != one.id
    removed = await client.post(
        "/moments",
        data={"body": "Words", "photo_ids": [str(one.id), str(two.id)], "remove": str(two.id)},
        headers=ada.headers,
    )
    assert removed.status_code == 200, removed.text  # the form again, nothing shared
    assert page_of(removed).value("photo_ids") == str(one.id)
    assert [p.id for p in await photos(services)] == [one.id]
    dropped = await client.post(
        "/moments",
        data={"body": "Words", "photo_ids": str(one.id), "remove": str(one.id)},
        headers=ada.headers,
    )
    assert dropped.status_code == 200
    done = await client.post(
        "/moments", data={"body": "Words only", "people": "bob"}, headers=ada.headers
    )
    assert done.status_code == 303, done.text
    assert await photos(services) == []


async def test_uploads_not_used_within_a_day_are_cleaned_up(
    client: httpx.AsyncClient, services: Services
) -> None:
    _ada, bob, old = await refused_with_photo(client, services)
    files = {"photos": ("a.png", image_bytes("PNG"), "image/png")}
    path = services.settings.media_dir / "moments" / f"{old.key}.jpg"
    assert path.exists()
    with time_machine.travel(utcnow() + timedelta(days=1, minutes=1), tick=False):
        await client.post("/moments", data={"body": ""}, files=files, headers=bob.headers)
    left = await photos(services)
    assert [p.owner_id for p in left] != [old.owner_id] and old.id not in {p.id for p in left}
    assert not path.exists()


async def test_the_support_form_reports_both_problems_and_names_who_was_asked(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, maya, ines = await members(client, services, "ada", "maya", "ines")
    for other in (maya, ines):
        await connect(client, ada, other)
    refused = await client.post(
        "/support", data={"body": "x" * 1001, "supporters": "nobody_here"}, headers=ada.headers
    )
    assert refused.status_code == 422
    page = page_of(refused)
    assert set(page.field_errors) == {"body", "supporters"}
    assert page.value("body") == "x" * 1001
    asked = await client.post(
        "/support",
        data={"body": "A hard week", "supporters": ["maya", "ines"]},
        headers=ada.headers,
    )
    assert asked.status_code == 303, asked.text
    shown = page_of(await client.get(asked.headers["location"], headers=ada.headers))
    assert notice_of(shown) == "Ines and Maya have been asked, gently."


async def test_editing_and_answering_a_question_report_both_problems(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, family = await two_and_a_circle(client, services, "Family")
    made = await client.post(
        "/moments", data={"body": "Bread", "circles": str(family)}, headers=ada.headers
    )
    moment = made.headers["location"].split("?")[0]
    typed = {"body": "", "content_note": "n" * 101}
    page = page_of(await client.post(f"{moment}/edit", data=typed, headers=ada.headers))
    assert set(page.field_errors) == {"body", "content_note"}
    on = await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=ada.headers
    )
    assert on.status_code == 200, on.text
    answer = await client.post(f"/prompts/{family}/answer", data=typed, headers=bob.headers)
    page = page_of(answer)
    assert set(page.field_errors) == {"body", "content_note"}
    assert page.value("content_note") == "n" * 101


async def test_a_photo_chosen_for_a_daily_answer_survives_a_refusal(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, family = await two_and_a_circle(client, services, "Family")
    on = await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=ada.headers
    )
    assert on.status_code == 200, on.text
    files = {"photo": ("garden.png", image_bytes("PNG", (64, 48)), "image/png")}
    refused = await client.post(
        f"/prompts/{family}/answer", data={"body": ""}, files=files, headers=bob.headers
    )
    assert refused.status_code == 422, refused.text
    page = page_of(refused)
    assert list(page.field_errors) == ["body"]
    (upload,) = await photos(services)
    assert upload.attached is False
    assert page.value("photo_id") == str(upload.id)
    assert any(i.get("src") == f"/media/moments/{upload.key}.jpg" for i in page.images)

    # Someone else's upload is refused beside the photo, with nothing shared.
    stolen = await client.post(
        f"/prompts/{family}/answer",
        data={"body": "Tomatoes", "photo_id": str(upload.id)},
        headers=ada.headers,
    )
    assert stolen.status_code == 422
    assert "not one of your uploads" in page_of(stolen).field_errors["photo"]

    fixed = await client.post(
        f"/prompts/{family}/answer",
        data={"body": "The first tomatoes", "photo_id": str(upload.id)},
        headers=bob.headers,
    )
    assert fixed.status_code == 303, fixed.text
    (kept,) = await photos(services)
    assert kept.id == upload.id and kept.attached is True
    async with services.db.sessions() as db:
        answer = await db.scalar(select(Moment).where(Moment.body == "The first tomatoes"))
        assert answer is not None and kept.moment_id == answer.id
