"""How notifications about moments read, decided through the moments access rule: a
notification about a moment someone may no longer see (removed from the circle, disconnected,
blocked, deleted, a closed request for support) is not shown."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.moments.access import visible_ids
from socialode.moments.models import Moment
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind


def _moment_id(ref: str) -> int | None:
    kind, _, raw = ref.partition(":")
    return int(raw) if kind == "moment" and raw.isdigit() else None


async def resolve(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    wanted = {row.id: _moment_id(row.ref) for row in rows}
    visible = await visible_ids(db, viewer, [m for m in wanted.values() if m])
    if not visible:
        return {}
    found = await db.execute(
        select(Moment.id, Moment.kind, Moment.closed_at, User.display_name)
        .join(User, User.id == Moment.author_id)
        .where(Moment.id.in_(visible))
    )
    about = {mid: (kind, closed, name) for mid, kind, closed, name in found}
    shown: dict[int, Shown] = {}
    for row_id, moment_id in wanted.items():
        if moment_id not in about:
            continue
        kind, closed, name = about[moment_id]
        if kind == "support":
            if closed is not None:
                continue
            text = f"{name} could use some support. A message, a call or a visit would help."
        elif kind == "prompt":
            text = f"{name} answered a question of the day."
        else:
            text = f"{name} shared a moment with you."
        shown[row_id] = Shown(text, f"/moments/{moment_id}")
    return shown


def register_notices() -> None:
    register_kind(Kind("moment", "Moments shared with you", "digest", resolve))
    register_kind(Kind("support", "Requests for support", "live", resolve))
