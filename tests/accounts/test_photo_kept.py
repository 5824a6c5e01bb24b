"""A profile photo chosen on a form that comes back with a problem is kept aside, shown as a
preview and carried by its key: sending the fixed form saves that photo. Nobody else can
use the key; a pending photo is deleted after a day."""

from __future__ import annotations

import base64
import io
import os
import time

import httpx
from PIL import Image
from sqlalchemy import select

from socialode.accounts.models import User
from socialode.platform.services import Services
from tests.form_helpers import page_of, web_login
from tests.helpers import sign_up


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "PNG")
    return out.getvalue()


async def avatar_key(services: Services, handle: str) -> str | None:
    async with services.db.sessions() as db:
        return await db.scalar(select(User.avatar_key).where(User.handle == handle))


def profile(**typed: str) -> dict[str, str]:
    return {"display_name": "Alan", "timezone": "Europe/Lisbon", **typed}


async def alan_refused_with_photo(client: httpx.AsyncClient, services: Services) -> httpx.Response:
    """Alan, signed in, sends a new photo with a bio too long: the refused answer."""
    await sign_up(client, services, "alan_t")
    await web_login(client, "alan_t")
    files = {"avatar": ("me.png", png("teal"), "image/png")}
    refused = await client.post("/settings/profile", data=profile(bio="b" * 301), files=files)
    assert refused.status_code == 422, refused.text
    return refused


async def test_the_chosen_photo_survives_a_refusal_and_is_the_one_saved(
    client: httpx.AsyncClient, services: Services
) -> None:
    refused = await alan_refused_with_photo(client, services)
    page = page_of(refused)
    assert list(page.field_errors) == ["bio"]
    key = page.value("avatar_upload")
    assert key and len(key) == 32
    (preview,) = [i for i in page.images if i.get("alt") == "The photo you chose"]
    assert preview["src"].startswith("data:image/jpeg;base64,")
    shown = base64.b64decode(preview["src"].split(",", 1)[1])
    assert await avatar_key(services, "alan_t") is None  # nothing saved yet

    saved = await client.post("/settings/profile", data=profile(bio="Hi", avatar_upload=key))
    assert saved.status_code == 303, saved.text
    stored = await avatar_key(services, "alan_t")
    assert stored is not None
    big = services.settings.media_dir / "avatars" / f"{stored}-256.jpg"
    assert big.read_bytes() == shown  # the very photo that was previewed
    pending = services.settings.media_dir / "avatars" / "pending"
    assert list(pending.glob("*.jpg")) == []


async def test_someone_elses_pending_photo_cannot_be_used(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    await sign_up(client, services, "rosa_p")
    await web_login(client, "alan_t")
    files = {"avatar": ("me.png", png("teal"), "image/png")}
    refused = await client.post("/settings/profile", data=profile(bio="b" * 301), files=files)
    key = page_of(refused).value("avatar_upload")
    assert key
    await web_login(client, "rosa_p")
    taken = await client.post("/settings/profile", data=profile(avatar_upload=key))
    assert taken.status_code == 422
    assert "choose it again" in page_of(taken).field_errors["avatar"]
    assert await avatar_key(services, "rosa_p") is None


async def test_pending_photos_older_than_a_day_are_deleted_on_the_next_upload(
    client: httpx.AsyncClient, services: Services
) -> None:
    await alan_refused_with_photo(client, services)
    pending = services.settings.media_dir / "avatars" / "pending"
    old = list(pending.glob("*.jpg"))
    assert len(old) == 2
    day_ago = time.time() - 24 * 3600 - 60
    for path in old:
        os.utime(path, (day_ago, day_ago))
    again = {"avatar": ("me.png", png("navy"), "image/png")}
    await client.post("/settings/profile", data=profile(bio="b" * 301), files=again)
    left = list(pending.glob("*.jpg"))
    assert len(left) == 2 and not set(left) & set(old)
