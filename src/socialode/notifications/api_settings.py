"""/api/v1/settings/notifications: quiet hours, digests, each kind's channel and privacy.

The settings live in boundaries; they are served here because only notifications knows the
kinds there are (boundaries, below it, may not import it)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.boundaries import access, actions
from socialode.boundaries.hours import channel_of
from socialode.boundaries.limits import Limits
from socialode.boundaries.schemas import BoundariesOut, Digests, Privacy, QuietHours
from socialode.notifications.registry import kinds
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["notifications"])


class KindOut(BaseModel):
    name: str
    label: str
    default: str = Field(description="Where it goes unless you choose: live, digest or off.")
    channel: str = Field(description="Where it goes for you: live, digest or off.")


class NotificationSettingsOut(BoundariesOut):
    kinds: list[KindOut]


class NotificationSettingsIn(BaseModel):
    """Any of the sections; those left out stay as they are. All or nothing is saved."""

    model_config = ConfigDict(extra="forbid")

    quiet_hours: QuietHours | None = None
    digests: Digests | None = None
    channels: dict[str, str] | None = Field(
        None, description="Kind -> live, digest or off.", max_length=100
    )
    privacy: Privacy | None = None


def known_kinds() -> dict[str, str]:
    return {k.name: k.default for k in kinds()}


def settings_out(limits: Limits) -> NotificationSettingsOut:
    base = BoundariesOut.of(limits, utcnow())
    listed = [
        KindOut(
            name=k.name,
            label=k.label,
            default=k.default,
            channel=channel_of(limits, k.name, k.default),
        )
        for k in kinds()
    ]
    return NotificationSettingsOut(**base.model_dump(), kinds=listed)


@router.get("/settings/notifications")
async def notification_settings(viewer: CurrentViewer, db: DB) -> NotificationSettingsOut:
    """Your quiet hours, digests, privacy and where each kind of notification goes."""
    return settings_out(await access.access_own_limits(db, viewer))


@router.put("/settings/notifications")
async def save_notification_settings(
    body: NotificationSettingsIn, viewer: CurrentViewer, db: DB
) -> NotificationSettingsOut:
    """Save the sections given; a refusal names the field and saves nothing."""
    q, d, p = body.quiet_hours, body.digests, body.privacy
    limits = await actions.check_save_settings(
        db,
        viewer,
        quiet=(q.on, q.start, q.end) if q else None,
        digests=(d.times, d.email_digest) if d else None,
        channels=(body.channels, known_kinds()) if body.channels is not None else None,
        privacy=(p.push_previews, p.share_sleep_line) if p else None,
    )
    return settings_out(limits)
