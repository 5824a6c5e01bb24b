"""Outgoing email: written to a local outbox folder by default, sent by SMTP when configured."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib
import anyio

from socialode.config import Settings
from socialode.platform.clock import utcnow

log = logging.getLogger(__name__)


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def build(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="socialode.local")
        message.set_content(body)
        return message

    async def send(self, to: str, subject: str, body: str) -> None:
        message = self.build(to, subject, body)
        if self.settings.smtp_host:
            await aiosmtplib.send(
                message,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                username=self.settings.smtp_username,
                password=self.settings.smtp_password,
                start_tls=self.settings.smtp_starttls,
            )
            return
        await anyio.to_thread.run_sync(self._write_outbox, message)

    def _write_outbox(self, message: EmailMessage) -> Path:
        outbox = self.settings.outbox_dir
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        msgid = str(message["Message-ID"]).strip("<>").split("@")[0]
        path = outbox / f"{stamp}-{msgid}.eml"
        path.write_bytes(message.as_bytes())
        log.info("mail written to outbox", extra={"path": str(path)})
        return path
