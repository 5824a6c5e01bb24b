"""Inviting more people to a gathering after it was proposed: the organiser's connections
(or a circle of them), kept apart from anyone across a block like at the start, told like
everyone else was, and added to the gathering's conversation if it has one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import muted_by
from socialode.conversations.actions.conversations import current_member_ids, do_join
from socialode.gatherings.access import access_organised, invitee_ids
from socialode.gatherings.actions import apart, check_count, chosen_people
from socialode.gatherings.models import Invitee
from socialode.gatherings.notices import INVITE, ref_for
from socialode.notifications.actions import do_notify
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid
from socialode.platform.i18n import N_


@dataclass(frozen=True)
class Invited:
    added: list[User]
    left_out: list[User]  # could not be added together with someone already invited


async def check_invite_more(
    db: AsyncSession,
    viewer: Viewer,
    gathering_id: int,
    *,
    handles: list[str],
    circle_id: int | None = None,
) -> Invited:
    view = await access_organised(db, viewer, gathering_id)
    if view.cancelled:
        raise Conflict(N_("This gathering was cancelled."))
    present = set(await invitee_ids(db, gathering_id))
    wanted = [u for u in await chosen_people(db, viewer, circle_id, handles) if u.id not in present]
    if not wanted:
        raise Invalid(N_("Everyone you chose is invited already."), "people")
    check_count(len(present) - 1 + len(wanted))
    added, left_out = await apart(db, sorted(present), wanted)
    now = utcnow()
    gathering = view.gathering
    for user in added:
        db.add(Invitee(gathering_id=gathering.id, user_id=user.id, invited_at=now))
    quiet = await muted_by(db, viewer.id, [u.id for u in added])
    told = [u.id for u in added if u.id not in quiet]
    await do_notify(db, told, INVITE, ref_for(gathering.id, INVITE), viewer.id, now)
    if gathering.conversation_id is not None:
        inside = await current_member_ids(db, gathering.conversation_id)
        for user in added:
            if user.id not in inside:
                await do_join(db, viewer.user, gathering.conversation_id, user)
    gathering.updated_at = now
    await db.commit()
    return Invited(added, left_out)
