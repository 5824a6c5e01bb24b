"""Tables of the gatherings feature. Never used as API schemas.

A gathering is proposed by its organiser to people they chose (a circle's members or named
connections, the organiser included as an invitee). It has either one fixed time from the
start, or time options the invitees answer (yes / if needed / no) until the organiser picks
one or the poll closes. ``sequence`` is the calendar's SEQUENCE: it grows with every change an
invitee's calendar should take in.

What each person felt afterwards is private, like a wellbeing check-in: one sealed value
(``platform.sealing``) bound to its member, this table and its column.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime
from socialode.platform.sealing import register_sealed


class State(StrEnum):
    polling = "polling"  # time options are being answered
    fixed = "fixed"  # the time is set
    cancelled = "cancelled"


class Rsvp(StrEnum):
    none = ""  # not answered yet
    going = "going"
    maybe = "maybe"
    not_going = "no"


class Answer(StrEnum):
    yes = "yes"
    if_needed = "if_needed"
    no = "no"


class Gathering(Base):
    __tablename__ = "gatherings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    zone: Mapped[str] = mapped_column(String(64))  # the organiser's, for the calendar file
    state: Mapped[str] = mapped_column(String(10), default=State.polling.value)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    poll_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sequence: Mapped[int] = mapped_column(default=0)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), default=None
    )
    suggest_again: Mapped[bool] = mapped_column(default=True)  # the organiser may turn it off
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # What its sender chose at a pause before sending (safety.pause), e.g. "sent_anyway:threat".
    paused: Mapped[str | None] = mapped_column(String(40), default=None)

    __table_args__ = (
        Index("ix_gatherings_organiser_id", "organiser_id"),
        {"sqlite_autoincrement": True},  # ids are never reused
    )


class TimeOption(Base):
    __tablename__ = "gathering_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_gathering_options_gathering_id", "gathering_id"),
        {"sqlite_autoincrement": True},
    )


class Invitee(Base):
    __tablename__ = "gathering_invitees"

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rsvp: Mapped[str] = mapped_column(String(8), default=Rsvp.none.value)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("gathering_id", "user_id"),
        Index("ix_gathering_invitees_user_id", "user_id", "gathering_id"),
        {"sqlite_autoincrement": True},
    )


class Vote(Base):
    __tablename__ = "gathering_votes"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("gathering_options.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(10))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_gathering_votes_gathering_id", "gathering_id"),)


FEELINGS = "gathering_feelings"
SEALED = "sealed"


class Feeling(Base):
    """How a gathering felt to one person who went: theirs alone."""

    __tablename__ = FEELINGS

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int | None] = mapped_column(
        ForeignKey("gatherings.id", ondelete="SET NULL"), default=None
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sealed: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("gathering_id", "user_id"),
        Index("ix_gathering_feelings_user_id_taken_at", "user_id", "taken_at"),
        {"sqlite_autoincrement": True},
    )


register_sealed(FEELINGS, "id", "user_id", [SEALED])


class CalendarFeed(Base):
    """A member's private calendar address. The address carries a signature of the member
    and ``generation`` (``gatherings.calendar``); resetting it moves to the next generation,
    so every earlier address stops working at once. Nothing secret is stored."""

    __tablename__ = "gathering_calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
