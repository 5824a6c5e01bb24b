"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).

The instance's VAPID key pair is generated once into the data directory, like the secret
key, and its public half is what browsers subscribe with (the "application server key").
``send_push`` encrypts one JSON payload for one subscription and posts it to the push
service of the subscriber's browser vendor; the answer decides what happens next:

- ``SENT``: the push service took it (it delivers when the device is online, within the TTL);
- ``GONE``: 404 or 410, the subscription no longer exists: the caller forgets it;
- ``REFUSED``: another 4xx, which trying again would not change (logged, kept);
- 429, 5xx and network failures raise :class:`PushUnavailable`, so the job retries.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import tempfile
import time
from email.utils import parseaddr
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher

if TYPE_CHECKING:
    from socialode.config import Settings

log = logging.getLogger("socialode.push")

KEY_FILE = "vapid_private_key.pem"
# A push message may carry 4096 bytes of encrypted record; aes128gcm takes 86 for its header,
# 16 for the tag and 1 for the padding delimiter. The JSON stays well inside what is left.
MAX_PAYLOAD_BYTES = 3800
DEFAULT_TTL_SECONDS = 12 * 3600
TIMEOUT_SECONDS = 30.0
ELLIPSIS = "…"


class Outcome(Enum):
    SENT = "sent"
    GONE = "gone"
    REFUSED = "refused"


class PushUnavailable(Exception):
    """The push service could not take the message now (429, 5xx, network): try later."""


class Subscriber(Protocol):
    """What a stored subscription gives: the push service address and the browser's keys."""

    @property
    def endpoint(self) -> str: ...
    @property
    def p256dh(self) -> str: ...
    @property
    def auth(self) -> str: ...


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_keys: dict[Path, ec.EllipticCurvePrivateKey] = {}
VAPID_REUSE_SECONDS = 3600.0
VAPID_REUSE_MAX = 1000  # push services (audiences) remembered at once
_signed: dict[tuple[int, str, str], tuple[float, dict[str, str]]] = {}


def vapid_private_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """The instance's VAPID key (P-256), generated into the data directory on first use.

    Written to a private temporary file and linked into place, so two processes starting at
    once end up with the same key: the second link fails and that process reads the first.
    """
    path = (settings.data_dir / KEY_FILE).resolve()
    found = _keys.get(path)
    if found is not None:
        return found
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = ec.generate_private_key(ec.SECP256R1())
        pem = fresh.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            with contextlib.suppress(FileExistsError):  # another process was first
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError(f"{path} does not hold a P-256 private key; move it away to make one.")
    _keys[path] = key
    return key


def application_server_key(settings: Settings) -> str:
    """The public VAPID key as browsers want it: the uncompressed point, base64url."""
    public = vapid_private_key(settings).public_key()
    raw = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def vapid_subject(settings: Settings) -> str:
    """Who push services can contact about our pushes: the sender address when it is a
    real one, else the instance's https address, else the sender address anyway."""
    address = parseaddr(settings.mail_from)[1]
    domain = address.rpartition("@")[2]
    if "." in domain:
        return f"mailto:{address}"
    url = settings.public_url or ""
    if url.startswith("https://"):
        parts = urlsplit(url)
        return f"https://{parts.netloc}"
    return f"mailto:{address or 'no-reply@localhost'}"


def fit_payload(payload: dict[str, Any], limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """``payload`` as compact UTF-8 JSON of at most ``limit`` bytes: the longest text is
    shortened (with an ellipsis) until it fits, then the next; it never fails for length."""
    values = dict(payload)

    def encoded() -> bytes:
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()

    while len(data := encoded()) > limit:
        texts = [(len(v), k) for k, v in values.items() if isinstance(v, str) and v]
        if not texts:  # nothing left to shorten
            return b"{}"
        key = max(texts)[1]
        text, values[key] = values[key], ""
        if len(encoded()) > limit:
            continue  # too long even without this text: shorten the next one too
        keep, longest = 0, len(text) - 1  # the longest start of it that fits
        while keep < longest:
            middle = (keep + longest + 1) // 2
            values[key] = text[:middle] + ELLIPSIS
            if len(encoded()) <= limit:
                keep = middle
            else:
                longest = middle - 1
        values[key] = text[:keep] + ELLIPSIS if keep else ""
    return data


def _vapid_headers(settings: Settings, endpoint: str) -> dict[str, str]:
    """The signed VAPID token for this endpoint's push service. A token is valid for 24
    hours, so one signed in the last hour is used again instead of signing every push."""
    parts = urlsplit(endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "sub": vapid_subject(settings)}
    key = vapid_private_key(settings)
    reuse = (id(key), claims["aud"], claims["sub"])
    now = time.time()
    found = _signed.get(reuse)
    if found is not None and 0 <= now - found[0] < VAPID_REUSE_SECONDS:
        return dict(found[1])
    headers: dict[str, str] = Vapid02(private_key=key).sign(claims)  # exp: 24 hours from now
    if len(_signed) >= VAPID_REUSE_MAX:
        _signed.clear()
    _signed[reuse] = (now, headers)
    return dict(headers)


async def send_push(
    settings: Settings,
    subscription: Subscriber,
    payload: dict[str, Any],
    ttl: int = DEFAULT_TTL_SECONDS,
    *,
    session: aiohttp.ClientSession | None = None,
) -> Outcome:
    """Encrypt ``payload`` for ``subscription`` and hand it to its push service."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    headers = _vapid_headers(settings, subscription.endpoint)
    headers["Urgency"] = "normal"
    data = fit_payload(payload)
    limit = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    try:
        if session is None:
            async with aiohttp.ClientSession() as own:
                status = await _post(info, own, data, headers, max(1, ttl), limit)
        else:
            status = await _post(info, session, data, headers, max(1, ttl), limit)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise PushUnavailable(f"The push service could not be reached: {exc!r}") from exc
    if status < 300:
        return Outcome.SENT
    if status in (404, 410):
        return Outcome.GONE
    if status == 429 or status >= 500:
        raise PushUnavailable(f"The push service answered {status}; trying again later.")
    log.warning(
        "push service %s refused a message: %s", urlsplit(subscription.endpoint).netloc, status
    )
    return Outcome.REFUSED


async def _post(
    info: dict[str, Any],
    session: aiohttp.ClientSession,
    data: bytes,
    headers: dict[str, str],
    ttl: int,
    limit: aiohttp.ClientTimeout,
) -> int:
    pusher = WebPusher(info, aiohttp_session=session)
    response = await pusher.send_async(
        data, headers, ttl=ttl, content_encoding="aes128gcm", timeout=limit
    )
    status: int = response.status
    response.release()
    return status
