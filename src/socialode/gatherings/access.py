"""Reads of gatherings: only ever by the people invited to them.

One rule decides who sees a gathering (:func:`access_gathering`): its invitees, the organiser
among them. Anyone else, for any route (page, API, calendar file, notification), gets the
same answer as for a gathering that does not exist. Two people who blocked each other are
never in one gathering (the actions keep them apart); the views leave out anyone across a
block all the same. While its organiser is suspended (for good, after a ban), a gathering is
out of its invitees' sight like everything else the organiser wrote: its page, the lists,
the calendar feed and its notifications answer as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, suspended, suspended_clause
from socialode.accounts.models import User
from socialode.circles.access import block_partners
from socialode.gatherings.models import Answer, Gathering, Invitee, Rsvp, State, TimeOption, Vote
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_
from socialode.safety.pause import folded_part, folds

NO_GATHERING = N_("There is no such gathering, or you were not invited to it.")
PAGE = 30


# A gathering's fields that carry words (scored one by one before it is sent).
WORD_FIELDS = ("title", "description", "place")


def folded_fields(paused: str | None) -> frozenset[str]:
    """Which fields hold words sent anyway after a pause, for readers who fold such texts:
    the one recorded with the choice, or all three when it was stored without one (words in
    more than one field, or a choice made before the field was recorded)."""
    if not folds(paused):
        return frozenset()
    part = folded_part(paused)
    return frozenset({part}) if part in WORD_FIELDS else frozenset(WORD_FIELDS)


@dataclass(frozen=True)
class Guest:
    user: User
    rsvp: str
    organiser: bool


@dataclass(frozen=True)
class OptionView:
    option: TimeOption
    answers: dict[int, str]  # user id -> Answer value, for the people shown

    def who(self, answer: str, guests: Sequence[Guest]) -> list[User]:
        return [g.user for g in guests if self.answers.get(g.user.id) == answer]

    @property
    def score(self) -> tuple[int, int]:
        """How well this time suits: yes answers, then yes or if-needed answers."""
        values = list(self.answers.values())
        yes = values.count(Answer.yes.value)
        return yes, yes + values.count(Answer.if_needed.value)


@dataclass(frozen=True)
class GatheringView:
    gathering: Gathering
    me: Invitee
    guests: list[Guest]  # the organiser first, then by name
    options: list[OptionView] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.gathering.id

    @property
    def is_organiser(self) -> bool:
        return self.gathering.organiser_id == self.me.user_id

    @property
    def folded(self) -> frozenset[str]:
        """See :func:`folded_fields` (whether this reader folds is the page's to say)."""
        return folded_fields(self.gathering.paused)

    @property
    def organiser(self) -> User:
        return next(g.user for g in self.guests if g.organiser)

    @property
    def polling(self) -> bool:
        return self.gathering.state == State.polling.value

    @property
    def fixed(self) -> bool:
        return self.gathering.state == State.fixed.value

    @property
    def cancelled(self) -> bool:
        return self.gathering.state == State.cancelled.value

    def begun(self, now: datetime) -> bool:
        starts = self.gathering.starts_at
        return self.fixed and starts is not None and starts <= now

    def over(self, now: datetime) -> bool:
        ends = self.gathering.ends_at
        return self.fixed and ends is not None and ends <= now

    def my_answers(self) -> dict[int, str]:
        return {o.option.id: o.answers.get(self.me.user_id, "") for o in self.options}

    def with_rsvp(self, rsvp: str) -> list[User]:
        return [g.user for g in self.guests if g.rsvp == rsvp]

    @property
    def unanswered(self) -> list[User]:
        return self.with_rsvp(Rsvp.none.value)

    def best_option(self) -> OptionView | None:
        """The time most can make: most yes, then most yes or if needed, then the earliest."""
        if not self.options:
            return None
        return max(self.options, key=lambda o: (o.score, -o.option.starts_at.timestamp()))


async def _invitation(db: AsyncSession, viewer: Viewer, gathering_id: int) -> Invitee:
    found = await db.scalar(
        select(Invitee).where(Invitee.gathering_id == gathering_id, Invitee.user_id == viewer.id)
    )
    if found is None:
        raise NotFound(NO_GATHERING)
    return found


async def access_gathering(db: AsyncSession, viewer: Viewer, gathering_id: int) -> GatheringView:
    """The gathering as an invitee sees it; anyone else gets the answer for a missing one."""
    me = await _invitation(db, viewer, gathering_id)
    gathering = await db.get(Gathering, gathering_id)
    if gathering is None:
        raise NotFound(NO_GATHERING)
    hidden = await block_partners(db, viewer.id)
    rows = list(
        await db.execute(
            select(Invitee, User)
            .join(User, User.id == Invitee.user_id)
            .where(Invitee.gathering_id == gathering_id)
        )
    )
    if any(user.id == gathering.organiser_id != viewer.id and suspended(user) for _, user in rows):
        raise NotFound(NO_GATHERING)
    guests = [
        Guest(user, invitee.rsvp, user.id == gathering.organiser_id)
        for invitee, user in rows
        if user.id not in hidden
    ]
    guests.sort(key=lambda g: (not g.organiser, g.user.display_name.casefold(), g.user.id))
    options: list[OptionView] = []
    if gathering.state == State.polling.value:
        options = await options_of(db, gathering_id, {g.user.id for g in guests})
    return GatheringView(gathering, me, guests, options)


async def options_of(db: AsyncSession, gathering_id: int, shown: set[int]) -> list[OptionView]:
    found = list(
        await db.scalars(
            select(TimeOption)
            .where(TimeOption.gathering_id == gathering_id)
            .order_by(TimeOption.starts_at, TimeOption.id)
        )
    )
    answers: dict[int, dict[int, str]] = {o.id: {} for o in found}
    votes = await db.execute(
        select(Vote.option_id, Vote.user_id, Vote.answer).where(Vote.gathering_id == gathering_id)
    )
    for option_id, user_id, answer in votes:
        if user_id in shown and option_id in answers:
            answers[option_id][user_id] = answer
    return [OptionView(o, answers[o.id]) for o in found]


async def access_organised(db: AsyncSession, viewer: Viewer, gathering_id: int) -> GatheringView:
    """For changing a gathering: its organiser only. An invitee is told why; anyone else
    gets the answer for a missing gathering."""
    view = await access_gathering(db, viewer, gathering_id)
    if not view.is_organiser:
        raise NotFound(N_("Only the person who proposed this gathering can change it."))
    return view


@dataclass(frozen=True)
class Listed:
    gathering: Gathering
    organiser: User
    rsvp: str

    @property
    def when(self) -> datetime | None:
        return self.gathering.starts_at

    @property
    def folded(self) -> frozenset[str]:
        return folded_fields(self.gathering.paused)


@dataclass(frozen=True)
class Listing:
    coming: list[Listed]  # still polling, or not yet over: soonest first, polls last
    past: list[Listed]  # over or cancelled, newest first, in pages
    next_before: tuple[datetime, int] | None  # where the next page of the past starts


async def access_own_gatherings(
    db: AsyncSession, viewer: Viewer, now: datetime, before: tuple[datetime, int] | None = None
) -> Listing:
    """The viewer's gatherings: what is coming (every one: there are never many), then the
    past a page at a time, so the list ends."""
    base = (
        select(Gathering, User, Invitee.rsvp)
        .join(Invitee, and_(Invitee.gathering_id == Gathering.id, Invitee.user_id == viewer.id))
        .join(User, User.id == Gathering.organiser_id)
        .where(~suspended_clause(Gathering.organiser_id))
    )
    coming_clause = and_(
        Gathering.state != State.cancelled.value,
        or_(Gathering.state == State.polling.value, Gathering.ends_at > now),
    )
    coming: list[Listed] = []
    if before is None:
        rows = await db.execute(base.where(coming_clause))
        coming = [Listed(g, u, r) for g, u, r in rows]
        coming.sort(key=lambda item: (item.when is None, item.when or now, item.gathering.id))
    stamp = _past_stamp()
    past_query = base.where(~coming_clause)
    if before is not None:
        at, gathering_id = before
        past_query = past_query.where(
            or_(stamp < at, and_(stamp == at, Gathering.id < gathering_id))
        )
    rows = await db.execute(past_query.order_by(stamp.desc(), Gathering.id.desc()).limit(PAGE + 1))
    past = [Listed(g, u, r) for g, u, r in rows]
    more = len(past) > PAGE
    past = past[:PAGE]
    last = past[-1].gathering if past else None
    next_before = (_stamp_of(last), last.id) if more and last is not None else None
    return Listing(coming, past, next_before)


def _past_stamp() -> ColumnElement[datetime]:
    """When a past gathering happened, or when it was last changed if it never had a time."""
    return func.coalesce(Gathering.starts_at, Gathering.updated_at)


def _stamp_of(gathering: Gathering) -> datetime:
    return gathering.starts_at or gathering.updated_at


async def invitee_ids(db: AsyncSession, gathering_id: int) -> list[int]:
    """Everyone invited to a gathering, for what the actions send them (never for showing)."""
    return list(
        await db.scalars(select(Invitee.user_id).where(Invitee.gathering_id == gathering_id))
    )


async def visible_gathering_ids(
    db: AsyncSession, viewer: Viewer, gathering_ids: Sequence[int]
) -> set[int]:
    """Which of these gatherings the viewer is invited to (for notifications)."""
    ids = set(gathering_ids)
    if not ids:
        return set()
    return set(
        await db.scalars(
            select(Invitee.gathering_id)
            .join(Gathering, Gathering.id == Invitee.gathering_id)
            .where(Invitee.user_id == viewer.id, Invitee.gathering_id.in_(ids))
            .where(~suspended_clause(Gathering.organiser_id))
        )
    )


async def access_own_days_together(
    db: AsyncSession, viewer: Viewer, since: datetime, now: datetime
) -> list[datetime]:
    """When the gatherings the viewer said they were going to began, of those over by now
    (for the viewer's own trends: their time with people, face to face)."""
    return list(
        await db.scalars(
            select(Gathering.starts_at)
            .join(Invitee, Invitee.gathering_id == Gathering.id)
            .where(
                Invitee.user_id == viewer.id,
                Invitee.rsvp == Rsvp.going.value,
                Gathering.state == State.fixed.value,
                Gathering.starts_at >= since,
                Gathering.ends_at <= now,
            )
        )
    )
