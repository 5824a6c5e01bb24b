"""Calendar files as responses, shared by the pages, the API and the private feed address."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.config import Settings
from socialode.gatherings.access import access_gathering
from socialode.gatherings.calendar import (
    EventRow,
    access_own_feed_token,
    calendar_file,
    gatherings_for_feed,
)
from socialode.platform.errors import Conflict
from socialode.platform.i18n import N_, _

NO_TIME_YET = N_("This gathering has no time yet, so there is nothing to put in a calendar.")
MEDIA = "text/calendar; charset=utf-8"


def _where(settings: Settings) -> tuple[str, str]:
    base = settings.public_url or ""
    return (urlsplit(base).hostname or "socialode.invalid"), base


def _organised_by() -> str:
    return _("Planned together on Socialode by %(name)s.")


def ics(data: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=MEDIA, headers=headers)


async def gathering_file(
    db: AsyncSession, viewer: Viewer, gathering_id: int, settings: Settings
) -> Response:
    view = await access_gathering(db, viewer, gathering_id)
    if view.gathering.starts_at is None:
        raise Conflict(NO_TIME_YET)
    host, base = _where(settings)
    row = EventRow.of(view.gathering, view.organiser)
    data = calendar_file([row], host, base, _organised_by(), view.gathering.title)
    return ics(data, f"gathering-{gathering_id}.ics")


async def feed_file(db: AsyncSession, owner: User, settings: Settings) -> Response:
    host, base = _where(settings)
    items = await gatherings_for_feed(db, owner.id)
    name = _("Gatherings on %(instance)s") % {"instance": settings.instance_name}
    return ics(calendar_file(items, host, base, _organised_by(), name), "gatherings.ics")


async def feed_url(db: AsyncSession, viewer: Viewer, request: Request, settings: Settings) -> str:
    token = await access_own_feed_token(db, viewer, settings.resolved_secret_key)
    return url_of(request, settings, token)


def url_of(request: Request, settings: Settings, token: str) -> str:
    base = settings.public_url or str(request.base_url).rstrip("/")
    return f"{base}/calendar/{token}.ics"
