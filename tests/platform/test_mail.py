"""Mail goes to the outbox folder by default and through SMTP when a host is configured."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from socialode.platform.mail import Mailer
from tests.conftest import make_settings

pytestmark = pytest.mark.once  # the same on every database backend


class Collect:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Collect]]:
    """A real SMTP server on a free loopback port, standing in for the operator's relay."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


async def test_outbox_by_default(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url)
    await Mailer(settings).send("ada@example.org", "Hello", "Body text")
    files = list(settings.outbox_dir.glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "ada@example.org" and message["Subject"] == "Hello"


async def test_smtp_when_configured(
    tmp_path: Path, database_url: str, smtp_server: tuple[int, Collect]
) -> None:
    port, handler = smtp_server
    settings = make_settings(
        tmp_path, database_url, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
    )
    await Mailer(settings).send("ada@example.org", "Hello", "Body text")
    assert [m.rcpt_tos for m in handler.messages] == [["ada@example.org"]]
    assert b"Body text" in handler.messages[0].content
    assert not settings.outbox_dir.exists()
