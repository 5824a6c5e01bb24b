"""Joining by a member's invite connects the newcomer with who invited them.

Both agreed: one by inviting, one by keeping "You will be connected with Maya" ticked on the
sign-up page. Accounts comes before circles (which owns connections, their cap and blocks), so
it cannot make the connection itself: it offers this registration point, and circles plugs in
its action from ``app.register_features()``, the way notification kinds register.

The registered connector runs inside the sign-up's own transaction, after the new account and
the claimed invite are flushed and before the one commit: the connection, its notifications
and the account commit together, or nothing does. It must not commit. It answers what to tell
the newcomer, or None when there is no one to connect with (the inviter is gone, or a block
stands between them): the newcomer is then told nothing at all about it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import Invite, User
from socialode.platform.i18n import _
from socialode.platform.services import Services


@dataclass(frozen=True)
class Connecting:
    """What became of the connection the sign-up offered."""

    outcome: Literal["connected", "not_made"]
    message: str  # a sentence for the newcomer; never anyone's numbers
    person: User  # who invited them


Connector = Callable[[Services, AsyncSession, User, int], Awaitable[Connecting | None]]

_connector: list[Connector] = []


def register_invite_connector(connector: Connector) -> None:
    """Set how a newcomer is connected with who invited them. Registering the same one again
    is harmless; a different one raises."""
    if _connector and _connector[0] is not connector:
        raise ValueError("An invite connector is already registered.")
    if not _connector:
        _connector.append(connector)


def offers_connection(invite: Invite) -> bool:
    """Whether signing up with this invite may connect the newcomer with its issuer: a
    member's invite (by email or a shared link) whose issuer still has an account, in a
    process where a connector is registered."""
    return bool(_connector) and invite.kind == "member" and invite.issued_by_id is not None


async def connect_with_inviter(
    svc: Services, db: AsyncSession, newcomer: User, invite: Invite
) -> Connecting | None:
    """Inside the sign-up's transaction: connect the newcomer with the invite's issuer."""
    if not offers_connection(invite) or invite.issued_by_id is None:
        return None
    return await _connector[0](svc, db, newcomer, invite.issued_by_id)


def welcome_text(connecting: Connecting | None) -> str:
    """The first thing a newcomer reads, in the API's answer and on the page after sign-up."""
    if connecting is None:
        return _("Welcome! Your account is ready.")
    return _("Welcome! Your account is ready. %(connection)s") % {"connection": connecting.message}
