"""HTML routes of the daily questions: answering or setting one aside, and the owner's
settings for a circle's question."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.moments import actions
from socialode.moments.prompts import access_prompt, access_prompt_setting
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, NotFound
from socialode.safety.web import HELP_OFFERED, pause_from_form, refusal
from socialode.web.forms import form_data, read_form, see_other, shown_beside
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/prompts/{circle_id}", response_class=HTMLResponse)
async def prompt_page(
    request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    prompt = await access_prompt(db, viewer, circle_id)
    return render(request, "moments/prompt.html", {"prompt": prompt, "form": {}, "errors": {}})


@router.post("/prompts/{circle_id}/answer", response_class=HTMLResponse)
async def answer_prompt(
    request: Request, circle_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    fields, files = await read_form(request, {"photo": svc.settings.max_upload_bytes})
    prompt = await access_prompt(db, viewer, circle_id)  # 404 before anything is stored
    carried = int(fields["photo_id"]) if fields.get("photo_id", "").isdigit() else None
    photo, problem = await actions.check_carry_photo(
        svc, db, viewer, files.get("photo"), carried, fields.get("photo_drop") == "yes"
    )
    try:
        view = await actions.check_answer_prompt(
            svc,
            db,
            viewer,
            circle_id,
            body=fields.get("body", ""),
            content_note=fields.get("content_note", ""),
            photo_id=photo.id if photo else None,
            photo_problem=problem,
            pause=pause_from_form(fields),
        )
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        errors = refusal(request, exc, ("body", "content_note", "photo"))
        context = {"prompt": prompt, "form": fields, "errors": errors, "carried": photo}
        return render(request, "moments/prompt.html", context, status=exc.status_code)
    helped = f"?notice={HELP_OFFERED}" if view.offer_help else ""
    return see_other(f"/moments/{view.moment.id}{helped}")


@router.post("/prompts/{circle_id}/set-aside", response_class=HTMLResponse)
async def set_aside(request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    await form_data(request)
    await actions.do_set_aside(db, viewer, await access_prompt(db, viewer, circle_id))
    return see_other("/feed")


@router.get("/circles/{circle_id}/prompt", response_class=HTMLResponse)
async def prompt_settings(
    request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    setting = await access_prompt_setting(db, viewer, circle_id)
    form = {"question": setting.question if setting.written_by_owner else ""}
    context = {"setting": setting, "form": form, "errors": {}}
    return render(request, "moments/prompt_settings.html", context)


@router.post("/circles/{circle_id}/prompt", response_class=HTMLResponse)
async def save_prompt(
    request: Request, circle_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    form = await form_data(request)
    enabled = form.get("enabled") == "on"
    try:
        await actions.check_set_prompt(db, viewer, circle_id, enabled, form.get("question", ""))
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        setting = await access_prompt_setting(db, viewer, circle_id)
        context = {"setting": setting, "form": form, "errors": shown_beside(exc, ("question",))}
        return render(request, "moments/prompt_settings.html", context, status=exc.status_code)
    return see_other(f"/circles/{circle_id}/prompt")
