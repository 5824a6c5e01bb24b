"""Request and response shapes of boundaries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from socialode.boundaries.hours import held_until, in_quiet_hours, next_digest_at
from socialode.boundaries.limits import Limits


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: bool = Field(description="Quiet hours are on (they are for every new member).")
    start: str = Field(description='Local "HH:MM" they start at.', max_length=10)
    end: str = Field(
        description='Local "HH:MM" they end at; earlier than start crosses midnight.',
        max_length=10,
    )


class Digests(BaseModel):
    model_config = ConfigDict(extra="forbid")

    times: list[str] = Field(description='Up to 8 local "HH:MM" times a day.', max_length=50)
    email_digest: bool = Field(description="Also send a daily digest by email.")


class Privacy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    push_previews: bool = Field(description="Show message text in push notifications.")
    share_sleep_line: bool = Field(
        description="Let people who write to you know when you will see it."
    )


class BoundariesOut(BaseModel):
    zone: str = Field(description="Your time zone, from your profile; the times are in it.")
    quiet_hours: QuietHours
    digests: Digests
    channels: dict[str, str] = Field(description="Your own choices, kind -> live|digest|off.")
    privacy: Privacy
    together_until: datetime | None = Field(description="Together mode pauses until then.")
    in_quiet_hours: bool
    held_until: datetime | None = Field(description="Nothing reaches you until then.")
    next_digest_at: datetime | None

    @classmethod
    def of(cls, limits: Limits, now: datetime) -> BoundariesOut:
        together = limits.together_until
        return cls(
            zone=limits.zone,
            quiet_hours=QuietHours(
                on=limits.quiet_on, start=limits.quiet_start, end=limits.quiet_end
            ),
            digests=Digests(times=list(limits.digest_times), email_digest=limits.email_digest),
            channels=dict(limits.channels),
            privacy=Privacy(
                push_previews=limits.push_previews, share_sleep_line=limits.share_sleep_line
            ),
            together_until=together if together is not None and together > now else None,
            in_quiet_hours=in_quiet_hours(limits, now),
            held_until=held_until(limits, now),
            next_digest_at=next_digest_at(limits, now),
        )


class TogetherIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: float = Field(description="1 to 4, in whole or half hours.")
