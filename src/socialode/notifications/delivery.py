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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_members_as_viewers, suspended
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
from socialode.notifications.push import enqueue_pushes
from socialode.notifications.registry import Shown, kind_named, resolver_for
from socialode.platform import i18n
from socialode.platform.aftercommit import enqueue_on_commit, publish_on_commit
from socialode.platform.clock import next_local_time
from socialode.platform.events import Envelope
from socialode.platform.i18n import _, ngettext
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
CHUNK = 2000  # ids per statement: well inside the bound variables SQLite allows


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
    db: AsyncSession, user_ids: Sequence[int], states: Sequence[str], into: str
) -> dict[int, list[Notification]]:
    """Take the members' notifications in ``states`` for this job, so two deliveries for one
    member never both announce one; by member, oldest first. PostgreSQL: lock them (``SKIP
    LOCKED``), and each row is then written once, with its outcome -- a second write of a
    row this transaction already wrote would check its foreign keys again and lock the
    member's ``users`` row, which deadlocks against requests that lock it first. SQLite:
    move them ``into`` a state with the transaction's first statement, a write, which
    serialises the deliveries."""
    wanted = sorted(set(user_ids))
    mine = Notification.user_id.in_(wanted), Notification.delivery.in_(states)
    if db.get_bind().dialect.name == "postgresql":
        rows = list(
            (
                await db.scalars(
                    select(Notification)
                    .where(*mine)
                    .order_by(Notification.id)
                    .with_for_update(skip_locked=True)
                )
            ).all()
        )
    else:
        taken = (
            await db.execute(
                update(Notification).where(*mine).values(delivery=into).returning(Notification.id)
            )
        ).scalars()
        ids = sorted(taken)
        rows = []
        for start in range(0, len(ids), CHUNK):
            rows += (
                await db.scalars(
                    select(Notification)
                    .where(Notification.id.in_(ids[start : start + CHUNK]))
                    .order_by(Notification.id)
                    .execution_options(populate_existing=True)
                )
            ).all()
    by_member: dict[int, list[Notification]] = {}
    for row in rows:
        by_member.setdefault(row.user_id, []).append(row)
    return by_member


async def _set(db: AsyncSession, ids: Sequence[int], delivery: str) -> None:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        await db.execute(
            update(Notification)
            .where(Notification.id.in_(ordered[start : start + CHUNK]))
            .values(delivery=delivery)
        )


Member = tuple[Viewer, Limits]


async def _members(db: AsyncSession, user_ids: Sequence[int]) -> dict[int, Member]:
    """The members as viewers, with their boundaries; an account that is gone is left out
    (its notifications went with it), and so is one suspended by a moderator: nothing is
    pushed or emailed to it until the suspension ends (the list keeps what arrived)."""
    found = await access_members_as_viewers(db, user_ids)
    viewers = {uid: v for uid, v in found.items() if not suspended(v.user)}
    limits = await access_limits(db, sorted(viewers))
    return {uid: (viewer, limits[uid]) for uid, viewer in viewers.items()}


async def _member(db: AsyncSession, user_id: int) -> Member | None:
    return (await _members(db, [user_id])).get(user_id)


def _push_body(told: Told, limits: Limits) -> str:
    if limits.push_previews and told.shown.preview:
        return f"{told.shown.text}\n{told.shown.preview}"
    return told.shown.text


@dataclass(frozen=True)
class Notice:
    """What one member is told now."""

    user_id: int
    title: str
    text: str
    url: str
    marks: frozenset[str]
    tag: str
    push_text: str | None = None


async def _announce(db: AsyncSession, notices: Sequence[Notice]) -> None:
    """Tell each member now: a calm note in every open tab, and a push to every device."""
    for notice in notices:
        frame: dict[str, Any] = {
            "type": "notice",
            "text": notice.text,
            "url": notice.url,
            "marks": sorted(notice.marks),
        }
        publish_on_commit(db, Envelope([notice.user_id], frame))
    await enqueue_pushes(
        db,
        [
            (
                n.user_id,
                {"title": n.title, "body": n.push_text or n.text, "url": n.url, "tag": n.tag},
            )
            for n in notices
        ],
    )


async def do_deliver(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """Decide each pending notification of the member: listed only, digest, held, or now."""
    await do_deliver_many(db, [user_id], now, title)


async def do_deliver_many(
    db: AsyncSession, user_ids: Sequence[int], now: datetime, title: str
) -> None:
    """:func:`do_deliver` for several members in one transaction."""
    taken = await _take(db, user_ids, [PENDING], DECIDING)
    members = await _members(db, sorted(taken)) if taken else {}
    waiting: dict[str, list[int]] = {OFF: [], DIGEST: [], HELD: [], LIVE: [], SUMMED: []}
    notices: list[Notice] = []
    for user_id, rows in taken.items():
        member = members.get(user_id)
        if member is None:
            continue
        viewer, limits = member
        with i18n.language(viewer.user.language):  # what they read, in their language
            told = await _resolve(db, viewer, rows)
            visible = {t.row.id for t in told}
            waiting[OFF] += [r.id for r in rows if r.id not in visible]
            held = held_until(limits, now)
            digest: list[int] = []
            holding = False
            for item in told:
                kind = kind_named(item.row.kind)
                channel = channel_of(limits, item.row.kind, kind.default if kind else "digest")
                if channel == "off":
                    waiting[OFF].append(item.row.id)
                elif channel == "digest":
                    digest.append(item.row.id)
                elif held is not None:
                    waiting[HELD].append(item.row.id)
                    holding = True
                else:
                    waiting[LIVE].append(item.row.id)
                    notices.append(
                        Notice(
                            user_id,
                            title,
                            item.shown.text,
                            item.shown.url,
                            frozenset({item.mark}),
                            item.row.ref,
                            _push_body(item, limits),
                        )
                    )
            if holding and held is not None:
                await schedule_release(db, user_id, held)
            if digest:
                at = next_digest_at(limits, now)
                if at is None:  # no digest times: listed, waiting for the member to look
                    waiting[SUMMED] += digest
                else:
                    waiting[DIGEST] += digest
                    await schedule_digest(db, user_id, at)
            if limits.email_digest and told:
                await schedule_email_digest(db, limits, now)
    for state, ids in waiting.items():
        await _set(db, ids, state)
    await _announce(db, notices)


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
        listed += ngettext("; and %(num)s more", "; and %(num)s more", rest) % {"num": rest}
    return _("%(opening)s %(listed)s.") % {"opening": opening, "listed": listed}


async def _sum_up(
    db: AsyncSession,
    members: dict[int, Member],
    states: Sequence[str],
    title: str,
    opening: Callable[[Limits], str],
    tag: str,
) -> None:
    """Announce everything the members have waiting in ``states`` as one summary each (none
    for a member with nothing left to see)."""
    taken = await _take(db, list(members), states, SUMMED)
    hidden: list[int] = []
    shown: list[int] = []
    notices: list[Notice] = []
    for user_id, rows in taken.items():
        viewer, limits = members[user_id]
        with i18n.language(viewer.user.language):
            told = await _resolve(db, viewer, rows)
            visible = {t.row.id for t in told}
            hidden += [r.id for r in rows if r.id not in visible]
            shown += visible
            if told:
                url = (
                    "/notifications"
                    if any(t.mark == "notifications" for t in told)
                    else "/conversations"
                )
                text = summary_text(opening(limits), told)
                notices.append(
                    Notice(user_id, title, text, url, frozenset(t.mark for t in told), tag)
                )
    await _set(db, hidden, OFF)
    await _set(db, shown, SUMMED)
    await _announce(db, notices)


async def _still_held(
    db: AsyncSession, user_ids: Sequence[int], now: datetime
) -> tuple[dict[int, Member], dict[int, datetime]]:
    """The members who can be told now, and for the others when they can be (a member may
    have moved their quiet hours, or started together mode, since the job was scheduled)."""
    free: dict[int, Member] = {}
    held: dict[int, datetime] = {}
    for user_id, member in (await _members(db, user_ids)).items():
        until = held_until(member[1], now + SLACK)
        if until is None:
            free[user_id] = member
        else:
            held[user_id] = until
    return free, held


def _release_opening(now: datetime) -> Callable[[Limits], str]:
    def opening(limits: Limits) -> str:
        together = limits.together_until is not None and limits.together_until <= now + SLACK
        return _("While you were with people:") if together else _("While you were resting:")

    return opening


async def do_release(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """Quiet hours or together mode ended: what they held arrives as one summary."""
    await do_release_many(db, [user_id], now, title)


async def do_release_many(
    db: AsyncSession, user_ids: Sequence[int], now: datetime, title: str
) -> None:
    """:func:`do_release` for several members in one transaction (07:00 ends many quiet
    hours at once)."""
    free, held = await _still_held(db, user_ids, now)
    for user_id, until in held.items():
        await schedule_release(db, user_id, until)
    if free:
        await _sum_up(db, free, [HELD], title, _release_opening(now), "summary")


async def do_digest(db: AsyncSession, user_id: int, now: datetime, title: str) -> None:
    """The member's digest time: what waited for it arrives as one summary (nothing if
    nothing did). In quiet hours it joins what they hold instead."""
    await do_digest_many(db, [user_id], now, title)


async def do_digest_many(
    db: AsyncSession, user_ids: Sequence[int], now: datetime, title: str
) -> None:
    """:func:`do_digest` for several members in one transaction."""
    free, held = await _still_held(db, user_ids, now)
    if held:
        await db.execute(
            update(Notification)
            .where(Notification.user_id.in_(sorted(held)), Notification.delivery == DIGEST)
            .values(delivery=HELD)
        )
        for user_id, until in held.items():
            await schedule_release(db, user_id, until)
    if free:
        await _sum_up(
            db, free, [DIGEST], title, lambda _limits: _("Since your last digest:"), "digest"
        )


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
    with i18n.language(viewer.user.language):
        told = await _resolve(db, viewer, rows)
        if not told:
            return
        lines = [
            _("Hello %(name)s,") % {"name": viewer.user.display_name},
            "",
            _("Here is what arrived today:"),
            "",
        ]
        for item in told:
            lines.append(f"- {item.shown.text}")
            with contextlib.suppress(AddressUnknown):
                lines.append(f"  {link_to(settings, item.shown.url)}")
        lines += ["", _("You chose to get this email once a day. To change that:")]
        try:
            lines.append(link_to(settings, "/settings/notifications"))
        except AddressUnknown:
            lines.append(_("Settings, then Notifications."))
        subject = _("Your day on %(instance)s") % {"instance": settings.instance_name}
    await enqueue_mail(db, viewer.user.email, subject, "\n".join(lines) + "\n")
