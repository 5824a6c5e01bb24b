"""Web Push subscriptions: one per installed device, the member's own, and the job that
sends to one of them.

A browser subscribes with the instance's VAPID key (``platform.push``) and hands us its
push service address and keys, checked here before anything is stored. Delivery enqueues
one ``push.send`` job per device (:func:`enqueue_push`), so quiet hours, digests and retries
apply to pushes as to everything else; a push service that says the subscription is gone
(404/410) has it deleted.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import PushSubscription
from socialode.platform.aftercommit import enqueue_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.jobs import JobContext, job
from socialode.platform.push import DEFAULT_TTL_SECONDS, Outcome, send_push

SEND = "push.send"
MAX_DEVICES = 10
MAX_ENDPOINT = 1024
MAX_LABEL = 100
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MESSAGE_KEYS = ("title", "body", "url", "tag")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def _b64url_bytes(value: str, field: str, what: str) -> bytes:
    if not _B64URL.fullmatch(value) or len(value) > 200:
        raise Invalid(f"The {what} must be base64url text, as the browser gives it.", field)
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as exc:
        raise Invalid(
            f"The {what} must be base64url text, as the browser gives it.", field
        ) from exc


def _check_endpoint(endpoint: str, allow_local: bool) -> str:
    endpoint = endpoint.strip()
    if not endpoint:
        raise Invalid("Give the push service address of this device.", "endpoint")
    if len(endpoint) > MAX_ENDPOINT:
        raise Invalid(
            f"That push service address is longer than {MAX_ENDPOINT} characters.", "endpoint"
        )
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises for a port that is not a number
    except ValueError as exc:
        raise Invalid("That push service address is not a valid address.", "endpoint") from exc
    local = parts.scheme == "http" and allow_local and host in LOCAL_HOSTS
    if not host or parts.username or parts.password or (parts.scheme != "https" and not local):
        raise Invalid("The push service address must be an https address.", "endpoint")
    return endpoint


def _check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    point = _b64url_bytes(p256dh.strip(), "p256dh", "device key (p256dh)")
    if len(point) != 65 or point[0] != 4:
        raise Invalid(
            "The device key (p256dh) must be an uncompressed P-256 public key of 65 bytes.",
            "p256dh",
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise Invalid(
            "The device key (p256dh) is not a point on the P-256 curve.", "p256dh"
        ) from exc
    secret = _b64url_bytes(auth.strip(), "auth", "authentication secret (auth)")
    if len(secret) != 16:
        raise Invalid("The authentication secret (auth) must be 16 bytes.", "auth")
    return p256dh.strip().rstrip("="), auth.strip().rstrip("=")


async def check_subscribe(
    db: AsyncSession,
    viewer: Viewer,
    endpoint: str,
    p256dh: str,
    auth: str,
    label: str,
    *,
    allow_local: bool = False,
) -> PushSubscription:
    """Store this device's subscription for the viewer (commits). The same endpoint again
    updates it: a browser has one subscription per site, whoever is signed in on it."""
    endpoint = _check_endpoint(endpoint, allow_local)
    p256dh, auth = _check_keys(p256dh, auth)
    label = " ".join(label.split())[:MAX_LABEL] or "A device"
    found = await db.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if found is None or found.user_id != viewer.id:
        devices = await db.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.user_id == viewer.id)
        )
        if (devices or 0) >= MAX_DEVICES:
            raise Conflict(
                f"Notifications are on for {MAX_DEVICES} devices already: remove one in "
                "Settings, Devices first.",
                "endpoint",
            )
    if found is None:
        found = PushSubscription(endpoint=endpoint, created_at=utcnow())
        db.add(found)
    found.user_id = viewer.id
    found.p256dh, found.auth, found.label = p256dh, auth, label
    try:
        await db.commit()
    except IntegrityError as exc:  # the same device, subscribing twice at the same moment
        await db.rollback()
        raise Conflict(
            "This device was being added already. Please try again.", "endpoint"
        ) from exc
    return found


async def do_unsubscribe(db: AsyncSession, viewer: Viewer, endpoint: str) -> None:
    """Stop pushing to this device of the viewer's (commits; nothing to do is fine too)."""
    await db.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == viewer.id, PushSubscription.endpoint == endpoint.strip()
        )
    )
    await db.commit()


async def do_remove_device(db: AsyncSession, viewer: Viewer, subscription_id: int) -> None:
    """Remove one of the viewer's devices by its id (commits); another's answers 404."""
    gone = await db.execute(
        delete(PushSubscription)
        .where(PushSubscription.user_id == viewer.id, PushSubscription.id == subscription_id)
        .returning(PushSubscription.id)
    )
    if gone.first() is None:
        raise NotFound("That device is not in your list.")
    await db.commit()


async def access_subscriptions(db: AsyncSession, viewer: Viewer) -> list[PushSubscription]:
    """The viewer's own devices, oldest first."""
    rows = await db.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == viewer.id)
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return list(rows)


async def enqueue_push(db: AsyncSession, user_id: int, message: dict[str, Any]) -> None:
    """One ``push.send`` job per device of the member, in the caller's transaction.
    ``message`` has ``title``, ``body``, ``url`` and ``tag`` (pushes with one tag replace
    each other on the device)."""
    wanted = {k: str(message[k]) for k in MESSAGE_KEYS if message.get(k) is not None}
    ids = await db.scalars(
        select(PushSubscription.id)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.id)
    )
    for sid in ids:
        await enqueue_on_commit(db, SEND, {"subscription": sid, "user": user_id, "message": wanted})


async def do_forget_subscription(db: AsyncSession, subscription_id: int) -> None:
    """The push service says this subscription is gone (commits)."""
    await db.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))
    await db.commit()


async def do_record_sent(db: AsyncSession, subscription_id: int) -> None:
    await db.execute(
        update(PushSubscription)
        .where(PushSubscription.id == subscription_id)
        .values(last_sent_at=utcnow())
    )
    await db.commit()


@job(SEND)
async def send_to_device(ctx: JobContext) -> None:
    """Send one message to one device; a failure to reach its push service raises, so the
    job is retried with backoff."""
    services = ctx.services
    subscription_id = int(ctx.payload["subscription"])
    message = dict(ctx.payload.get("message") or {})
    async with services.db.sessions() as db:
        subscription = await db.get(PushSubscription, subscription_id)
        if subscription is not None:
            db.expunge(subscription)
    if subscription is None:  # removed since: nothing to send
        return
    if subscription.user_id != int(ctx.payload.get("user", subscription.user_id)):
        return  # the device is someone else's now (they signed in there): not theirs to see
    outcome = await send_push(
        services.settings, subscription, message, DEFAULT_TTL_SECONDS, session=services.http()
    )
    async with services.db.sessions() as db:
        if outcome is Outcome.GONE:
            await do_forget_subscription(db, subscription_id)
        elif outcome is Outcome.SENT:
            await do_record_sent(db, subscription_id)
