"""An invite is a connection: whoever joins with a member's invite (by email or a shared link),
and keeps "You will be connected with Maya" ticked, is connected with them on sign-up.

Both agreed, one by inviting and one by accepting, so no request is involved. Accounts calls
this through the connector it offers (``accounts.actions.joining``), inside the sign-up's own
transaction: nothing here commits, so the account, the connection and both notifications are
written together or not at all.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.actions.joining import Connecting, register_invite_connector
from socialode.accounts.models import User
from socialode.circles.access import (
    SENDER_SEES_PENDING,
    are_connected,
    blocked_between,
    connection_count,
)
from socialode.circles.actions.connections import close_requests_between, lock_pair
from socialode.circles.models import Connection, ConnectionRequest
from socialode.circles.notices import INVITED, invited_ref, request_ref
from socialode.notifications.actions import do_notify, do_withdraw
from socialode.platform.clock import utcnow
from socialode.platform.i18n import _
from socialode.platform.services import Services


async def do_connect_invited(
    svc: Services, db: AsyncSession, newcomer: User, inviter_id: int
) -> Connecting | None:
    """Connect ``newcomer`` with the member who invited them, within the cap of both.

    None when there is nobody to connect with: the inviter's account is gone, or a block
    stands between the two (which the answer must not reveal, so it reads like no offer).
    At the cap of either, nothing is connected and the answer says so without anyone's
    numbers. A request still waiting between them ends (``closed``), with its notification.
    """
    inviter = await db.get(User, inviter_id)
    if inviter is None or inviter.id == newcomer.id:
        return None
    if await blocked_between(db, inviter.id, newcomer.id):
        return None
    connected = Connecting("connected", _connected(inviter), inviter)
    if await are_connected(db, inviter.id, newcomer.id):
        return connected
    # On PostgreSQL both rows are locked, as accepting a request does; on SQLite the sign-up
    # already holds the one writer's lock. Either way the counts below cannot move under us.
    await lock_pair(db, inviter.id, newcomer.id)
    cap = svc.settings.max_connections
    if (
        await connection_count(db, inviter.id) >= cap
        or await connection_count(db, newcomer.id) >= cap
    ):
        return Connecting("not_made", _not_made(inviter), inviter)
    now = utcnow()
    waiting = await _waiting_requests(db, inviter.id, newcomer.id)
    await close_requests_between(db, inviter.id, newcomer.id)
    db.add_all(
        [
            Connection(user_id=inviter.id, other_id=newcomer.id, created_at=now),
            Connection(user_id=newcomer.id, other_id=inviter.id, created_at=now),
        ]
    )
    await db.flush()
    ref = invited_ref(inviter.id, newcomer.id)
    await do_withdraw(db, [*(request_ref(r) for r in waiting), ref])
    await do_notify(db, [inviter.id], INVITED, ref, newcomer.id, now)
    await do_notify(db, [newcomer.id], INVITED, ref, inviter.id, now)
    return connected


def _connected(inviter: User) -> str:
    return _("You and %(name)s are connected.") % {"name": inviter.display_name}


def _not_made(inviter: User) -> str:
    return _(
        "Your connection with %(name)s could not be made now: connections are capped so "
        "that each one counts. You can ask %(name)s (@%(handle)s) to connect later."
    ) % {"name": inviter.display_name, "handle": inviter.handle}


async def _waiting_requests(db: AsyncSession, a: int, b: int) -> list[int]:
    """Requests either way between the two that anyone still sees as waiting."""
    rows = await db.scalars(
        select(ConnectionRequest.id).where(
            or_(
                and_(ConnectionRequest.sender_id == a, ConnectionRequest.recipient_id == b),
                and_(ConnectionRequest.sender_id == b, ConnectionRequest.recipient_id == a),
            ),
            ConnectionRequest.status.in_(SENDER_SEES_PENDING),
        )
    )
    return list(rows)


def register_invite_connections() -> None:
    """Called from ``app.register_features()``: sign-up connects through this module."""
    register_invite_connector(do_connect_invited)
