"""Live events leave only after their transaction commits: in order, once, never for a
rollback."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import WaitlistEntry
from socialode.platform.aftercommit import publish_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.events import Envelope
from socialode.platform.services import Services

USER = 7


class Sink:
    """Stands in for a live socket of ``USER``."""

    def __init__(self) -> None:
        self.got: list[int] = []

    def deliver(self, envelope: Envelope) -> None:
        self.got.append(envelope.payload["n"])

    def resync(self) -> None:  # pragma: no cover - not expected here
        raise AssertionError("no resync expected")


@pytest.fixture
def sink(services: Services) -> Sink:
    sink = Sink()
    services.hub.subscribe(USER, sink)
    return sink


def event(n: int) -> Envelope:
    return Envelope([USER], {"type": "test", "n": n})


def write(db: AsyncSession, name: str) -> None:
    email = f"{name}@example.org"
    db.add(WaitlistEntry(email=email, email_key=email, created_at=utcnow()))


async def test_published_after_commit_in_order(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        write(db, "a")
        publish_on_commit(db, event(1))
        publish_on_commit(db, event(2))
        await db.flush()
        publish_on_commit(db, event(3))
        assert sink.got == []  # recorded, not sent: nothing is committed yet
        await db.commit()
        assert sink.got == [1, 2, 3]


async def test_published_once_when_commit_is_called_again(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        write(db, "b")
        publish_on_commit(db, event(1))
        await db.commit()
        await db.commit()
        write(db, "c")
        publish_on_commit(db, event(2))
        await db.commit()
        await db.commit()
    assert sink.got == [1, 2]


async def test_nothing_for_a_rollback(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        write(db, "d")
        publish_on_commit(db, event(1))
        await db.rollback()
        await db.commit()  # a later commit does not send what was rolled back
        write(db, "e")
        publish_on_commit(db, event(2))
        await db.commit()
    assert sink.got == [2]


async def failing_action(services: Services) -> None:
    async with services.db.sessions() as db:
        write(db, "f")
        publish_on_commit(db, event(1))
        await db.flush()
        raise RuntimeError("the action failed before its commit")


async def test_nothing_for_an_exception_before_commit(services: Services, sink: Sink) -> None:
    with pytest.raises(RuntimeError):
        await failing_action(services)
    async with services.db.sessions() as db:
        write(db, "g")
        await db.commit()
    assert sink.got == []


async def test_nothing_when_the_commit_fails(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        write(db, "h")
        await db.commit()
    async with services.db.sessions() as db:
        write(db, "h")  # the same address again: the unique key refuses it at commit
        publish_on_commit(db, event(1))
        with pytest.raises(IntegrityError):
            await db.commit()
        await db.rollback()
        await db.commit()
    assert sink.got == []


async def test_nothing_for_a_session_closed_without_commit(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        write(db, "i")
        publish_on_commit(db, event(1))
    async with services.db.sessions() as db:
        await db.commit()
    assert sink.got == []


async def test_nothing_for_a_rolled_back_savepoint(services: Services, sink: Sink) -> None:
    async with services.db.sessions() as db:
        publish_on_commit(db, event(1))
        savepoint = await db.begin_nested()
        write(db, "j")
        publish_on_commit(db, event(2))
        await savepoint.rollback()
        async with db.begin_nested():
            write(db, "k")
            publish_on_commit(db, event(3))
        publish_on_commit(db, event(4))
        assert sink.got == []
        await db.commit()
    assert sink.got == [1, 3, 4]
