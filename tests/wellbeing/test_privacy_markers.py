"""Nobody but the member ever sees a check-in, looked for with marker strings.

Ada's notes carry unguessable markers (tests/wellbeing/markers.py). Then: every GET route of
the app, as Bob (her connection), a moderator and an administrator, answers without any of
them, while Ada's own pages show every one; no live frame carries one, to anyone; reminders,
notifications, pushes and emails carry neither a marker nor which check-ins Ada took; no log
record at DEBUG carries a marker; and the raw SQLite file with its write-ahead log, or a
PostgreSQL data dump, holds no marker in any encoding nor the name "phq9".

Each search is proven to work: Ada's own pages show all her markers, the streams and the logs
carry a control message written in the clear, the database bytes hold it, and the reminder is
found in its notification, push, live notice and email. Each check was also broken once by
hand, and it failed: with ``seal`` in ``wellbeing.actions`` replaced by one that stores the
JSON in the clear, the database-file, dump and log checks fail on the markers; with the
check-in routes reading a check-in whoever asks, the route walk fails on Bob's answers; with
the reminder's text naming the PHQ-9, every notification channel fails.

The last test runs the app on uvicorn with its access log on: no line names the check-in a
page form posts to (``/wellbeing/…`` only).
"""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import make_url

from socialode.accounts.models import User
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from socialode.wellbeing.instruments import INSTRUMENTS
from tests import backends
from tests.conversations.people import served
from tests.helpers import Member, members, outbox, run_jobs
from tests.notifications import test_delivery as delivery
from tests.test_block_routes import app_routes
from tests.wellbeing.markers import (
    CLIENT_LOGGERS,
    INSTRUMENT_NAMES,
    PHQ9_CRISIS,
    TAKEN_ONLY,
    World,
    build_world,
    capture_logs,
    found_in,
    log_text,
    new_marker,
    people,
    server_logs,
    streams,
    take_checkins,
)
from tests.wellbeing.test_reminders import MORNING, TEN

pushes = delivery.pushes  # push services replaced by a recorder
EVENING = datetime(2027, 1, 11, 17, 0, 30, tzinfo=UTC)  # 18:00 in Berlin: the day's email
REMINDER = "A quiet moment for yourself is there when you want it."
# Pages that show the asker their own check-in choices or the public catalogue of check-ins:
# the names of check-ins are on them for everyone, so they say nothing about Ada.
CATALOGUE = re.compile(
    r"^/(wellbeing(?!/checkins/)|api/v1/wellbeing/(instruments|settings)|api/v1/openapi\.json)"
)


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"push_allow_local": True}  # the recorded devices live on this machine


def _today() -> str:
    return datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()


def _urls(app: FastAPI, world: World) -> list[tuple[str, str]]:
    """(route, url) for every GET route, its parameters filled with Ada's things: each of her
    check-ins, her handle, her conversation with Bob, her message and circle; other ids with
    a number, keys with zeros."""
    values = {
        "checkin_id": [str(i) for i in world.checkin_ids],
        "name": ["mood", *INSTRUMENTS],
        "handle": [world.ada.handle],
        "conversation_id": [str(world.direct_id)],
        "message_id": [str(world.message_id)],
        "circle_id": [str(world.circle_id)],
        "day": [_today()],
        "size": ["256"],
        "key": ["0" * 32],
        "photo_key": ["0" * 32],
    }
    queries = {"/search": "?q=ada", "/api/v1/search": "?q=ada", "/feed/day": f"?day={_today()}"}
    urls = []
    for method, path in sorted(set(app_routes(app))):
        if method != "GET":
            continue
        names = re.findall(r"{(\w+)}", path)
        for chosen in itertools.product(*(values.get(n, ["1"]) for n in names)):
            url = path
            for name, value in zip(names, chosen, strict=True):
                url = url.replace("{" + name + "}", value)
            urls.append((path, url + queries.get(path, "")))
    return urls


async def _walk(
    app: FastAPI, client: httpx.AsyncClient, world: World, who: Member
) -> list[tuple[str, str, bytes]]:
    """(route, url, body) of every GET as ``who``: pages asked for HTML, the API for JSON."""
    answers = []
    client.cookies.clear()  # the bearer token alone says who asks
    for route, url in _urls(app, world):
        accept = "application/json" if url.startswith("/api/") else "text/html"
        response = await client.get(url, headers={**who.headers, "Accept": accept})
        assert response.status_code < 500, (who.handle, url, response.text[:300])
        answers.append((route, url, response.content))
    return answers


def _assert_logs_clean(caplog: pytest.LogCaptureFixture, markers: list[str], control: str) -> None:
    """No record carries a marker; none of the app's names the PHQ-9. The control, which
    was written or read in the clear during the test, shows the capture sees parameters."""
    records = caplog.records
    logged = "\n".join(log_text(records)).encode()
    assert found_in(logged, [control]) == [control], "the capture missed the control"
    assert found_in(logged, markers) == [], "a note's marker was logged"
    apps = [r for r in records if not r.name.startswith(CLIENT_LOGGERS)]
    assert found_in("\n".join(log_text(apps)).encode(), TAKEN_ONLY) == []


def _leaks(data: bytes, where: str, markers: list[str], *, names: bool = True) -> list[str]:
    hits = found_in(data, markers)
    if names:
        hits += found_in(data, INSTRUMENT_NAMES)
    return [f"{where}: {hit}" for hit in hits]


@pytest.mark.reuses_setup
async def test_no_page_or_api_answer_shows_adas_notes_to_anyone_else(
    app: FastAPI,
    client: httpx.AsyncClient,
    services: Services,
    reuse: Callable[..., Awaitable[World]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    capture_logs(caplog)
    world = await reuse(lambda: build_world(client, services))
    # The control: Ada's own pages and API show every note of hers, so the search works.
    own = await _walk(app, client, world, world.ada)
    assert {m for _, _, body in own for m in found_in(body, world.markers)} == set(world.markers)
    problems = []
    for who in world.others:
        for route, url, body in await _walk(app, client, world, who):
            names = not CATALOGUE.match(route)
            problems += _leaks(body, f"{who.handle} GET {url}", world.markers, names=names)
    assert not problems, "\n".join(problems)
    _assert_logs_clean(caplog, world.markers, world.control)


@pytest.mark.reuses_setup
@pytest.mark.skipif(backends.BACKEND != "sqlite", reason="the raw file is SQLite's")
async def test_the_database_file_and_its_write_ahead_log_hold_no_note(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[World]]
) -> None:
    world = await reuse(lambda: build_world(client, services))
    database = make_url(str(services.settings.database_url)).database
    assert database
    path = Path(database)
    files = [path, path.with_name(path.name + "-wal")]
    data = b"".join(f.read_bytes() for f in files if f.exists())
    assert found_in(data, [world.control]) == [world.control], "the bytes were not searched"
    assert found_in(data, world.markers, every_encoding=True) == []
    assert found_in(data, ["phq9"]) == [], "which check-ins Ada took is in the clear"


@pytest.mark.reuses_setup
@pytest.mark.skipif(backends.BACKEND != "postgres", reason="a PostgreSQL dump")
async def test_a_postgresql_data_dump_holds_no_note(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[World]]
) -> None:
    world = await reuse(lambda: build_world(client, services))
    pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    url = make_url(str(services.settings.database_url)).set(drivername="postgresql")
    process = await asyncio.create_subprocess_exec(
        pg_dump,
        "--data-only",
        "--dbname",
        url.render_as_string(hide_password=False),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    dump, errors = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, errors.decode()
    assert b"COPY public.wellbeing_checkins " in dump, "the check-ins table was not dumped"
    assert found_in(dump, [world.control]) == [world.control], "the dump was not searched"
    assert found_in(dump, world.markers, every_encoding=True) == []
    assert found_in(dump, ["phq9"]) == [], "which check-ins Ada took is in the clear"


async def test_no_live_frame_carries_a_note_to_anyone(
    app: FastAPI,
    client: httpx.AsyncClient,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    capture_logs(caplog)
    ada, bob, moderator, admin = await people(client, services, "wblive")
    control = new_marker("control")
    async with served(app) as port:
        with server_logs(caplog):
            open_streams = await streams(port, [ada, bob, moderator, admin])
            _ids, markers = await take_checkins(client, ada)
            made = await client.post(
                "/api/v1/conversations/groups",
                json={"name": "All", "members": [bob.handle, moderator.handle, admin.handle]},
                headers=ada.headers,
            )
            assert made.status_code == 201, made.text
            sent = await client.post(
                f"/api/v1/conversations/{made.json()['id']}/messages",
                json={"client_key": new_marker("key"), "body": control},
                headers=ada.headers,
            )
            assert sent.status_code == 201, sent.text
            problems = []
            for handle, stream in open_streams.items():
                await stream.drain()
                await stream.close()
                frames = stream.text().encode()
                assert found_in(frames, [control]) == [control], f"{handle}'s stream heard nothing"
                problems += _leaks(frames, f"live frames to {handle}", markers)
    assert not problems, "\n".join(problems)
    _assert_logs_clean(caplog, markers, control)


async def _devices_and_tabs(
    client: httpx.AsyncClient, services: Services, everyone: list[Member]
) -> list[delivery.Tab]:
    """A push device for each person and an open tab that records their live notices."""
    tabs = []
    for who in everyone:
        device = {
            "endpoint": f"http://127.0.0.1:9/push/{who.handle}",
            "keys": {"p256dh": delivery._device_key(), "auth": "MDEyMzQ1Njc4OWFiY2RlZg"},
        }
        answer = await client.post("/api/v1/push/subscriptions", json=device, headers=who.headers)
        assert answer.status_code == 201, answer.text
        async with services.db.sessions() as db:
            user_id = await db.scalar(select(User.id).where(User.handle == who.handle))
        assert user_id is not None
        tab = delivery.Tab()
        services.hub.subscribe(user_id, tab)
        tabs.append(tab)
    return tabs


async def _write_to(client: httpx.AsyncClient, ada: Member, bob: Member) -> str:
    """Ada writes Bob a control string, in the clear on purpose; returns it."""
    control = new_marker("control")
    direct = await client.post(
        "/api/v1/conversations/direct", json={"handle": bob.handle}, headers=ada.headers
    )
    assert direct.status_code in (200, 201), direct.text
    sent = await client.post(
        f"/api/v1/conversations/{direct.json()['id']}/messages",
        json={"client_key": new_marker("key"), "body": control},
        headers=ada.headers,
    )
    assert sent.status_code == 201, sent.text
    return control


def _mail_bytes(message: Message) -> bytes:
    """A mail's headers and every part's decoded body (no quoted-printable line breaks)."""
    parts = [str(message.items()).encode()]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append(payload)
    return b"\n".join(parts)


async def test_reminders_notifications_pushes_and_emails_name_no_note_and_no_check_in(
    client: httpx.AsyncClient,
    services: Services,
    pushes: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    capture_logs(caplog)
    with time_machine.travel(MORNING, tick=False) as clock:
        everyone = await people(client, services, "wbnote")
        ada = everyone[0]
        tabs = await _devices_and_tabs(client, services, everyone)
        digests = {  # the reminder at once (a push of its own), and the day's email
            "channels": {"wellbeing_reminder": "live"},
            "digests": {"times": ["12:00", "18:00"], "email_digest": True},
        }
        put = await client.put("/api/v1/settings/notifications", json=digests, headers=ada.headers)
        assert put.status_code == 200, put.text
        # Reminders on; the UCLA-3 (offered monthly by default) is due, she takes the others.
        on = await client.patch(
            "/api/v1/wellbeing/settings", json={"reminders": True}, headers=ada.headers
        )
        assert on.status_code == 200, on.text
        _ids, markers = await take_checkins(client, ada)
        control = await _write_to(client, ada, everyone[1])
        await run_jobs(services)
        for instant in (TEN, datetime(2027, 1, 11, 11, 0, 30, tzinfo=UTC), EVENING):
            clock.move_to(instant)  # 10:00, then the 12:00 and 18:00 digests, in Berlin
            await run_jobs(services)
        listed = await client.get("/api/v1/notifications", headers=ada.headers)
        page = await client.get("/notifications", headers=ada.headers)
    async with services.db.sessions() as db:
        rows = list(await db.scalars(select(Notification)))
    # The controls: the reminder was written, listed, pushed and mailed to Ada.
    assert [r.kind for r in rows].count("wellbeing_reminder") == 1
    assert any(REMINDER in n["text"] for n in listed.json()["notifications"])
    assert REMINDER in page.text
    assert any(REMINDER in m["body"] for _, m in pushes.sent), "the reminder was not pushed"
    assert REMINDER in repr(tabs[0].frames), "the reminder was not announced live"
    mails = outbox(services.settings)
    to_ada = [m for m in mails if m["To"] == f"{ada.handle}@example.org"]
    assert any(REMINDER.encode() in _mail_bytes(m) for m in to_ada), "no digest email"
    problems = _leaks(repr([vars(r) for r in rows]).encode(), "notification rows", markers)
    problems += _leaks(listed.content, "GET /api/v1/notifications", markers)
    problems += _leaks(page.content, "GET /notifications", markers)
    problems += _leaks(repr(pushes.sent).encode(), "push payloads", markers)
    problems += _leaks(repr([t.frames for t in tabs]).encode(), "live notices", markers)
    for mail in mails:
        problems += _leaks(_mail_bytes(mail), f"email to {mail['To']}", markers)
    assert not problems, "\n".join(problems)
    _assert_logs_clean(caplog, markers, control)


async def test_the_server_access_log_does_not_say_which_check_in_was_taken(
    app: FastAPI,
    client: httpx.AsyncClient,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As the server runs (``socialode serve``: uvicorn at log level info, access log on)."""
    capture_logs(caplog)
    (ada,) = await members(client, services, "ada_wbaccess")
    marker = new_marker()
    fields = {k: str(v) for k, v in PHQ9_CRISIS.items()} | {"note": f"at night {marker}"}
    async with served(app) as port:
        with server_logs(caplog):
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as served_client:
                done = await served_client.post(
                    "/wellbeing/checkin/phq9", data=fields, headers=ada.headers
                )
    if done.status_code != 303:
        pytest.fail(f"the check-in was not taken: {done.status_code} {done.text[:300]}")
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    if not access:
        pytest.fail("the access log was not captured")
    logged = "\n".join(log_text(access)).encode()
    assert found_in(logged, [marker]) == []
    assert found_in(logged, TAKEN_ONLY) == [], "the access log says Ada took a PHQ-9"
