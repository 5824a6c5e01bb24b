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
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import anyio
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments.models import MomentPhoto
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError, Checks, Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _, number
from socialode.platform.images import decode_image, fit_within
from socialode.platform.services import Services

LONGEST_SIDE = 1280
MAX_WAITING = 10  # uploaded photos not yet in a moment, per member
UNUSED_FOR = timedelta(days=1)  # then an upload never put in a moment is deleted
SWEEP_BATCH = 100
NO_PHOTO = N_("That photo is not one of your uploads waiting to be shared; upload it again.")
MAX_PHOTOS = 4  # per moment
ALT_MAX = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PhotoChoice:
    """An uploaded photo chosen for a moment, and its description (alternative text)."""

    id: int
    alt: str = ""


def check_alt(alt: str, index: int) -> str:
    """A photo's description on one line, at most ``ALT_MAX`` characters (``index`` from 0)."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", unicodedata.normalize("NFC", alt))).strip()
    if len(text) > ALT_MAX:
        message = _(
            "A photo's description can be up to %(limit)s characters; the one of photo "
            "%(number)s has %(count)s. Keep what matters for someone who cannot see it."
        )
        raise Invalid(
            message % {"limit": ALT_MAX, "number": index + 1, "count": number(len(text))},
            f"photos.{index}.alt",
        )
    return text


def check_how_many(count: int) -> None:
    if count > MAX_PHOTOS:
        message = _(
            "A moment can hold up to %(limit)s photos; this one has %(count)s. Remove "
            "%(extra)s, or share the rest in another moment."
        )
        extra = _("one") if count == MAX_PHOTOS + 1 else str(count - MAX_PHOTOS)
        raise Invalid(message % {"limit": MAX_PHOTOS, "count": count, "extra": extra}, "photos")


async def check_photo_choices(
    db: AsyncSession, viewer: Viewer, choices: Sequence[PhotoChoice], checks: Checks
) -> list[tuple[MomentPhoto, str]]:
    """The chosen uploads (the viewer's own, waiting, each once) with their cleaned
    descriptions, in order; every refusal goes to ``checks``."""
    checks.run(lambda: check_how_many(len(choices)), None)
    if len({c.id for c in choices}) != len(choices):
        checks.failed.append(Invalid(_("The same photo is chosen twice; keep it once."), "photos"))
    chosen: list[tuple[MomentPhoto, str]] = []
    for index, choice in enumerate(choices):
        try:
            alt = check_alt(choice.alt, index)
            chosen.append((await waiting_photo(db, viewer, choice.id), alt))
        except AppError as exc:
            checks.failed.append(exc)
    return chosen


def photo_path(svc: Services, key: str) -> Path:
    return svc.settings.media_dir / "moments" / f"{key}.jpg"


def _process(data: bytes, max_bytes: int, field: str) -> tuple[bytes, int, int]:
    return fit_within(decode_image(data, max_bytes, field, "photo"), LONGEST_SIDE)


async def store_photo(svc: Services, data: bytes, field: str = "photo") -> tuple[str, int, int]:
    """Process and write the file; its key, width and height."""
    jpeg, width, height = await anyio.to_thread.run_sync(
        _process, data, svc.settings.max_upload_bytes, field
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
        return await waiting_photo(db, viewer, carried_id, "photo"), None
    except AppError as exc:
        return None, exc


async def check_carry_photos(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    new: Sequence[bytes],
    carried_ids: Sequence[int],
    remove: int | None = None,
) -> tuple[list[MomentPhoto], list[AppError]]:
    """The photos of a share form, in order: those carried by id from an earlier try (only
    the viewer's own, waiting; the one to ``remove`` is discarded), then those just chosen,
    stored now so that a refusal of the rest of the form does not lose them. Refusals are
    returned, to be reported with the rest of the form, not raised."""
    photos: list[MomentPhoto] = []
    problems: list[AppError] = []
    for photo_id in dict.fromkeys(carried_ids):
        try:
            if photo_id == remove:
                await do_discard_photo(svc, db, viewer, photo_id)
            else:
                photos.append(await waiting_photo(db, viewer, photo_id))
        except AppError as exc:
            problems.append(exc)
    for data in new:
        try:
            photos.append(await check_upload_photo(svc, db, viewer, data, "photos"))
        except AppError as exc:
            problems.append(exc)
    return photos, problems


async def check_upload_photo(
    svc: Services, db: AsyncSession, viewer: Viewer, data: bytes, field: str = "photo"
) -> MomentPhoto:
    await do_sweep_unused(svc, db)
    waiting = await db.scalar(
        select(func.count())
        .select_from(MomentPhoto)
        .where(MomentPhoto.owner_id == viewer.id, MomentPhoto.attached.is_(False))
    )
    if (waiting or 0) >= MAX_WAITING:
        raise Conflict(
            _(
                "You have %(most)s uploaded photos waiting to be shared. Share or discard some "
                "of them first."
            )
            % {"most": MAX_WAITING},
            field,
        )
    key, width, height = await store_photo(svc, data, field)
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


async def waiting_photo(
    db: AsyncSession, viewer: Viewer, photo_id: int, field: str = "photos"
) -> MomentPhoto:
    photo = await db.get(MomentPhoto, photo_id)
    if photo is None or photo.owner_id != viewer.id or photo.attached:
        raise Invalid(NO_PHOTO, field)
    return photo


async def do_discard_photo(svc: Services, db: AsyncSession, viewer: Viewer, photo_id: int) -> None:
    photo = await db.get(MomentPhoto, photo_id)
    if photo is None or photo.owner_id != viewer.id or photo.attached:
        raise NotFound(NO_PHOTO)
    key = photo.key
    await db.delete(photo)
    await db.commit()
    remove_photo_file(svc, key)
