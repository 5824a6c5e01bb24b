"""Tables of the conversations feature. Never used as API schemas.

Every change to a conversation is an event with the next number of that conversation's
sequence (``Conversation.last_seq``). A client's resume cursor is the last number it saw per
conversation; what a member may see is bounded by their membership's ``from_seq``/``until_seq``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime


class Kind(enum.StrEnum):
    direct = "direct"
    group = "group"


class EventKind(enum.StrEnum):
    message = "message"
    edit = "edit"
    delete = "delete"
    joined = "join"  # subject added to a group
    leave = "leave"  # subject left
    remove = "remove"  # subject removed by the creator
    rename = "rename"


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80), default="")
    creator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    # "low:high" user ids of a one-to-one conversation, so each pair has at most one.
    direct_key: Mapped[str | None] = mapped_column(String(24), unique=True, default=None)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = ({"sqlite_autoincrement": True},)


class Member(Base):
    """One period of membership: sees events with from_seq <= seq <= until_seq (open if None).

    When a period closes it keeps what the person saw last: the group's name then and how it
    ended (``leave`` or ``remove``), so a former member sees the group as it was when they left.
    """

    __tablename__ = "conversation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    from_seq: Mapped[int] = mapped_column(default=1)
    until_seq: Mapped[int | None] = mapped_column(default=None)
    last_read_seq: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    name_then: Mapped[str | None] = mapped_column(String(80), default=None)
    ended: Mapped[str | None] = mapped_column(String(8), default=None)  # EventKind leave/remove

    __table_args__ = (
        Index("ix_conversation_members_user", "user_id", "until_seq"),
        Index("ix_conversation_members_conversation", "conversation_id", "user_id"),
        {"sqlite_autoincrement": True},
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # What the message answers (a moment), quoted; cleared when that thing is deleted.
    quote: Mapped[str] = mapped_column(Text, default="", server_default="")
    quote_ref: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    # The message of the same conversation this one answers; cleared when that one is removed.
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), default=None, index=True
    )
    # A processed photo sent in the message (the file is under the media folder).
    photo_key: Mapped[str | None] = mapped_column(String(32), default=None)
    photo_width: Mapped[int | None] = mapped_column(default=None)
    photo_height: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # What its sender chose at a pause before sending (safety.pause), e.g. "sent_anyway:threat".
    paused: Mapped[str | None] = mapped_column(String(40), default=None)

    __table_args__ = (
        UniqueConstraint("sender_id", "client_key"),
        UniqueConstraint("conversation_id", "seq"),
        Index("ix_messages_photo_key", "photo_key", unique=True),
        {"sqlite_autoincrement": True},
    )


class MessageRevision(Base):
    """A message's text before an edit, kept only while someone who left the conversation saw
    it: they go on seeing the text as it was when they left. Deleting the message drops them."""

    __tablename__ = "message_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()  # the edit that replaced this text
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        Index("ix_message_revisions_message", "message_id", "seq"),
        {"sqlite_autoincrement": True},
    )


class Event(Base):
    """The conversation's log, replayed to clients that resume from a cursor."""

    __tablename__ = "conversation_events"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), default=None
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatSettings(Base):
    __tablename__ = "chat_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    read_receipts: Mapped[bool] = mapped_column(default=False)
