"""Photos in messages: the image pipeline of moments (resized, metadata stripped, bombs and
non-images refused with a sentence and nothing stored), a photo with or without words, sent
through the API or a plain multipart form, and the file only for whoever may see the message
(a stranger, someone blocked or a member who left before it was sent gets 404)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from socialode.accounts.access import access_viewer
from socialode.conversations.notices import MESSAGE
from socialode.notifications.models import Notification
from socialode.notifications.registry import kind_named
from socialode.platform.services import Services
from tests.conversations.people import Member, connect, direct, group, members
from tests.conversations.photos import bomb, jpeg_with_metadata, small_png
from tests.helpers import snapshot


async def _photo(
    client: httpx.AsyncClient,
    who: Member,
    cid: int,
    data: bytes,
    body: str = "",
    name: str = "p.jpg",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{cid}/messages/photo",
        data={"client_key": uuid.uuid4().hex, "body": body},
        files={"photo": (name, data, "application/octet-stream")},
        headers=who.headers,
    )


def _stored_files(services: Services) -> list[Path]:
    folder = services.settings.media_dir / "messages"
    return sorted(folder.glob("*")) if folder.exists() else []


BAD = [
    ("a decompression bomb", bomb, "too many pixels"),
    ("text, not an image", lambda: b"hello, this is text" * 10, "not an image we can read"),
    ("an empty file", lambda: b"", "choose an image"),
]


@pytest.mark.parametrize(("name", "make", "words"), BAD, ids=[b[0] for b in BAD])
async def test_bad_photos_are_refused_with_a_sentence_and_nothing_stored(
    client: httpx.AsyncClient, services: Services, name: str, make: object, words: str
) -> None:
    ada, bob = await members(client, services, "ada_bad", "bob_bad")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    before = await snapshot(services)
    assert callable(make)
    refused = await _photo(client, ada, cid, make(), body="look at this")
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "photo"
    assert words in refused.json()["detail"].lower()
    # The plain form says the same beside the photo picker, and keeps the words typed (an
    # empty file input is no photo there: the browser sends one when nothing was chosen).
    if make():
        form = await client.post(
            f"/conversations/{cid}/messages",
            data={"client_key": uuid.uuid4().hex, "body": "look at this"},
            files={"photo": ("p.png", make(), "image/png")},
            headers=ada.headers,
        )
        assert form.status_code == 422
        assert 'id="e-photo"' in form.text and words in form.text.lower()
        assert ">look at this</textarea>" in form.text
    assert await snapshot(services) == before
    assert _stored_files(services) == []


async def test_metadata_is_stripped_and_the_photo_resized(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_meta", "bob_meta")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    sent = await _photo(client, ada, cid, jpeg_with_metadata())
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["body"] == "" and message["photo"]["width"] == 1600
    assert message["photo"]["height"] == 1067
    served = await client.get(message["photo"]["url"], headers=bob.headers)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert b"SecretCam" not in served.content and b"home address" not in served.content
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG" and not image.getexif() and "comment" not in image.info
        assert image.size == (1600, 1067)
    # The page shows it in the bubble, linked to the full image.
    page = (await client.get(f"/conversations/{cid}", headers=bob.headers)).text
    url = message["photo"]["url"]
    assert f'<a class="msg-photo" href="{url}"><img src="{url}"' in page


async def test_a_plain_form_sends_a_photo_with_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_form", "bob_form")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    posted = await client.post(
        f"/conversations/{cid}/messages",
        data={"client_key": uuid.uuid4().hex, "body": "our garden"},
        files={"photo": ("g.png", small_png(), "image/png")},
        headers=ada.headers,
    )
    assert posted.status_code == 303, posted.text
    detail = (await client.get(f"/api/v1/conversations/{cid}", headers=bob.headers)).json()
    (message,) = detail["messages"]
    assert message["body"] == "our garden" and message["photo"]["width"] == 64
    # Neither words nor a photo: refused beside the text.
    empty = await client.post(
        f"/conversations/{cid}/messages",
        data={"client_key": uuid.uuid4().hex, "body": " "},
        headers=ada.headers,
    )
    assert empty.status_code == 422 and 'id="e-body"' in empty.text


async def test_only_who_may_see_the_message_gets_its_photo(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy, stranger = await members(
        client, services, "ada_see", "bob_see", "cy_see", "zed_see"
    )
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    gid = await group(client, ada, "Garden club", bob, cy)
    before = (await _photo(client, bob, gid, small_png())).json()["photo"]["url"]
    left = await client.post(f"/api/v1/conversations/{gid}/leave", headers=cy.headers)
    assert left.status_code == 204
    after = (await _photo(client, bob, gid, small_png())).json()["photo"]["url"]
    missing = "/media/messages/" + "0" * 32 + ".jpg"

    assert (await client.get(after, headers=ada.headers)).status_code == 200
    assert (await client.get(before, headers=cy.headers)).status_code == 200  # seen while there
    for who, url in ((cy, after), (stranger, before), (stranger, missing)):
        response = await client.get(url, headers=who.headers)
        assert response.status_code == 404
        assert "There is no such photo, or you cannot see it." in response.text
    # A block hides Bob's photos from Ada (and hers from him), as it hides his words.
    blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=ada.headers)
    assert blocked.status_code == 204
    assert (await client.get(after, headers=ada.headers)).status_code == 404
    mine = (await _photo(client, ada, gid, small_png())).json()["photo"]["url"]
    assert (await client.get(mine, headers=bob.headers)).status_code == 404
    assert (await client.get(mine, headers=ada.headers)).status_code == 200


async def test_deleting_a_photo_message_removes_the_file(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_delph", "bob_delph")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    sent = (await _photo(client, ada, cid, small_png(), body="oops")).json()
    assert len(_stored_files(services)) == 1
    deleted = await client.delete(f"/api/v1/messages/{sent['id']}", headers=ada.headers)
    assert deleted.status_code == 204
    assert _stored_files(services) == []
    assert (await client.get(sent["photo"]["url"], headers=bob.headers)).status_code == 404
    detail = (await client.get(f"/api/v1/conversations/{cid}", headers=bob.headers)).json()
    assert detail["messages"][0]["photo"] is None and detail["messages"][0]["deleted"]


async def test_a_photo_without_words_is_told_as_a_photo(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_told", "bob_told")
    await connect(client, ada, bob)
    cid = await direct(client, ada, bob)
    assert (await _photo(client, ada, cid, small_png())).status_code == 201
    found = kind_named(MESSAGE)
    assert found is not None
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, bob.token)
        assert viewer is not None
        rows = list(
            await db.scalars(
                select(Notification).where(
                    Notification.user_id == viewer.id, Notification.kind == MESSAGE
                )
            )
        )
        shown = await found.resolver(db, viewer, rows)
    assert [(s.text, s.preview) for s in shown.values()] == [("Ada_Told wrote a message.", "Photo")]
    # The list says so too.
    listed = (await client.get("/conversations", headers=bob.headers)).text
    assert '<span class="row-line">Photo</span>' in listed
