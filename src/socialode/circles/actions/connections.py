"""Connection requests, connecting, and removing a connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_used_invite
from socialode.accounts.models import User
from socialode.circles.access import (
    NO_SUCH_MEMBER,
    SENDER_SEES_PENDING,
    access_connection,
    access_incoming_request,
    access_member,
    access_outgoing_request,
    are_connected,
    blocked_between,
    connection_count,
    declined_since,
    received_request,
    sent_request,
)
from socialode.circles.models import (
    Circle,
    CircleMember,
    Connection,
    ConnectionRequest,
    Mute,
    RequestStatus,
)
from socialode.circles.notices import ACCEPTED, REQUEST, connection_ref, request_ref
from socialode.circles.validation import check_note, parse_handle
from socialode.notifications.actions import do_notify, do_withdraw
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services


@dataclass(frozen=True)
class Sent:
    """What sending a request did. ``connected``: they had asked you, so you are connected."""

    outcome: Literal["sent", "connected"]
    other: User
    request: ConnectionRequest | None


_AT_CAP = {
    "ask": N_(
        "You have %(cap)s connections, the most this community allows, so you can't ask anyone "
        "new to connect. To make room, remove one of your connections first."
    ),
    "accept": N_(
        "You have %(cap)s connections, the most this community allows, so you can't accept "
        "this request now. To make room, remove one of your connections first."
    ),
}


def at_cap_message(cap: int, doing: str) -> str:
    """``doing`` is "ask" or "accept"."""
    return _(_AT_CAP[doing]) % {"cap": cap}


async def rollback(db: AsyncSession, viewer: Viewer) -> None:
    """Undo a write that failed, and reload the viewer the pages still show."""
    await db.rollback()
    await db.refresh(viewer.user)


async def lock_pair(db: AsyncSession, a: int, b: int) -> None:
    """On PostgreSQL, lock both people's rows in id order so two connections made at the same
    moment cannot both slip past the cap. SQLite already runs one writer at a time."""
    if db.get_bind().dialect.name != "postgresql":
        return
    await db.execute(
        select(User.id).where(User.id.in_(sorted({a, b}))).order_by(User.id).with_for_update()
    )


async def check_send_request(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    *,
    handle: str | None = None,
    invite_id: int | None = None,
    note: str = "",
) -> Sent:
    """Ask someone to connect, named by handle or by an invite of yours they used.

    When they already asked you, this accepts their request. When they declined you within
    the request lifetime, this answers exactly like a sent request but reaches nobody.
    """
    await svc.limits.hit(
        svc.settings.rate_connection_requests, "connection-request", str(viewer.id)
    )
    text = check_note(note)
    other = await _recipient(db, viewer, handle, invite_id)
    if await are_connected(db, viewer.id, other.id):
        message = _("You are already connected with %(name)s.") % {"name": other.display_name}
        raise Conflict(message, "handle")
    ttl = svc.settings.request_ttl_days
    if await sent_request(db, viewer.id, other.id, ttl):
        raise Conflict(
            _("You already asked %(name)s to connect; your request is waiting for their answer.")
            % {"name": other.display_name},
            "handle",
        )
    cap = svc.settings.max_connections
    if await connection_count(db, viewer.id) >= cap:
        raise Conflict(at_cap_message(cap, "ask"), "handle")
    theirs = await received_request(db, viewer.id, other.id, ttl)
    if theirs is not None:
        await do_connect(svc, db, viewer, theirs, other)
        return Sent("connected", other, None)
    declined_at = await declined_since(db, viewer.id, other.id, ttl)
    request = await do_send_request(db, viewer, other, text, invite_id, declined_at)
    return Sent("sent", other, request)


async def _recipient(
    db: AsyncSession, viewer: Viewer, handle: str | None, invite_id: int | None
) -> User:
    if (handle is None) == (invite_id is None):
        raise Invalid(N_("Give the handle of the person you want to connect with."), "handle")
    if invite_id is not None:
        other = await access_used_invite(db, viewer, invite_id)
        if await blocked_between(db, viewer.id, other.id):
            raise NotFound(N_("Nobody joined with that invite of yours."), "invite_id")
    else:
        other = await access_member(db, viewer, parse_handle(handle or ""))
    if other.id == viewer.id:
        raise Invalid(N_("That is your own handle; enter the handle of someone else."), "handle")
    return other


async def do_send_request(
    db: AsyncSession,
    viewer: Viewer,
    other: User,
    note: str,
    invite_id: int | None,
    declined_at: datetime | None = None,
) -> ConnectionRequest:
    """Store a request. During a decline cooldown it is stored already declined: its sender
    sees it waiting like any other, and its recipient never sees it."""
    request = ConnectionRequest(
        sender_id=viewer.id,
        recipient_id=other.id,
        status=RequestStatus.declined.value if declined_at else RequestStatus.pending.value,
        note=note,
        invite_id=invite_id,
        created_at=utcnow(),
        decided_at=declined_at,
    )
    db.add(request)
    await db.flush()
    if declined_at is None:
        await do_notify(db, [other.id], REQUEST, request_ref(request.id), viewer.id)
    await db.commit()
    return request


async def check_accept_request(
    svc: Services, db: AsyncSession, viewer: Viewer, request_id: int
) -> User:
    """Accept a request sent to you; both of you must be under the connection cap."""
    request = await access_incoming_request(db, viewer, request_id, svc.settings.request_ttl_days)
    sender = await db.get(User, request.sender_id)
    if sender is None:
        raise NotFound(NO_SUCH_MEMBER)
    await do_connect(svc, db, viewer, request, sender)
    return sender


async def do_connect(
    svc: Services, db: AsyncSession, viewer: Viewer, request: ConnectionRequest, sender: User
) -> None:
    """Accept ``request`` (from ``sender`` to the viewer): two connection rows, and every other
    open request between the two closed. Both caps are checked under the pair's lock."""
    await lock_pair(db, viewer.id, sender.id)
    await _check_caps(svc, db, viewer, sender, adding=1)
    name = sender.display_name  # a rollback expires loaded rows: keep what the message needs
    now = utcnow()
    claimed = await db.execute(
        update(ConnectionRequest)
        .where(
            ConnectionRequest.id == request.id,
            ConnectionRequest.status == RequestStatus.pending.value,
        )
        .values(status=RequestStatus.accepted.value, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(N_("That request was answered or withdrawn a moment ago."))
    try:
        await _close_open_requests(db, viewer.id, sender.id, now)
        db.add_all(
            [
                Connection(user_id=viewer.id, other_id=sender.id, created_at=now),
                Connection(user_id=sender.id, other_id=viewer.id, created_at=now),
            ]
        )
        await db.flush()
        # Counted again with the new rows in place, inside the write transaction: on SQLite
        # (which has no row locks) a connection made at the same moment is counted here.
        await _check_caps(svc, db, viewer, sender, adding=0)
        accepted = connection_ref(viewer.id, sender.id)
        await do_withdraw(db, [request_ref(request.id), accepted])  # one entry, the newest
        await do_notify(db, [sender.id], ACCEPTED, accepted, viewer.id, now)
        await db.commit()
    except IntegrityError as exc:
        await rollback(db, viewer)
        raise Conflict(_("You are already connected with %(name)s.") % {"name": name}) from exc
    except Conflict:
        await rollback(db, viewer)
        raise
    await db.refresh(request)


async def _check_caps(
    svc: Services, db: AsyncSession, viewer: Viewer, sender: User, adding: int
) -> None:
    cap = svc.settings.max_connections
    if await connection_count(db, viewer.id) + adding > cap:
        raise Conflict(at_cap_message(cap, "accept"))
    if await connection_count(db, sender.id) + adding > cap:
        raise Conflict(
            _(
                "%(name)s has reached the most connections this community allows, so you can't "
                "connect right now. Their request stays here until it expires; try again later."
            )
            % {"name": sender.display_name}
        )


async def _close_open_requests(db: AsyncSession, a: int, b: int, now: datetime) -> None:
    """Requests between the two that anyone still sees as waiting end (status closed)."""
    await db.execute(
        update(ConnectionRequest)
        .where(
            or_(
                and_(ConnectionRequest.sender_id == a, ConnectionRequest.recipient_id == b),
                and_(ConnectionRequest.sender_id == b, ConnectionRequest.recipient_id == a),
            ),
            ConnectionRequest.status.in_(SENDER_SEES_PENDING),
        )
        .values(status=RequestStatus.closed.value, decided_at=now)
        .execution_options(synchronize_session=False)
    )


async def do_decline_request(
    svc: Services, db: AsyncSession, viewer: Viewer, request_id: int
) -> None:
    """Decline a request sent to you. Its sender is never told."""
    request = await access_incoming_request(db, viewer, request_id, svc.settings.request_ttl_days)
    request.status = RequestStatus.declined.value
    request.decided_at = utcnow()
    await do_withdraw(db, [request_ref(request.id)])
    await db.commit()


async def do_withdraw_request(
    svc: Services, db: AsyncSession, viewer: Viewer, request_id: int
) -> None:
    """Withdraw a request you sent. A request that was declined is withdrawn just the same
    from your side, and its decline still counts for the cooldown."""
    request = await access_outgoing_request(db, viewer, request_id, svc.settings.request_ttl_days)
    if request.status == RequestStatus.declined.value:
        request.status = RequestStatus.retracted.value
    else:
        request.status = RequestStatus.withdrawn.value
        request.decided_at = utcnow()
    await do_withdraw(db, [request_ref(request.id)])
    await db.commit()


async def do_remove_connection(db: AsyncSession, viewer: Viewer, handle: str) -> None:
    """End a connection, silently: the other person is not told."""
    other = await access_connection(db, viewer, handle)
    await sever(db, viewer.id, other.id)
    await db.commit()


async def sever(db: AsyncSession, a: int, b: int) -> None:
    """Both connection rows, each from the other's circles, and mutes either way, go."""
    await db.execute(
        delete(Connection).where(
            or_(
                and_(Connection.user_id == a, Connection.other_id == b),
                and_(Connection.user_id == b, Connection.other_id == a),
            )
        )
    )
    for owner, member in ((a, b), (b, a)):
        owned = select(Circle.id).where(Circle.owner_id == owner).scalar_subquery()
        await db.execute(
            delete(CircleMember).where(
                CircleMember.user_id == member, CircleMember.circle_id.in_(owned)
            )
        )
    await db.execute(
        delete(Mute).where(
            or_(
                and_(Mute.user_id == a, Mute.muted_id == b),
                and_(Mute.user_id == b, Mute.muted_id == a),
            )
        )
    )


async def close_requests_between(db: AsyncSession, a: int, b: int) -> None:
    await _close_open_requests(db, a, b, utcnow())
