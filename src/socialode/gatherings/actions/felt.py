"""How a gathering felt: asked privately of each person who went, seen by nobody else.

The answer (1 to 5, a few words, or both) is sealed like a wellbeing check-in: encrypted at
rest, bound to its member, table and column. Answering again replaces the answer.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.gatherings.access import access_gathering
from socialode.gatherings.models import FEELINGS, SEALED, Feeling, Rsvp
from socialode.gatherings.validation import check_felt
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict
from socialode.platform.i18n import N_
from socialode.platform.sealing import seal
from socialode.platform.services import Services


async def check_feel(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    gathering_id: int,
    score: int | None,
    words: str,
) -> None:
    view = await access_gathering(db, viewer, gathering_id)
    now = utcnow()
    if not view.over(now):
        raise Conflict(N_("You can say how it felt once the gathering is over."))
    if view.me.rsvp == Rsvp.not_going.value:
        raise Conflict(N_("You said you were not going, so there is nothing to ask you."))
    score, words = check_felt(score, words)
    text = json.dumps({"s": score, "w": words}, separators=(",", ":"))
    sealed = seal(svc.keyring, text, member_id=viewer.id, table=FEELINGS, field=SEALED)
    found = await db.scalar(
        select(Feeling).where(Feeling.gathering_id == gathering_id, Feeling.user_id == viewer.id)
    )
    if found is None:
        db.add(Feeling(gathering_id=gathering_id, user_id=viewer.id, taken_at=now, sealed=sealed))
    else:
        found.sealed, found.taken_at = sealed, now
    await db.commit()


async def do_forget_feeling(db: AsyncSession, viewer: Viewer, gathering_id: int) -> None:
    found = await db.scalar(
        select(Feeling).where(Feeling.gathering_id == gathering_id, Feeling.user_id == viewer.id)
    )
    if found is not None:
        await db.delete(found)
        await db.commit()
