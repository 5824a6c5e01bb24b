"""The language of each request: the browser's (``Accept-Language``) until the viewer is
known, then the member's own choice (set by ``accounts.deps.optional_viewer``)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from socialode.platform import i18n


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("accept-language", "")
        with i18n.language(i18n.negotiate(wanted[:500])):
            await self.app(scope, receive, send)
