"""A gathering's own group conversation, for everyone invited, started the first time
someone opens it. Someone invited who left it comes back by opening it again from the
gathering."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations.actions.conversations import (
    current_member_ids,
    do_join,
    do_start_group,
)
from socialode.gatherings.access import access_gathering, invitee_ids


async def check_open_conversation(db: AsyncSession, viewer: Viewer, gathering_id: int) -> int:
    """The conversation's id, made now if it did not exist (the organiser starts it, in
    name, so it reads as theirs)."""
    view = await access_gathering(db, viewer, gathering_id)
    gathering = view.gathering
    if gathering.conversation_id is None:
        everyone = await invitee_ids(db, gathering.id)
        gathering.conversation_id = await do_start_group(
            db, gathering.organiser_id, gathering.title, everyone
        )
        await db.commit()
    elif viewer.id not in await current_member_ids(db, gathering.conversation_id):
        # Invited, but out of the talk (they left it): opening it again brings them back.
        await do_join(db, view.organiser, gathering.conversation_id, viewer.user)
        await db.commit()
    return gathering.conversation_id
