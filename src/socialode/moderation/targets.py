"""What a member may report: only what they can see, through each feature's own read rule,
so reporting something hidden answers exactly like something missing (404).

A target carries who is reported, the words as the reporter saw them, what the sender chose
at a pause before sending (if anything), and the context the reporter could see: for a
message, a few messages before and after it. That snapshot is all a moderator ever sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import access_member
from socialode.conversations.access import access_conversation
from socialode.conversations.access_chat import access_message_in_context
from socialode.conversations.models import Message
from socialode.gatherings.access import access_gathering
from socialode.moderation.models import Kind
from socialode.moments.access import access_moment
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.i18n import N_

OWN = N_("This is yours: you can change or delete it yourself, or block someone instead.")


@dataclass(frozen=True)
class Target:
    kind: Kind
    object_id: int
    subject_id: int
    words: str
    paused: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


def _line(message: Message, sender: User, reported: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "from": sender.display_name,
        "text": message.body if message.deleted_at is None else "",
        "at": message.created_at.isoformat(),
        "reported": message.id == reported.id,
    }


async def _message(db: AsyncSession, viewer: Viewer, message_id: int) -> Target:
    found = await access_message_in_context(db, viewer, message_id)
    message = found.message
    lines = [_line(m, u, message) for m, u in found.around]
    name = found.view.conversation.name if found.view.conversation.kind == "group" else ""
    context = {"conversation": name, "messages": lines}
    return Target(
        Kind.message, message.id, message.sender_id, message.body, message.paused, context
    )


async def _moment(db: AsyncSession, viewer: Viewer, moment_id: int) -> Target:
    view = await access_moment(db, viewer, moment_id)
    m = view.moment
    context = {"author": view.author.display_name, "content_note": m.content_note}
    return Target(Kind.moment, m.id, m.author_id, m.body, m.paused, context)


async def _gathering(db: AsyncSession, viewer: Viewer, gathering_id: int) -> Target:
    g = (await access_gathering(db, viewer, gathering_id)).gathering
    words = "\n".join(w for w in (g.title, g.description, g.place) if w)
    context = {"title": g.title, "description": g.description, "place": g.place}
    return Target(Kind.gathering, g.id, g.organiser_id, words, g.paused, context)


async def _group(db: AsyncSession, viewer: Viewer, conversation_id: int) -> Target:
    view = await access_conversation(db, viewer, conversation_id)
    c = view.conversation
    if c.kind != "group" or c.creator_id is None:
        raise NotFound()
    return Target(Kind.group, c.id, c.creator_id, c.name, None, {"name": c.name})


async def _profile(db: AsyncSession, viewer: Viewer, handle: str) -> Target:
    user = await access_member(db, viewer, handle)
    words = "\n".join(w for w in (user.display_name, user.pronouns, user.bio) if w)
    context = {"name": user.display_name, "pronouns": user.pronouns, "bio": user.bio}
    return Target(Kind.profile, user.id, user.id, words, None, context)


async def access_target(
    db: AsyncSession, viewer: Viewer, kind: str, object_id: int | None, handle: str
) -> Target:
    """The thing to report as the reporter sees it, or 404 when they cannot see it."""
    if kind == Kind.profile:
        if not handle.strip():
            raise Invalid(N_("Say whose profile you are reporting (their handle)."), "handle")
        target = await _profile(db, viewer, handle[:40])
    elif kind in (Kind.message, Kind.moment, Kind.gathering, Kind.group):
        if object_id is None:
            raise Invalid(N_("Say which one you are reporting (its id)."), "id")
        read = {"message": _message, "moment": _moment, "gathering": _gathering, "group": _group}
        target = await read[kind](db, viewer, object_id)
    else:
        raise Invalid(
            N_("You can report a message, a moment, a profile, a gathering or a group."), "kind"
        )
    if target.subject_id == viewer.id:
        raise Invalid(OWN, "kind")
    return target
