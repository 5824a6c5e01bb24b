"""Replaying missed events from the database, through the registered stream source (the
feature's own access rule; see platform.live)."""

from __future__ import annotations

from datetime import datetime

from socialode.platform.live import ReplayPage, StreamSource, stream_source
from socialode.platform.services import Services
from socialode.realtime.connection import Connection, Filler

BATCH = 500


async def pages(
    svc: Services, source: StreamSource, user_id: int, starts: dict[int, int]
) -> list[ReplayPage]:
    """Every page of a replay (each in its own short transaction)."""
    out: list[ReplayPage] = []
    starts = dict(starts)
    while starts:
        async with svc.db.sessions() as db:
            page = await source.replay(db, user_id, starts, limit=BATCH)
        out.append(page)
        if not page.more:
            break
        for stream, seq in page.reached.items():
            starts[stream] = seq
    return out


async def catch_up(
    svc: Services, conn: Connection, cursor: dict[int, int], since: datetime | None
) -> None:
    """Send everything the cursor missed, then remember where each stream stands."""
    source = stream_source()
    if source is None:
        conn.sent.update(cursor)
        return
    async with svc.db.sessions() as db:
        starts, ready = await source.resume_points(db, conn.user_id, cursor, since)
    conn.sent.update(cursor)
    starts = dict(starts)
    while starts:
        async with svc.db.sessions() as db:
            page = await source.replay(db, conn.user_id, starts, limit=BATCH)
        for item in page.items:
            await conn.send_waiting(item.frame)
            conn.sent[item.stream] = item.seq
        if not page.more:
            break
        starts.update(page.reached)
    for stream, seq in ready.items():
        conn.sent[stream] = max(conn.sent.get(stream, 0), seq)


def filler(svc: Services) -> Filler:
    """Fetch the visible events of one stream after ``after`` (to fill a live gap)."""

    async def fill(user_id: int, stream: int, after: int) -> list[tuple[int, str]]:
        source = stream_source()
        if source is None:
            return []
        out: list[tuple[int, str]] = []
        for page in await pages(svc, source, user_id, {stream: after}):
            out.extend((item.seq, item.frame) for item in page.items)
        return out

    return fill
