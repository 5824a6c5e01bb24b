"""The member's own wellbeing pages: how are you (mood and the check-ins offered), each
check-in's form, what a result means, and the list of past check-ins. Only ever the
member's own; nothing here is shown to anyone else, whatever their role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, NotFound
from socialode.platform.help_directory import help_for
from socialode.platform.i18n import _
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import form_failed, read_form_lists, see_other
from socialode.web.notices import tell
from socialode.web.templating import render
from socialode.wellbeing import actions
from socialode.wellbeing.access import access_own_entries, access_own_entry, access_prefs
from socialode.wellbeing.instruments import INSTRUMENTS
from socialode.wellbeing.instruments.mood import FEELING_LABELS, FEELINGS, MOOD_LEVELS
from socialode.wellbeing.views import change_since, offers, title_of

router = APIRouter(include_in_schema=False)
HISTORY_SHOWN = 30


async def _home_context(db: DB, svc: Svc, viewer: CurrentViewer) -> dict[str, object]:
    now = utcnow()
    prefs = await access_prefs(db, viewer.id)
    entries = await access_own_entries(db, svc, viewer)
    return {
        "offers": offers(prefs, entries, now),
        "prefs": prefs,
        "paused": prefs.paused(now),
        "recent": entries[:5],
        "levels": MOOD_LEVELS,
        "feelings": [(key, FEELING_LABELS[key]) for key in FEELINGS],
        "title_of": title_of,
    }


@router.get("/wellbeing", response_class=HTMLResponse)
async def home(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    return render(request, "wellbeing/home.html", await _home_context(db, svc, viewer))


@router.post("/wellbeing/mood", response_class=HTMLResponse)
async def note_mood(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    form, lists, _files = await read_form_lists(request, ("feelings",))
    answers = {"mood": form.get("mood", "")}
    try:
        made = await actions.check_checkin(
            svc, db, viewer, "mood", answers, lists["feelings"], form.get("note", "")
        )
    except AppError as exc:
        context = await _home_context(db, svc, viewer)
        context["chosen_feelings"] = lists["feelings"]
        return form_failed(
            request, "wellbeing/home.html", exc, form, ("mood", "feelings", "note"), context
        )
    return see_other(f"/wellbeing/checkins/{made.id}")


def _instrument(name: str) -> object:
    if name not in INSTRUMENTS:
        raise NotFound()
    return INSTRUMENTS[name]


@router.get("/wellbeing/checkin/{name}", response_class=HTMLResponse)
async def checkin_form(request: Request, name: str, viewer: CurrentViewer) -> Response:
    return render(request, "wellbeing/checkin.html", {"instrument": _instrument(name)})


@router.post("/wellbeing/checkin/{name}", response_class=HTMLResponse)
async def checkin(request: Request, name: str, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    instrument = _instrument(name)
    form, _lists, _files = await read_form_lists(request, ())
    answers = {k: v for k, v in form.items() if k != "note"}
    try:
        made = await actions.check_checkin(svc, db, viewer, name, answers, (), form.get("note", ""))
    except AppError as exc:
        fields = [*answers, "note", *(i.key for i in INSTRUMENTS[name].items), "difficulty"]
        return form_failed(
            request, "wellbeing/checkin.html", exc, form, fields, {"instrument": instrument}
        )
    return see_other(f"/wellbeing/checkins/{made.id}")


@router.get("/wellbeing/checkins/{checkin_id}", response_class=HTMLResponse)
async def result(
    request: Request, checkin_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc
) -> Response:
    entry = await access_own_entry(db, svc, viewer, checkin_id)
    entries = await access_own_entries(db, svc, viewer, name=entry.name or None)
    context = {
        "entry": entry,
        "instrument": INSTRUMENTS.get(entry.name),
        "change": change_since(entries, entry),
        "feeling_labels": FEELING_LABELS,
        "levels": {o.value: o.label for o in MOOD_LEVELS},
        "help": help_for(request),
        "title_of": title_of,
    }
    return render(request, "wellbeing/result.html", context)


@router.post("/wellbeing/checkins/{checkin_id}/delete")
async def delete(
    request: Request, checkin_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc, confirm: Confirm
) -> Response:
    if not confirm.yes:
        await access_own_entry(db, svc, viewer, checkin_id)  # someone else's: 404, not a question
        question = _("Delete this check-in?")
        detail = _("It cannot be brought back.")
        back = f"/wellbeing/checkins/{checkin_id}"
        return confirm.ask(Question(question, detail, _("Delete"), back))
    await actions.do_delete_checkin(db, viewer, checkin_id)
    return tell(request, "/wellbeing/history", _("Check-in deleted."))


@router.get("/wellbeing/history", response_class=HTMLResponse)
async def history(
    request: Request, viewer: CurrentViewer, db: DB, svc: Svc, page: int = 1
) -> Response:
    entries = await access_own_entries(db, svc, viewer)
    page = max(1, min(page, 10_000))
    start = (page - 1) * HISTORY_SHOWN
    shown = entries[start : start + HISTORY_SHOWN]
    more = len(entries) > start + HISTORY_SHOWN
    context = {"entries": shown, "page": page, "more": more, "title_of": title_of}
    return render(request, "wellbeing/history.html", context)
