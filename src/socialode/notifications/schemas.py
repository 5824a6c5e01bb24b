"""Response shapes of notifications. Never a count."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from socialode.notifications.access import Item
from socialode.platform.deps import MAX_ID
from socialode.platform.pagination import Next


class NotificationOut(BaseModel):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    unread: bool
    preview: str = Field(
        default="", description="The words themselves where there are some: a request's note."
    )

    @classmethod
    def of(cls, item: Item) -> NotificationOut:
        return cls(
            id=item.id,
            kind=item.kind,
            text=item.text,
            url=item.url,
            created_at=item.created_at,
            unread=item.unread,
            preview=item.preview,
        )


class NotificationsOut(BaseModel):
    notifications: list[NotificationOut]
    next: Next


class NotificationsReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upto: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Mark read up to this id; all if absent."
    )
