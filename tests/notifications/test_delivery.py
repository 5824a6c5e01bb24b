"""Delivery on the members' terms, with a controlled clock: nothing reaches anyone in their
quiet hours (no live note, no push, no email); what was held arrives once, as one summary,
when they end; digests arrive at the chosen local times only and never empty; together mode
holds everything and shows it when it ends; kinds turned off are only listed.

Members live in three zones (Lisbon, São Paulo, Tokyo). Push services are the one thing that
leaves the machine: ``send_push`` is replaced by a recorder here (the push path itself is
tested end to end against a local push service in test_push.py).
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.notifications import delivery, registry
from socialode.notifications import push as push_feature
from socialode.notifications.access import access_marks
from socialode.notifications.actions import do_notify, do_notify_collapsed, do_withdraw
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown
from socialode.platform.events import Envelope
from socialode.platform.push import Outcome
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.helpers import bearer, body_of, mail_to, sign_up

LISBON, SAO_PAULO, TOKYO = "Europe/Lisbon", "America/Sao_Paulo", "Asia/Tokyo"
# 23:30 in Lisbon (quiet), 20:30 in São Paulo (awake), 08:30 next morning in Tokyo (awake).
NIGHT_IN_LISBON = datetime(2027, 1, 14, 23, 30, tzinfo=UTC)


async def _resolve(_db: Any, _viewer: Viewer, rows: Sequence[Notification]) -> dict[int, Shown]:
    return {
        r.id: Shown(f"Note {r.ref} arrived.", f"/notes/{r.ref}", preview=f"words of {r.ref}")
        for r in rows
        if not r.ref.startswith("gone")
    }


@pytest.fixture(autouse=True)
def kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two kinds of this test's own: one that arrives at once, one for digests, plus a
    message-like kind that marks Conversations."""
    for kind in (
        Kind("t_now", "Test notes", "live", _resolve),
        Kind("t_later", "Test digests", "digest", _resolve),
        Kind("t_chat", "Test messages", "live", _resolve, listed=False),
    ):
        monkeypatch.setitem(registry._KINDS, kind.name, kind)


@dataclass
class Pushes:
    sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def to(self, user_id: int) -> list[dict[str, Any]]:
        return [m for uid, m in self.sent if uid == user_id]


@pytest.fixture
def pushes(monkeypatch: pytest.MonkeyPatch) -> Pushes:
    record = Pushes()

    async def send(
        _settings: Any, sub: Any, message: dict[str, Any], ttl: int, **_: Any
    ) -> Outcome:
        assert ttl > 0
        record.sent.append((sub.user_id, message))
        return Outcome.SENT

    monkeypatch.setattr(push_feature, "send_push", send)
    return record


class Tab:
    """An open tab of one member: the live frames it receives."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def deliver(self, envelope: Envelope) -> None:
        self.frames.append(envelope.payload)

    def resync(self) -> None:
        pass

    def notices(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("type") == "notice"]


@dataclass
class Member:
    id: int
    token: str
    email: str
    tab: Tab


def _device_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"push_allow_local": True}


async def member(client: httpx.AsyncClient, services: Services, handle: str, zone: str) -> Member:
    token = await sign_up(client, services, handle)
    headers = bearer(token)
    assert (await client.patch("/api/v1/me", json={"timezone": zone}, headers=headers)).is_success
    me = (await client.get("/api/v1/me", headers=headers)).json()
    async with services.db.sessions() as db:
        me["id"] = await db.scalar(select(User.id).where(User.handle == handle))
    device = {
        "endpoint": f"http://127.0.0.1:9/push/{handle}",
        "keys": {
            "p256dh": _device_key(),
            "auth": base64.urlsafe_b64encode(b"0123456789abcdef").rstrip(b"=").decode(),
        },
    }
    answer = await client.post("/api/v1/push/subscriptions", json=device, headers=headers)
    assert answer.status_code == 201, answer.text
    tab = Tab()
    services.hub.subscribe(me["id"], tab)
    return Member(me["id"], token, me["email"], tab)


async def notify(services: Services, who: Sequence[Member], kind: str, ref: str) -> None:
    async with services.db.sessions() as db:
        await do_notify(db, [m.id for m in who], kind, ref, None)
        await db.commit()


async def run_due(services: Services) -> None:
    """Run every job that is due at the controlled clock's time, until none is."""
    worker = Worker(services)
    while await worker.run_once():
        pass


@contextmanager
def at(instant: datetime) -> Iterator[None]:
    with time_machine.travel(instant, tick=False):
        yield


async def step(services: Services, instant: datetime) -> None:
    """Let the clock reach ``instant`` and the worker run what is due then."""
    with at(instant):
        await run_due(services)


async def deliveries(services: Services, user_id: int) -> dict[str, int]:
    async with services.db.sessions() as db:
        rows = await db.scalars(select(Notification).where(Notification.user_id == user_id))
        found: dict[str, int] = {}
        for row in rows:
            found[row.delivery] = found.get(row.delivery, 0) + 1
        return found


async def three(client: httpx.AsyncClient, services: Services) -> tuple[Member, Member, Member]:
    with at(NIGHT_IN_LISBON - timedelta(hours=2)):
        return (
            await member(client, services, "ana_l", LISBON),
            await member(client, services, "bo_sp", SAO_PAULO),
            await member(client, services, "chi_t", TOKYO),
        )


async def test_quiet_hours_hold_everything_in_each_members_own_zone_and_release_it_once(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    ana, bo, chi = await three(client, services)
    with at(NIGHT_IN_LISBON):
        await notify(services, [ana, bo, chi], "t_now", "first")
        await notify(services, [ana, bo, chi], "t_now", "second")
        await run_due(services)
    # São Paulo (20:30) and Tokyo (08:30) are awake: a live note and a push each, at once.
    for awake in (bo, chi):
        assert [n["text"] for n in awake.tab.notices()] == [
            "Note first arrived.",
            "Note second arrived.",
        ]
        assert sorted(m["body"] for m in pushes.to(awake.id)) == [  # each push is its own job
            "Note first arrived.",
            "Note second arrived.",
        ]
    # Lisbon is in quiet hours: nothing on any channel, both held.
    assert ana.tab.notices() == [] and pushes.to(ana.id) == []
    assert await deliveries(services, ana.id) == {"held": 2}
    # Still nothing a minute before 07:00 Lisbon (07:00 UTC in winter).
    await step(services, datetime(2027, 1, 15, 6, 59, tzinfo=UTC))
    assert ana.tab.notices() == [] and pushes.to(ana.id) == []
    # At 07:00 everything held arrives as one gentle summary, in the app and by push.
    await step(services, datetime(2027, 1, 15, 7, 0, 1, tzinfo=UTC))
    (summary,) = ana.tab.notices()
    assert summary["text"] == "While you were resting: Note first arrived; Note second arrived."
    (pushed,) = pushes.to(ana.id)
    assert pushed["body"] == summary["text"] and pushed["tag"] == "summary"
    assert await deliveries(services, ana.id) == {"summed": 2}
    # Once: later runs add nothing.
    await step(services, datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    assert len(ana.tab.notices()) == 1 and len(pushes.to(ana.id)) == 1
    assert mail_to(services.settings, ana.email) == [], "email stays off unless opted in"


async def test_a_summary_names_three_things_then_how_many_more(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    ana, _, _ = await three(client, services)
    with at(NIGHT_IN_LISBON):
        for ref in ("a", "b", "c", "d", "gone-e"):
            await notify(services, [ana], "t_now", ref)
        await run_due(services)
    await step(services, datetime(2027, 1, 15, 7, 1, tzinfo=UTC))
    (summary,) = ana.tab.notices()
    # "gone-e" is no longer visible to ana: never announced, never counted.
    assert summary["text"] == (
        "While you were resting: Note a arrived; Note b arrived; Note c arrived; and 1 more."
    )


async def test_quiet_hours_ending_in_the_same_minute_are_released_together_each_alone(
    client: httpx.AsyncClient,
    services: Services,
    pushes: Pushes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """07:00 ends many members' quiet hours at once: their releases run as one batch, and
    still each member hears only of their own, once; one who moved their quiet hours in the
    night is left for their new end."""
    with at(NIGHT_IN_LISBON - timedelta(hours=2)):
        people = [await member(client, services, f"lis_{n}", LISBON) for n in range(4)]
    batches: list[list[int]] = []
    real = delivery.do_release_many

    async def spy(db: Any, user_ids: Sequence[int], now: datetime, title: str) -> None:
        batches.append(sorted(user_ids))
        await real(db, user_ids, now, title)

    monkeypatch.setattr(delivery, "do_release_many", spy)
    with at(NIGHT_IN_LISBON):
        for n, person in enumerate(people):
            await notify(services, [person], "t_now", f"for-{n}")
        await notify(services, people, "t_now", "for-all")
        await run_due(services)
        later = people[3]
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"quiet_hours": {"on": True, "start": "22:00", "end": "08:00"}},
            headers=bearer(later.token),
        )
        assert answer.is_success, answer.text
    assert all(p.tab.notices() == [] for p in people) and pushes.sent == []
    await step(services, datetime(2027, 1, 15, 7, 0, 1, tzinfo=UTC))
    assert batches == [sorted(p.id for p in people)]
    for n, person in enumerate(people[:3]):
        (summary,) = person.tab.notices()
        assert summary["text"] == (
            f"While you were resting: Note for-{n} arrived; Note for-all arrived."
        )
        assert [m["body"] for m in pushes.to(person.id)] == [summary["text"]]
    assert later.tab.notices() == [] and pushes.to(later.id) == []
    assert await deliveries(services, later.id) == {"held": 2}
    await step(services, datetime(2027, 1, 15, 8, 0, 1, tzinfo=UTC))
    (summary,) = later.tab.notices()
    assert summary["text"] == "While you were resting: Note for-3 arrived; Note for-all arrived."
    assert len(pushes.to(later.id)) == 1
    assert all(len(p.tab.notices()) == 1 for p in people)


async def test_digests_arrive_at_the_chosen_local_times_only_and_never_empty(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, chi = await three(client, services)
    headers = bearer(chi.token)
    with at(NIGHT_IN_LISBON):
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"digests": {"times": ["10:15", "19:45"], "email_digest": False}},
            headers=headers,
        )
        assert answer.is_success, answer.text
        # 08:30 in Tokyo: a digest kind waits for 10:15 Tokyo (01:15 UTC).
        await notify(services, [bo, chi], "t_later", "story")
        await run_due(services)
    assert chi.tab.notices() == [] and pushes.to(chi.id) == []
    await step(services, datetime(2027, 1, 15, 1, 14, tzinfo=UTC))
    assert chi.tab.notices() == []
    await step(services, datetime(2027, 1, 15, 1, 15, 1, tzinfo=UTC))
    (digest,) = chi.tab.notices()
    assert digest["text"] == "Since your last digest: Note story arrived."
    assert [m["tag"] for m in pushes.to(chi.id)] == ["digest"]
    # São Paulo keeps the defaults: 12:00 local is 15:00 UTC.
    await step(services, datetime(2027, 1, 15, 14, 59, tzinfo=UTC))
    assert bo.tab.notices() == []
    await step(services, datetime(2027, 1, 15, 15, 0, 1, tzinfo=UTC))
    assert [n["text"] for n in bo.tab.notices()] == ["Since your last digest: Note story arrived."]
    # A digest whose notifications were withdrawn before its time says nothing at all.
    with at(datetime(2027, 1, 15, 2, 0, tzinfo=UTC)):
        await notify(services, [chi], "t_later", "withdrawn")
        await run_due(services)
        async with services.db.sessions() as db:
            await do_withdraw(db, ["withdrawn"])
            await db.commit()
    await step(services, datetime(2027, 1, 15, 10, 45, 1, tzinfo=UTC))  # 19:45 Tokyo
    assert len(chi.tab.notices()) == 1 and len(pushes.to(chi.id)) == 1


async def test_the_email_digest_is_opt_in_daily_and_lands_in_the_outbox(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    with at(NIGHT_IN_LISBON):
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"digests": {"times": ["12:00", "18:00"], "email_digest": True}},
            headers=bearer(bo.token),
        )
        assert answer.is_success, answer.text
        await notify(services, [bo], "t_now", "hello")
        await notify(services, [bo], "t_later", "later")
        await run_due(services)
    assert mail_to(services.settings, bo.email) == []
    # The daily email leaves with the day's last digest, 18:00 in São Paulo (21:00 UTC).
    await step(services, datetime(2027, 1, 15, 20, 59, tzinfo=UTC))
    assert mail_to(services.settings, bo.email) == []
    await step(services, datetime(2027, 1, 15, 21, 0, 1, tzinfo=UTC))
    (mail,) = mail_to(services.settings, bo.email)
    body = body_of(mail)
    assert mail["Subject"] == "Your day on Socialode"
    assert "Note hello arrived." in body and "Note later arrived." in body
    assert "http://testserver/notes/hello" in body
    assert "words of" not in body, "an email names who and what kind, never the words"


async def test_together_mode_holds_everything_and_shows_it_when_it_ends(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    start = datetime(2027, 1, 15, 15, 0, tzinfo=UTC)  # 12:00 in São Paulo
    with at(start):
        answer = await client.post("/api/v1/together", json={"hours": 2}, headers=bearer(bo.token))
        assert answer.is_success, answer.text
        await notify(services, [bo], "t_now", "while-out")
        await run_due(services)
    assert bo.tab.notices() == [] and pushes.to(bo.id) == []
    await step(services, start + timedelta(hours=1, minutes=59))
    assert bo.tab.notices() == []
    await step(services, start + timedelta(hours=2, seconds=1))
    (summary,) = bo.tab.notices()
    assert summary["text"] == "While you were with people: Note while-out arrived."


async def test_kinds_turned_off_are_listed_but_never_announced_or_marked(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    with at(datetime(2027, 1, 15, 15, 0, tzinfo=UTC)):
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"channels": {"t_now": "off"}},
            headers=bearer(bo.token),
        )
        assert answer.is_success, answer.text
        await notify(services, [bo], "t_now", "quiet-one")
        await run_due(services)
        listed = (await client.get("/api/v1/notifications", headers=bearer(bo.token))).json()
    assert [n["text"] for n in listed["notifications"]] == ["Note quiet-one arrived."]
    assert bo.tab.notices() == [] and pushes.to(bo.id) == []
    async with services.db.sessions() as db:
        viewer = await _viewer(services, bo)
        assert await access_marks(db, viewer) == set()


async def _viewer(services: Services, who: Member) -> Viewer:
    from socialode.accounts.access import access_members_as_viewers

    async with services.db.sessions() as db:
        return (await access_members_as_viewers(db, [who.id]))[who.id]


async def test_marks_are_dots_for_conversations_and_notifications_and_clear_when_seen(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    headers = bearer(bo.token)
    with at(datetime(2027, 1, 15, 15, 0, tzinfo=UTC)):
        await notify(services, [bo], "t_chat", "talk")
        await run_due(services)
        (frame,) = bo.tab.notices()
        assert frame["marks"] == ["conversations"]
        page = (await client.get("/circles", headers=headers)).text
        assert 'data-mark="conversations" class="marked"' in page
        assert 'data-mark="notifications" class="marked"' not in page
        assert "<title>• " in page
        await notify(services, [bo], "t_now", "note")
        await run_due(services)
        page = (await client.get("/circles", headers=headers)).text
        assert 'data-mark="notifications" class="marked"' in page
        # Seeing the notifications page clears its dot; the conversation's stays until read.
        await client.get("/notifications", headers=headers)
        page = (await client.get("/circles", headers=headers)).text
        assert 'data-mark="notifications" class="marked"' not in page
        assert 'data-mark="conversations" class="marked"' in page
    nav = page.split('data-mark="conversations"')[1].split("</nav>")[0]
    words = re.sub(r"<[^>]*>", " ", nav)  # what the menu says (icons are drawings, not words)
    assert "</a>" in nav and not any(ch.isdigit() for ch in words), "no number"
    assert set(frame) == {"type", "text", "url", "marks"}, "a note and where it marks, no count"


async def test_a_mark_looks_past_newer_rows_that_are_no_longer_visible(
    client: httpx.AsyncClient, services: Services, pushes: Pushes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marks resolve the newest unread rows a slice at a time: a visible note under a dozen
    newer ones that can no longer be seen still marks, and one that is visible ends the look."""
    _, bo, _ = await three(client, services)
    with at(datetime(2027, 1, 15, 15, 0, tzinfo=UTC)):
        await notify(services, [bo], "t_chat", "talk")
        await notify(services, [bo], "t_now", "kept")
        for n in range(12):
            await notify(services, [bo], "t_now", f"fades-{n}")
            await notify(services, [bo], "t_chat", f"fades-chat-{n}")
        await run_due(services)
    viewer = await _viewer(services, bo)
    resolved: list[int] = []

    async def counting(db: Any, who: Viewer, rows: Sequence[Notification]) -> dict[int, Shown]:
        resolved.append(len(rows))  # the "fades" ones were delivered, and are now hidden
        return await _resolve(db, who, [r for r in rows if not r.ref.startswith("fades")])

    for name in ("t_now", "t_chat"):
        kind = registry._KINDS[name]
        monkeypatch.setitem(registry._KINDS, name, dataclasses.replace(kind, resolver=counting))
    async with services.db.sessions() as db:
        assert await access_marks(db, viewer) == {"notifications", "conversations"}
    assert sum(resolved) == 26, "every hidden row was looked past"
    resolved.clear()
    await notify(services, [bo], "t_now", "newest")
    await notify(services, [bo], "t_chat", "newest-chat")
    async with services.db.sessions() as db:
        assert await access_marks(db, viewer) == {"notifications", "conversations"}
    assert sum(resolved) <= 4, "the newest visible rows end the look"


async def test_a_daily_email_whose_time_falls_in_quiet_hours_leaves_when_they_end(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    with at(datetime(2027, 1, 15, 16, 0, tzinfo=UTC)):  # 13:00 in São Paulo
        answer = await client.put(
            "/api/v1/settings/notifications",
            json={"digests": {"times": ["12:00", "23:00"], "email_digest": True}},
            headers=bearer(bo.token),
        )
        assert answer.is_success, answer.text
        await notify(services, [bo], "t_later", "evening")
        await run_due(services)
    # 23:00 is inside quiet hours (22:00-07:00): nothing then ...
    await step(services, datetime(2027, 1, 16, 2, 0, 1, tzinfo=UTC))
    assert mail_to(services.settings, bo.email) == []
    # ... and the email leaves when they end at 07:00 (10:00 UTC), not a day later.
    await step(services, datetime(2027, 1, 16, 10, 0, 1, tzinfo=UTC))
    (mail,) = mail_to(services.settings, bo.email)
    assert "Note evening arrived." in body_of(mail)


async def test_a_burst_into_one_entry_is_announced_at_most_once_a_minute(
    client: httpx.AsyncClient, services: Services, pushes: Pushes
) -> None:
    _, bo, _ = await three(client, services)
    t0 = datetime(2027, 1, 15, 15, 0, 10, tzinfo=UTC)  # 12:00 in São Paulo

    async def grow(times: int) -> None:
        async with services.db.sessions() as db:
            await do_notify_collapsed(db, [bo.id], "t_chat", "talk", None, times=times)
            await db.commit()

    with at(t0):
        await grow(1)
        await run_due(services)
    assert len(pushes.to(bo.id)) == 1, "the first message is announced at once"
    with at(t0 + timedelta(seconds=20)):
        await grow(1)
        await grow(3)  # one batch of three
        await run_due(services)
    assert len(pushes.to(bo.id)) == 1, "the rest of the burst waits for the next minute"
    await step(services, t0 + timedelta(seconds=50, microseconds=1))  # 15:01:00
    assert len(pushes.to(bo.id)) == 2 and len(bo.tab.notices()) == 2
    async with services.db.sessions() as db:
        (count,) = (await db.scalars(select(Notification.count))).all()
    assert count == 5, "the member's own entry stands for all five"
