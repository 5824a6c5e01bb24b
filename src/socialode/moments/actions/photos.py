"""Photos for moments: processed off the event loop, stored under the media folder.

An upload through the API is stored first and attached when the moment is posted; the web
form does both in one request. Files are written before the row that names them and removed
again if that row is not committed, so a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments.models import MomentPhoto
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.images import decode_image, fit_within
from socialode.platform.services import Services

LONGEST_SIDE = 1280
MAX_WAITING = 10  # uploaded photos not yet in a moment, per member
NO_PHOTO = "That photo is not one of your uploads waiting to be shared; upload it again."


def photo_path(svc: Services, key: str) -> Path:
    return svc.settings.media_dir / "moments" / f"{key}.jpg"


def _process(data: bytes, max_bytes: int) -> tuple[bytes, int, int]:
    return fit_within(decode_image(data, max_bytes, "photo", "photo"), LONGEST_SIDE)


async def store_photo(svc: Services, data: bytes) -> tuple[str, int, int]:
    """Process and write the file; its key, width and height."""
    jpeg, width, height = await anyio.to_thread.run_sync(
        _process, data, svc.settings.max_upload_bytes
    )
    key = secrets.token_hex(16)
    path = photo_path(svc, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg)
    return key, width, height


def remove_photo_file(svc: Services, key: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        photo_path(svc, key).unlink()


async def check_upload_photo(
    svc: Services, db: AsyncSession, viewer: Viewer, data: bytes
) -> MomentPhoto:
    waiting = await db.scalar(
        select(func.count())
        .select_from(MomentPhoto)
        .where(MomentPhoto.owner_id == viewer.id, MomentPhoto.attached.is_(False))
    )
    if (waiting or 0) >= MAX_WAITING:
        raise Conflict(
            f"You have {MAX_WAITING} uploaded photos waiting to be shared. Share or discard "
            "some of them first.",
            "photo",
        )
    key, width, height = await store_photo(svc, data)
    photo = MomentPhoto(
        owner_id=viewer.id, key=key, width=width, height=height, created_at=utcnow()
    )
    try:
        db.add(photo)
        await db.commit()
    except BaseException:
        remove_photo_file(svc, key)
        raise
    return photo


async def waiting_photo(db: AsyncSession, viewer: Viewer, photo_id: int) -> MomentPhoto:
    photo = await db.get(MomentPhoto, photo_id)
    if photo is None or photo.owner_id != viewer.id or photo.attached:
        raise Invalid(NO_PHOTO, "photo")
    return photo


async def do_discard_photo(svc: Services, db: AsyncSession, viewer: Viewer, photo_id: int) -> None:
    photo = await db.get(MomentPhoto, photo_id)
    if photo is None or photo.owner_id != viewer.id or photo.attached:
        raise NotFound(NO_PHOTO)
    key = photo.key
    await db.delete(photo)
    await db.commit()
    remove_photo_file(svc, key)
