"""What people do on a gathering's page: answer the times, RSVP, talk, say how it felt; the
organiser picks the time, edits, moves or cancels it. And the calendar: each gathering's file,
and your private feed address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.gatherings.access import access_gathering, access_organised
from socialode.gatherings.access_felt import access_own_feelings
from socialode.gatherings.actions import changes as act
from socialode.gatherings.actions.feed import do_reset_feed
from socialode.gatherings.actions.felt import check_feel
from socialode.gatherings.actions.people import check_invite_more
from socialode.gatherings.actions.together import check_open_conversation
from socialode.gatherings.calendar import access_feed_owner
from socialode.gatherings.serving import feed_file, feed_url, gathering_file
from socialode.gatherings.validation import local_instant, zone_of
from socialode.gatherings.views import invited_text, more_choices
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, Invalid
from socialode.platform.i18n import _
from socialode.safety.web import pause_from_form
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import form_data, form_failed, form_number, read_form_lists, see_other
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)
DETAILS = ("title", "description", "place", "map_url")


def _back(gathering_id: int) -> str:
    return f"/gatherings/{gathering_id}"


@router.post("/gatherings/{gathering_id}/answers")
async def answer(request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    answers = {
        number: value
        for key, value in form.items()
        if key.startswith("option.") and (number := form_number(key[7:])) is not None
    }
    await act.check_answer_times(db, viewer, gathering_id, answers)
    return tell(request, _back(gathering_id), _("Your answers are in. Thank you."))


@router.post("/gatherings/{gathering_id}/pick")
async def pick(request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    option = form_number((await form_data(request)).get("option", "")) or 0
    await act.check_pick(db, viewer, gathering_id, option)
    return tell(request, _back(gathering_id), _("The time is set. Everyone invited will hear."))


@router.post("/gatherings/{gathering_id}/rsvp")
async def rsvp(request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    await act.check_rsvp(db, viewer, gathering_id, (await form_data(request)).get("rsvp", ""))
    return tell(request, _back(gathering_id), _("Your answer is saved; you can change it."))


@router.post("/gatherings/{gathering_id}/people", response_class=HTMLResponse)
async def invite_more(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    form, lists, _files = await read_form_lists(request, ("people",))
    circle = form.get("circle", "")
    try:
        done = await check_invite_more(
            db,
            viewer,
            gathering_id,
            handles=lists["people"],
            circle_id=form_number(circle) or None,
        )
    except AppError as exc:
        view = await access_organised(db, viewer, gathering_id)
        context = {"view": view, "zone": view.gathering.zone, **await more_choices(db, viewer)}
        return form_failed(request, "gatherings/edit.html", exc, form, ("people",), context)
    return tell(request, _back(gathering_id), invited_text(done.added, done.left_out))


@router.post("/gatherings/{gathering_id}/conversation")
async def conversation(gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    conversation_id = await check_open_conversation(db, viewer, gathering_id)
    return see_other(f"/conversations/{conversation_id}#first-unread")


@router.post("/gatherings/{gathering_id}/again")
async def again(request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    wanted = (await form_data(request)).get("on") == "1"
    await act.check_suggest_again(db, viewer, gathering_id, wanted)
    text = _("You will get a gentle suggestion to meet again.") if wanted else _("No suggestion.")
    return tell(request, _back(gathering_id), text)


@router.post("/gatherings/{gathering_id}/cancel")
async def cancel(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        view = await access_organised(db, viewer, gathering_id)  # others: 404, not a question
        question = _("Cancel “%(title)s”?") % {"title": view.gathering.title}
        detail = _("Everyone invited will hear it is off. It cannot be brought back.")
        return confirm.ask(
            Question(question, detail, _("Cancel the gathering"), _back(gathering_id))
        )
    await act.check_cancel(db, viewer, gathering_id)
    return tell(request, _back(gathering_id), _("Cancelled. Everyone invited will hear."))


@router.get("/gatherings/{gathering_id}/edit", response_class=HTMLResponse)
async def edit_page(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    view = await access_organised(db, viewer, gathering_id)
    context = {"view": view, "zone": view.gathering.zone, **await more_choices(db, viewer)}
    return render(request, "gatherings/edit.html", context)


@router.post("/gatherings/{gathering_id}/edit", response_class=HTMLResponse)
async def edit(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc
) -> Response:
    form = await form_data(request)
    try:
        details = {name: form.get(name, "") for name in DETAILS}
        await act.check_edit(svc, db, viewer, gathering_id, **details, pause=pause_from_form(form))
    except AppError as exc:
        view = await access_organised(db, viewer, gathering_id)
        context = {"view": view, "zone": view.gathering.zone, **await more_choices(db, viewer)}
        return form_failed(request, "gatherings/edit.html", exc, form, DETAILS, context)
    return tell(request, _back(gathering_id), _("Saved. Everyone invited will hear."))


@router.post("/gatherings/{gathering_id}/reschedule", response_class=HTMLResponse)
async def reschedule(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    form = await form_data(request)
    zone = zone_of(viewer.user.timezone)
    try:
        day = form.get("day", "")
        starts = local_instant(day, form.get("start", ""), zone, "when")
        ends = local_instant(day, form.get("end", ""), zone, "when")
        await act.check_reschedule(db, viewer, gathering_id, starts, ends)
    except AppError as exc:
        if exc.field not in (None, "when"):
            exc = Invalid(exc.message, "when")
        view = await access_organised(db, viewer, gathering_id)
        context = {"view": view, "zone": view.gathering.zone, **await more_choices(db, viewer)}
        return form_failed(request, "gatherings/edit.html", exc, form, ("when",), context)
    return tell(
        request, _back(gathering_id), _("Moved. Everyone invited will hear and answer again.")
    )


@router.get("/gatherings/{gathering_id}/felt", response_class=HTMLResponse)
async def felt_page(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc
) -> Response:
    view = await access_gathering(db, viewer, gathering_id)
    found = await access_own_feelings(db, svc, viewer, gathering_id)
    return render(
        request, "gatherings/felt.html", {"view": view, "felt": found[0] if found else None}
    )


@router.post("/gatherings/{gathering_id}/felt", response_class=HTMLResponse)
async def feel(
    request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc
) -> Response:
    form, _lists, _files = await read_form_lists(request, ())
    score = form.get("score", "")
    try:
        number = form_number(score, 9) if score else None
        if score and number is None:
            raise Invalid(_("Choose from 1 (not good) to 5 (very good)."), "score")
        await check_feel(svc, db, viewer, gathering_id, number, form.get("words", ""))
    except AppError as exc:
        view = await access_gathering(db, viewer, gathering_id)
        context = {"view": view, "felt": None, "over": view.over(utcnow())}
        return form_failed(request, "gatherings/felt.html", exc, form, ("score", "words"), context)
    return tell(request, _back(gathering_id), _("Kept for you alone. Thank you."))


@router.get("/gatherings/{gathering_id}/calendar.ics")
async def calendar_file(gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    return await gathering_file(db, viewer, gathering_id, svc.settings)


@router.get("/gatherings/calendar", response_class=HTMLResponse)
async def calendar_page(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    url = await feed_url(db, viewer, request, svc.settings)
    return render(request, "gatherings/calendar.html", {"url": url})


@router.post("/gatherings/calendar/reset")
async def reset_calendar(
    request: Request, viewer: CurrentViewer, db: DB, svc: Svc, confirm: Confirm
) -> Response:
    if not confirm.yes:
        question = _("Make a new calendar address?")
        detail = _("The old one stops working at once: calendars using it will need the new one.")
        return confirm.ask(
            Question(question, detail, _("Make a new address"), "/gatherings/calendar")
        )
    await do_reset_feed(db, viewer, svc.settings.resolved_secret_key)
    return tell(request, "/gatherings/calendar", _("Your calendar has a new address."))


@router.get("/calendar/{token}.ics")
async def feed(token: str, db: DB, svc: Svc) -> Response:
    """A member's private calendar feed, for calendar apps (the address is the key)."""
    owner = await access_feed_owner(db, token[:200], svc.settings.resolved_secret_key)
    return await feed_file(db, owner, svc.settings)
