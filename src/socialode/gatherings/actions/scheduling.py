"""A gathering's time, and what happens around it: the poll closing, reminders the day before
and two hours before, the question afterwards, and the suggestion to meet again.

Reminders and the question afterwards carry the time they are about: once the gathering is
moved or cancelled, the old jobs find nothing to do, while a change of its words leaves them
true. The poll's closing carries the gathering's ``sequence`` when it was scheduled. Reminders
are notifications like any other: quiet hours hold them until they end, and one that would
arrive after the gathering has begun is never shown (see ``notices.resolve``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.circles.access import muted_by
from socialode.gatherings.access import OptionView, options_of
from socialode.gatherings.models import Gathering, Invitee, Rsvp, State, TimeOption
from socialode.gatherings.notices import AFTER, AGAIN, CHANGE, REMINDER, ref_for, reminder_ref
from socialode.notifications.actions import do_notify, do_notify_collapsed
from socialode.notifications.models import Notification
from socialode.platform.aftercommit import enqueue_on_commit

POLL_CLOSE = "gatherings.poll_close"
REMIND = "gatherings.remind"
ASK_AFTER = "gatherings.after"
SUGGEST_AGAIN = "gatherings.again"
REMINDERS = {"day": timedelta(days=1), "soon": timedelta(hours=2)}
AGAIN_AFTER = timedelta(weeks=4)


async def do_schedule_fixed(db: AsyncSession, gathering: Gathering, now: datetime) -> None:
    """The jobs of a gathering whose time is set (no commit): reminders still ahead, and
    the question afterwards."""
    starts, ends = gathering.starts_at, gathering.ends_at
    assert starts is not None and ends is not None
    begins, finishes = _stamp(starts), _stamp(ends)
    for which, before in REMINDERS.items():
        at = starts - before
        if at > now:
            await enqueue_on_commit(
                db,
                REMIND,
                {"gathering": gathering.id, "starts": begins, "which": which},
                run_at=at,
                dedupe_key=f"gathering:{gathering.id}:{which}:{begins}",
            )
    await enqueue_on_commit(
        db,
        ASK_AFTER,
        {"gathering": gathering.id, "ends": finishes},
        run_at=ends,
        dedupe_key=f"gathering:{gathering.id}:after:{finishes}",
    )


def _stamp(at: datetime | None) -> int:
    return int(at.timestamp()) if at is not None else -1


async def enqueue_poll_close(db: AsyncSession, gathering: Gathering) -> None:
    assert gathering.poll_closes_at is not None
    await enqueue_on_commit(
        db,
        POLL_CLOSE,
        {"gathering": gathering.id, "sequence": gathering.sequence},
        run_at=gathering.poll_closes_at,
        dedupe_key=f"gathering:{gathering.id}:{gathering.sequence}:poll",
    )


async def others_invited(db: AsyncSession, gathering: Gathering) -> list[int]:
    return list(
        await db.scalars(
            select(Invitee.user_id).where(
                Invitee.gathering_id == gathering.id,
                Invitee.user_id != gathering.organiser_id,
            )
        )
    )


async def do_tell_change(db: AsyncSession, gathering: Gathering, now: datetime) -> None:
    """Everyone else invited hears that it changed (not those who muted the organiser): one
    entry per gathering that grows, read from the gathering as it is when they see it (no
    commit)."""
    others = await others_invited(db, gathering)
    quiet = await muted_by(db, gathering.organiser_id, others)
    await do_notify_collapsed(
        db,
        [uid for uid in others if uid not in quiet],
        CHANGE,
        ref_for(gathering.id, CHANGE),
        gathering.organiser_id,
        now,
    )


async def do_fix(db: AsyncSession, gathering: Gathering, option: TimeOption, now: datetime) -> None:
    """The time is set to ``option`` (no commit): everyone hears of it, reminders follow."""
    gathering.state = State.fixed.value
    gathering.starts_at, gathering.ends_at = option.starts_at, option.ends_at
    gathering.sequence += 1
    gathering.updated_at = now
    await do_tell_change(db, gathering, now)
    await do_schedule_fixed(db, gathering, now)


def _best(options: list[OptionView], now: datetime) -> OptionView | None:
    ahead = [o for o in options if o.option.starts_at > now]
    if not ahead:
        return None
    return max(ahead, key=lambda o: (o.score, -o.option.starts_at.timestamp()))


async def do_close_poll(db: AsyncSession, gathering_id: int, sequence: int, now: datetime) -> None:
    """The poll's closing time came: the time most people can make is set (no commit)."""
    gathering = await db.get(Gathering, gathering_id)
    if gathering is None or gathering.state != State.polling.value:
        return
    if gathering.sequence != sequence:
        return
    invited = set(await others_invited(db, gathering)) | {gathering.organiser_id}
    best = _best(await options_of(db, gathering.id, invited), now)
    if best is not None:
        await do_fix(db, gathering, best.option, now)


async def _told(db: AsyncSession, ref: str) -> set[int]:
    return set(await db.scalars(select(Notification.user_id).where(Notification.ref == ref)))


async def do_remind(
    db: AsyncSession, gathering_id: int, starts: int, which: str, now: datetime
) -> None:
    """A reminder of the time ``starts`` (seconds since the epoch) to everyone who has not
    said they are not going, if the gathering still has that time (no commit)."""
    gathering = await db.get(Gathering, gathering_id)
    if gathering is None or gathering.state != State.fixed.value:
        return
    if gathering.starts_at is None or _stamp(gathering.starts_at) != starts:
        return  # moved since: the new time has its own reminders
    if gathering.starts_at <= now:
        return
    ref = reminder_ref(gathering.id, which, gathering.starts_at)
    told = await _told(db, ref)  # a run retried after its commit tells nobody twice
    wanted = [
        uid
        for uid in await db.scalars(
            select(Invitee.user_id).where(
                Invitee.gathering_id == gathering.id, Invitee.rsvp != Rsvp.not_going.value
            )
        )
        if uid not in told
    ]
    await do_notify(db, wanted, REMINDER, ref, gathering.organiser_id, now)


async def do_ask_after(db: AsyncSession, gathering_id: int, ends: int, now: datetime) -> None:
    """Afterwards (it ended at ``ends``, seconds since the epoch), each person who said they
    were going is asked, privately, how it felt; the organiser's suggestion to meet again is
    scheduled (no commit)."""
    gathering = await db.get(Gathering, gathering_id)
    if gathering is None or gathering.state != State.fixed.value:
        return
    if _stamp(gathering.ends_at) != ends:
        return  # moved since: it has not ended yet
    ref = ref_for(gathering.id, AFTER)
    told = await _told(db, ref)
    went = [
        uid
        for uid in await db.scalars(
            select(Invitee.user_id).where(
                Invitee.gathering_id == gathering.id, Invitee.rsvp == Rsvp.going.value
            )
        )
        if uid not in told
    ]
    await do_notify(db, went, AFTER, ref, None, now)
    if gathering.suggest_again:
        await enqueue_on_commit(
            db,
            SUGGEST_AGAIN,
            {"gathering": gathering.id},
            run_at=now + AGAIN_AFTER,
            dedupe_key=f"gathering:{gathering.id}:again",
        )


async def do_suggest_again(db: AsyncSession, gathering_id: int, now: datetime) -> None:
    """Some weeks later, the organiser (only) is asked whether to meet again (no commit)."""
    gathering = await db.get(Gathering, gathering_id)
    if gathering is None or gathering.state != State.fixed.value or not gathering.suggest_again:
        return
    ref = ref_for(gathering.id, AGAIN)
    if not await _told(db, ref):
        await do_notify(db, [gathering.organiser_id], AGAIN, ref, None, now)
