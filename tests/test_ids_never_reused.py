"""An id, once given, never names anything else: deleting the newest row of a table and
making another gives a larger id, on SQLite (AUTOINCREMENT) as on PostgreSQL (sequences).

Ids leave their rows — feed marks, links, cursors, API clients — so a reused id would make
them point at something else: the feed mark of someone who had read up to a deleted moment
would hide the next moment from them.
"""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image

from socialode import migrate
from socialode.accounts.access import access_viewer
from socialode.gatherings.actions import Proposal, check_propose
from socialode.gatherings.actions.felt import check_feel
from socialode.platform.clock import utcnow
from socialode.platform.jobs import enqueue
from socialode.platform.services import Services
from socialode.schema import metadata
from tests import backends
from tests.conversations.people import Member, connect, group, members, send
from tests.helpers import invite_token, login, sign_up
from tests.platform import job_kinds  # noqa: F401  (registers the test job kinds)

_n = itertools.count()


def surrogate_id_tables() -> set[str]:
    """Tables whose key is one integer id of their own."""
    return {
        t.name
        for t in metadata.sorted_tables
        if [c.name for c in t.primary_key] == ["id"]
        and isinstance(t.c.id.type, sa.Integer)
        and not t.c.id.foreign_keys
    }


def test_every_surrogate_id_table_never_reuses_ids() -> None:
    """The rule in the models: a new table with its own id must say AUTOINCREMENT too."""
    tables = surrogate_id_tables()
    forgot = sorted(t for t in tables if not metadata.tables[t].kwargs.get("sqlite_autoincrement"))
    assert not forgot, f"declare {{'sqlite_autoincrement': True}} in __table_args__ of {forgot}"
    assert tables == MAKERS.keys() | APPEND_ONLY.keys(), "give each table with its own id a maker"


@dataclass
class World:
    client: httpx.AsyncClient
    services: Services
    ada: Member
    bob: Member
    group_id: int
    quoted: int  # a message Cy read before being removed; editing it keeps its text


async def _max_id(services: Services, table: str) -> int:
    async with services.db.sessions() as db:
        found = await db.execute(sa.select(sa.func.max(metadata.tables[table].c.id)))
        return int(found.scalar_one())


async def _ok(response: httpx.Response, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 204)), response.text
    return response.json() if response.content else None


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (90, 140, 200)).save(buffer, "PNG")
    return buffer.getvalue()


# -- one way to make a row of each table, through the API ------------------------------------
async def _user(w: World) -> None:
    await sign_up(w.client, w.services, f"newbie{next(_n)}")


async def _session(w: World) -> None:
    await login(w.client, w.ada.handle)


async def _waitlist(w: World) -> None:
    email = f"wait{next(_n)}@example.org"
    await _ok(await w.client.post("/api/v1/waitlist", json={"email": email}), 202)


async def _invite(w: World) -> None:
    await invite_token(w.services)


async def _reset(w: World) -> None:
    email = f"{w.ada.handle}@example.org"
    await _ok(await w.client.post("/api/v1/auth/password-reset", json={"email": email}), 202)


async def _request(w: World) -> None:
    (stranger,) = await members(w.client, w.services, f"stranger{next(_n)}")
    url = "/api/v1/connections/requests"
    await _ok(
        await w.client.post(url, json={"handle": w.ada.handle}, headers=stranger.headers), 201
    )


async def _circle(w: World) -> None:
    body = {"name": f"Circle {next(_n)}"}
    await _ok(await w.client.post("/api/v1/circles", json=body, headers=w.ada.headers), 201)


async def _conversation(w: World) -> None:
    await group(w.client, w.ada, f"Group {next(_n)}", w.bob)


async def _member(w: World) -> None:
    gid = await group(w.client, w.ada, f"Group {next(_n)}", w.bob)
    await _ok(await w.client.post(f"/api/v1/conversations/{gid}/leave", headers=w.bob.headers))
    url = f"/api/v1/conversations/{gid}/members"
    await _ok(await w.client.post(url, json={"handle": w.bob.handle}, headers=w.ada.headers), 201)


async def _message(w: World) -> None:
    await _ok(await send(w.client, w.ada, w.group_id, f"message {next(_n)}"), 201)


async def _revision(w: World) -> None:
    body = {"body": f"edit {next(_n)}"}
    url = f"/api/v1/messages/{w.quoted}"
    await _ok(await w.client.patch(url, json=body, headers=w.ada.headers))


async def _moment(w: World) -> None:
    body = {"body": f"moment {next(_n)}", "circles": [], "people": [w.bob.handle]}
    await _ok(await w.client.post("/api/v1/moments", json=body, headers=w.ada.headers), 201)


async def _job(w: World) -> None:
    async with w.services.db.sessions() as db:
        await enqueue(db, "test.count", {})
        await db.commit()


async def _photo(w: World) -> None:
    files = {"photo": ("p.png", _png(), "image/png")}
    url = "/api/v1/moments/photos"
    await _ok(await w.client.post(url, files=files, headers=w.ada.headers), 201)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def _device(w: World) -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    body = {
        "endpoint": f"https://push.example.org/device/{next(_n)}",
        "keys": {"p256dh": _b64url(point), "auth": _b64url(b"sixteen byte key")},
    }
    url = "/api/v1/push/subscriptions"
    await _ok(await w.client.post(url, json=body, headers=w.ada.headers), 201)


CHECKINS = (
    ("mood", {"mood": 3}),
    ("phq2", {"q1": 0, "q2": 1}),
    ("ucla3", {"q1": 1, "q2": 1, "q3": 2}),
    ("who5", {"q1": 3, "q2": 3, "q3": 3, "q4": 3, "q5": 3}),
)


async def _checkin(w: World) -> None:
    name, answers = CHECKINS[next(_n) % len(CHECKINS)]  # a few of each kind a day at most
    body = {"instrument": name, "answers": answers}
    url = "/api/v1/wellbeing/checkins"
    await _ok(await w.client.post(url, json=body, headers=w.ada.headers), 201)


async def _propose(w: World, starts_in: timedelta, times: int = 1) -> int:
    """A gathering of Ada's with Bob, through the action (gatherings have no routes yet)."""
    start = utcnow() + starts_in
    spans = [(start + timedelta(days=d), start + timedelta(days=d, hours=2)) for d in range(times)]
    proposal = Proposal(title=f"Walk {next(_n)}", spans=spans, handles=[w.bob.handle])
    async with w.services.db.sessions() as db:
        ada = await access_viewer(db, w.ada.token)
        assert ada is not None
        return (await check_propose(w.services, db, ada, proposal)).gathering_id


async def _gathering(w: World) -> None:
    await _propose(w, timedelta(days=3), times=2)  # its time options and invitees too


async def _feeling(w: World) -> None:
    gathering_id = await _propose(w, timedelta(minutes=5))
    with time_machine.travel(utcnow() + timedelta(hours=3), tick=False):
        async with w.services.db.sessions() as db:
            bob = await access_viewer(db, w.bob.token)
            assert bob is not None
            await check_feel(w.services, db, bob, gathering_id, 4, "")


async def _report(w: World) -> None:
    body = {"kind": "group", "id": w.group_id, "reason": "spam", "note": f"n{next(_n)}"}
    async with w.services.db.sessions() as db:  # one open report each: resolve the last
        from socialode.moderation.models import Report, State

        await db.execute(sa.update(Report).values(state=State.resolved.value))
        await db.commit()
    await _ok(await w.client.post("/api/v1/reports", json=body, headers=w.bob.headers), 201)


# Tables whose rows are never deleted (a trigger refuses it), so no id can ever be freed.
APPEND_ONLY = {"moderation_audit": "the moderation audit log"}

MAKERS: dict[str, Callable[[World], Awaitable[None]]] = {
    "reports": _report,
    "users": _user,
    "sessions": _session,
    "waitlist_entries": _waitlist,
    "invites": _invite,
    "password_resets": _reset,
    "connection_requests": _request,
    "circles": _circle,
    "conversations": _conversation,
    "conversation_members": _member,
    "messages": _message,
    "message_revisions": _revision,
    "moments": _moment,
    "moment_photos": _photo,
    "notifications": _moment,  # a moment for Bob tells him
    "jobs": _job,
    "push_subscriptions": _device,
    "wellbeing_checkins": _checkin,
    "gatherings": _gathering,
    "gathering_options": _gathering,
    "gathering_invitees": _gathering,
    "gathering_feelings": _feeling,
}


async def _world(client: httpx.AsyncClient, services: Services) -> World:
    services.settings.rate_messages = "100000/minute"
    ada, bob, cy = await members(client, services, "ada_ids", "bob_ids", "cy_ids")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    gid = await group(client, ada, "Ids", bob, cy)
    quoted = (await _ok(await send(client, ada, gid, "read by Cy"), 201))["id"]
    url = f"/api/v1/conversations/{gid}/members/{cy.handle}"
    await _ok(await client.delete(url, headers=ada.headers))
    return World(client, services, ada, bob, gid, quoted)


@pytest.mark.parametrize("table", sorted(MAKERS))
async def test_deleting_the_newest_row_never_frees_its_id(
    client: httpx.AsyncClient, services: Services, table: str
) -> None:
    w = await _world(client, services)
    make = MAKERS[table]
    await make(w)
    newest = await _max_id(services, table)
    async with services.db.sessions() as db:
        rows = metadata.tables[table]
        await db.execute(sa.delete(rows).where(rows.c.id == newest))
        await db.commit()
    await make(w)
    assert await _max_id(services, table) > newest


# -- the bug it was: a feed that never showed the next moment --------------------------------
async def _feed(client: httpx.AsyncClient, who: Member) -> list[int]:
    """One whole reading pass of the feed (which moves the reader's mark)."""
    ids: list[int] = []
    url: str | None = "/api/v1/feed"
    while url:
        page = await _ok(await client.get(url, headers=who.headers))
        ids += [m["id"] for m in page["moments"]]
        url = page.get("next")
        if url and not url.startswith("/"):
            url = f"/api/v1/feed?cursor={url}"
    return ids


async def test_a_moment_after_a_deleted_newest_one_reaches_the_feed(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_feedid", "bob_feedid")
    await connect(client, ada, bob)

    async def post(body: str) -> int:
        payload = {"body": body, "circles": [], "people": [bob.handle]}
        return int(
            (
                await _ok(
                    await client.post("/api/v1/moments", json=payload, headers=ada.headers), 201
                )
            )["id"]
        )

    first, second = await post("first"), await post("second")
    assert await _feed(client, bob) == [second, first]  # Bob has read up to the newest
    await _ok(await client.delete(f"/api/v1/moments/{second}", headers=ada.headers), 204)
    third = await post("third")
    assert third > second
    assert await _feed(client, bob) == [third]


# -- an existing database: migrating keeps every id and never reuses one afterwards --------
def _fill(table: sa.Table, values: dict[str, Any], n: int) -> dict[str, Any]:
    """A row for ``table`` at the older revision: given values, and plain ones elsewhere."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type
        if isinstance(kind, sa.Boolean):
            row[column.name] = False
        elif isinstance(kind, sa.Integer):
            row[column.name] = 0
        elif isinstance(kind, sa.DateTime):
            row[column.name] = datetime(2026, 11, 30, 12, tzinfo=UTC).replace(tzinfo=None)
        elif isinstance(kind, sa.JSON):
            row[column.name] = []
        else:
            row[column.name] = f"v{n}_{column.name}"
    return row


def _ids(conn: sa.Connection, table: str) -> list[int]:
    rows = sa.table(table, sa.column("id"))
    return [r[0] for r in conn.execute(sa.select(rows.c.id).order_by(rows.c.id))]


@pytest.mark.skipif(backends.BACKEND != "sqlite", reason="the rebuild happens on SQLite only")
def test_upgrading_an_existing_sqlite_database_keeps_ids_and_data(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0003")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    old = sa.MetaData()
    old.reflect(engine)
    t = old.tables
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        for uid in (1, 2, 3, 5):
            conn.execute(t["users"].insert(), [_fill(t["users"], {"id": uid}, uid)])
        conv = {"id": 7, "kind": "group", "name": "Kept", "creator_id": 1, "last_seq": 3}
        conn.execute(t["conversations"].insert(), [_fill(t["conversations"], conv, 7)])
        for seq, kind, subject in ((1, "message", None), (2, "message", None), (3, "remove", 3)):
            event = {"conversation_id": 7, "seq": seq, "kind": kind, "subject_id": subject}
            conn.execute(
                t["conversation_events"].insert(), [_fill(t["conversation_events"], event, seq)]
            )
        for mid, seq in ((10, 1), (11, 2)):
            message = {"id": mid, "conversation_id": 7, "seq": seq, "sender_id": 1}
            conn.execute(t["messages"].insert(), [_fill(t["messages"], message, mid)])
        for pk, uid, until in ((20, 1, None), (21, 2, None), (22, 3, 3)):
            member = {
                "id": pk,
                "conversation_id": 7,
                "user_id": uid,
                "from_seq": 1,
                "until_seq": until,
            }
            conn.execute(
                t["conversation_members"].insert(), [_fill(t["conversation_members"], member, pk)]
            )
        for mid in (30, 31):
            conn.execute(
                t["moments"].insert(), [_fill(t["moments"], {"id": mid, "author_id": 2}, mid)]
            )
    engine.dispose()

    migrate.upgrade(url)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        # Every row survived the rebuild: nothing cascaded away when the old tables went.
        assert _ids(conn, "users") == [1, 2, 3, 5]
        assert _ids(conn, "conversations") == [7]
        assert _ids(conn, "messages") == [10, 11]
        assert _ids(conn, "conversation_members") == [20, 21, 22]
        assert _ids(conn, "moments") == [30, 31]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        departed = conn.exec_driver_sql(
            "SELECT ended, name_then FROM conversation_members WHERE id = 22"
        ).one()
        assert tuple(departed) == ("remove", "Kept")
        for table in sorted(MAKERS):
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).scalar_one()
            assert "AUTOINCREMENT" in sql, table
        # Delete the newest, add one: a new id, on every table the rebuild touched.
        new = sa.MetaData()
        new.reflect(conn)
        for table, keep in (("users", {}), ("moments", {"author_id": 2}), ("messages", None)):
            if keep is None:
                keep = {"conversation_id": 7, "seq": 99, "sender_id": 1}
            top = max(_ids(conn, table))
            rows = new.tables[table]
            conn.execute(sa.delete(rows).where(rows.c.id == top))
            row = _fill(new.tables[table], keep, 900 + top)
            conn.execute(new.tables[table].insert(), [row])
            assert max(_ids(conn, table)) > top, table
    engine.dispose()
