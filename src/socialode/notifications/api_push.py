"""/api/v1 routes of Web Push: the instance's key, and this device's subscription."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.accounts.devices import describe_device
from socialode.notifications import push
from socialode.platform.deps import DB, Svc
from socialode.platform.push import application_server_key

router = APIRouter(prefix="/api/v1/push", responses=ERRORS, tags=["push"])


class PushKeyOut(BaseModel):
    key: str = Field(description="The VAPID public key (applicationServerKey), base64url.")


class SubscriptionKeys(BaseModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=200)


class SubscriptionIn(BaseModel):
    """What the browser's ``PushSubscription.toJSON()`` gives, and an optional label."""

    model_config = ConfigDict(extra="ignore")
    endpoint: str = Field(max_length=4096)
    keys: SubscriptionKeys
    label: str = Field(default="", max_length=200)


class UnsubscribeIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    endpoint: str = Field(max_length=4096)


class SubscriptionOut(BaseModel):
    id: int
    label: str
    created_at: datetime
    last_sent_at: datetime | None


@router.get("/key")
async def push_key(viewer: CurrentViewer, svc: Svc) -> PushKeyOut:
    """The key a browser subscribes with (``PushManager.subscribe``)."""
    return PushKeyOut(key=application_server_key(svc.settings))


@router.post("/subscriptions", status_code=201)
async def subscribe(
    body: SubscriptionIn, request: Request, viewer: CurrentViewer, svc: Svc, db: DB
) -> SubscriptionOut:
    """Push notifications to this device; the same endpoint again updates it."""
    label = body.label or describe_device(request.headers.get("user-agent", "")[:512])
    found = await push.check_subscribe(
        db,
        viewer,
        body.endpoint,
        body.keys.p256dh,
        body.keys.auth,
        label,
        allow_local=svc.settings.push_allow_local,
    )
    return SubscriptionOut(
        id=found.id, label=found.label, created_at=found.created_at, last_sent_at=found.last_sent_at
    )


@router.delete("/subscriptions", status_code=204)
async def unsubscribe(body: UnsubscribeIn, viewer: CurrentViewer, db: DB) -> None:
    """Stop pushing to this device (nothing to stop is fine too)."""
    await push.do_unsubscribe(db, viewer, body.endpoint)
