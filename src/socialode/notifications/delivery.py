"""Deciding how a member hears of their notifications, and telling them: the writes of the
delivery jobs (``notifications.jobs``), each in the job's own transaction.

A notification is written ``pending``. Its delivery looks at the member's boundaries at that
moment: a kind they turned off is only listed; a kind they get in a digest waits for their
next digest time; anything else arrives at once (live in the app, and by push to each
device) -- unless they are in quiet hours or together mode, when it is held and everything
held arrives as one gentle summary when those end. Every step asks the kind's resolver first,
so nothing is announced that the member may no longer see, and the member's email digest
names who and what kind, never private words.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_members_as_viewers
from socialode.boundaries.access import Limits, access_limits
from socialode.boundaries.hours import channel_of, held_until, next_digest_at
from socialode.config import Settings
from socialode.notifications.models import (
    DIGEST,
    HELD,
    LIVE,
    OFF,
    PENDING,
    SUMMED,
    Notification,
)
from socialode.notifications.push import enqueue_push
from socialode.notifications.registry import Shown, kind_named, resolver_for
from socialode.platform.aftercommit import enqueue_on_commit, publish_on_commit
from socialode.platform.clock import next_local_time
from socialode.platform.events import Envelope
from socialode.platform.links import AddressUnknown, link_to
from socialode.platform.mail import enqueue_mail

RELEASE = "notifications.release"
DIGEST_JOB = "notifications.digest"
EMAIL_DIGEST = "notifications.email_digest"
DECIDING = (
    "deciding"  # taken by a delivery job; never committed (the job decides in its transaction)
)
SLACK = timedelta(seconds=30)  # a job woken a little early still counts as on time
EMAIL_DIGEST_TIME = "18:00"  # for members who chose no digest times
EMAIL_DIGEST_SPAN = timedelta(hours=24)
SUMMARY_NAMES = 3  # a summary names this many things, then "and N more"


@dataclass(frozen=True)
class Told:
    """One notification as the member is told of it."""

    row: Notification
    shown: Shown

    @property
    def mark(self) -> str:
        kind = kind_named(self.row.kind)
        return "notifications" if kind is None or kind.listed else "conversations"


async def _resolve(db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]) -> list[Told]:
    told: list[Told] = []
    for kind in sorted({r.kind for r in rows}):
        resolver = resolver_for(kind)
        if resolver is None:
            continue
        of_kind = [r for r in rows if r.kind == kind]
        shown = await resolver(db, viewer, of_kind)
        told += [Told(r, shown[r.id]) for r in of_kind if r.id in shown]
    return sorted(told, key=lambda t: t.row.id)


async def _take(
    db: AsyncSession, user_id: int, states: Sequence[str], into: str
) -> list[Notification]:
    """Take the member's notifications in ``states`` for this job, so two deliveries for one
    member never both announce one. PostgreSQL: lock them (``SKIP LOCKED``), and each row is
    then written once, with its outcome -- a second write of a row this transaction already
    wrote would check its foreign keys again and lock the member's ``users`` row, which
    deadlocks against requests that lock it first. SQLite: move them ``into`` a state with
    the transaction's first statement, a write, which serialises the deliveries."""
    query = select(Notification).where(
        Notification.user_id == user_id, Notification.delivery.in_(states)
    )
    if db.get_bind().dialect.name == "postgresql":
        rows = await db.scalars(query.order_by(Notification.id).with_for_update(skip_locked=True))
        return list(rows.all())
    taken = (
        await db.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.delivery.in_(states))
            .values(delivery=into)
            .returning(Notification.id)
        )
    ).scalars()
    ids = sorted(taken)
    if not ids:
        return []
    rows = await db.scalars(
        select(Notification)
        .where(Notification.id.in_(ids))
        .order_by(Notification.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def _set(db: AsyncSession, ids: Sequence[int], delivery: str) -> None:
    if ids:
        await db.execute(
            update(Notification).where(Notification.id.in_(ids)).values(delivery=delivery)
        )


async def _member(db: AsyncSession, user_id: int) -> tuple[Viewer, Limits] | None:
    viewer = (await access_members_as_viewers(db, [user_id])).get(user_id)
    if viewer is None:  # the account is gone; its notifications went with it
        return None
    return viewer, (await access_limits(db, [user_id]))[user_id]


def _push_body(told: Told, limits: Limits) -> str:
    if limits.push_previews and told.shown.preview:
        return f"{told.shown.text}\n{told.shown.preview}"
    return told.shown.text


async def _announce(
    db: AsyncSession,
    viewer: Viewer,
    title: str,
    text: str,
    url: str,
    marks: set[str],
    tag: str,
    push_text: str | None = None,
) -> None:
    """Tell the member now: a calm note in every open tab, and a push to every device."""
    frame: dict[str, Any] = {
        "type": "notice",
        "text": text,
        "url": url,
        "marks": sorted(marks),
    }
    publish_on_commit(db, Envelope([viewer.id], frame))
    await enqueue_push(
        db, viewer.id, {"title": title, "body": push_text or text, "url": url, "tag": tag}
    )


async def do_deliver(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """Decide each pending notification of the member: listed only, digest, held, or now."""
    rows = await _take(db, user_id, [PENDING], DECIDING)
    member = await _member(db, user_id) if rows else None
    if member is None:
        return
    viewer, limits = member
    told = await _resolve(db, viewer, rows)
    visible = {t.row.id for t in told}
    await _set(db, [r.id for r in rows if r.id not in visible], OFF)
    held = held_until(limits, now)
    waiting: dict[str, list[int]] = {OFF: [], DIGEST: [], HELD: [], LIVE: []}
    for item in told:
        kind = kind_named(item.row.kind)
        channel = channel_of(limits, item.row.kind, kind.default if kind else "digest")
        if channel == "off":
            waiting[OFF].append(item.row.id)
        elif channel == "digest":
            waiting[DIGEST].append(item.row.id)
        elif held is not None:
            waiting[HELD].append(item.row.id)
        else:
            waiting[LIVE].append(item.row.id)
            await _announce(
                db,
                viewer,
                title,
                item.shown.text,
                item.shown.url,
                {item.mark},
                item.row.ref,
                _push_body(item, limits),
            )
    for state, ids in waiting.items():
        await _set(db, ids, state)
    if waiting[HELD] and held is not None:
        await schedule_release(db, user_id, held)
    if waiting[DIGEST]:
        at = next_digest_at(limits, now)
        if at is None:  # no digest times: listed, waiting for the member to look
            await _set(db, waiting[DIGEST], SUMMED)
        else:
            await schedule_digest(db, user_id, at)
    if limits.email_digest and told:
        await schedule_email_digest(db, limits, now)


async def _schedule(db: AsyncSession, job: str, key: str, user_id: int, at: datetime) -> None:
    """``job`` for the member at ``at``, once per member and instant."""
    await enqueue_on_commit(
        db, job, {"user": user_id}, run_at=at, dedupe_key=f"{key}:{user_id}:{at.isoformat()}"
    )


async def schedule_release(db: AsyncSession, user_id: int, at: datetime) -> None:
    await _schedule(db, RELEASE, "release", user_id, at)


async def schedule_digest(db: AsyncSession, user_id: int, at: datetime) -> None:
    await _schedule(db, DIGEST_JOB, "digest", user_id, at)


async def schedule_email_digest(db: AsyncSession, limits: Limits, now: datetime) -> None:
    """The daily email goes out with the member's last digest of the day (18:00 by default)."""
    last = limits.digest_times[-1] if limits.digest_times else EMAIL_DIGEST_TIME
    await _schedule(
        db, EMAIL_DIGEST, "maildigest", limits.user_id, next_local_time(limits.zone, last, now)
    )


def summary_text(opening: str, told: Sequence[Told]) -> str:
    """'While your quiet hours were on: Maya wrote 3 messages, Tom would like to connect, and
    2 more.' Names who and what kind, never the words themselves."""
    names = [t.shown.text.rstrip(".") for t in told[:SUMMARY_NAMES]]
    rest = len(told) - len(names)
    listed = "; ".join(names)
    if rest:
        listed += f"; and {rest} more"
    return f"{opening} {listed}."


async def _sum_up(
    db: AsyncSession,
    user_id: int,
    states: Sequence[str],
    now: datetime,
    title: str,
    opening: str,
    tag: str,
    member: tuple[Viewer, Limits] | None = None,
) -> bool:
    """Announce everything waiting in ``states`` as one summary. False if the member cannot be
    reached now (the caller reschedules). ``member``: already read by the caller."""
    if member is None:
        member = await _member(db, user_id)
    if member is None:
        return True
    viewer, limits = member
    held = held_until(limits, now + SLACK)
    if held is not None:
        return False
    rows = await _take(db, user_id, states, SUMMED)
    told = await _resolve(db, viewer, rows)
    visible = {t.row.id for t in told}
    await _set(db, [r.id for r in rows if r.id not in visible], OFF)
    await _set(db, sorted(visible), SUMMED)
    if told:
        url = "/notifications" if any(t.mark == "notifications" for t in told) else "/conversations"
        text = summary_text(opening, told)
        await _announce(db, viewer, title, text, url, {t.mark for t in told}, tag)
    return True


async def do_release(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """Quiet hours or together mode ended: what they held arrives as one summary."""
    member = await _member(db, user_id)
    if member is None:
        return
    _, limits = member
    together = limits.together_until is not None and limits.together_until <= now + SLACK
    opening = "While you were with people:" if together else "While you were resting:"
    if not await _sum_up(db, user_id, [HELD], now, title, opening, "summary", member):
        held = held_until(limits, now + SLACK)
        if held is not None:
            await schedule_release(db, user_id, held)


async def do_digest(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """The member's digest time: what waited for it arrives as one summary (nothing if
    nothing did). In quiet hours it joins what they hold instead."""
    if not await _sum_up(db, user_id, [DIGEST], now, title, "Since your last digest:", "digest"):
        await db.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.delivery == DIGEST)
            .values(delivery=HELD)
        )
        member = await _member(db, user_id)
        if member is not None:
            held = held_until(member[1], now + SLACK)
            if held is not None:
                await schedule_release(db, user_id, held)


async def do_email_digest(
    db: AsyncSession, user_id: int, now: datetime, settings: Settings
) -> None:
    """The member's daily email: what arrived in the last day that they have not read yet,
    named by who and what kind (never private words), with links; nothing if nothing did."""
    member = await _member(db, user_id)
    if member is None:
        return
    viewer, limits = member
    if not limits.email_digest:
        return
    held = held_until(limits, now + SLACK)
    if held is not None:  # an email is a delivery too: after quiet hours
        # Right when they end: the next "last digest time" may itself fall in quiet hours.
        await _schedule(db, EMAIL_DIGEST, "maildigest", user_id, held)
        return
    rows = list(
        (
            await db.scalars(
                select(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.read_at.is_(None),
                    Notification.delivery != OFF,
                    # A conversation's entry grows while unread: its newest message counts.
                    func.coalesce(Notification.updated_at, Notification.created_at)
                    > now - EMAIL_DIGEST_SPAN,
                )
                .order_by(Notification.id)
            )
        ).all()
    )
    told = await _resolve(db, viewer, rows)
    if not told:
        return
    lines = [f"Hello {viewer.user.display_name},", "", "Here is what arrived today:", ""]
    for item in told:
        lines.append(f"- {item.shown.text}")
        with contextlib.suppress(AddressUnknown):
            lines.append(f"  {link_to(settings, item.shown.url)}")
    lines += ["", "You chose to get this email once a day. To change that:"]
    try:
        lines.append(link_to(settings, "/settings/notifications"))
    except AddressUnknown:
        lines.append("Settings, then Notifications.")
    subject = f"Your day on {settings.instance_name}"
    await enqueue_mail(db, viewer.user.email, subject, "\n".join(lines) + "\n")
