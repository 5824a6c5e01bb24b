"""Who may see how much of a person: the one profile rule (``access_profile_of``), and the
reads built on it: someone's page, their photo, the people who joined with the viewer's
invites. Every surface that shows a person asks here: ``/people/{handle}`` (and ``/u/``),
the API, the photo routes, the faces on every page and search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import NO_SUCH_MEMBER, Viewer, access_joined_invites
from socialode.accounts.models import User
from socialode.circles.access import (
    Relation,
    RequestSide,
    are_connected,
    blocked_among,
    by_name,
    connection_ids,
    find_member,
    muted_ids,
    received_request,
    sent_request,
)
from socialode.circles.validation import parse_handle
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_

NO_SUCH_IMAGE = N_("No such image.")
Reach = Literal["whole", "brief"]


def sees_whole_profile(viewer: Viewer, user_id: int, connected: bool) -> bool:
    """The rule's second half, once blocks are ruled out: the whole profile (pronouns, bio,
    interests, photo) for the person themselves, administrators and connections."""
    return user_id == viewer.id or viewer.is_admin or connected


async def access_profiles_of(
    db: AsyncSession, viewer: Viewer, users: Iterable[User]
) -> dict[int, Reach]:
    """THE profile rule, for many people at once (search results, lists of faces).

    For each of ``users`` the viewer may see: ``"whole"`` (display name, handle, pronouns,
    bio, interests and photo) for themselves, administrators and the viewer's connections;
    ``"brief"`` (handle and display name only) for any other member. Someone on either side
    of a block with the viewer is left out entirely: to each other they are missing, and a
    caller must answer for them exactly as for a handle nobody has. Two queries, however
    many people."""
    wanted = {u.id: u for u in users}
    if not wanted:
        return {}
    others = set(wanted) - {viewer.id}
    hidden = await blocked_among(db, viewer.id, others)
    connected = await connection_ids(db, viewer.id) if others else set()
    return {
        uid: "whole" if sees_whole_profile(viewer, uid, uid in connected) else "brief"
        for uid in wanted
        if uid not in hidden
    }


async def access_profile_of(
    db: AsyncSession,
    viewer: Viewer,
    user: User | None,
    missing: str = NO_SUCH_MEMBER,
    field: str | None = "handle",
) -> Reach:
    """THE profile rule, for one person: ``"whole"`` or ``"brief"`` as in
    ``access_profiles_of``; nobody (``None``) and anyone across a block raise the same
    ``NotFound(missing, field)``, so a block never shows."""
    if user is None:
        raise NotFound(missing, field=field)
    reach = (await access_profiles_of(db, viewer, [user])).get(user.id)
    if reach is None:
        raise NotFound(missing, field=field)
    return reach


async def whole_profile_ids(db: AsyncSession, viewer: Viewer) -> frozenset[int]:
    """Whose photos the viewer's pages may show besides their own (administrators see every
    one): the rule's ``"whole"`` set, which is the viewer's connections (a block ends one)."""
    return frozenset(await connection_ids(db, viewer.id))


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
    request_note: str = ""  # the note of a waiting request, shown beside it


async def access_person(db: AsyncSession, viewer: Viewer, handle: str, ttl_days: int) -> Person:
    """Someone's page: all of it for themselves, administrators and connections; handle,
    display name and any waiting request for other members; blocked or unknown is a 404."""
    user = await find_member(db, parse_handle(handle))
    reach = await access_profile_of(db, viewer, user)
    assert user is not None
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
    note = request.note if request is not None else ""
    return Person(user, "none", reach == "whole", False, side, request_id, note)


async def _photo_of(db: AsyncSession, viewer: Viewer, user: User | None) -> User:
    """Whose photo may be shown: only where the rule gives the whole profile; else missing."""
    reach = await access_profile_of(db, viewer, user, NO_SUCH_IMAGE, None)
    if user is None or reach != "whole" or not user.avatar_key:
        raise NotFound(NO_SUCH_IMAGE)
    return user


async def access_person_avatar(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """A person's photo by handle (``/api/v1/people/{handle}/avatar/{size}``)."""
    return await _photo_of(db, viewer, await find_member(db, handle) if len(handle) <= 30 else None)


async def access_avatar_by_key(db: AsyncSession, viewer: Viewer, key: str) -> User:
    """A person's photo by its key (``/media/avatars/{key}/{size}.jpg``)."""
    user = None
    if len(key) <= 64:
        user = await db.scalar(select(User).where(User.avatar_key == key))
    return await _photo_of(db, viewer, user)


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
