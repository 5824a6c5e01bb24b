"""Tables of the boundaries feature. Never used as API schemas.

A member without a row has the defaults (quiet hours 22:00-07:00 on, digests at 12:00 and
18:00, email off, push previews off, the sleep line shown): the row is written the first time
they change something, so every member is protected from sign-up without one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime

DEFAULT_QUIET_START = "22:00"
DEFAULT_QUIET_END = "07:00"
DEFAULT_DIGEST_TIMES = ("12:00", "18:00")


class Boundary(Base):
    __tablename__ = "boundaries"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    quiet_on: Mapped[bool] = mapped_column(default=True)
    quiet_start: Mapped[str] = mapped_column(String(5), default=DEFAULT_QUIET_START)
    quiet_end: Mapped[str] = mapped_column(String(5), default=DEFAULT_QUIET_END)
    digest_times: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_DIGEST_TIMES)
    )
    channels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind -> choice
    email_digest: Mapped[bool] = mapped_column(default=False)
    push_previews: Mapped[bool] = mapped_column(default=False)
    share_sleep_line: Mapped[bool] = mapped_column(default=True)
    together_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
