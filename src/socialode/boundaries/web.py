"""The wind-down page, and the gate that shows it first to a member who opens the app during
their quiet hours (once per quiet period: continuing sets a cookie until it ends).

Opening the app means its front door: ``/app``, where the installed app starts (the manifest's
``start_url``) and where the home-screen icon and the logo lead. Links into a particular page
(a conversation from a notification, a bookmark) are not interrupted: someone who followed one
chose where to go.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialode.accounts.access import Viewer
from socialode.accounts.deps import CurrentViewer, MaybeViewer
from socialode.boundaries.access import access_own_limits
from socialode.boundaries.hours import quiet_ends_at
from socialode.boundaries.limits import Limits
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB
from socialode.web.forms import form_data, safe_next, see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

WIND_DOWN_COOKIE = "socialode_wind_down"
ENTRY = ("/app",)  # the app's front door: where opening it lands


class WindDown(Exception):
    """Raised by the gate; answered with a 303 to the wind-down page."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _period_mark(viewer: Viewer, end: datetime) -> str:
    """The cookie's value: this member, this quiet period."""
    return f"{viewer.id}.{int(end.timestamp())}"


async def wind_down_gate(request: Request, viewer: MaybeViewer, db: DB) -> None:
    """Dependency for HTML routers: a page opened during quiet hours goes to /wind-down first,
    unless the member already chose to continue in this quiet period."""
    if request.method != "GET" or viewer is None or request.url.path not in ENTRY:
        return
    if "text/html" not in request.headers.get("accept", "") or "hx-request" in request.headers:
        return
    end = quiet_ends_at(await access_own_limits(db, viewer), utcnow())
    if end is None or request.cookies.get(WIND_DOWN_COOKIE) == _period_mark(viewer, end):
        return
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise WindDown(f"/wind-down?next={quote(target, safe='')}")


async def _wind_down_redirect(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WindDown)
    return RedirectResponse(exc.location, status_code=303)


def install_wind_down(app: FastAPI) -> None:
    """Answer the gate's redirects (call once in create_app)."""
    app.add_exception_handler(WindDown, _wind_down_redirect)


def _local(limits: Limits, at: datetime) -> str:
    return at.astimezone(ZoneInfo(limits.zone)).strftime("%H:%M")


@router.get("/app", response_class=HTMLResponse)
async def open_app(viewer: MaybeViewer) -> Response:
    """The front door (gated above during quiet hours): your people, or the welcome page."""
    return see_other("/feed" if viewer is not None else "/")


@router.get("/wind-down", response_class=HTMLResponse)
async def wind_down(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    target = safe_next(request.query_params.get("next"))
    limits = await access_own_limits(db, viewer)
    now = utcnow()
    end = quiet_ends_at(limits, now)
    if end is None:  # the quiet hours are over (or off): nothing to wind down from
        return see_other(target)
    context = {"now_local": _local(limits, now), "until_local": _local(limits, end)}
    return render(request, "boundaries/wind_down.html", {**context, "next": target})


@router.post("/wind-down/continue")
async def continue_anyway(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    target = safe_next((await form_data(request)).get("next"))
    now = utcnow()
    end = quiet_ends_at(await access_own_limits(db, viewer), now)
    response = see_other(target)
    if end is not None:
        response.set_cookie(
            WIND_DOWN_COOKIE,
            _period_mark(viewer, end),
            max_age=max(1, int((end - now).total_seconds()) + 60),
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="lax",
            path="/",
        )
    return response
