"""A gathering's own group conversation, for everyone invited, started the first time
someone opens it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations.actions.conversations import do_start_group
from socialode.gatherings.access import access_gathering


async def check_open_conversation(db: AsyncSession, viewer: Viewer, gathering_id: int) -> int:
    """The conversation's id, made now if it did not exist (the organiser starts it, in
    name, so it reads as theirs)."""
    view = await access_gathering(db, viewer, gathering_id)
    gathering = view.gathering
    if gathering.conversation_id is None:
        everyone = [g.user.id for g in view.guests]
        gathering.conversation_id = await do_start_group(
            db, gathering.organiser_id, gathering.title, everyone
        )
        await db.commit()
    return gathering.conversation_id
