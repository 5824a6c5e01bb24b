"""HTML routes of moments: the same access and actions as the API, rendered. Everything works
without JavaScript; live updates only add a note that something new arrived."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.circles.access import access_own_circles, access_own_connections
from socialode.moments import access, actions
from socialode.moments.actions.feed import feed_position
from socialode.moments.compose_form import read_compose, to_ids
from socialode.moments.models import MomentPhoto
from socialode.moments.prompts import access_prompts_today, local_today
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, MAX_ID, RowId, Svc
from socialode.platform.errors import AppError, NotFound, Problems
from socialode.platform.help_directory import help_for
from socialode.platform.i18n import N_, _, ngettext
from socialode.platform.pagination import Cursor, decode_ints
from socialode.safety.web import HELP_OFFERED, HELPED, pause_from_form, refusal
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import form_data, read_form_lists, see_other, shown_beside
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

COMPOSE_FIELDS = ("body", "content_note", "audience", "photos")
SUGGESTED_WORDS = (N_("Thinking of you"), N_("This made me smile"), N_("Tell me more"))


def alt_fields(photos: list[MomentPhoto]) -> list[str]:
    return [f"photos.{index}.alt" for index in range(len(photos))]


@router.get("/feed", response_class=HTMLResponse)
async def feed_page(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    cursor: Cursor = None,
    since: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> Response:
    since, top, before = feed_position(cursor, since)
    read = await actions.check_read_feed(db, viewer, since, top, before)
    context = {
        "read": read,
        "prompts": await access_prompts_today(db, viewer) if before is None else [],
        "today": local_today(viewer.user),
    }
    return render(request, "moments/feed.html", context)


@router.get("/feed/day", response_class=HTMLResponse)
async def look_back(
    request: Request, viewer: CurrentViewer, db: DB, day: date, cursor: Cursor = None
) -> Response:
    start = decode_ints(cursor)
    page = await access.access_day(db, viewer, day, start[0] if start else None)
    today = local_today(viewer.user)
    context = {"page": page, "day": day, "today": today, "future": day > today}
    return render(request, "moments/day.html", context)


async def _compose(
    request: Request,
    viewer: CurrentViewer,
    db: DB,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    photos: list[MomentPhoto] | None = None,
) -> Response:
    context = {
        "circles": await access_own_circles(db, viewer),
        "connections": await access_own_connections(db, viewer),
        "settings": await actions.own_settings(db, viewer),
        "form": form or {},
        "errors": errors or {},
        "carried": photos or [],
        "max_photos": actions.MAX_PHOTOS,
    }
    return render(request, "moments/compose.html", context, status=status)


@router.get("/moments/new", response_class=HTMLResponse)
async def compose(
    request: Request, viewer: CurrentViewer, db: DB, circle: Cursor = None
) -> Response:
    return await _compose(request, viewer, db, {"circles": [str(circle)] if circle else []})


@router.post("/moments", response_class=HTMLResponse)
async def post_moment(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    sent = await read_compose(request, svc.settings.max_upload_bytes)
    photos, problems = await actions.check_carry_photos(
        svc, db, viewer, sent.new, sent.carried, sent.remove
    )
    photos = sent.ordered(photos)
    if sent.rearranging:  # a move, remove or add button: the same form, nothing shared
        errors = shown_beside(Problems(problems), COMPOSE_FIELDS) if problems else {}
        return await _compose(request, viewer, db, sent.kept(photos), errors, photos=photos)
    try:
        view = await actions.check_post(
            svc,
            db,
            viewer,
            body=sent.fields.get("body", ""),
            circle_ids=to_ids(sent.lists["circles"]),
            handles=sent.lists["people"],
            content_note=sent.fields.get("content_note", ""),
            photos=sent.choices(photos),
            photo_problems=problems,
            pause=pause_from_form(sent.fields),
        )
    except AppError as exc:
        errors = refusal(request, exc, [*COMPOSE_FIELDS, *alt_fields(photos)])
        return await _compose(
            request, viewer, db, sent.kept(photos), errors, exc.status_code, photos
        )
    shared = await _shared_with(db, viewer, view)
    return tell(request, f"/moments/{view.moment.id}", _with_help(view, shared))


def _with_help(view: access.MomentView, said: str) -> str:
    """What the next page says, and that help is there when the words told of being hurt."""
    return f"{said} {_(HELPED)}" if view.offer_help else said


async def _shared_with(db: DB, viewer: CurrentViewer, view: access.MomentView) -> str:
    """ "Shared with Old flatmates and Maya": the circles by name, then the people."""
    audience = await access.access_audience(db, viewer, view.moment)
    names = [*audience.circles, *(p.display_name for p in audience.people)]
    return _("Shared with %(names)s.") % {"names": and_list(names)} if names else _("Shared.")


def and_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) == 1:
        return names[0]
    return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


async def _moment_page(
    request: Request,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    moment_id: int,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = await access.access_moment(db, viewer, moment_id)
    window = timedelta(minutes=svc.settings.moment_edit_minutes)
    context = {
        "view": view,
        "audience": await access.access_audience(db, viewer, view.moment) if view.own else None,
        "editable": view.own and utcnow() - view.moment.created_at <= window,
        "client_key": uuid.uuid4().hex,
        "help_text": help_for(request).help_text,
        "errors": errors or {},
        "form": form or {},
        "suggested": [_(words) for words in SUGGESTED_WORDS],
    }
    return render(request, "moments/moment.html", context, status=status)


@router.get("/moments/{moment_id}", response_class=HTMLResponse)
async def moment_page(
    request: Request,
    moment_id: RowId,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    words: Annotated[int | None, Query(ge=1, le=len(SUGGESTED_WORDS))] = None,
) -> Response:
    """``?words=n``: the answer box holds the n-th suggested words, to change before sending
    (only those: a link can never put anyone else's words in a reader's mouth)."""
    form = {"body": _(SUGGESTED_WORDS[words - 1])} if words else None
    return await _moment_page(request, viewer, svc, db, moment_id, form=form)


@router.get("/moments/{moment_id}/photos/{number}", response_class=HTMLResponse)
async def photo_page(
    request: Request,
    moment_id: RowId,
    number: Annotated[int, Path(ge=1, le=MAX_ID)],
    viewer: CurrentViewer,
    db: DB,
) -> Response:
    """One photo of a moment, larger, on its own page: previous, next and back links."""
    view, index = await access.access_moment_photo(db, viewer, moment_id, number)
    context = {"view": view, "photo": view.photos[index], "number": number}
    return render(request, "moments/photo.html", context)


@router.post("/moments/{moment_id}/answer", response_class=HTMLResponse)
async def answer(
    request: Request, moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    try:
        cid, sent = await actions.check_answer(
            svc, db, viewer, moment_id, form.get("body", ""), form.get("client_key", ""),
            pause_from_form(form),
        )  # fmt: skip
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        errors = refusal(request, exc, ("body",))
        return await _moment_page(
            request, viewer, svc, db, moment_id, errors, form, exc.status_code
        )
    helped = f"?notice={HELP_OFFERED}" if sent.offer_help else ""
    return see_other(f"/conversations/{cid}{helped}#first-unread")


@router.get("/moments/{moment_id}/edit", response_class=HTMLResponse)
async def edit_form(
    request: Request, moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    moment = await access.access_own_moment(db, viewer, moment_id)
    form = {"body": moment.body, "content_note": moment.content_note}
    words_needed = not (await access.access_moment(db, viewer, moment_id)).photos
    minutes = svc.settings.moment_edit_minutes
    if utcnow() - moment.created_at > timedelta(minutes=minutes):
        late = _(
            "A moment can be edited for %(minutes)s minutes after it is shared; this one can "
            "still be deleted."
        ) % {"minutes": minutes}
        context = {"moment": moment, "form": form, "closed": True}
        context["errors"] = {"_form": late}
        return render(request, "moments/edit.html", context, status=409)
    context = {"moment": moment, "form": form, "errors": {}, "words_needed": words_needed}
    return render(request, "moments/edit.html", context)


@router.post("/moments/{moment_id}/edit", response_class=HTMLResponse)
async def edit(
    request: Request, moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    try:
        await actions.check_edit(
            svc,
            db,
            viewer,
            moment_id,
            body=form.get("body", ""),
            content_note=form.get("content_note", ""),
            pause=pause_from_form(form),
        )
    except AppError as exc:
        moment = await access.access_own_moment(db, viewer, moment_id)
        context = {
            "moment": moment,
            "form": form,
            "errors": refusal(request, exc, ("body", "content_note")),
            "words_needed": not (await access.access_moment(db, viewer, moment_id)).photos,
        }
        return render(request, "moments/edit.html", context, status=exc.status_code)
    return see_other(f"/moments/{moment_id}")


@router.post("/moments/{moment_id}/delete", response_class=HTMLResponse)
async def delete(
    request: Request, moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        await access.access_own_moment(db, viewer, moment_id)
        detail = "Everyone you shared it with stops seeing it. This cannot be undone."
        back = f"/moments/{moment_id}"
        return confirm.ask(Question(_("Delete this moment for everyone?"), detail, "Delete", back))
    await actions.do_delete(svc, db, viewer, moment_id)
    return tell(request, "/moments/mine", _("Your moment is deleted for everyone."))


@router.post("/moments/{moment_id}/close", response_class=HTMLResponse)
async def close(
    request: Request, moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    await form_data(request)
    try:
        await actions.check_close_support(svc, db, viewer, moment_id)
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _moment_page(
            request, viewer, svc, db, moment_id, shown_beside(exc, ()), None, exc.status_code
        )
    return see_other(f"/moments/{moment_id}")


async def _support_form(
    request: Request,
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "connections": await access_own_connections(db, viewer),
        "limit": svc.settings.max_supporters,
        "help_text": help_for(request).help_text,
        "form": form or {},
        "errors": errors or {},
    }
    return render(request, "moments/support.html", context, status=status)


@router.get("/support/new", response_class=HTMLResponse)
async def support_form(
    request: Request, viewer: CurrentViewer, svc: Svc, db: DB, to: str = ""
) -> Response:
    """``?to=<handle>`` (from a person's page) starts with that connection ticked; any other
    value ticks nobody, since only the viewer's own connections are listed."""
    return await _support_form(request, viewer, svc, db, {"supporters": [to[:40]]} if to else None)


@router.post("/support", response_class=HTMLResponse)
async def ask_support(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    fields, lists, _files = await read_form_lists(request, ("supporters",))
    try:
        view = await actions.check_ask_support(
            svc, db, viewer, body=fields.get("body", ""), handles=lists["supporters"],
            pause=pause_from_form(fields),
        )  # fmt: skip
    except AppError as exc:
        errors = refusal(request, exc, ("body", "supporters"))
        form = {**fields, **lists}
        return await _support_form(request, viewer, svc, db, form, errors, exc.status_code)
    asked = (await access.access_audience(db, viewer, view.moment)).people
    names = and_list([p.display_name for p in asked])
    said = ngettext(
        "%(names)s has been asked, gently.", "%(names)s have been asked, gently.", len(asked)
    ) % {"names": names}
    return tell(request, f"/moments/{view.moment.id}", _with_help(view, said))


@router.get("/media/moments/{photo_key}.jpg")
async def photo(photo_key: str, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    found = await access.access_photo(db, viewer, photo_key[:64])
    headers = {"Cache-Control": "private, max-age=3600"}
    return FileResponse(
        actions.photo_path(svc, found.key), media_type="image/jpeg", headers=headers
    )


@router.get("/settings/moments", response_class=HTMLResponse)
async def settings_page(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    settings = await actions.own_settings(db, viewer)
    form = {"reflection_text": settings.reflection_text}
    context = {"settings": settings, "form": form, "errors": {}}
    return render(request, "moments/settings.html", context)


@router.post("/settings/moments", response_class=HTMLResponse)
async def save_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    enabled = form.get("reflection_enabled") == "on"
    try:
        await actions.check_set_reflection(db, viewer, enabled, form.get("reflection_text"))
    except AppError as exc:
        settings = await actions.own_settings(db, viewer)
        context = {
            "settings": settings,
            "form": form,
            "errors": shown_beside(exc, ("reflection_text",)),
        }
        return render(request, "moments/settings.html", context, status=exc.status_code)
    return see_other("/settings/moments?saved=1")
