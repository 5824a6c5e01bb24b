"""Safety's own table: each member's choice about texts that read as hurtful.

Whether a text was paused, and what its sender chose, is stored with the text itself
(``paused`` on messages, moments and gatherings), so it goes and stays with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime


class SafetySettings(Base):
    __tablename__ = "safety_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Texts their senders sent anyway after a pause arrive folded behind "This may be
    # hurtful — show?" for this member.
    fold_hurtful: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
