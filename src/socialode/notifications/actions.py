"""The only writes to notifications. They join the caller's transaction (no commit here),
except marking read, which is a request of its own.

Writing a notification also enqueues its delivery (``notifications.deliver``, see
``notifications.jobs``) in the same transaction: the job decides, when it runs, whether the
member hears of it now, in a digest, after their quiet hours, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import LIVE, PENDING, SUMMED, Notification
from socialode.notifications.registry import listed_kinds
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import utcnow

DELIVER = "notifications.deliver"


async def _deliver_later(db: AsyncSession, user_ids: Iterable[int], at: datetime) -> None:
    """A delivery for each member at ``at`` (once per member and instant: each takes every
    pending row it finds)."""
    for uid in sorted(set(user_ids)):
        await enqueue_on_commit(
            db, DELIVER, {"user": uid}, run_at=at, dedupe_key=f"deliver:{uid}:{at.isoformat()}"
        )


async def do_notify(
    db: AsyncSession,
    user_ids: Iterable[int],
    kind: str,
    ref: str,
    actor_id: int | None,
    now: datetime | None = None,
    *,
    count: int = 1,
) -> None:
    """One notification per person, in the caller's transaction, each on its way to them
    (``count``: how many things it stands for, for collapsing kinds)."""
    at = now or utcnow()
    wanted = sorted(set(user_ids))
    rows = [
        {
            "user_id": uid,
            "kind": kind,
            "ref": ref,
            "actor_id": actor_id,
            "created_at": at,
            "updated_at": at,
            "count": count,
            "delivery": PENDING,
        }
        for uid in wanted
    ]
    if rows:
        await db.execute(insert(Notification), rows)
        await _deliver_later(db, wanted, at)


async def do_notify_collapsed(
    db: AsyncSession,
    user_ids: Iterable[int],
    kind: str,
    ref: str,
    actor_id: int | None,
    now: datetime | None = None,
    *,
    times: int = 1,
) -> None:
    """Like :func:`do_notify`, but while a person has an unread notification of this kind
    about ``ref`` (new messages in one conversation) it stands for ``times`` more things
    instead of a new entry. One still waiting (pending, for a digest, through quiet hours)
    just grows; one already announced is announced again at the next whole minute, so a burst
    of messages becomes one "Maya wrote 5 messages" instead of five pings."""
    at = now or utcnow()
    wanted = sorted(set(user_ids))
    if not wanted:
        return
    found = await db.execute(
        select(Notification.id, Notification.user_id, Notification.delivery).where(
            Notification.ref == ref,
            Notification.kind == kind,
            Notification.read_at.is_(None),
            Notification.user_id.in_(wanted),
        )
    )
    existing = {uid: (nid, delivery) for nid, uid, delivery in found}
    grow = [nid for nid, _ in existing.values()]
    again = [uid for uid, (_, delivery) in existing.items() if delivery in (LIVE, SUMMED)]
    if grow:
        # One write per row (a second write of a row in one transaction re-checks its foreign
        # keys on PostgreSQL, locking the members' rows): an announced entry is pending again.
        await db.execute(
            update(Notification)
            .where(Notification.id.in_(grow))
            .values(
                count=Notification.count + times,
                actor_id=actor_id,
                updated_at=at,
                delivery=case(
                    (Notification.delivery.in_([LIVE, SUMMED]), PENDING),
                    else_=Notification.delivery,
                ),
            )
        )
    if again:
        await _deliver_later(db, again, at.replace(second=0, microsecond=0) + timedelta(minutes=1))
    fresh = [u for u in wanted if u not in existing]
    if fresh:
        await do_notify(db, fresh, kind, ref, actor_id, at, count=times)


async def do_withdraw(db: AsyncSession, refs: Iterable[str]) -> None:
    """Remove every notification about these things, for everyone (no commit)."""
    wanted = sorted(set(refs))
    if wanted:
        await db.execute(delete(Notification).where(Notification.ref.in_(wanted)))


async def do_withdraw_prefix(db: AsyncSession, prefix: str, *, keep: str | None = None) -> None:
    """Remove every notification whose ref begins with ``prefix`` (all about one thing, such
    as a cancelled gathering), for everyone, except the one ref ``keep`` (no commit)."""
    query = delete(Notification).where(Notification.ref.startswith(prefix, autoescape=True))
    if keep is not None:
        query = query.where(Notification.ref != keep)
    await db.execute(query)


async def do_read_about(db: AsyncSession, user_id: int, refs: Iterable[str]) -> None:
    """The member has seen these things (opened the conversation): their notifications about
    them are read (no commit; the caller's transaction)."""
    wanted = sorted(set(refs))
    if wanted:
        await db.execute(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.ref.in_(wanted),
                Notification.read_at.is_(None),
            )
            .values(read_at=utcnow())
        )


async def do_mark_read(db: AsyncSession, viewer: Viewer, upto: int | None = None) -> None:
    """Mark the viewer's listed notifications read, all of them or those up to ``upto``
    (new messages are read by reading their conversation)."""
    query = update(Notification).where(
        Notification.user_id == viewer.id,
        Notification.read_at.is_(None),
        Notification.kind.in_(listed_kinds()),
    )
    if upto is not None:
        query = query.where(Notification.id <= upto)
    await db.execute(query.values(read_at=utcnow()))
    await db.commit()
