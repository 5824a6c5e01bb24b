"""Side effects that leave only after their transaction commits.

An action records what should happen once its writes are durable -- ``publish_on_commit``
for a live event -- and commits as usual. The sessions made by ``platform.db.Database`` carry
one session-level hook, registered here once for the session class the factory uses: after a
commit it hands the recorded envelopes to the hub, in the order they were recorded, and
forgets them; when the transaction ends any other way (a rollback, an exception before the
commit, a session closed without committing) they are dropped, and so are those recorded
inside a savepoint that is rolled back. Nothing is published before its commit, nothing
for a write that was rolled back, and nothing twice.

This is not an ORM event on models: nothing is published implicitly for a row that changes.
Every event is still named explicitly by the action that causes it.

The seam for jobs: ``enqueue_on_commit`` will be ``platform.jobs.enqueue`` (the job row is
written in the same transaction, so it needs no hook) plus a wake-up for idle workers
recorded in ``Pending`` next to the envelopes, which ``_after_commit`` hands to the target
the same way (replacing the hand-called ``platform.worker.wake_after_commit``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

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


@dataclass
class Pending:
    """What one transaction hands on once it commits, in order."""

    envelopes: list[Envelope] = field(default_factory=list)
    savepoints: dict[int, int] = field(default_factory=dict)  # id -> envelopes before it


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
    if not isinstance(pending, Pending) or not pending.envelopes:
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
