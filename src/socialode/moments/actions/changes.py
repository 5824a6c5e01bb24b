"""Changing a moment after it is shared: edit (for a short while), close a support request,
delete (gone for everyone: its photo, notifications and the quotes in answers go with it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations.actions import do_set_quotes
from socialode.conversations.render import to_html
from socialode.moments import access
from socialode.moments.access import MomentView
from socialode.moments.actions.photos import remove_photo_file
from socialode.moments.actions.posting import (
    check_content_note,
    check_moment_text,
    check_moment_words,
)
from socialode.moments.models import Moment, MomentKind, MomentPhoto
from socialode.moments.payloads import moment_dict
from socialode.notifications.actions import do_withdraw
from socialode.platform.aftercommit import publish_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import Checks, Conflict
from socialode.platform.events import Envelope
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services
from socialode.safety.marks import marked_envelopes
from socialode.safety.pause import NO_ANSWER, PauseAnswer, folds

QUOTE_CHARS = 280


def quote_of(moment: Moment) -> str:
    text = moment.body or "Photo"  # a moment of photos without words
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


async def _tell(db: AsyncSession, moment: Moment, payload: dict[str, Any]) -> None:
    """Before commit: tell everyone who may see the moment, once the change is committed."""
    viewers = await access.viewers_of(db, moment)
    for envelope in await marked_envelopes(
        db, viewers, payload, "moment", moment.author_id, quiet=viewers
    ):
        publish_on_commit(db, envelope)


async def check_edit(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    moment_id: int,
    *,
    body: str,
    content_note: str | None = None,
    pause: PauseAnswer = NO_ANSWER,
) -> MomentView:
    moment = await access.access_own_moment(db, viewer, moment_id)
    minutes = svc.settings.moment_edit_minutes
    if utcnow() - moment.created_at > timedelta(minutes=minutes):
        raise Conflict(
            _(
                "A moment can be edited for %(minutes)s minutes after it is shared. You can "
                "still delete it and share it again."
            )
            % {"minutes": minutes},
            "body",
        )
    photos = len((await access.access_moment(db, viewer, moment.id)).photos)
    checks = Checks()
    text = checks.run(lambda: check_moment_text(svc, body, photos), "")
    note = moment.content_note
    if content_note is not None:
        note = checks.run(lambda: check_content_note(content_note), "")
    checks.done()
    if (text, note) != (moment.body, moment.content_note):
        surface = "support" if moment.kind == MomentKind.support.value else "moment"
        cleared = await check_moment_words(svc, viewer, surface, text, note, pause)
        # A "sent anyway" goes with the words it was about.
        moment.paused = cleared.paused or (None if folds(moment.paused) else moment.paused)
    moment.body, moment.body_html, moment.content_note = text, to_html(text), note
    moment.edited_at = utcnow()
    ref = f"moment:{moment.id}"
    await do_set_quotes(db, ref, quote_of(moment))
    view = await access.access_moment(db, viewer, moment.id)
    await _tell(db, moment, {"type": "moment_edited", "moment": moment_dict(view)})
    await db.commit()
    return view


async def check_close_support(
    svc: Services, db: AsyncSession, viewer: Viewer, moment_id: int
) -> MomentView:
    moment = await access.access_own_moment(db, viewer, moment_id)
    if moment.kind != MomentKind.support.value:
        raise Conflict(N_("Only a request for support can be closed."))
    if moment.closed_at is None:
        moment.closed_at = utcnow()
        await _tell(db, moment, {"type": "support_closed", "id": moment.id})
        await db.commit()
    return await access.access_moment(db, viewer, moment.id)


async def do_delete(svc: Services, db: AsyncSession, viewer: Viewer, moment_id: int) -> None:
    keys = await do_remove(db, viewer, moment_id)
    await db.commit()
    for key in keys:
        remove_photo_file(svc, key)


async def do_remove(db: AsyncSession, viewer: Viewer, moment_id: int) -> list[str]:
    """Delete one of the viewer's moments, uncommitted (so a moderator's removal commits with
    the decision); the photo keys returned are for the caller to remove once committed."""
    moment = await access.access_own_moment(db, viewer, moment_id)
    viewers = await access.viewers_of(db, moment)
    of_moment = MomentPhoto.moment_id == moment.id
    keys = list(await db.scalars(select(MomentPhoto.key).where(of_moment)))
    ref = f"moment:{moment.id}"
    await do_withdraw(db, [ref])
    await do_set_quotes(db, ref, "")
    await db.execute(delete(MomentPhoto).where(of_moment))
    await db.delete(moment)
    payload = {"type": "moment_deleted", "id": moment_id}
    publish_on_commit(db, Envelope(viewers, payload, quiet=viewers))
    return keys
