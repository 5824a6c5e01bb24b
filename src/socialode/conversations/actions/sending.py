"""Writing sends together: one transaction and one fsync for every send that arrived while
the previous batch was being written (group commit), then live fan-out.

Each send is decided by the same rule as one sent alone (access_live.writable); a retry with
a key already stored answers with the stored message; each caller is answered only after the
commit that holds its message. If the batch hits a conflict (a retry of the same key racing
in from another process), the batch is rolled back and each send is written on its own.

The fan-out follows the answers, batch by batch in commit order, and never waits on Redis
(the hub only queues for it), so neither an acknowledgement nor the next batch does.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import User
from socialode.conversations import access_live
from socialode.conversations.actions.photos import StoredPhoto
from socialode.conversations.models import Conversation, Event, EventKind, Member, Message
from socialode.conversations.notices import MESSAGE, conversation_ref, message_ref
from socialode.conversations.payloads import event_payload
from socialode.conversations.render import to_html
from socialode.notifications.actions import do_notify, do_notify_collapsed, do_read_about
from socialode.platform.batching import Batcher
from socialode.platform.clock import utcnow
from socialode.platform.db import Base
from socialode.platform.errors import AppError, Conflict
from socialode.platform.events import Envelope
from socialode.platform.i18n import N_
from socialode.platform.services import Services
from socialode.safety.marks import marked_envelopes

log = logging.getLogger("socialode.conversations")


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool  # False when the idempotency key matched an earlier send
    offer_help: bool = False  # the words read as someone telling of being hurt


@dataclass(frozen=True)
class Outgoing:
    sender: User
    conversation_id: int
    key: str
    text: str
    quote: str = ""
    quote_ref: str | None = None
    # A notification kind about this message for its recipients, besides new messages
    # (an answer to a moment), with the ref ``message:{id}``.
    notice: str = ""
    reply_to_id: int | None = None  # checked against the sender's read rule before this
    photo: StoredPhoto | None = None  # already processed and written
    paused: str | None = None  # what the sender chose at a pause (safety.pause)


def sender_of(svc: Services) -> Batcher[Outgoing, Sent]:
    async def write(batch: Sequence[Outgoing]) -> Sequence[Sent | BaseException]:
        return await write_batch(svc, batch)

    async def after(batch: Sequence[Outgoing], results: Sequence[Sent | BaseException]) -> None:
        await fan_out(svc, batch, results)

    return svc.part("messages", lambda: Batcher(write, max_batch=256, after=after))


def _reused(found: Message, conversation_id: int) -> Sent | AppError:
    if found.conversation_id != conversation_id:
        return Conflict(
            N_(
                "This idempotency key was already used for a message in another conversation. "
                "Use a new key for each message."
            ),
            "client_key",
        )
    return Sent(found, created=False)


async def _stored(db: AsyncSession, keys: set[tuple[int, str]]) -> dict[tuple[int, str], Message]:
    if not keys:
        return {}
    rows = await db.execute(
        select(Message).where(tuple_(Message.sender_id, Message.client_key).in_(list(keys)))
    )
    return {(m.sender_id, m.client_key): m for m in rows.scalars()}


async def write_batch(svc: Services, batch: Sequence[Outgoing]) -> list[Sent | BaseException]:
    async with svc.db.sessions() as db:
        try:
            return await _write(db, batch)
        except IntegrityError:
            await db.rollback()
    if len(batch) == 1:  # the same key raced in from elsewhere: answer with that message
        async with svc.db.sessions() as db:
            found = (await _stored(db, {(batch[0].sender.id, batch[0].key)})).get(
                (batch[0].sender.id, batch[0].key)
            )
        if found is None:
            raise RuntimeError("a send conflicted but nothing is stored under its key")
        return [_reused(found, batch[0].conversation_id)]
    out: list[Sent | BaseException] = []
    for item in batch:
        out.extend(await write_batch(svc, [item]))
    return out


async def _write(db: AsyncSession, batch: Sequence[Outgoing]) -> list[Sent | BaseException]:
    rules = await access_live.writable(db, {(o.sender.id, o.conversation_id) for o in batch})
    stored = await _stored(db, {(o.sender.id, o.key) for o in batch})
    results: list[Sent | BaseException | None] = [None] * len(batch)
    first: dict[tuple[int, str], int] = {}
    todo: list[int] = []
    for i, item in enumerate(batch):
        ident = (item.sender.id, item.key)
        if ident in stored:
            results[i] = _reused(stored[ident], item.conversation_id)
        elif ident in first:
            continue  # the same send twice in one batch: answered like the first, below
        elif (error := rules[(item.sender.id, item.conversation_id)]) is not None:
            results[i] = error
        else:
            first[ident] = i
            todo.append(i)
    messages = await _insert(db, [batch[i] for i in todo]) if todo else []
    for i, message in zip(todo, messages, strict=True):
        results[i] = Sent(message, created=True)
    for i, item in enumerate(batch):
        if results[i] is None:
            j = first[(item.sender.id, item.key)]
            earlier = results[j]
            results[i] = (
                _reused(earlier.message, item.conversation_id)
                if isinstance(earlier, Sent)
                else earlier
            )
    return [r for r in results if r is not None]


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


async def _number(db: AsyncSession, counts: dict[int, int], now: datetime) -> dict[int, int]:
    """Take ``counts[c]`` sequence numbers of each conversation in one statement; returns the
    first number of each. The rows stay locked until commit, so numbers commit in order."""
    table = _table(Conversation)
    ids = sorted(counts)
    if db.get_bind().dialect.name == "postgresql":  # lock in id order: batches never deadlock
        await db.execute(
            select(table.c.id).where(table.c.id.in_(ids)).order_by(table.c.id).with_for_update()
        )
    rows = await db.execute(
        update(table)
        .where(table.c.id.in_(ids))
        .values(
            last_seq=table.c.last_seq + case(counts, value=table.c.id, else_=0),
            last_activity_at=now,
        )
        .returning(table.c.id, table.c.last_seq)
    )
    return {cid: int(last) - counts[cid] + 1 for cid, last in rows}


async def _insert(db: AsyncSession, items: list[Outgoing]) -> list[Message]:
    """Messages, their events and the senders' read markers: a few multi-row statements."""
    now = utcnow()
    counts: dict[int, int] = {}
    for item in items:
        counts[item.conversation_id] = counts.get(item.conversation_id, 0) + 1
    next_seq = await _number(db, counts, now)
    rows: list[dict[str, Any]] = []
    for item in items:
        seq = next_seq[item.conversation_id]
        next_seq[item.conversation_id] = seq + 1
        rows.append(
            {
                "conversation_id": item.conversation_id,
                "seq": seq,
                "sender_id": item.sender.id,
                "client_key": item.key,
                "body": item.text,
                "body_html": to_html(item.text),
                "quote": item.quote,
                "quote_ref": item.quote_ref,
                "reply_to_id": item.reply_to_id,
                "photo_key": item.photo.key if item.photo else None,
                "photo_width": item.photo.width if item.photo else None,
                "photo_height": item.photo.height if item.photo else None,
                "paused": item.paused,
                "created_at": now,
            }
        )
    messages = _table(Message)
    ids = (
        (
            await db.execute(
                insert(messages).returning(messages.c.id, sort_by_parameter_order=True), rows
            )
        )
        .scalars()
        .all()
    )
    await db.execute(
        insert(_table(Event)),
        [
            {
                "conversation_id": row["conversation_id"],
                "seq": row["seq"],
                "kind": EventKind.message.value,
                "message_id": message_id,
                "actor_id": row["sender_id"],
                "subject_id": None,
                "created_at": now,
            }
            for row, message_id in zip(rows, ids, strict=True)
        ],
    )
    read_upto: dict[tuple[int, int], int] = {}
    for item, row in zip(items, rows, strict=True):
        read_upto[(item.conversation_id, item.sender.id)] = int(row["seq"])
    members = _table(Member)
    await db.execute(
        update(members)
        .where(
            members.c.conversation_id == bindparam("cid"),
            members.c.user_id == bindparam("uid"),
            members.c.until_seq.is_(None),
        )
        .values(last_read_seq=bindparam("upto")),
        [{"cid": c, "uid": u, "upto": seq} for (c, u), seq in read_upto.items()],
    )
    await _notify(db, items, ids, now)
    await db.commit()
    return [
        Message(id=i, edited_at=None, deleted_at=None, **row)
        for row, i in zip(rows, ids, strict=True)
    ]


async def _notify(
    db: AsyncSession, items: list[Outgoing], ids: Sequence[int], now: datetime
) -> None:
    """In the batch's transaction: each recipient's one unread entry per conversation grows
    by each message (nothing for the sender, people who muted them or anyone a block hides
    them from), and a sender has read what they answered."""
    pairs = {(item.sender.id, item.conversation_id) for item in items}
    audiences = await access_live.message_audiences(db, pairs)
    for sender, cid in sorted(pairs):
        await do_read_about(db, sender, [conversation_ref(cid)])

    def told(item: Outgoing) -> list[int]:
        recipients, quiet = audiences[(item.sender.id, item.conversation_id)]
        return [r for r in recipients if r not in quiet]

    # One statement per sender and conversation for the whole batch, however many messages.
    burst = Counter((item.sender.id, item.conversation_id) for item in items)
    firsts = {(item.sender.id, item.conversation_id): item for item in reversed(items)}
    for (sender, cid), times in sorted(burst.items()):
        people = told(firsts[(sender, cid)])
        await do_notify_collapsed(
            db, people, MESSAGE, conversation_ref(cid), sender, now, times=times
        )
    for item, message_id in zip(items, ids, strict=True):
        if item.notice:
            people = told(item)
            await do_notify(db, people, item.notice, message_ref(message_id), item.sender.id, now)


async def fan_out(
    svc: Services, batch: Sequence[Outgoing], results: Sequence[Sent | BaseException]
) -> None:
    """Publish the messages a batch stored (after its callers were answered)."""
    made = [
        (item, result.message)
        for item, result in zip(batch, results, strict=True)
        if isinstance(result, Sent) and result.created
    ]
    if not made:
        return
    envelopes: list[Envelope] = []
    try:
        async with svc.db.sessions() as db:
            audiences = await access_live.message_audiences(
                db, {(o.sender.id, o.conversation_id) for o, _ in made}
            )
            for item, message in made:
                recipients, quiet = audiences[(item.sender.id, item.conversation_id)]
                event = Event(
                    conversation_id=message.conversation_id,
                    seq=message.seq,
                    kind=EventKind.message.value,
                    message_id=message.id,
                    actor_id=item.sender.id,
                    created_at=message.created_at,
                )
                payload = event_payload(event, message, {item.sender.id: item.sender})
                envelopes += await marked_envelopes(
                    db,
                    recipients,
                    payload,
                    "message",
                    item.sender.id,
                    stream=message.conversation_id,
                    seq=message.seq,
                    quiet=quiet,
                )
    except Exception:  # stored but not handed on: every socket resumes from the database
        log.exception("could not compute who receives %d new messages", len(made))
        svc.hub.missed("new messages could not be fanned out")
        return
    for envelope in envelopes:
        await svc.hub.publish(envelope)
