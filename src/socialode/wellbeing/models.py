"""Tables of the wellbeing feature. Never used as API schemas.

A check-in is one sealed value (``platform.sealing``): which check-in it was, the answers,
feeling words and note, as JSON encrypted with AES-GCM and bound to its member, this table
and this column. Only the member and the moment it was taken are in the clear, so the
database alone tells nobody which check-ins someone takes, let alone their answers.

A member without a ``wellbeing_prefs`` row has the defaults (see ``prefs.py``): the row is
written the first time they change something.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime
from socialode.platform.sealing import register_sealed

CHECKINS = "wellbeing_checkins"
SEALED = "sealed"  # the one sealed column


class Checkin(Base):
    __tablename__ = CHECKINS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sealed: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_wellbeing_checkins_user_id_taken_at", "user_id", "taken_at"),
        {"sqlite_autoincrement": True},  # ids are never reused
    )


# Rotation re-seals these values with the newest key (``socialode keys rotate``).
register_sealed(CHECKINS, "id", "user_id", [SEALED])


class WellbeingPrefs(Base):
    __tablename__ = "wellbeing_prefs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # name -> every N days
    reminders: Mapped[bool] = mapped_column(default=False)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # name -> ISO instant
    line_up: Mapped[bool] = mapped_column(default=False)  # show check-ins beside time with people
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
