"""Web Push subscriptions: one per installed device, the member's own, and the job that
sends to one of them.

A browser subscribes with the instance's VAPID key (``platform.push``) and hands us its
push service address and keys, checked here before anything is stored. Delivery enqueues
one ``push.send`` job per device (:func:`enqueue_pushes`), so quiet hours, digests and
retries apply to pushes as to everything else; a worker sends the jobs it claimed together
(one read of the devices, one write of the outcomes), and a push service that says the
subscription is gone (404/410) has it deleted.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import PushSubscription
from socialode.platform.aftercommit import enqueue_many_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.jobs import JobContext, describe, job, job_batch
from socialode.platform.push import DEFAULT_TTL_SECONDS, Outcome, send_push

SEND = "push.send"
MAX_DEVICES = 10
MAX_ENDPOINT = 1024
MAX_LABEL = 100
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MESSAGE_KEYS = ("title", "body", "url", "tag")
CHUNK = 2000  # members per read of their devices
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


_NOT_BASE64 = {
    "p256dh": N_("The device key (p256dh) must be base64url text, as the browser gives it."),
    "auth": N_("The authentication secret (auth) must be base64url text, as the browser gives it."),
}


def _b64url_bytes(value: str, field: str) -> bytes:
    if not _B64URL.fullmatch(value) or len(value) > 200:
        raise Invalid(_NOT_BASE64[field], field)
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as exc:
        raise Invalid(_NOT_BASE64[field], field) from exc


def _check_endpoint(endpoint: str, allow_local: bool) -> str:
    endpoint = endpoint.strip()
    if not endpoint:
        raise Invalid(N_("Give the push service address of this device."), "endpoint")
    if len(endpoint) > MAX_ENDPOINT:
        raise Invalid(
            _("That push service address is longer than %(most)s characters.")
            % {"most": MAX_ENDPOINT},
            "endpoint",
        )
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises for a port that is not a number
    except ValueError as exc:
        raise Invalid(N_("That push service address is not a valid address."), "endpoint") from exc
    local = parts.scheme == "http" and allow_local and host in LOCAL_HOSTS
    if not host or parts.username or parts.password or (parts.scheme != "https" and not local):
        raise Invalid(N_("The push service address must be an https address."), "endpoint")
    return endpoint


def _check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    point = _b64url_bytes(p256dh.strip(), "p256dh")
    if len(point) != 65 or point[0] != 4:
        raise Invalid(
            N_("The device key (p256dh) must be an uncompressed P-256 public key of 65 bytes."),
            "p256dh",
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise Invalid(
            N_("The device key (p256dh) is not a point on the P-256 curve."), "p256dh"
        ) from exc
    secret = _b64url_bytes(auth.strip(), "auth")
    if len(secret) != 16:
        raise Invalid(N_("The authentication secret (auth) must be 16 bytes."), "auth")
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
                _(
                    "Notifications are on for %(most)s devices already: remove one in "
                    "Settings, Devices first."
                )
                % {"most": MAX_DEVICES},
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
            N_("This device was being added already. Please try again."), "endpoint"
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
        raise NotFound(N_("That device is not in your list."))
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
    await enqueue_pushes(db, [(user_id, message)])


async def enqueue_pushes(db: AsyncSession, messages: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """:func:`enqueue_push` for several members: one read of their devices, one insert."""
    if not messages:
        return
    devices: dict[int, list[int]] = {}
    wanted_ids = sorted({user_id for user_id, _ in messages})
    for start in range(0, len(wanted_ids), CHUNK):
        found = await db.execute(
            select(PushSubscription.user_id, PushSubscription.id)
            .where(PushSubscription.user_id.in_(wanted_ids[start : start + CHUNK]))
            .order_by(PushSubscription.id)
        )
        for user_id, sid in found:
            devices.setdefault(user_id, []).append(sid)
    payloads = [
        {
            "subscription": sid,
            "user": user_id,
            "message": {k: str(message[k]) for k in MESSAGE_KEYS if message.get(k) is not None},
        }
        for user_id, message in messages
        for sid in devices.get(user_id, [])
    ]
    await enqueue_many_on_commit(db, SEND, payloads)


async def do_record_outcomes(db: AsyncSession, sent: Sequence[int], gone: Sequence[int]) -> None:
    """Note when devices were last pushed to, and forget the subscriptions their push
    services say are gone (commits)."""
    if sent:
        await db.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(sent))
            .values(last_sent_at=utcnow())
        )
    if gone:
        await db.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    await db.commit()


@job(SEND)
async def send_to_device(ctx: JobContext) -> None:
    """Send one message to one device; a failure to reach its push service raises, so the
    job is retried with backoff."""
    for error in (await _send_all([ctx])).values():
        raise error


@job_batch(SEND)
async def send_to_devices(contexts: Sequence[JobContext]) -> dict[int, str]:
    """Send each job's message to its device, side by side over the shared HTTP session;
    one read of the devices before, one write of what the push services said after. A job
    whose push service could not be reached fails alone (and is retried)."""
    return {job_id: describe(error) for job_id, error in (await _send_all(contexts)).items()}


async def _send_all(contexts: Sequence[JobContext]) -> dict[int, Exception]:
    services = contexts[0].services
    wanted = sorted({int(ctx.payload["subscription"]) for ctx in contexts})
    async with services.db.sessions() as db:
        found = list(
            (
                await db.scalars(select(PushSubscription).where(PushSubscription.id.in_(wanted)))
            ).all()
        )
        for subscription in found:
            db.expunge(subscription)
    devices = {s.id: s for s in found}

    async def send(ctx: JobContext) -> Outcome | None:
        subscription = devices.get(int(ctx.payload["subscription"]))
        if subscription is None:  # removed since: nothing to send
            return None
        if subscription.user_id != int(ctx.payload.get("user", subscription.user_id)):
            return None  # the device is someone else's now (they signed in there)
        message = dict(ctx.payload.get("message") or {})
        return await send_push(
            services.settings, subscription, message, DEFAULT_TTL_SECONDS, session=services.http()
        )

    outcomes = await asyncio.gather(*(send(ctx) for ctx in contexts), return_exceptions=True)
    errors: dict[int, Exception] = {}
    gone: set[int] = set()
    sent: set[int] = set()
    for ctx, outcome in zip(contexts, outcomes, strict=True):
        if isinstance(outcome, Exception):
            errors[ctx.job.id] = outcome
        elif isinstance(outcome, BaseException):  # cancelled: the worker is stopping
            raise outcome
        elif outcome is Outcome.GONE:
            gone.add(int(ctx.payload["subscription"]))
        elif outcome is Outcome.SENT:
            sent.add(int(ctx.payload["subscription"]))
    async with services.db.sessions() as db:
        await do_record_outcomes(db, sorted(sent - gone), sorted(gone))
    return errors
