"""Tables of the moments feature. Never used as API schemas."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime


class MomentKind(enum.StrEnum):
    moment = "moment"
    prompt = "prompt"  # an answer to a circle's daily question
    support = "support"  # "I could use some support", to a few chosen supporters


class Moment(Base):
    __tablename__ = "moments"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8), default=MomentKind.moment.value)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_note: Mapped[str] = mapped_column(String(100), default="")
    prompt_text: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # What its sender chose at a pause before sending (safety.pause), e.g. "sent_anyway:threat".
    paused: Mapped[str | None] = mapped_column(String(40), default=None)

    __table_args__ = (
        Index("ix_moments_author", "author_id", "id"),
        Index("ix_moments_created", "created_at"),
        {"sqlite_autoincrement": True},  # the feed mark is an id: never reused, SQLite too
    )


class MomentCircle(Base):
    """A circle a moment was shared with: its members see it while they stay in it."""

    __tablename__ = "moment_circles"

    moment_id: Mapped[int] = mapped_column(
        ForeignKey("moments.id", ondelete="CASCADE"), primary_key=True
    )
    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )


class MomentAudience(Base):
    """Everyone a moment was shared with when it was posted; ``direct`` if chosen by name.

    The primary key (viewer, moment) is the feed's index: a member's feed is a backward range
    scan of their own rows.
    """

    __tablename__ = "moment_audience"

    viewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    moment_id: Mapped[int] = mapped_column(
        ForeignKey("moments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    direct: Mapped[bool] = mapped_column(Boolean, default=False)

    # SQLite keeps the rows in key order: a feed page is one contiguous read.
    __table_args__ = ({"sqlite_with_rowid": False},)


class MomentPhoto(Base):
    """A processed photo: uploaded first (owned, unattached), then attached to one moment at
    its place (``position`` 0-3) with the author's description of it (``alt``, ≤ 500
    characters; empty: none given)."""

    __tablename__ = "moment_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    attached: Mapped[bool] = mapped_column(Boolean, default=False)
    moment_id: Mapped[int | None] = mapped_column(
        ForeignKey("moments.id", ondelete="CASCADE"), default=None
    )
    position: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    alt: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_moment_photos_moment", "moment_id", "position"),
        {"sqlite_autoincrement": True},
    )


class FeedMark(Base):
    """Where a member's "new" feed starts: the newest moment they had read up to."""

    __tablename__ = "feed_marks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    seen_upto: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CirclePrompt(Base):
    """A circle owner's daily question for that circle, on or off."""

    __tablename__ = "circle_prompts"

    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PromptQuestion(Base):
    """A question the owner wrote for one day, used instead of the shipped list that day."""

    __tablename__ = "prompt_questions"

    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    text: Mapped[str] = mapped_column(String(300))


class PromptSeen(Base):
    """A member answered or set aside a circle's question on a day: not shown again that day."""

    __tablename__ = "prompts_seen"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class MomentSettings(Base):
    __tablename__ = "moment_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reflection_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    reflection_text: Mapped[str] = mapped_column(
        String(200), default="Is this for them, or for how it looks?"
    )
