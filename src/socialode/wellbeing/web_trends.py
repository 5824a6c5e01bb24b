"""The member's trends page and their check-in settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.conversations.access_activity import access_own_talk_days
from socialode.gatherings.access import access_own_days_together
from socialode.gatherings.access_felt import access_own_feelings
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, Svc
from socialode.platform.errors import AppError
from socialode.platform.i18n import _
from socialode.web.forms import form_data, form_failed
from socialode.web.notices import tell
from socialode.web.templating import render
from socialode.web.when import reader_zone
from socialode.wellbeing import actions, trends
from socialode.wellbeing.access import access_own_entries, access_prefs
from socialode.wellbeing.prefs import EVERY, NAMES, PAUSES
from socialode.wellbeing.views import title_of

router = APIRouter(include_in_schema=False)
FELT_WORDS_SHOWN = 5  # the newest of the member's own words after gatherings


@router.get("/wellbeing/trends", response_class=HTMLResponse)
async def trends_page(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    now = utcnow()
    zone = reader_zone(viewer.user.timezone)
    entries = await access_own_entries(db, svc, viewer)
    prefs = await access_prefs(db, viewer.id)
    felt = await access_own_feelings(db, svc, viewer)
    context: dict[str, object] = {
        "charts": trends.charts(entries, zone),
        "notes": trends.notes(entries, zone),
        "prefs": prefs,
        "unreadable": sum(1 for e in entries if e.problem),
        "felt_chart": trends.felt_chart(felt, zone),
        "felt_words": [f for f in felt if f.words and f.problem is None][:FELT_WORDS_SHOWN],
    }
    if prefs.line_up:
        since = trends.since_for_line_up(now)
        talked = await access_own_talk_days(db, viewer, since, zone)
        together = await access_own_days_together(db, viewer, since, now)
        weeks = trends.weeks(entries, talked, now.astimezone(zone).date(), zone, together)
        context.update(weeks=weeks, line_up_note=trends.line_up_note(weeks))
    return render(request, "wellbeing/trends.html", context)


def _number(raw: str) -> int | None:
    """A whole number typed in a form; None when empty, -1 (refused later) when not one."""
    if not raw:
        return None
    return int(raw) if raw.isdigit() and len(raw) < 4 else -1


def _settings_context(prefs: object) -> dict[str, object]:
    return {"prefs": prefs, "names": NAMES, "every": EVERY, "pauses": PAUSES, "title_of": title_of}


@router.get("/wellbeing/settings", response_class=HTMLResponse)
async def settings_page(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    prefs = await access_prefs(db, viewer.id)
    return render(request, "wellbeing/settings.html", _settings_context(prefs))


@router.post("/wellbeing/settings", response_class=HTMLResponse)
async def save_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    schedule: dict[str, object] = {}
    for name in NAMES:
        raw = form.get(f"every_{name}", "")
        if raw:
            schedule[name] = _number(raw)
    pause = form.get("pause", "")
    try:
        await actions.check_update_prefs(
            db,
            viewer,
            schedule=schedule,
            reminders=form.get("reminders") == "on",
            line_up=form.get("line_up") == "on",
            pause_days=_number(pause),
            resume=form.get("resume") == "on",
        )
    except AppError as exc:
        fields = [f"every_{n}" for n in NAMES] + ["pause"]
        context = _settings_context(await access_prefs(db, viewer.id))
        return form_failed(request, "wellbeing/settings.html", exc, form, fields, context)
    return tell(request, "/wellbeing/settings", _("Saved."))
