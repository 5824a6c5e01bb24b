"""Proposing a gathering: the only way one comes to exist.

The organiser invites a circle of theirs and/or connections by handle (up to 30 people),
offers one time or several to choose from, and everyone invited hears of it. Two people who
blocked each other are never invited together: the one named later is left out and the
organiser is told they could not be added, never why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import (
    access_circle_view,
    access_connection,
    connection_ids,
    muted_by,
)
from socialode.circles.access_bulk import block_partners_of
from socialode.gatherings.actions.scheduling import do_schedule_fixed, enqueue_poll_close
from socialode.gatherings.actions.words import check_gathering_words
from socialode.gatherings.models import Gathering, Invitee, Rsvp, State, TimeOption
from socialode.gatherings.notices import INVITE, ref_for
from socialode.gatherings.validation import (
    MAX_INVITEES,
    Span,
    check_description,
    check_map_url,
    check_place,
    check_poll_close,
    check_spans,
    check_title,
)
from socialode.notifications.actions import do_notify
from socialode.platform.clock import utcnow
from socialode.platform.errors import Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services
from socialode.safety.pause import NO_ANSWER, PauseAnswer


@dataclass(frozen=True)
class Proposal:
    title: str
    spans: list[tuple[datetime, datetime]]  # aware instants
    description: str = ""
    place: str = ""
    map_url: str = ""
    circle_id: int | None = None
    handles: list[str] = field(default_factory=list)
    poll_closes_at: datetime | None = None
    pause: PauseAnswer = NO_ANSWER  # the organiser's answer to a pause before sending


@dataclass(frozen=True)
class Proposed:
    gathering_id: int
    left_out: list[User]  # could not be invited together with someone already invited
    invited: list[User] = field(default_factory=list)


async def chosen_people(
    db: AsyncSession, viewer: Viewer, circle_id: int | None, handles: list[str]
) -> list[User]:
    """The circle's members, then the named connections, in that order, each once (the
    organiser left out: they are always in)."""
    people: dict[int, User] = {}
    if circle_id is not None:
        view = await access_circle_view(db, viewer, circle_id)
        connected = await connection_ids(db, viewer.id)
        people |= {u.id: u for u in view.members if u.id in connected}
    own = viewer.user.handle.lower()
    for handle in handles:
        if not handle.strip() or handle.strip().lstrip("@").lower() == own:
            continue  # the organiser is always in
        try:
            user = await access_connection(db, viewer, handle)
        except NotFound:
            message = _("You can invite only your connections; @%(handle)s is not one.")
            raise Invalid(message % {"handle": handle.strip().lstrip("@")}, "people") from None
        people.setdefault(user.id, user)
    people.pop(viewer.id, None)
    if not people:
        raise Invalid(N_("Invite at least one person: choose a circle or some people."), "people")
    return list(people.values())


def check_count(count: int) -> None:
    if count > MAX_INVITEES:
        message = _("A gathering is for up to %(most)s people besides you; this has %(n)s.")
        raise Invalid(message % {"most": MAX_INVITEES, "n": count}, "people")


async def apart(
    db: AsyncSession, kept: list[int], wanted: list[User]
) -> tuple[list[User], list[User]]:
    """``wanted`` split into those who may join ``kept`` and the rest: nobody is put in a
    gathering with someone on the other side of a block, either way."""
    partners = await block_partners_of(db, [*kept, *(u.id for u in wanted)])
    inside = set(kept)
    added: list[User] = []
    left_out: list[User] = []
    for user in wanted:
        if partners[user.id] & inside:
            left_out.append(user)
        else:
            added.append(user)
            inside.add(user.id)
    return added, left_out


async def check_propose(
    svc: Services, db: AsyncSession, viewer: Viewer, proposal: Proposal
) -> Proposed:
    now = utcnow()
    title = check_title(proposal.title)
    description = check_description(proposal.description)
    place = check_place(proposal.place)
    map_url = check_map_url(proposal.map_url)
    spans = check_spans(proposal.spans, now)
    closes_at = check_poll_close(proposal.poll_closes_at, spans, now)
    if closes_at is not None and len(spans) == 1:
        raise Invalid(N_("A poll needs at least two times to choose from."), "poll_closes_at")
    wanted = await chosen_people(db, viewer, proposal.circle_id, proposal.handles)
    check_count(len(wanted))
    invited, left_out = await apart(db, [viewer.id], wanted)
    paused = await check_gathering_words(svc, viewer, (title, description, place), proposal.pause)
    gathering = Gathering(
        organiser_id=viewer.id,
        title=title,
        description=description,
        place=place,
        map_url=map_url,
        zone=viewer.user.timezone or "UTC",
        state=State.polling.value if len(spans) > 1 else State.fixed.value,
        poll_closes_at=closes_at,
        paused=paused,
        created_at=now,
        updated_at=now,
    )
    if len(spans) == 1:
        gathering.starts_at, gathering.ends_at = spans[0].starts_at, spans[0].ends_at
    db.add(gathering)
    await db.flush()
    await _write_people(db, gathering, viewer.id, invited, now)
    await _write_options(db, gathering, spans if len(spans) > 1 else [])
    quiet = await muted_by(db, viewer.id, [u.id for u in invited])  # they still see it listed
    others = [u.id for u in invited if u.id not in quiet]
    await do_notify(db, others, INVITE, ref_for(gathering.id, INVITE), viewer.id, now)
    if gathering.state == State.fixed.value:
        await do_schedule_fixed(db, gathering, now)
    elif closes_at is not None:
        await enqueue_poll_close(db, gathering)
    await db.commit()
    return Proposed(gathering.id, left_out, invited)


async def _write_people(
    db: AsyncSession, gathering: Gathering, organiser_id: int, invited: list[User], now: datetime
) -> None:
    db.add(
        Invitee(
            gathering_id=gathering.id,
            user_id=organiser_id,
            rsvp=Rsvp.going.value,
            answered_at=now,
            invited_at=now,
        )
    )
    for user in invited:
        db.add(Invitee(gathering_id=gathering.id, user_id=user.id, invited_at=now))


async def _write_options(db: AsyncSession, gathering: Gathering, spans: list[Span]) -> None:
    for span in spans:
        db.add(
            TimeOption(gathering_id=gathering.id, starts_at=span.starts_at, ends_at=span.ends_at)
        )
