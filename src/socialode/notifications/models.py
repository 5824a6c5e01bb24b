"""Tables of the notifications feature. Never used as API schemas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from socialode.platform.db import Base, UTCDateTime

# Where a notification is on its way to the member (``Notification.delivery``):
PENDING = "pending"  # written; its delivery job has not decided yet
LIVE = "live"  # delivered at once (in the app, by push)
DIGEST = "digest"  # waiting for the member's next digest
HELD = "held"  # held through quiet hours or together mode, for the summary at their end
SUMMED = "summed"  # delivered as part of a digest or a summary
OFF = "off"  # the member turned this kind off: listed, never announced


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # How many things this one entry stands for (messages in one conversation collapse into
    # one unread entry); the member's own, never shown to anyone else.
    count: Mapped[int] = mapped_column(default=1)
    delivery: Mapped[str] = mapped_column(String(8), default=PENDING)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        Index("ix_notifications_user", "user_id", "id"),
        Index("ix_notifications_ref", "ref"),
        Index("ix_notifications_delivery", "user_id", "delivery"),
        {"sqlite_autoincrement": True},
    )


class PushSubscription(Base):
    """One installed device's Web Push subscription (RFC 8030/8291 keys of the browser)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = ({"sqlite_autoincrement": True},)
