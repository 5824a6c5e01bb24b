"""A profile photo chosen on a form that came back with a problem: processed and kept aside
(``media/avatars/pending``), carried by its key in a hidden field and shown as a preview, so
that nobody has to choose it again. A pending photo belongs to its uploader alone (the file
name holds their id); pending photos older than a day are deleted on the next upload."""

from __future__ import annotations

import base64
import contextlib
import re
import secrets
import time
from pathlib import Path

import anyio.to_thread

from socialode.accounts.access import Viewer
from socialode.accounts.avatars import SIZES, process_avatar
from socialode.platform.errors import AppError, Invalid
from socialode.platform.i18n import N_
from socialode.platform.services import Services

KEY = re.compile(r"[0-9a-f]{32}")
KEPT_FOR = 24 * 3600  # seconds
GONE = N_("That photo is no longer waiting to be used; choose it again.")


def _folder(svc: Services) -> Path:
    return svc.settings.media_dir / "avatars" / "pending"


def _path(svc: Services, user_id: int, key: str, size: int) -> Path:
    return _folder(svc) / f"{user_id}-{key}-{size}.jpg"


def pending_images(svc: Services, viewer: Viewer, key: str) -> dict[int, bytes]:
    """The viewer's own pending photo by its key; anyone else's, or a gone one, is refused."""
    if not KEY.fullmatch(key):
        raise Invalid(GONE, "avatar")
    try:
        return {size: _path(svc, viewer.id, key, size).read_bytes() for size in SIZES}
    except FileNotFoundError:
        raise Invalid(GONE, "avatar") from None


def pending_preview(svc: Services, viewer: Viewer, key: str) -> str | None:
    """A ``data:`` address of the pending photo, for the form's preview."""
    with contextlib.suppress(AppError):
        jpeg = pending_images(svc, viewer, key)[max(SIZES)]
        return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
    return None


def do_drop_pending(svc: Services, viewer: Viewer, key: str) -> None:
    if KEY.fullmatch(key):
        for size in SIZES:
            with contextlib.suppress(FileNotFoundError):
                _path(svc, viewer.id, key, size).unlink()


def _sweep(svc: Services) -> None:
    cutoff = time.time() - KEPT_FOR
    for path in _folder(svc).glob("*.jpg"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


async def check_carry_avatar(
    svc: Services, viewer: Viewer, data: bytes | None, carried: str
) -> tuple[str | None, AppError | None]:
    """The photo chosen on the profile form, kept aside: a new one processed and stored now,
    else the one carried by key from an earlier try. A refusal is returned, to be reported
    with the rest of the form, not raised."""
    try:
        if data is None:
            if not carried:
                return None, None
            pending_images(svc, viewer, carried)
            return carried, None
        limit = svc.settings.max_upload_bytes
        images = await anyio.to_thread.run_sync(process_avatar, data, limit)
    except AppError as exc:
        return None, exc
    _folder(svc).mkdir(parents=True, exist_ok=True)
    _sweep(svc)
    do_drop_pending(svc, viewer, carried)
    key = secrets.token_hex(16)
    for size, jpeg in images.items():
        _path(svc, viewer.id, key, size).write_bytes(jpeg)
    return key, None
