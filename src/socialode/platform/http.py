"""HTTP guards applied to every request: same-origin writes, security headers, body size."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialode.platform.i18n import N_

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
CROSS_SITE_MESSAGE = N_("This request came from another site, so it was refused.")


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(scope: Scope, base_url: str | None) -> set[str]:
    headers = Headers(scope=scope)
    host = headers.get("host", "")
    scheme = {"ws": "http", "wss": "https"}.get(scope["scheme"], scope["scheme"])
    own = {f"{scheme}://{host}".lower()}
    return own | {_origin_of(base_url)} if base_url else own


def is_cross_site(scope: Scope, base_url: str | None) -> bool:
    """Browsers mark where a request comes from; anything but our own origin is refused.

    Requests carrying neither Sec-Fetch-Site nor Origin come from non-browser clients
    (scripts, the API with a bearer token), which cross-site forgery cannot use.
    """
    headers = Headers(scope=scope)
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin.lower() not in own_origins(scope, base_url)


class GuardMiddleware:
    def __init__(self, app: ASGIApp, base_url: str | None, max_body: int) -> None:
        self.app = app
        self.base_url = base_url
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if is_cross_site(scope, self.base_url):
                await send({"type": "websocket.close", "code": 1008, "reason": CROSS_SITE_MESSAGE})
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS and is_cross_site(scope, self.base_url):
            await _refuse(scope, send, 403, CROSS_SITE_MESSAGE)
            return
        length = Headers(scope=scope).get("content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            await _refuse(scope, send, 413, "That upload is too large.")
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Content-Security-Policy", CSP)
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": message, "field": None}).encode()
        kind = b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><p>{message}</p>".encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
