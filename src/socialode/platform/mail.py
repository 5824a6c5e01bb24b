"""Outgoing email, always through a ``mail.send`` job.

An action calls :func:`enqueue_mail` before its commit: the mail is a job row in the same
transaction, so it exists exactly when the write that causes it does (a rolled back write
sends nothing, a committed one always eventually sends). A worker runs the job with the
:class:`Mailer`, which writes to the local outbox folder by default and sends by SMTP when
``SOCIALODE_SMTP_HOST`` is set. An SMTP failure raises, so the job is retried with backoff and
parked dead after its last attempt (shown to administrators on ``/admin``).

The Message-ID and Date are fixed when the mail is enqueued, so a retry after a crash is
recognisably the same mail: in the outbox it has the same file name and is not written twice;
by SMTP, where delivery is at least once, a receiver sees the same Message-ID.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib
import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.config import Settings
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.jobs import JobContext, job

log = logging.getLogger(__name__)

MAIL_KIND = "mail.send"
# Backoff doubles from 2.5-5 s up to an hour: twelve attempts ride out an SMTP relay that is
# away for 1 1/4 to 2 1/2 hours before the mail is parked dead.
MAIL_MAX_ATTEMPTS = 12
MSGID_DOMAIN = "socialode.local"


@dataclass(frozen=True)
class Mail:
    """One outgoing mail as its job carries it (JSON-safe, fixed at enqueue time)."""

    to: str
    subject: str
    body: str
    message_id: str
    queued_at: datetime

    @classmethod
    def new(cls, to: str, subject: str, body: str) -> Mail:
        return cls(to, subject, body, make_msgid(domain=MSGID_DOMAIN), utcnow())

    def payload(self) -> dict[str, str]:
        return {
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "message_id": self.message_id,
            "queued_at": self.queued_at.isoformat(),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Mail:
        return cls(
            to=str(payload["to"]),
            subject=str(payload["subject"]),
            body=str(payload["body"]),
            message_id=str(payload["message_id"]),
            queued_at=datetime.fromisoformat(str(payload["queued_at"])),
        )

    @property
    def file_name(self) -> str:
        """The outbox file of this mail: ordered by when it was queued, unique by Message-ID."""
        stamp = self.queued_at.strftime("%Y%m%dT%H%M%S%f")
        local = self.message_id.strip("<>").split("@")[0]
        return f"{stamp}-{local}.eml"


async def enqueue_mail(db: AsyncSession, to: str, subject: str, body: str) -> None:
    """Send a mail once ``db``'s transaction commits (never, if it rolls back).

    Call it before the commit of the write that causes the mail; a worker sends it (the server's,
    ``socialode worker``, or the command that made it), retrying SMTP failures with backoff.
    """
    mail = Mail.new(to, subject, body)
    await enqueue_on_commit(db, MAIL_KIND, mail.payload(), max_attempts=MAIL_MAX_ATTEMPTS)


@job(MAIL_KIND)
async def send_mail(ctx: JobContext) -> None:
    """Send one queued mail; any failure raises, and the job is retried."""
    mailer: Mailer = ctx.services.mailer
    await mailer.deliver(Mail.from_payload(ctx.payload))


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def build(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(mail.queued_at, usegmt=True)
        message["Message-ID"] = mail.message_id
        message.set_content(mail.body)
        return message

    async def deliver(self, mail: Mail) -> None:
        """Send ``mail`` now: by SMTP when configured (raising on failure), else to the
        outbox, where delivering the same mail again changes nothing."""
        message = self.build(mail)
        if self.settings.smtp_host:
            await aiosmtplib.send(
                message,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                username=self.settings.smtp_username,
                password=self.settings.smtp_password,
                start_tls=self.settings.smtp_starttls,
            )
            log.info("mail sent", extra={"message_id": mail.message_id})
            return
        await anyio.to_thread.run_sync(self._write_outbox, message, mail.file_name)

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send at once, outside any job (no retry): for tools, not for actions, which use
        :func:`enqueue_mail`."""
        await self.deliver(Mail.new(to, subject, body))

    def _write_outbox(self, message: EmailMessage, name: str) -> Path:
        outbox = self.settings.outbox_dir
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / name
        if path.exists():  # delivered before; this run is a retry of the same mail
            return path
        partial = outbox / f".{name}.{os.getpid()}.part"
        partial.write_bytes(message.as_bytes())
        partial.replace(path)  # whole or absent, never half written
        log.info("mail written to outbox", extra={"path": str(path)})
        return path
