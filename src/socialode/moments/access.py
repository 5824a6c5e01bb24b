"""Who may see a moment: one rule, used by every surface (feed, moment page, API, photo, live
event, notification).

A member sees a moment when they wrote it, or when all of these hold now:
- they were in its audience when it was posted (``moment_audience``),
- they are still connected with its author (blocking or disconnecting ends that),
- its author is not suspended or banned by a moderator, and
- they were chosen by name, or they are still in one of the circles it was shared with.

A moment anyone else asks for answers exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from socialode.accounts.access import Viewer, suspended_clause
from socialode.accounts.models import User
from socialode.circles.access import block_partners, by_name
from socialode.circles.access_bulk import (
    connected_clause,
    in_circle_clause,
    members_of_circles,
    own_circles,
)
from socialode.moments.models import (
    FeedMark,
    Moment,
    MomentAudience,
    MomentCircle,
    MomentKind,
    MomentPhoto,
)
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import encode_cursor

PAGE = 20
CANDIDATES = 64  # audience rows checked per round while filling a page
NO_MOMENT = N_("That moment is not here: it may have been deleted, or it was not shared with you.")


@dataclass(frozen=True)
class MomentView:
    moment: Moment
    author: User
    photos: tuple[MomentPhoto, ...]  # in their order
    own: bool
    # Only in the answer to sharing it: the words read as telling of being hurt, so the author
    # is offered the way to help.
    offer_help: bool = False

    @property
    def ref(self) -> str:
        return f"moment:{self.moment.id}"

    @property
    def is_support(self) -> bool:
        return self.moment.kind == MomentKind.support.value

    def alt(self, photo: MomentPhoto) -> str:
        """The photo's alternative text: its description, or plainly whose photo it is."""
        return photo.alt or _("Photo shared by %(name)s") % {"name": self.author.display_name}


@dataclass(frozen=True)
class Page:
    items: list[MomentView]
    next_before: int | None  # None: this page is the end

    @property
    def next(self) -> str | None:
        """The cursor of the next page (``platform.pagination``); None at the end."""
        return None if self.next_before is None else encode_cursor([self.next_before])


def shared_with(
    viewer_id: int, audience: type[MomentAudience] = MomentAudience
) -> ColumnElement[bool]:
    """The rule for others' moments, given a join of ``Moment`` with the viewer's audience row."""
    circles = aliased(MomentCircle)
    return and_(
        audience.viewer_id == viewer_id,
        audience.moment_id == Moment.id,
        connected_clause(viewer_id, Moment.author_id),
        ~suspended_clause(Moment.author_id),
        or_(
            audience.direct,
            exists().where(
                circles.moment_id == Moment.id, in_circle_clause(circles.circle_id, viewer_id)
            ),
        ),
    )


def _with_people() -> Select[Moment, User]:
    return select(Moment, User).join(User, User.id == Moment.author_id)


async def _views(
    db: AsyncSession, viewer_id: int, rows: Iterable[tuple[Moment, User]]
) -> list[MomentView]:
    """The moments with their authors and, in one read, their photos in order."""
    found = list(rows)
    photos: dict[int, list[MomentPhoto]] = {m.id: [] for m, _u in found}
    if photos:
        query = select(MomentPhoto).where(MomentPhoto.moment_id.in_(list(photos)))
        for photo in await db.scalars(query.order_by(MomentPhoto.position, MomentPhoto.id)):
            photos[photo.moment_id or 0].append(photo)
    return [MomentView(m, u, tuple(photos[m.id]), m.author_id == viewer_id) for m, u in found]


async def access_moment(db: AsyncSession, viewer: Viewer, moment_id: int) -> MomentView:
    """One moment the viewer may see; anything else is the same 404."""
    query = _with_people().where(Moment.id == moment_id)
    own = (await db.execute(query.where(Moment.author_id == viewer.id))).first()
    if own is not None:
        return (await _views(db, viewer.id, [own]))[0]
    found = (await db.execute(query.join(MomentAudience, shared_with(viewer.id)))).first()
    if found is None:
        raise NotFound(NO_MOMENT)
    return (await _views(db, viewer.id, [found]))[0]


async def access_moment_photo(
    db: AsyncSession, viewer: Viewer, moment_id: int, number: int
) -> tuple[MomentView, int]:
    """A moment the viewer may see and the index of its photo ``number`` (from 1); a photo
    it does not have answers like a missing moment."""
    view = await access_moment(db, viewer, moment_id)
    if not 1 <= number <= len(view.photos):
        raise NotFound(NO_MOMENT)
    return view, number - 1


async def access_own_moment(db: AsyncSession, viewer: Viewer, moment_id: int) -> Moment:
    """The viewer's own moment, for changing it; anyone else's answers like a missing one."""
    moment = await db.get(Moment, moment_id)
    if moment is None or moment.author_id != viewer.id:
        raise NotFound(NO_MOMENT)
    return moment


async def _candidates(db: AsyncSession, viewer: Viewer, lower: int, upper: int | None) -> list[int]:
    """The next ``CANDIDATES`` moments of the viewer's audience rows below ``upper``, newest
    first: a backward range scan of the feed's index."""
    query = select(MomentAudience.moment_id).where(
        MomentAudience.viewer_id == viewer.id, MomentAudience.moment_id > lower
    )
    if upper is not None:
        query = query.where(MomentAudience.moment_id < upper)
    ordered = query.order_by(MomentAudience.moment_id.desc()).limit(CANDIDATES)
    return list(await db.scalars(ordered))


async def _others_page(db: AsyncSession, viewer: Viewer, lower: int, upper: int | None) -> Page:
    """Others' moments visible to the viewer with ``lower < id < upper``, newest first.

    On PostgreSQL the audience rows are read in index order a batch at a time and the rule is
    applied to that batch by id: given one statement joining everything, its planner joins all
    of a reader's thousands of moments before sorting them (bench/feed_strategies.py).
    SQLite follows the index order by itself, and one statement is faster there.
    """
    if db.get_bind().dialect.name == "sqlite":
        return await _others_page_one_statement(db, viewer, lower, upper)
    return await _others_page_batched(db, viewer, lower, upper)


async def _others_page_batched(
    db: AsyncSession, viewer: Viewer, lower: int, upper: int | None
) -> Page:
    views: list[MomentView] = []
    ceiling = upper
    while len(views) <= PAGE:
        batch = await _candidates(db, viewer, lower, ceiling)
        if not batch:
            break
        query = (
            _with_people()
            .join(MomentAudience, shared_with(viewer.id))
            .where(Moment.id.in_(batch))
            .order_by(Moment.id.desc())
            .limit(PAGE + 1 - len(views))
        )
        views += await _views(db, viewer.id, (await db.execute(query)).all())
        if len(batch) < CANDIDATES:
            break
        ceiling = batch[-1]
    more = len(views) > PAGE
    views = views[:PAGE]
    return Page(views, views[-1].moment.id if more else None)


async def _others_page_one_statement(
    db: AsyncSession, viewer: Viewer, lower: int, upper: int | None
) -> Page:
    query = (
        _with_people()
        .join(MomentAudience, shared_with(viewer.id))
        .where(MomentAudience.moment_id > lower)
    )
    if upper is not None:
        query = query.where(MomentAudience.moment_id < upper)
    ordered = query.order_by(MomentAudience.moment_id.desc()).limit(PAGE + 1)
    views = await _views(db, viewer.id, (await db.execute(ordered)).all())
    more = len(views) > PAGE
    views = views[:PAGE]
    return Page(views, views[-1].moment.id if more else None)


async def feed_mark(db: AsyncSession, viewer: Viewer) -> int:
    """The newest moment id the viewer had read up to (0 before their first full read)."""
    mark = await db.get(FeedMark, viewer.id)
    return mark.seen_upto if mark else 0


async def access_feed(
    db: AsyncSession, viewer: Viewer, since: int, before: int | None = None
) -> Page:
    """ "Your people": moments newer than ``since`` (normally the viewer's mark), newest first,
    in pages; ``next_before`` is None on the last page, after which the viewer is caught up."""
    return await _others_page(db, viewer, since, before)


def _day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    start = datetime.combine(day, time(0), zone)
    return start, start + timedelta(days=1)


async def _first_id_from(db: AsyncSession, at: datetime) -> int | None:
    return await db.scalar(select(func.min(Moment.id)).where(Moment.created_at >= at))


async def access_day(
    db: AsyncSession, viewer: Viewer, day: date, before: int | None = None
) -> Page:
    """Looking back on purpose: others' moments from one day (in the viewer's time zone)."""
    if not 1970 <= day.year <= 9998:  # nothing was shared then, and the bounds stay in range
        return Page([], None)
    start, end = _day_bounds(day, viewer.user.timezone)
    first = await _first_id_from(db, start)
    if first is None:
        return Page([], None)
    after_day = await _first_id_from(db, end)
    upper = after_day if before is None else min(before, after_day or before)
    return await _others_page(db, viewer, first - 1, upper)


async def access_own_moments(db: AsyncSession, viewer: Viewer, before: int | None = None) -> Page:
    """The viewer's own moments, newest first, in pages that end."""
    query = _with_people().where(Moment.author_id == viewer.id)
    if before is not None:
        query = query.where(Moment.id < before)
    rows = await db.execute(query.order_by(Moment.id.desc()).limit(PAGE + 1))
    views = await _views(db, viewer.id, rows.all())
    more = len(views) > PAGE
    views = views[:PAGE]
    return Page(views, views[-1].moment.id if more else None)


async def viewers_of(db: AsyncSession, moment: Moment) -> list[int]:
    """Everyone who may see the moment now, the author included (live-event recipients)."""
    rows = await db.scalars(
        select(MomentAudience.viewer_id)
        .join(Moment, Moment.id == MomentAudience.moment_id)
        .where(Moment.id == moment.id)
        .where(_shared_with_row())
    )
    return [moment.author_id, *sorted(set(rows) - {moment.author_id})]


def _shared_with_row() -> ColumnElement[bool]:
    """``shared_with`` for whichever viewer the audience row is about."""
    circles = aliased(MomentCircle)
    return and_(
        connected_clause(MomentAudience.viewer_id, Moment.author_id),
        ~suspended_clause(Moment.author_id),
        or_(
            MomentAudience.direct,
            exists().where(
                circles.moment_id == Moment.id,
                in_circle_clause(circles.circle_id, MomentAudience.viewer_id),
            ),
        ),
    )


async def visible_ids(db: AsyncSession, viewer: Viewer, moment_ids: Sequence[int]) -> set[int]:
    """Which of these moments the viewer may see (for notifications)."""
    ids = set(moment_ids)
    if not ids:
        return set()
    own = await db.scalars(
        select(Moment.id).where(Moment.id.in_(ids), Moment.author_id == viewer.id)
    )
    shared = await db.scalars(
        select(Moment.id).join(MomentAudience, shared_with(viewer.id)).where(Moment.id.in_(ids))
    )
    return set(own) | set(shared)


@dataclass(frozen=True)
class Audience:
    """What the author sees of whom a moment went to (nobody else sees this)."""

    circles: list[str]
    people: list[User]


async def access_audience(db: AsyncSession, viewer: Viewer, moment: Moment) -> Audience:
    """Never less than who may see it: the author's own circles by name, and by name everyone
    else: those it went to directly, and those who see it through a circle that is not the
    author's (an answer to another member's daily question reaches the people in that circle)."""
    if moment.author_id != viewer.id:
        raise NotFound(NO_MOMENT)
    circle_ids = list(
        await db.scalars(select(MomentCircle.circle_id).where(MomentCircle.moment_id == moment.id))
    )
    mine = await own_circles(db, viewer.id, circle_ids)
    named = select(User).join(MomentAudience, MomentAudience.viewer_id == User.id)
    named = named.where(MomentAudience.moment_id == moment.id)
    if set(circle_ids) - set(mine):  # through someone else's circle: everyone who sees it
        through_own = await members_of_circles(db, mine)
        others = set(await viewers_of(db, moment)) - through_own
        named = named.where(or_(MomentAudience.direct, User.id.in_(others)))
    else:
        named = named.where(MomentAudience.direct)
    hidden = await block_partners(db, viewer.id) | {viewer.id}
    people = [p for p in await db.scalars(named) if p.id not in hidden]
    return Audience(sorted(c.name for c in mine.values()), sorted(people, key=by_name))


async def access_photo(db: AsyncSession, viewer: Viewer, key: str) -> MomentPhoto:
    """A photo the viewer may see: one of their uploads, or the photo of a moment they see."""
    photo = await db.scalar(select(MomentPhoto).where(MomentPhoto.key == key))
    if photo is None:
        raise NotFound(NO_MOMENT)
    if photo.owner_id == viewer.id:
        return photo
    if photo.moment_id is None:
        raise NotFound(NO_MOMENT)
    await access_moment(db, viewer, photo.moment_id)
    return photo
