"""Tables of moderation. A report is stored state (open, in review, resolved) changed only by
actions; the audit log is append-only, enforced by the database itself (see audit.py)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime


class Kind(StrEnum):
    """What can be reported."""

    message = "message"
    moment = "moment"
    profile = "profile"
    gathering = "gathering"
    group = "group"


class Reason(StrEnum):
    bullying = "bullying"
    threats = "threats"
    self_harm = "self_harm"
    hate = "hate"
    spam = "spam"
    other = "other"


class State(StrEnum):
    open = "open"
    in_review = "in_review"
    resolved = "resolved"


class Outcome(StrEnum):
    dismissed = "dismissed"
    removed = "removed"
    warned = "warned"
    suspended = "suspended"
    banned = "banned"
    cared = "cared"  # a self-harm concern: the person was privately offered help


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    object_id: Mapped[int] = mapped_column()
    # Who is reported: the sender, author, profile's owner, organiser or group's creator.
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    # What the reporter could see when they reported it: the words, and a few messages
    # around a reported message. Moderators see this, never anything else of a conversation.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessment: Mapped[str] = mapped_column(String(60), default="")  # the detector's, then
    paused: Mapped[str | None] = mapped_column(String(40), default=None)  # the sender's choice
    state: Mapped[str] = mapped_column(String(10), default=State.open.value)
    outcome: Mapped[str | None] = mapped_column(String(12), default=None)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decision: Mapped[str] = mapped_column(Text, default="")  # the moderator's short reason
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        Index("ix_reports_state_id", "state", "id"),
        # The queue: reports not yet decided, oldest first, read a page at a time.
        Index(
            "ix_reports_waiting",
            "id",
            sqlite_where=text("state != 'resolved'"),
            postgresql_where=text("state != 'resolved'"),
        ),
        Index("ix_reports_kind_object", "kind", "object_id"),  # others on the same thing
        Index("ix_reports_reporter_id", "reporter_id", "id"),  # a reporter's own, newest first
        # One open report per person and thing: reporting it again adds to that one.
        Index(
            "uq_reports_open_once",
            "reporter_id",
            "kind",
            "object_id",
            unique=True,
            sqlite_where=text("state != 'resolved'"),
            postgresql_where=text("state != 'resolved'"),
        ),
        {"sqlite_autoincrement": True},
    )


class AuditEntry(Base):
    """One moderation decision or look at reported content. Ids only (no names, no words):
    rows outlive the people in them, and nobody can change or delete one."""

    __tablename__ = "moderation_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int] = mapped_column()  # no foreign key: the row stays as written
    action: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[int | None] = mapped_column(default=None)
    subject_id: Mapped[int | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = ({"sqlite_autoincrement": True},)
