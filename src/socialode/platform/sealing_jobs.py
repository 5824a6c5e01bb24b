"""Re-encryption after a key rotation, and what ``socialode keys`` counts.

``sealing.reencrypt`` walks every registered sealed column (``sealing.register_sealed``),
table by table in id order, a batch per job: each value whose key is not the current one is
opened and sealed again with the current key, and written back only if it is still the value
that was read (a member's own change made meanwhile wins). The batch's writes and the job
for the next batch commit together, so a job that fails or runs twice repeats nothing; the
last one logs how many values moved and how many could not be opened. Those are left as they
are (a damaged value stays damaged; a key that came back from a backup still opens it).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.jobs import JobContext, job
from socialode.platform.sealing import (
    Keyring,
    SealedColumns,
    Unreadable,
    prefix_of,
    registered,
    seal,
    unseal,
)

if TYPE_CHECKING:
    from socialode.platform.services import Services

log = logging.getLogger("socialode.sealing")

REENCRYPT = "sealing.reencrypt"
BATCH = 200


def _starts(value: Any, prefix: str) -> ColumnElement[bool]:
    """``value`` begins with ``prefix`` (no LIKE: key ids may hold ``_``)."""
    return func.substr(value, 1, len(prefix)) == prefix


@dataclass
class Step:
    moved: int = 0
    unreadable: int = 0
    next_table: str | None = None  # where the next batch starts; None when all is done
    after: int = 0


async def reencrypt_batch(db: AsyncSession, ring: Keyring, table: str | None, after: int) -> Step:
    """Re-seal one batch of ``table`` (the first registered table when None) past row id
    ``after``; no commit. Says where the next batch starts."""
    tables = registered()
    names = [t.table for t in tables]
    if table is not None and table not in names:  # unregistered since: go on after it
        tables = [t for t in tables if t.table > table]
        after = 0
    elif table is not None:
        tables = tables[names.index(table) :]
    step = Step()
    if not tables:
        return step
    here = tables[0]
    rows = await _stale_rows(db, here, ring, after)
    for row in rows:
        for name in here.fields:
            await _reseal(db, here, ring, row, name, step)
    if len(rows) == BATCH:
        step.next_table, step.after = here.table, int(rows[-1][0])
    elif len(tables) > 1:
        step.next_table, step.after = tables[1].table, 0
    return step


async def _stale_rows(
    db: AsyncSession, where: SealedColumns, ring: Keyring, after: int
) -> list[Any]:
    """The next batch of rows holding a value not sealed with the current key."""
    t = where.clause
    current = prefix_of(ring.current)
    return await _rows(
        db,
        where,
        after,
        *(and_(t.c[f].is_not(None), ~_starts(t.c[f], current)) for f in where.fields),
    )


async def _rows(
    db: AsyncSession, where: SealedColumns, after: int, *any_of: ColumnElement[bool]
) -> list[Any]:
    """Up to a batch of rows past id ``after`` that meet any of the conditions, by id:
    the id, the member and the sealed values, in that order."""
    t = where.clause
    id_column = t.c[where.id_column]
    query = (
        select(id_column, t.c[where.member_column], *(t.c[f] for f in where.fields))
        .where(id_column > after, or_(*any_of))
        .order_by(id_column)
        .limit(BATCH)
    )
    return list((await db.execute(query)).all())


async def _reseal(
    db: AsyncSession, where: SealedColumns, ring: Keyring, row: Any, name: str, step: Step
) -> None:
    value = row._mapping[name]
    if value is None or value.startswith(prefix_of(ring.current)):
        return
    member_id = int(row[1])
    try:
        text = unseal(ring, value, member_id=member_id, table=where.table, field=name)
    except Unreadable:
        step.unreadable += 1
        return
    t = where.clause
    changed = await db.execute(
        update(t)
        .where(t.c[where.id_column] == row[0], t.c[name] == value)  # unless it changed since
        .values({name: seal(ring, text, member_id=member_id, table=where.table, field=name)})
    )
    step.moved += int(changed.rowcount)  # type: ignore[attr-defined]


async def start_reencrypt(db: AsyncSession) -> None:
    """Queue a re-encryption pass in ``db``'s transaction (it runs once that commits)."""
    await enqueue_on_commit(db, REENCRYPT, {"run": secrets.token_hex(6)})


@job(REENCRYPT)
async def run_reencrypt(ctx: JobContext) -> None:
    services: Services = ctx.services
    ring = services.reload_keyring()  # the newest keys, whatever this process saw before
    payload = ctx.payload
    run = str(payload.get("run") or secrets.token_hex(6))
    async with services.db.sessions() as db:
        step = await reencrypt_batch(db, ring, payload.get("table"), int(payload.get("after", 0)))
        moved = int(payload.get("moved", 0)) + step.moved
        unreadable = int(payload.get("unreadable", 0)) + step.unreadable
        if step.next_table is not None:
            following = {
                "run": run,
                "table": step.next_table,
                "after": step.after,
                "moved": moved,
                "unreadable": unreadable,
            }
            key = f"{REENCRYPT}:{run}:{step.next_table}:{step.after}"
            await enqueue_on_commit(db, REENCRYPT, following, dedupe_key=key[:200])
        await db.commit()
    if step.next_table is None:
        log.info(
            "Re-encryption with key %s finished: %d values re-encrypted, %d could not be "
            "opened and were left as they are.",
            ring.current,
            moved,
            unreadable,
        )


# --- What the keys command counts --------------------------------------------------------


@dataclass
class Usage:
    """How many sealed values name each key of a ring, and how many name no key of it."""

    by_key: dict[str, int] = field(default_factory=dict)
    other: int = 0


async def usage(db: AsyncSession, ring: Keyring) -> Usage:
    found = Usage(by_key=dict.fromkeys(ring.keys, 0))
    for where in registered():
        t = where.clause
        columns: list[ColumnElement[Any]] = []
        for name in where.fields:
            columns.append(func.count(t.c[name]))
            columns += [
                func.coalesce(func.sum(case((_starts(t.c[name], prefix_of(k)), 1), else_=0)), 0)
                for k in ring.keys
            ]
        counts = list((await db.execute(select(*columns))).one())
        width = 1 + len(ring.keys)
        for start in range(0, len(counts), width):
            total, *per_key = (int(n) for n in counts[start : start + width])
            for key_id, n in zip(ring.keys, per_key, strict=True):
                found.by_key[key_id] += n
            found.other += total - sum(per_key)
    return found


@dataclass
class Needed:
    """The values sealed with one key: those it still opens, and those it cannot."""

    opens: int = 0
    unreadable: int = 0


async def still_needed(db: AsyncSession, ring: Keyring, key_id: str) -> Needed:
    """Whether removing ``key_id`` would make any value unreadable that is readable now."""
    found = Needed()
    prefix = prefix_of(key_id)
    for where in registered():
        t = where.clause
        after = 0
        while True:
            rows = await _rows(db, where, after, *(_starts(t.c[f], prefix) for f in where.fields))
            for row in rows:
                for name in where.fields:
                    value = row._mapping[name]
                    if value is None or not value.startswith(prefix):
                        continue
                    try:
                        unseal(ring, value, member_id=int(row[1]), table=where.table, field=name)
                        found.opens += 1
                    except Unreadable:
                        found.unreadable += 1
            if len(rows) < BATCH:
                break
            after = int(rows[-1][0])
    return found
