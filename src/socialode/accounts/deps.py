"""Who is asking: the session behind a cookie or a bearer token, resolved once per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from socialode.accounts.access import Viewer, access_viewer
from socialode.accounts.actions import do_touch_session
from socialode.config import Settings
from socialode.platform import i18n
from socialode.platform.deps import DB
from socialode.platform.errors import Unauthenticated

SESSION_COOKIE = "socialode_session"


def _token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(SESSION_COOKIE, "")


# Declared so the OpenAPI document names both ways in; the token is read by ``_token``.
_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="sessionCookie",
    description="The session cookie a browser gets from signing in.",
    auto_error=False,
)
_bearer = HTTPBearer(
    scheme_name="bearer",
    description="`Authorization: Bearer <session_token>` from `POST /api/v1/auth/login`.",
    auto_error=False,
)


async def optional_viewer(
    request: Request,
    db: DB,
    _cookie_token: Annotated[str | None, Security(_cookie)],
    _bearer_token: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Viewer | None:
    viewer = await access_viewer(db, _token(request))
    if viewer is not None:
        await do_touch_session(db, viewer)
        i18n.use(viewer.user.language)  # the member's own choice over the browser's
    request.state.viewer = viewer
    return viewer


async def require_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise Unauthenticated()
    return viewer


MaybeViewer = Annotated[Viewer | None, Depends(optional_viewer)]
CurrentViewer = Annotated[Viewer, Depends(require_viewer)]


def set_session_cookie(
    response: Response, request: Request, settings: Settings, token: str
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_ttl_days * 86400,
        httponly=True,
        secure=settings.serves_https or request.url.scheme == "https",
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
