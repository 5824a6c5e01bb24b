"""Replaying missed events from the database, through the conversations' access rule."""

from __future__ import annotations

import json
from datetime import datetime

from socialode.conversations import access_live as access
from socialode.conversations.payloads import event_payload
from socialode.platform.services import Services
from socialode.realtime.connection import Connection, Filler

BATCH = 500


def _frame(item: access.Replayed) -> str:
    payload = event_payload(item.event, item.message, item.users, item.name)
    payload["notify"] = False  # replayed events are not news any more: no notification
    return json.dumps(payload, separators=(",", ":"))


async def pages(svc: Services, user_id: int, starts: dict[int, int]) -> list[access.ReplayPage]:
    """Every page of a replay (each in its own short transaction)."""
    out: list[access.ReplayPage] = []
    starts = dict(starts)
    while starts:
        async with svc.db.sessions() as db:
            page = await access.replay(db, user_id, starts, limit=BATCH)
        out.append(page)
        if not page.more:
            break
        for cid, seq in page.reached.items():
            starts[cid] = seq
    return out


async def catch_up(
    svc: Services, conn: Connection, cursor: dict[int, int], since: datetime | None
) -> None:
    """Send everything the cursor missed, then remember where each conversation stands."""
    async with svc.db.sessions() as db:
        starts, ready = await access.resume_points(db, conn.user_id, cursor, since)
    conn.sent.update(cursor)
    starts = dict(starts)
    while starts:
        async with svc.db.sessions() as db:
            page = await access.replay(db, conn.user_id, starts, limit=BATCH)
        for item in page.items:
            await conn.send_waiting(_frame(item))
            conn.sent[item.event.conversation_id] = item.event.seq
        if not page.more:
            break
        starts.update(page.reached)
    for cid, seq in ready.items():
        conn.sent[cid] = max(conn.sent.get(cid, 0), seq)


def filler(svc: Services) -> Filler:
    """Fetch the visible events of one conversation after ``after`` (to fill a live gap)."""

    async def fill(user_id: int, conversation_id: int, after: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for page in await pages(svc, user_id, {conversation_id: after}):
            out.extend((item.event.seq, _frame(item)) for item in page.items)
        return out

    return fill
