"""Check-ins whose notes carry unguessable marker strings, and ways to look for them.

Ada takes a mood, a WHO-5 and a PHQ-9 (item 9 above 0), each through the API and through the
page forms, every note holding a marker of its own. Bob is her connection; a moderator and an
administrator are connected to her too, so every page that could show her shows her to them.
A control string, written in the clear on purpose (a chat message to Bob), proves that each
search below finds what is really there.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from socialode.platform.services import Services
from tests.helpers import Member, connect, login, make_admin, members
from tests.wellbeing.test_checkins import WHO5_64, check_in

API = "/api/v1/wellbeing"
PHQ9_CRISIS = {f"q{n}": 1 for n in range(1, 9)} | {"q9": 2}
# How the check-ins Ada took could be named where someone else might read them.
INSTRUMENT_NAMES = ("phq9", "PHQ-9", "Patient Health Questionnaire", "who5", "WHO-5")
# The same, less the WHO-5: her settings offer it by default (stored and logged in the clear
# as a choice of offers, not as something she took). The PHQ-9 is offered to nobody unasked.
TAKEN_ONLY = ("phq9", "PHQ-9", "Patient Health Questionnaire")


def new_marker(kind: str = "marker") -> str:
    return f"{kind}-{uuid.uuid4().hex}"


@dataclass
class World:
    ada: Member
    bob: Member
    moderator: Member
    admin: Member
    checkin_ids: list[int]
    markers: list[str]  # one per note, in the order taken
    control: str  # in the clear on purpose: Ada's message to Bob
    direct_id: int
    message_id: int
    circle_id: int
    others: list[Member] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.others = [self.bob, self.moderator, self.admin]

    def everyone(self) -> list[Member]:
        return [self.ada, *self.others]


async def people(client: httpx.AsyncClient, services: Services, tag: str) -> list[Member]:
    """Ada, Bob, a moderator and an administrator, all three connected to Ada."""
    ada, bob, moderator = await members(client, services, f"ada_{tag}", f"bob_{tag}", f"mod_{tag}")
    await make_admin(services, f"adm_{tag}")
    admin = Member(f"adm_{tag}", await login(client, f"adm_{tag}"))
    role = await client.put(
        f"/api/v1/admin/users/{moderator.handle}/role",
        json={"role": "moderator"},
        headers=admin.headers,
    )
    assert role.status_code == 200, role.text
    for other in (bob, moderator, admin):
        await connect(client, ada, other)
    return [ada, bob, moderator, admin]


async def take_checkins(client: httpx.AsyncClient, ada: Member) -> tuple[list[int], list[str]]:
    """Ada's six check-ins, three through the API and three through the page forms, each
    note with a marker of its own. Returns their ids and markers."""
    ids: list[int] = []
    marks: list[str] = []
    for instrument, answers in (("mood", {"mood": 2}), ("who5", WHO5_64), ("phq9", PHQ9_CRISIS)):
        mark = new_marker()
        made = await check_in(client, ada, instrument, answers, note=f"today {mark} again")
        assert made["note"] == f"today {mark} again"
        ids.append(int(made["id"]))
        marks.append(mark)
    forms = (
        ("/wellbeing/mood", {"mood": "3", "feelings": ["tired"]}),
        ("/wellbeing/checkin/who5", {k: str(v) for k, v in WHO5_64.items()}),
        ("/wellbeing/checkin/phq9", {k: str(v) for k, v in PHQ9_CRISIS.items()}),
    )
    for url, fields in forms:
        mark = new_marker()
        done = await client.post(
            url, data={**fields, "note": f"by the form {mark}"}, headers=ada.headers
        )
        assert done.status_code == 303, done.text
        ids.append(int(done.headers["location"].rsplit("/", 1)[1]))
        marks.append(mark)
    return ids, marks


async def build_world(client: httpx.AsyncClient, services: Services, tag: str = "wbp") -> World:
    ada, bob, moderator, admin = await people(client, services, tag)
    ids, marks = await take_checkins(client, ada)
    control = new_marker("control")
    direct = await client.post(
        "/api/v1/conversations/direct", json={"handle": bob.handle}, headers=ada.headers
    )
    assert direct.status_code in (200, 201), direct.text
    direct_id = int(direct.json()["id"])
    sent = await client.post(
        f"/api/v1/conversations/{direct_id}/messages",
        json={"client_key": uuid.uuid4().hex, "body": f"hello {control}"},
        headers=ada.headers,
    )
    assert sent.status_code == 201, sent.text
    circle = await client.post("/api/v1/circles", json={"name": "Near"}, headers=ada.headers)
    assert circle.status_code == 201, circle.text
    return World(
        ada,
        bob,
        moderator,
        admin,
        ids,
        marks,
        control,
        direct_id,
        int(sent.json()["id"]),
        int(circle.json()["id"]),
    )


# -- looking for markers ------------------------------------------------------------------------
def encodings(text: str) -> list[bytes]:
    """``text`` as bytes in every form a careless store might keep it: UTF-8, UTF-16 both
    ways, hexadecimal, and base64 at each of the three alignments (standard and URL-safe)."""
    raw = text.encode()
    forms = [raw, text.encode("utf-16-le"), text.encode("utf-16-be"), raw.hex().encode()]
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            coded = encode(b"\0" * shift + raw)
            # Drop the characters that depend on what comes before or after.
            start = {0: 0, 1: 2, 2: 3}[shift]
            end = len(coded) - (coded.count(b"=") + 2)
            forms.append(coded[start:end])
    return forms


def found_in(data: bytes, texts: Iterable[str], *, every_encoding: bool = False) -> list[str]:
    """Which of ``texts`` occur in ``data`` (case-insensitively)."""
    lowered = data.lower()
    hits = []
    for text in texts:
        forms = encodings(text) if every_encoding else [text.encode()]
        if any(form.lower() in lowered for form in forms):
            hits.append(text)
    return hits


# Loggers of the test's own clients (they name the URLs the test asks for), not the app's.
CLIENT_LOGGERS = ("httpx", "httpcore", "websockets.client")


def capture_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Every record at DEBUG: the root logger, the app's, and SQLAlchemy's (which sets itself
    to WARNING unless told; at DEBUG it logs each statement's parameters and rows)."""
    caplog.set_level(logging.DEBUG)
    for name in ("socialode", "sqlalchemy", "aiosqlite", "asyncpg", "psycopg"):
        caplog.set_level(logging.DEBUG, logger=name)


@contextlib.contextmanager
def server_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Uvicorn's loggers, which keep their records to themselves, into ``caplog`` too, with
    the access log on (call once the server is configured: its logging setup resets them)."""
    loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(caplog.handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(caplog.handler)
            logger.setLevel(level)


def log_text(records: Iterable[logging.LogRecord]) -> Iterator[str]:
    """Everything a log record could carry out: the message, its arguments and any
    exception text."""
    for record in records:
        yield record.getMessage()
        yield repr(record.args)
        yield repr(record.msg)
        if record.exc_text:
            yield record.exc_text
        if record.exc_info and record.exc_info[1] is not None:
            yield repr(record.exc_info[1])


# -- the live stream, raw -------------------------------------------------------------------------
class RawStream:
    """A client of /api/v1/stream that keeps every frame it receives, as sent."""

    def __init__(self, port: int, member: Member) -> None:
        self.port = port
        self.member = member
        self.frames: list[str] = []
        self.ws: ClientConnection | None = None

    async def open(self) -> RawStream:
        url = f"ws://127.0.0.1:{self.port}/api/v1/stream"
        self.ws = await ws_connect(url, additional_headers=self.member.headers)
        while '"ready"' not in (self.frames[-1] if self.frames else ""):
            self.frames.append(str(await asyncio.wait_for(self.ws.recv(), 5)))
        return self

    async def drain(self, quiet: float = 0.3) -> None:
        """Read until nothing arrives for ``quiet`` seconds."""
        assert self.ws is not None
        with contextlib.suppress(TimeoutError):
            while True:
                self.frames.append(str(await asyncio.wait_for(self.ws.recv(), quiet)))

    def text(self) -> str:
        return "\n".join(self.frames)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


async def streams(port: int, who: Iterable[Member]) -> dict[str, RawStream]:
    return {m.handle: await RawStream(port, m).open() for m in who}
