"""Reading the feed: what is new since the viewer's mark, and moving the mark forward when
they have read to the end of it (they are caught up)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments import access
from socialode.moments.access import Page
from socialode.moments.models import FeedMark, Moment
from socialode.platform.clock import utcnow
from socialode.platform.deps import MAX_ID
from socialode.platform.pagination import decode_ints, encode_cursor


@dataclass(frozen=True)
class FeedRead:
    page: Page
    since: int  # the mark this reading pass started from
    top: int  # the newest moment of this pass; the mark moves here at its end

    @property
    def caught_up(self) -> bool:
        return self.page.next_before is None

    @property
    def next(self) -> str | None:
        """The cursor of the next page of this pass: its mark, its top and where it got to."""
        if self.page.next_before is None:
            return None
        return encode_cursor([self.since, self.top, self.page.next_before])


def feed_position(
    cursor: str | None, since: int | None = None
) -> tuple[int | None, int | None, int | None]:
    """Where a pass through the feed stands, from the ``next`` of its previous page; without
    one, a new pass starts at ``since`` (or the viewer's mark)."""
    found = decode_ints(cursor, 3)
    return (since, None, None) if found is None else (found[0], found[1], found[2])


async def check_read_feed(
    db: AsyncSession,
    viewer: Viewer,
    since: int | None = None,
    top: int | None = None,
    before: int | None = None,
) -> FeedRead:
    """One page of what is new. A pass starts at the viewer's mark (or ``since``) and is
    bounded above by ``top``, so moments shared while paging wait for the next pass."""
    start = await access.feed_mark(db, viewer) if since is None else since
    upper = (
        before if before is not None else (min(top, MAX_ID - 1) + 1 if top is not None else None)
    )
    page = await access.access_feed(db, viewer, start, upper)
    newest = top if top is not None else (page.items[0].moment.id if page.items else start)
    read = FeedRead(page, start, newest)
    if read.caught_up:
        await do_mark_caught_up(db, viewer, newest)
    return read


async def do_mark_caught_up(db: AsyncSession, viewer: Viewer, upto: int) -> None:
    """The viewer has read everything up to moment ``upto``; the mark never moves back, nor
    past the newest moment there is."""
    newest = await db.scalar(select(func.max(Moment.id))) or 0
    upto = min(upto, newest)
    mark = await db.get(FeedMark, viewer.id)
    if mark is None:
        db.add(FeedMark(user_id=viewer.id, seen_upto=upto, updated_at=utcnow()))
    elif upto > mark.seen_upto:
        mark.seen_upto, mark.updated_at = upto, utcnow()
    else:
        return
    await db.commit()
