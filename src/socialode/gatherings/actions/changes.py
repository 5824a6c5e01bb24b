"""Answering and changing a gathering: invitees answer the time poll and RSVP; the organiser
picks the time, edits, moves or cancels it. Each change others should know of reaches them
through the notification pipeline, and bumps the calendar's SEQUENCE when calendars change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.gatherings.access import GatheringView, access_gathering, access_organised
from socialode.gatherings.actions.scheduling import (
    do_fix,
    do_schedule_fixed,
    do_tell_change,
    enqueue_poll_close,
)
from socialode.gatherings.actions.words import check_gathering_words
from socialode.gatherings.models import Answer, Invitee, Rsvp, State, Vote
from socialode.gatherings.notices import CHANGE, ref_for
from socialode.gatherings.validation import (
    check_description,
    check_map_url,
    check_place,
    check_span,
    check_title,
)
from socialode.notifications.actions import do_withdraw_prefix
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid
from socialode.platform.i18n import N_
from socialode.platform.services import Services
from socialode.safety.pause import NO_ANSWER, PauseAnswer, folds

CANCELLED = N_("This gathering was cancelled.")
NOT_POLLING = N_("The time of this gathering is already set.")
NOT_FIXED = N_("This gathering has no time yet: the organiser picks one from the poll first.")


def _open(view: GatheringView) -> None:
    if view.cancelled:
        raise Conflict(CANCELLED)


async def check_answer_times(
    db: AsyncSession, viewer: Viewer, gathering_id: int, answers: Mapping[int, str]
) -> None:
    """The viewer's answer (yes / if needed / no) to each time offered; all at once."""
    view = await access_gathering(db, viewer, gathering_id)
    _open(view)
    if not view.polling:
        raise Conflict(NOT_POLLING)
    offered = {o.option.id for o in view.options}
    if set(answers) != offered:
        raise Invalid(N_("Answer every time offered: yes, if needed, or no."), "answers")
    allowed = {a.value for a in Answer}
    if any(a not in allowed for a in answers.values()):
        raise Invalid(N_("Each answer is yes, if needed, or no."), "answers")
    now = utcnow()
    await db.execute(
        delete(Vote).where(Vote.gathering_id == gathering_id, Vote.user_id == viewer.id)
    )
    for option_id, answer in answers.items():
        db.add(
            Vote(
                option_id=option_id,
                user_id=viewer.id,
                gathering_id=gathering_id,
                answer=answer,
                answered_at=now,
            )
        )
    await db.commit()


async def check_pick(db: AsyncSession, viewer: Viewer, gathering_id: int, option_id: int) -> None:
    view = await access_organised(db, viewer, gathering_id)
    _open(view)
    if not view.polling:
        raise Conflict(NOT_POLLING)
    chosen = next((o.option for o in view.options if o.option.id == option_id), None)
    if chosen is None:
        raise Invalid(N_("Choose one of the times offered."), "option")
    now = utcnow()
    if chosen.starts_at <= now:
        raise Invalid(N_("That time has already passed: choose one still to come."), "option")
    await do_fix(db, view.gathering, chosen, now)
    await db.commit()


async def check_rsvp(db: AsyncSession, viewer: Viewer, gathering_id: int, rsvp: str) -> None:
    """Going, maybe or not going; it can be changed until the gathering begins."""
    view = await access_gathering(db, viewer, gathering_id)
    _open(view)
    if rsvp not in (Rsvp.going.value, Rsvp.maybe.value, Rsvp.not_going.value):
        raise Invalid(N_("Answer going, maybe, or not going."), "rsvp")
    if not view.fixed:
        raise Conflict(NOT_FIXED)
    now = utcnow()
    if view.begun(now):
        raise Conflict(N_("This gathering has already begun."))
    view.me.rsvp, view.me.answered_at = rsvp, now
    await db.commit()


async def check_edit(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    gathering_id: int,
    *,
    title: str,
    description: str,
    place: str,
    map_url: str,
    pause: PauseAnswer = NO_ANSWER,
) -> None:
    view = await access_organised(db, viewer, gathering_id)
    _open(view)
    gathering = view.gathering
    changed = (
        check_title(title),
        check_description(description),
        check_place(place),
        check_map_url(map_url),
    )
    before = (gathering.title, gathering.description, gathering.place, gathering.map_url)
    if changed == before:
        return
    if changed[:3] != before[:3]:
        paused = await check_gathering_words(svc, viewer, changed[:3], pause)
        # A "sent anyway" goes with the words it was about.
        gathering.paused = paused or (None if folds(gathering.paused) else gathering.paused)
    gathering.title, gathering.description, gathering.place, gathering.map_url = changed
    now = utcnow()
    gathering.sequence += 1
    gathering.updated_at = now
    await do_tell_change(db, gathering, now)
    if gathering.state == State.polling.value and gathering.poll_closes_at is not None:
        await enqueue_poll_close(db, gathering)  # the poll still closes, at the new sequence
    await db.commit()


async def check_reschedule(
    db: AsyncSession, viewer: Viewer, gathering_id: int, starts_at: datetime, ends_at: datetime
) -> None:
    """A new time: everyone hears of it and answers again (the organiser stays going)."""
    view = await access_organised(db, viewer, gathering_id)
    _open(view)
    if not view.fixed:
        raise Conflict(NOT_FIXED)
    now = utcnow()
    span = check_span(starts_at, ends_at, now, "starts_at")
    gathering = view.gathering
    if (span.starts_at, span.ends_at) == (gathering.starts_at, gathering.ends_at):
        return
    gathering.starts_at, gathering.ends_at = span.starts_at, span.ends_at
    gathering.sequence += 1
    gathering.updated_at = now
    await db.execute(
        update(Invitee)
        .where(Invitee.gathering_id == gathering.id, Invitee.user_id != gathering.organiser_id)
        .values(rsvp=Rsvp.none.value, answered_at=None)
    )
    await do_tell_change(db, gathering, now)
    await do_schedule_fixed(db, gathering, now)
    await db.commit()


async def check_cancel(db: AsyncSession, viewer: Viewer, gathering_id: int) -> None:
    """Cancelled for everyone: what was waiting to reach them about it (the invitation,
    reminders, the question afterwards) is withdrawn, and they hear it is off."""
    await do_cancel(db, viewer, gathering_id)
    await db.commit()


async def do_cancel(db: AsyncSession, viewer: Viewer, gathering_id: int) -> None:
    """``check_cancel`` uncommitted (so a moderator's removal commits with the decision)."""
    view = await access_organised(db, viewer, gathering_id)
    if view.cancelled:
        return
    gathering = view.gathering
    now = utcnow()
    gathering.state = State.cancelled.value
    gathering.sequence += 1
    gathering.updated_at = gathering.cancelled_at = now
    await do_withdraw_prefix(db, ref_for(gathering.id, ""), keep=ref_for(gathering.id, CHANGE))
    await do_tell_change(db, gathering, now)


async def check_suggest_again(
    db: AsyncSession, viewer: Viewer, gathering_id: int, wanted: bool
) -> None:
    view = await access_organised(db, viewer, gathering_id)
    view.gathering.suggest_again = wanted
    await db.commit()
