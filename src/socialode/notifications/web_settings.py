"""The notification settings page: quiet hours, each kind's channel, digests, lock-screen
privacy, sleep protection and together mode. Plain forms (POST, then 303 back)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.access import Viewer
from socialode.accounts.deps import CurrentViewer
from socialode.boundaries import access, actions
from socialode.boundaries.hours import channel_of, held_until, in_quiet_hours
from socialode.boundaries.limits import Limits
from socialode.boundaries.validation import CHANNEL_WORDS, MAX_DIGEST_TIMES
from socialode.notifications.api_settings import known_kinds
from socialode.notifications.registry import kinds
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB
from socialode.platform.errors import AppError
from socialode.platform.i18n import N_, _
from socialode.web.forms import form_data, read_form_lists, see_other, shown_beside
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = "notifications/settings.html"
FIELDS = ("quiet_start", "quiet_end", "digest_times", "channels", "hours")
SAVED = {
    "quiet": N_("Your quiet hours are saved."),
    "channels": N_("Your choices are saved."),
    "digests": N_("Your digest times are saved."),
    "privacy": N_("Your privacy choices are saved."),
    "together": N_("Everything is paused. Enjoy your time together."),
    "together-ended": N_("Together mode has ended; what it held is on its way."),
}


def _local(limits: Limits, at: datetime | None) -> str | None:
    return at.astimezone(ZoneInfo(limits.zone)).strftime("%H:%M") if at else None


def _context(limits: Limits, typed: dict[str, Any] | None = None) -> dict[str, Any]:
    now = utcnow()
    together = (
        limits.together_until if limits.together_until and limits.together_until > now else None
    )
    form: dict[str, Any] = {
        "quiet_on": limits.quiet_on,
        "quiet_start": limits.quiet_start,
        "quiet_end": limits.quiet_end,
        "digest_times": list(limits.digest_times),
        "email_digest": limits.email_digest,
        "push_previews": limits.push_previews,
        "share_sleep_line": limits.share_sleep_line,
        "channels": {k.name: channel_of(limits, k.name, k.default) for k in kinds()},
    }
    form.update(typed or {})
    return {
        "form": form,
        "limits": limits,
        "kinds": kinds(),
        "channel_words": CHANNEL_WORDS,
        "max_digest_times": MAX_DIGEST_TIMES,
        "in_quiet": in_quiet_hours(limits, now),
        "together_until": _local(limits, together),
        "held_until": _local(limits, held_until(limits, now)),
    }


async def _failed(
    request: Request, viewer: Viewer, db: DB, exc: AppError, typed: dict[str, Any]
) -> Response:
    limits = await access.access_own_limits(db, viewer)
    context = {**_context(limits, typed), "errors": shown_beside(exc, FIELDS)}
    return render(request, PAGE, context, status=exc.status_code)


@router.get("/settings/notifications", response_class=HTMLResponse)
async def settings_page(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    context = _context(await access.access_own_limits(db, viewer))
    saved_key = request.query_params.get("saved", "")
    saved = _(SAVED[saved_key]) if saved_key in SAVED else None
    return render(request, PAGE, {**context, "notice": saved} if saved else context)


@router.post("/settings/notifications/quiet", response_class=HTMLResponse)
async def save_quiet(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    on, start, end = "quiet_on" in form, form.get("quiet_start", ""), form.get("quiet_end", "")
    try:
        await actions.check_save_quiet_hours(db, viewer, on, start, end)
    except AppError as exc:
        typed = {"quiet_on": on, "quiet_start": start, "quiet_end": end}
        return await _failed(request, viewer, db, exc, typed)
    return see_other("/settings/notifications?saved=quiet#quiet")


@router.post("/settings/notifications/channels", response_class=HTMLResponse)
async def save_channels(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    choices = {k[8:]: v for k, v in form.items() if k.startswith("channel-")}
    try:
        await actions.check_save_channels(db, viewer, choices, known_kinds())
    except AppError as exc:
        return await _failed(request, viewer, db, exc, {})
    return see_other("/settings/notifications?saved=channels#channels")


@router.post("/settings/notifications/digests", response_class=HTMLResponse)
async def save_digests(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form, lists, _files = await read_form_lists(request, ("digest_time",))
    times = [t.strip() for t in lists["digest_time"] if t.strip()]
    email = "email_digest" in form
    try:
        await actions.check_save_digests(db, viewer, times, email)
    except AppError as exc:
        typed = {"digest_times": times, "email_digest": email}
        return await _failed(request, viewer, db, exc, typed)
    return see_other("/settings/notifications?saved=digests#digests")


@router.post("/settings/notifications/privacy", response_class=HTMLResponse)
async def save_privacy(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    previews, line = "push_previews" in form, "share_sleep_line" in form
    await actions.check_save_privacy(db, viewer, previews, line)
    return see_other("/settings/notifications?saved=privacy#privacy")


@router.post("/settings/together", response_class=HTMLResponse)
async def start_together(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_start_together(db, viewer, form.get("hours", ""))
    except AppError as exc:
        return await _failed(request, viewer, db, exc, {})
    return see_other("/settings/notifications?saved=together")


@router.post("/settings/together/end")
async def end_together(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    await form_data(request)
    await actions.do_end_together(db, viewer)
    return see_other("/settings/notifications?saved=together-ended")
