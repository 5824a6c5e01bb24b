"""Someone's page and the people who joined with the viewer's invites, as the viewer may
see them: the block rule first, then the whole profile for themselves, administrators and
connections only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import NO_SUCH_MEMBER, Viewer, access_joined_invites
from socialode.accounts.models import User
from socialode.circles.access import (
    Relation,
    RequestSide,
    are_connected,
    blocked_among,
    blocked_between,
    by_name,
    connection_ids,
    find_member,
    muted_ids,
    received_request,
    sent_request,
)
from socialode.circles.validation import parse_handle
from socialode.platform.errors import NotFound


@dataclass(frozen=True)
class Person:
    """Another member as the viewer may see them. ``full`` means the whole profile (display
    name, pronouns, bio, interests, photo); otherwise only handle and display name."""

    user: User
    relation: Relation
    full: bool
    muted: bool
    request: RequestSide | None
    request_id: int | None


async def access_person(db: AsyncSession, viewer: Viewer, handle: str, ttl_days: int) -> Person:
    """Someone's page: all of it for themselves, administrators and connections; handle,
    display name and any waiting request for other members; blocked or unknown is a 404."""
    user = await find_member(db, parse_handle(handle))
    if user is None or await blocked_between(db, viewer.id, user.id):
        raise NotFound(NO_SUCH_MEMBER, field="handle")
    if user.id == viewer.id:
        return Person(viewer.user, "you", True, False, None, None)
    if await are_connected(db, viewer.id, user.id):
        muted = user.id in await muted_ids(db, viewer.id)
        return Person(user, "connected", True, muted, None, None)
    side: RequestSide | None = None
    request = await received_request(db, viewer.id, user.id, ttl_days)
    if request is not None:
        side = "received"
    else:
        request = await sent_request(db, viewer.id, user.id, ttl_days)
        side = "sent" if request is not None else None
    request_id = request.id if request is not None else None
    return Person(user, "none", viewer.is_admin, False, side, request_id)


async def access_person_avatar(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """Whose photo may be shown: only where the whole profile may be seen; else missing."""
    user = await find_member(db, handle) if len(handle) <= 30 else None
    if (
        user is None
        or not user.avatar_key
        or await blocked_between(db, viewer.id, user.id)
        or not (
            user.id == viewer.id or viewer.is_admin or await are_connected(db, viewer.id, user.id)
        )
    ):
        raise NotFound("No such image.")
    return user


@dataclass(frozen=True)
class Invitee:
    invite_id: int
    user: User
    relation: Literal["connected", "sent", "received", "none"]


async def access_invitees(db: AsyncSession, viewer: Viewer, ttl_days: int) -> list[Invitee]:
    """People who joined with the viewer's invites (except any behind a block), by name."""
    joined = await access_joined_invites(db, viewer)
    hidden = await blocked_among(db, viewer.id, [user.id for _invite, user in joined])
    connected = await connection_ids(db, viewer.id)
    found: list[Invitee] = []
    for invite, user in joined:
        if user.id in hidden:
            continue
        relation: Literal["connected", "sent", "received", "none"] = "none"
        if user.id in connected:
            relation = "connected"
        elif await received_request(db, viewer.id, user.id, ttl_days):
            relation = "received"
        elif await sent_request(db, viewer.id, user.id, ttl_days):
            relation = "sent"
        found.append(Invitee(invite.id, user, relation))
    return sorted(found, key=lambda i: by_name(i.user))
