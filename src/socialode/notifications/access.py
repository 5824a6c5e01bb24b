"""Reads of notifications: always the viewer's own, filtered through each kind's resolver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.notifications.models import OFF, Notification
from socialode.notifications.registry import Shown, kind_named, listed_kinds, resolver_for

PAGE = 30
MAX_ROUNDS = 4  # pages of stored rows examined to fill one page of visible ones


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    unread: bool
    person: User | None = None
    preview: str = ""  # the words themselves (a request's note), for the member's own list


async def _resolve(db: AsyncSession, viewer: Viewer, rows: list[Notification]) -> list[Item]:
    shown: dict[int, Shown] = {}
    for kind in {row.kind for row in rows}:
        resolver = resolver_for(kind)
        if resolver is not None:
            shown |= await resolver(db, viewer, [r for r in rows if r.kind == kind])
    return [
        Item(
            r.id,
            r.kind,
            shown[r.id].text,
            shown[r.id].url,
            r.created_at,
            r.read_at is None,
            shown[r.id].person,
            shown[r.id].preview,
        )
        for r in rows
        if r.id in shown
    ]


async def access_notifications(
    db: AsyncSession, viewer: Viewer, before: int | None = None
) -> tuple[list[Item], int | None]:
    """One page of the viewer's notifications, newest first, and the id the next page starts
    below (None only when nothing the viewer may see is left). Rows the viewer may no longer
    see are skipped, and the page is filled across them."""
    items: list[Item] = []
    cursor = before
    for _ in range(MAX_ROUNDS):
        query = select(Notification).where(
            Notification.user_id == viewer.id, Notification.kind.in_(listed_kinds())
        )
        if cursor is not None:
            query = query.where(Notification.id < cursor)
        wanted = PAGE + 1 - len(items)
        rows = list((await db.scalars(query.order_by(Notification.id.desc()).limit(wanted))).all())
        items.extend(await _resolve(db, viewer, rows))
        if len(items) > PAGE:
            page = items[:PAGE]
            return page, page[-1].id
        if len(rows) < wanted:
            return items, None
        cursor = rows[-1].id
    # Many hidden rows in a row: hand back what was found and carry on from there next time.
    return items, cursor


MARK_LOOKS = 40  # unread rows examined for the marks (the newest; enough to find one visible)
MARK_SLICES = (2, 8, MARK_LOOKS)  # resolved a slice at a time: the newest is nearly always shown


def _mark_of(kind_name: str) -> str:
    kind = kind_named(kind_name)
    return "notifications" if kind is None or kind.listed else "conversations"


async def access_marks(db: AsyncSession, viewer: Viewer) -> set[str]:
    """Which calm marks the menu shows: ``conversations`` (a new message you have not read)
    and ``notifications`` (something listed you have not seen) -- a dot each, never a number.
    Only things the viewer may still see count; kinds they turned off never mark.

    Every page asks, so each mark's unread rows are resolved newest first a slice at a time,
    and a mark stops looking once one of its rows is still visible."""
    rows = list(
        (
            await db.scalars(
                select(Notification)
                .where(
                    Notification.user_id == viewer.id,
                    Notification.read_at.is_(None),
                    Notification.delivery != OFF,
                )
                .order_by(Notification.id.desc())
                .limit(MARK_LOOKS)
            )
        ).all()
    )
    waiting: dict[str, list[Notification]] = {}
    for row in rows:
        waiting.setdefault(_mark_of(row.kind), []).append(row)
    marks: set[str] = set()
    start = 0
    for end in MARK_SLICES:
        batch = [
            row for mark, mine in waiting.items() if mark not in marks for row in mine[start:end]
        ]
        if not batch:  # every mark found, or nothing unread left to look at
            break
        marks |= {_mark_of(item.kind) for item in await _resolve(db, viewer, batch)}
        start = end
    return marks
