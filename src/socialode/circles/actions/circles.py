"""Circles: private, named groups of one member's connections. Members are never told."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.accounts.validation import handle_key
from socialode.circles.access import access_circle, access_connection
from socialode.circles.actions.connections import rollback
from socialode.circles.models import Circle, CircleMember
from socialode.circles.validation import check_circle_name, parse_handle
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, NotFound
from socialode.platform.folding import search_key
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services

NOT_IN_CIRCLE = N_("Nobody with that handle is in this circle.")

# What features above circles do, in the same transaction, when someone is put in a circle
# (the daily question starts reaching them): (db, circle id, member id), no commit.
MemberAdded = Callable[[AsyncSession, int, int], Awaitable[None]]
_member_added: list[MemberAdded] = []


def on_member_added(hook: MemberAdded) -> None:
    """Run ``hook`` whenever someone is put in a circle (registered once, at start-up)."""
    if hook not in _member_added:
        _member_added.append(hook)


def _taken(name: str) -> Conflict:
    message = _("You already have a circle called “%(name)s”. Choose another name.")
    return Conflict(message % {"name": name}, "name")


async def _name_in_use(db: AsyncSession, viewer: Viewer, key: str, except_id: int = 0) -> bool:
    found = await db.execute(
        select(Circle.id).where(
            Circle.owner_id == viewer.id, Circle.name_key == key, Circle.id != except_id
        )
    )
    return found.first() is not None


async def check_create_circle(svc: Services, db: AsyncSession, viewer: Viewer, name: str) -> Circle:
    name, key = check_circle_name(name)
    if await _name_in_use(db, viewer, key):
        raise _taken(name)
    owned = await db.scalar(
        select(func.count()).select_from(Circle).where(Circle.owner_id == viewer.id)
    )
    cap = svc.settings.max_circles
    if int(owned or 0) >= cap:
        raise Conflict(
            _(
                "You have %(cap)s circles, the most this community allows. Delete one you no "
                "longer use first."
            )
            % {"cap": cap},
            "name",
        )
    return await do_create_circle(db, viewer, name, key)


async def do_create_circle(db: AsyncSession, viewer: Viewer, name: str, key: str) -> Circle:
    circle = Circle(
        owner_id=viewer.id,
        name=name,
        name_key=key,
        name_search=search_key(name),
        created_at=utcnow(),
    )
    db.add(circle)
    try:
        await db.commit()
    except IntegrityError as exc:  # the same name made a moment ago, elsewhere
        await rollback(db, viewer)
        raise _taken(name) from exc
    return circle


async def check_rename_circle(
    db: AsyncSession, viewer: Viewer, circle_id: int, name: str
) -> Circle:
    circle = await access_circle(db, viewer, circle_id)
    name, key = check_circle_name(name)
    if await _name_in_use(db, viewer, key, except_id=circle.id):
        raise _taken(name)
    circle.name, circle.name_key, circle.name_search = name, key, search_key(name)
    try:
        await db.commit()
    except IntegrityError as exc:
        await rollback(db, viewer)
        raise _taken(name) from exc
    return circle


async def do_delete_circle(db: AsyncSession, viewer: Viewer, circle_id: int) -> None:
    """Delete a circle of yours; the people in it stay your connections."""
    circle = await access_circle(db, viewer, circle_id)
    await db.execute(delete(CircleMember).where(CircleMember.circle_id == circle.id))
    await db.delete(circle)
    await db.commit()


async def check_add_to_circle(
    db: AsyncSession, viewer: Viewer, circle_id: int, handle: str
) -> User:
    """Put one of your connections in one of your circles (again is fine)."""
    circle = await access_circle(db, viewer, circle_id)
    person = await access_connection(db, viewer, handle)
    already = await db.get(CircleMember, (circle.id, person.id))
    if already is None:
        db.add(CircleMember(circle_id=circle.id, user_id=person.id, added_at=utcnow()))
        try:
            await db.flush()
            for hook in _member_added:
                await hook(db, circle.id, person.id)
            await db.commit()
        except IntegrityError:  # added a moment ago from elsewhere: the wish is met
            await rollback(db, viewer)
    return person


async def do_remove_from_circle(
    db: AsyncSession, viewer: Viewer, circle_id: int, handle: str
) -> None:
    circle = await access_circle(db, viewer, circle_id)
    key = handle_key(parse_handle(handle))
    member = select(User.id).where(User.handle_key == key).scalar_subquery()
    done = await db.execute(
        delete(CircleMember).where(
            CircleMember.circle_id == circle.id, CircleMember.user_id == member
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(NOT_IN_CIRCLE, "handle")
    await db.commit()
