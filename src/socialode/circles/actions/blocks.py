"""Blocking (absolute and symmetric) and muting (quiet, for connections only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import (
    NO_SUCH_MEMBER,
    access_connection,
    blocked_between,
    find_member,
)
from socialode.circles.actions.connections import close_requests_between, rollback, sever
from socialode.circles.models import Block, Mute
from socialode.circles.validation import parse_handle
from socialode.platform.clock import utcnow
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.i18n import N_

NOT_BLOCKED = N_("You have not blocked anyone with that handle.")

# What features above circles undo, in the block's own transaction, between the two people
# (gatherings: they are never in one together): (db, blocker id, blocked id), no commit.
Blocked = Callable[[AsyncSession, int, int], Awaitable[None]]
_on_block: list[Blocked] = []


def on_block(hook: Blocked) -> None:
    """Run ``hook`` whenever someone blocks someone (registered once, at start-up)."""
    if hook not in _on_block:
        _on_block.append(hook)


async def check_block(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """Block someone: from now on neither of you can see or reach the other anywhere.
    Blocking someone you already blocked changes nothing."""
    other = await find_member(db, parse_handle(handle))
    if other is not None and other.id == viewer.id:
        raise Invalid(N_("That is your own handle; you cannot block yourself."), "handle")
    if other is not None and await db.get(Block, (viewer.id, other.id)) is not None:
        return other
    if other is None or await blocked_between(db, viewer.id, other.id):
        raise NotFound(NO_SUCH_MEMBER, "handle")
    await do_block(db, viewer, other)
    return other


async def do_block(db: AsyncSession, viewer: Viewer, other: User) -> None:
    """The block, and everything between the two ends: the connection both ways, each from
    the other's circles, mutes either way, requests either way (closed), and whatever the
    features above registered with :func:`on_block`."""
    try:
        db.add(Block(blocker_id=viewer.id, blocked_id=other.id, created_at=utcnow()))
        await sever(db, viewer.id, other.id)
        await close_requests_between(db, viewer.id, other.id)
        for hook in _on_block:
            await hook(db, viewer.id, other.id)
        await db.commit()
    except IntegrityError:  # blocked a moment ago from elsewhere: the wish is met
        await rollback(db, viewer)


async def do_unblock(db: AsyncSession, viewer: Viewer, handle: str) -> None:
    """Lift a block you made. Nothing that the block ended comes back."""
    other = await find_member(db, parse_handle(handle))
    if other is None:
        raise NotFound(NOT_BLOCKED, "handle")
    done = await db.execute(
        delete(Block).where(Block.blocker_id == viewer.id, Block.blocked_id == other.id)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(NOT_BLOCKED, "handle")
    await db.commit()


async def check_mute(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """Mute a connection: their messages still arrive, without notifications."""
    other = await access_connection(db, viewer, handle)
    if await db.get(Mute, (viewer.id, other.id)) is None:
        db.add(Mute(user_id=viewer.id, muted_id=other.id, created_at=utcnow()))
        try:
            await db.commit()
        except IntegrityError:  # muted a moment ago from elsewhere
            await rollback(db, viewer)
    return other


async def do_unmute(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    other = await access_connection(db, viewer, handle)
    await db.execute(delete(Mute).where(Mute.user_id == viewer.id, Mute.muted_id == other.id))
    await db.commit()
    return other
