"""How notifications about connecting read, decided through the circles' own rules when they
are read: a request shows only while it still waits for the viewer's answer (its note is the
preview), an acceptance or a connection made by an invite only while the connection it
announced still stands (a block ends all three)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import block_partners, request_cutoff
from socialode.circles.models import Connection, ConnectionRequest, RequestStatus
from socialode.config import Settings
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.i18n import N_, _

REQUEST = "connection_request"
ACCEPTED = "connection_accepted"
INVITED = "connection_by_invite"
REQUESTS_PAGE = "/connections"

# Resolvers run without the app's settings; a request is shown for the lifetime requests have
# unless configured otherwise (the requests page itself applies the configured one).
_TTL_DAYS: int = Settings.model_fields["request_ttl_days"].default


def request_ref(request_id: int) -> str:
    return f"request:{request_id}"


def connection_ref(accepted_by: int, requester: int) -> str:
    return f"connection:{accepted_by}:{requester}"


def invited_ref(inviter: int, newcomer: int) -> str:
    """Both sides' notification of a connection made when ``newcomer`` joined by invite."""
    return f"invited:{inviter}:{newcomer}"


def _number(ref: str, prefix: str) -> int | None:
    kind, _sep, raw = ref.partition(":")
    return int(raw) if kind == prefix and raw.isdigit() else None


def _acceptor(ref: str, viewer_id: int) -> int | None:
    kind, _sep, raw = ref.partition(":")
    by, _sep, to = raw.partition(":")
    if kind != "connection" or not by.isdigit() or to != str(viewer_id):
        return None
    return int(by)


async def resolve_requests(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    wanted = {row.id: _number(row.ref, "request") for row in rows}
    ids = {r for r in wanted.values() if r is not None}
    if not ids:
        return {}
    hidden = await block_partners(db, viewer.id)
    found = await db.execute(
        select(ConnectionRequest.id, ConnectionRequest.sender_id, ConnectionRequest.note, User)
        .join(User, User.id == ConnectionRequest.sender_id)
        .where(
            ConnectionRequest.id.in_(ids),
            ConnectionRequest.recipient_id == viewer.id,
            ConnectionRequest.status == RequestStatus.pending.value,
            ConnectionRequest.created_at >= request_cutoff(_TTL_DAYS),
        )
    )
    waiting = {rid: (user, note) for rid, sender, note, user in found if sender not in hidden}
    return {
        row_id: Shown(
            _("%(name)s would like to connect.") % {"name": waiting[rid][0].display_name},
            REQUESTS_PAGE,
            preview=waiting[rid][1],  # their note, in the sender's own words
            person=waiting[rid][0],
        )
        for row_id, rid in wanted.items()
        if rid in waiting
    }


async def _connected_since(
    db: AsyncSession, viewer: Viewer, others: Iterable[int | None]
) -> dict[int, tuple[User, datetime]]:
    """Those of ``others`` the viewer is connected with now, and since when."""
    ids = {u for u in others if u is not None}
    if not ids:
        return {}
    found = await db.execute(
        select(User, Connection.created_at)
        .join(Connection, Connection.other_id == User.id)
        .where(Connection.user_id == viewer.id, User.id.in_(ids))
    )
    return {user.id: (user, since) for user, since in found}


async def resolve_accepted(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    wanted = {row.id: _acceptor(row.ref, viewer.id) for row in rows}
    people = await _connected_since(db, viewer, wanted.values())
    shown: dict[int, Shown] = {}
    for row in rows:
        uid = wanted[row.id]
        if uid not in people:
            continue
        user, since = people[uid]
        if row.created_at < since:  # about a connection that has ended since
            continue
        text = _("%(name)s accepted your request — you're connected.") % {"name": user.display_name}
        shown[row.id] = Shown(text, f"/people/{user.handle}", person=user)
    return shown


def _invited_other(ref: str, viewer_id: int) -> int | None:
    """The other side of an ``invited:<inviter>:<newcomer>`` ref the viewer is part of."""
    kind, _sep, raw = ref.partition(":")
    inviter, _sep, newcomer = raw.partition(":")
    if kind != "invited" or not inviter.isdigit() or not newcomer.isdigit():
        return None
    if int(inviter) == viewer_id:
        return int(newcomer)
    return int(inviter) if int(newcomer) == viewer_id else None


async def resolve_invited(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    """Shown while the connection made on sign-up still stands (removing it or a block ends
    it, and a later connection between the two is not this one)."""
    wanted = {row.id: _invited_other(row.ref, viewer.id) for row in rows}
    people = await _connected_since(db, viewer, wanted.values())
    shown: dict[int, Shown] = {}
    for row in rows:
        uid = wanted[row.id]
        if uid not in people or row.created_at < people[uid][1]:
            continue
        user = people[uid][0]
        if row.ref == invited_ref(viewer.id, uid):  # the viewer invited them
            text = _("%(name)s joined with your invite: you're connected.")
        else:
            text = _("You're connected with %(name)s, who invited you.")
        shown[row.id] = Shown(
            text % {"name": user.display_name}, f"/people/{user.handle}", person=user
        )
    return shown


INVITED_LABEL = N_("Connections made by invites")


def register_notices() -> None:
    register_kind(Kind(REQUEST, N_("Requests to connect"), "live", resolve_requests))
    register_kind(Kind(ACCEPTED, N_("Accepted requests to connect"), "digest", resolve_accepted))
    register_kind(Kind(INVITED, INVITED_LABEL, "digest", resolve_invited))
