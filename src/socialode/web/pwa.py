"""What makes Socialode installable: the web app manifest, the service worker (served from
the root so its scope is the whole site) and the page it shows when the network is gone."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from socialode import __version__
from socialode.web.templating import STATIC_DIR, render

router = APIRouter(include_in_schema=False)

TURQUOISE = "#1a9e98"  # the app mark's accent, as in the icons (scripts/make_icons.py)
ICONS = [
    {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "src": "/static/icons/maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
    {"src": "/static/icons/socialode.svg", "sizes": "any", "type": "image/svg+xml"},
]


@router.get("/manifest.webmanifest")
async def manifest(request: Request) -> JSONResponse:
    name = request.app.state.services.settings.instance_name
    body = {
        "id": "/",
        "name": name,
        "short_name": name[:12],
        "description": "A calm, private place for your people.",
        "start_url": "/app",
        "scope": "/",
        "display": "standalone",
        "background_color": TURQUOISE,
        "theme_color": TURQUOISE,
        "icons": ICONS,
    }
    return JSONResponse(body, media_type="application/manifest+json")


@lru_cache(maxsize=1)
def _worker_source() -> str:
    # The version in the script makes browsers install the new worker (and its fresh cache
    # of static files) when the app is upgraded.
    return (STATIC_DIR / "sw.js").read_text().replace("__VERSION__", __version__)


@router.get("/sw.js")
async def service_worker() -> Response:
    return Response(_worker_source(), media_type="text/javascript; charset=utf-8")


@router.get("/offline", response_class=HTMLResponse)
async def offline(request: Request) -> Response:
    return render(request, "offline.html")
