"""Side effects that leave only after their transaction commits.

An action records what should happen once its writes are durable -- ``publish_on_commit``
for a live event, ``enqueue_on_commit`` for a background job -- and commits as usual. The
sessions made by ``platform.db.Database`` carry one session-level hook, registered here
once for the session class the factory uses: after a commit it hands the recorded envelopes
to the hub, in the order they were recorded, and forgets them; when the transaction ends any
other way (a rollback, an exception before the commit, a session closed without committing)
they are dropped, and so are those recorded inside a savepoint that is rolled back. Nothing
is published before its commit, nothing for a write that was rolled back, and nothing twice.

This is not an ORM event on models: nothing is published implicitly for a row that changes.
Every event is still named explicitly by the action that causes it.

A job needs no hook to be durable: ``enqueue_on_commit`` writes its row in the same
transaction (``platform.jobs.enqueue``), so it exists exactly when the write that caused it
does. What the hook adds is the wake-up: after the commit, idle workers are told at once (in
this process directly, in others through Redis) instead of at their next poll.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from socialode.platform.events import Envelope

log = logging.getLogger("socialode.aftercommit")

PENDING = "socialode.after_commit"  # key in Session.info: this transaction's Pending
TARGET = "socialode.after_commit.target"  # key in Session.info: where envelopes go


class Target(Protocol):
    """Where committed envelopes are handed on (the hub)."""

    def publish_committed(self, envelope: Envelope) -> None:
        """Hand on an already-committed event without waiting; never raises."""

    def missed(self, why: str) -> None:
        """Committed events could not be handed on: clients resume from the database."""

    def wake_jobs(self) -> None:
        """Jobs were committed: wake idle workers here and elsewhere (best effort)."""


@dataclass
class Pending:
    """What one transaction hands on once it commits, in order."""

    envelopes: list[Envelope] = field(default_factory=list)
    savepoints: dict[int, int] = field(default_factory=dict)  # id -> envelopes before it
    wake: bool = False  # jobs were enqueued: wake the workers after the commit


def _pending(session: Session) -> Pending:
    pending = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = Pending()
    assert isinstance(pending, Pending)
    return pending


def publish_on_commit(db: AsyncSession | Session, envelope: Envelope) -> None:
    """Publish ``envelope`` to the live hub once the current transaction commits.

    Recorded on the session: sent after the commit, in the order recorded, once; dropped if
    the transaction is rolled back or the session closed without committing.
    """
    session = db.sync_session if isinstance(db, AsyncSession) else db
    if envelope.recipients:
        _pending(session).envelopes.append(envelope)


async def enqueue_on_commit(
    db: AsyncSession,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> bool:
    """Add a job in ``db``'s transaction (it runs only if that commits) and wake idle
    workers once it has. False when ``dedupe_key`` was already taken (nothing added)."""
    from socialode.platform import jobs  # the jobs table needs platform.db, which needs us

    added = await jobs.enqueue(
        db, kind, payload, run_at=run_at, dedupe_key=dedupe_key, max_attempts=max_attempts
    )
    if added:
        _pending(db.sync_session).wake = True
    return added


async def enqueue_many_on_commit(
    db: AsyncSession, kind: str, payloads: Sequence[dict[str, Any]], *, max_attempts: int = 5
) -> int:
    """One job of ``kind`` per payload, in one statement of ``db``'s transaction; idle
    workers are woken once it commits."""
    from socialode.platform import jobs

    added = await jobs.enqueue_many(db, kind, payloads, max_attempts=max_attempts)
    if added:
        _pending(db.sync_session).wake = True
    return added


class AfterCommitSession(Session):
    """The session class of ``platform.db.Database``: carries the after-commit hook."""


@event.listens_for(AfterCommitSession, "after_commit")
def _after_commit(session: Session) -> None:
    savepoint = session.get_nested_transaction()
    if savepoint is not None:  # a savepoint released: its envelopes wait for the real commit
        if isinstance(pending := session.info.get(PENDING), Pending):
            pending.savepoints.pop(id(savepoint), None)
        return
    pending = session.info.pop(PENDING, None)
    if not isinstance(pending, Pending):
        return
    target = session.info.get(TARGET)
    if target is None:  # a session made without a hub (nobody can be listening)
        return
    try:
        for envelope in pending.envelopes:
            target.publish_committed(envelope)
    except Exception:  # committed but not handed on: sockets resume from the database
        log.exception("could not hand on %d committed events", len(pending.envelopes))
        target.missed("committed events could not be handed on")
    if pending.wake:
        try:
            target.wake_jobs()
        except Exception:  # workers poll anyway
            log.exception("could not wake job workers")


@event.listens_for(AfterCommitSession, "after_transaction_create")
def _after_transaction_create(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:  # a savepoint: what it records goes if it is rolled back
        pending = _pending(session)
        pending.savepoints[id(transaction)] = len(pending.envelopes)


@event.listens_for(AfterCommitSession, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Runs after ``after_commit`` for a commit (which already took the pending list, or for a
    # savepoint released its mark). The outermost transaction ending any other way drops
    # everything recorded; a savepoint ending any other way drops what was recorded in it.
    if transaction.parent is None:
        session.info.pop(PENDING, None)
    elif transaction.nested and isinstance(pending := session.info.get(PENDING), Pending):
        mark = pending.savepoints.pop(id(transaction), None)
        if mark is not None:
            del pending.envelopes[mark:]
