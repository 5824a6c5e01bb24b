"""Small pieces the gatherings pages share."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import access_own_circles, access_own_connections
from socialode.platform.i18n import _, ngettext


async def more_choices(db: AsyncSession, viewer: Viewer) -> dict[str, Any]:
    """Whom the organiser can choose from: their circles and connections."""
    return {
        "circles": await access_own_circles(db, viewer),
        "connections": await access_own_connections(db, viewer),
    }


def invited_text(added: list[User], left_out: list[User]) -> str:
    """What the organiser is told after inviting: never why someone could not be added."""
    text = _("Invitations are on their way.") if added else ""
    if left_out:
        names = ", ".join(u.display_name for u in left_out)
        text += " " + ngettext(
            "%(names)s could not be added to this gathering.",
            "%(names)s could not be added to this gathering.",
            len(left_out),
        ) % {"names": names}
    return text.strip()
