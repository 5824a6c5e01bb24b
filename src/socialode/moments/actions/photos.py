"""Photos for moments: processed off the event loop, stored under the media folder.

An upload is stored first and attached when the moment is posted: through the API in two
requests; on the web form in one, the photo stored before the rest is checked, so that when
the form comes back with a problem the photo is carried by its id (with a preview) instead
of being chosen again. Uploads never put in a moment are deleted after a day.
Files are written before the row that names them and removed
again if that row is not committed, so a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta
from pathlib import Path

import anyio
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments.models import MomentPhoto
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError, Conflict, Invalid, NotFound
from socialode.platform.images import decode_image, fit_within
from socialode.platform.services import Services

LONGEST_SIDE = 1280
MAX_WAITING = 10  # uploaded photos not yet in a moment, per member
UNUSED_FOR = timedelta(days=1)  # then an upload never put in a moment is deleted
SWEEP_BATCH = 100
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


async def do_sweep_unused(svc: Services, db: AsyncSession) -> int:
    """Delete uploads nobody put in a moment within ``UNUSED_FOR`` (anyone's, a batch at a
    time), with their files; run on each new upload. How many went."""
    cutoff = utcnow() - UNUSED_FOR
    stale = list(
        await db.scalars(
            select(MomentPhoto)
            .where(MomentPhoto.attached.is_(False), MomentPhoto.created_at < cutoff)
            .order_by(MomentPhoto.id)
            .limit(SWEEP_BATCH)
        )
    )
    if not stale:
        return 0
    keys = [photo.key for photo in stale]
    await db.execute(delete(MomentPhoto).where(MomentPhoto.id.in_([p.id for p in stale])))
    await db.commit()
    for key in keys:
        remove_photo_file(svc, key)
    return len(keys)


async def check_carry_photo(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    data: bytes | None,
    carried_id: int | None,
    drop: bool = False,
) -> tuple[MomentPhoto | None, AppError | None]:
    """The photo chosen on a form: stored now when it was just chosen (so that a refusal of
    the rest of the form does not lose it), else the upload carried by id from an earlier
    try (only the viewer's own, waiting). A refusal of the photo is returned, to be reported
    with the rest of the form, not raised."""
    try:
        if data is not None:
            photo = await check_upload_photo(svc, db, viewer, data)
            if carried_id is not None:  # chosen again: the earlier one is not needed
                with contextlib.suppress(AppError):
                    await do_discard_photo(svc, db, viewer, carried_id)
            return photo, None
        if carried_id is None:
            return None, None
        if drop:
            await do_discard_photo(svc, db, viewer, carried_id)
            return None, None
        return await waiting_photo(db, viewer, carried_id), None
    except AppError as exc:
        return None, exc


async def check_upload_photo(
    svc: Services, db: AsyncSession, viewer: Viewer, data: bytes
) -> MomentPhoto:
    await do_sweep_unused(svc, db)
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
