"""Photos sent in messages: the platform's image pipeline (decoded safely, resized, re-encoded
from pixels only, bombs refused), processed off the event loop and written under the media
folder before the message that names them; removed again when that message is not stored."""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread

from socialode.platform.images import decode_image, fit_within
from socialode.platform.services import Services

LONGEST_SIDE = 1600


@dataclass(frozen=True)
class StoredPhoto:
    key: str
    width: int
    height: int


def message_photo_path(svc: Services, key: str) -> Path:
    return svc.settings.media_dir / "messages" / f"{key}.jpg"


def _resized(data: bytes, max_bytes: int) -> tuple[bytes, int, int]:
    return fit_within(decode_image(data, max_bytes, "photo", "photo"), LONGEST_SIDE)


async def store_message_photo(svc: Services, data: bytes) -> StoredPhoto:
    """The processed photo, written; refused with a sentence (field ``photo``) when the
    upload is not an image we can read, too large, or a decompression bomb."""
    jpeg, width, height = await anyio.to_thread.run_sync(
        _resized, data, svc.settings.max_upload_bytes
    )
    stored = StoredPhoto(secrets.token_hex(16), width, height)
    path = message_photo_path(svc, stored.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg)
    return stored


def remove_message_photo(svc: Services, key: str | None) -> None:
    if key:
        with contextlib.suppress(FileNotFoundError):
            message_photo_path(svc, key).unlink()
