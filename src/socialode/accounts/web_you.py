"""HTML routes of "You": the member's own place in the shell (their profile, their people
settings, signing out), how the app looks on this device, and the language it speaks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.actions import check_update_profile
from socialode.accounts.deps import CurrentViewer
from socialode.platform import i18n
from socialode.platform.deps import DB, Svc
from socialode.platform.errors import AppError
from socialode.platform.i18n import N_, _
from socialode.web.forms import form_data, see_other, shown_beside
from socialode.web.templating import THEME_COOKIE, THEMES, render

router = APIRouter(include_in_schema=False)

THEME_CHOICES = (
    ("system", N_("Same as this device")),
    ("light", N_("Light")),
    ("dark", N_("Dark")),
)
THEME_SECONDS = 400 * 24 * 3600  # as long as browsers keep a cookie


@router.get("/you", response_class=HTMLResponse)
async def you(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/you.html")


def _appearance_context(errors: dict[str, str] | None = None) -> dict[str, object]:
    return {"choices": THEME_CHOICES, "languages": i18n.LANGUAGES, "errors": errors or {}}


@router.get("/settings/appearance", response_class=HTMLResponse)
async def appearance(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/settings_appearance.html", _appearance_context())


@router.post("/settings/language", response_class=HTMLResponse)
async def choose_language(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    chosen = (await form_data(request)).get("language", "")
    try:
        await check_update_profile(svc, db, viewer, language=chosen)
    except AppError as exc:
        errors = shown_beside(exc, ("language",))
        context = _appearance_context(errors)
        return render(request, "accounts/settings_appearance.html", context, exc.status_code)
    i18n.use(viewer.user.language)
    return see_other("/settings/appearance?notice=language-saved")


@router.post("/settings/appearance", response_class=HTMLResponse)
async def choose_appearance(request: Request, viewer: CurrentViewer) -> Response:
    chosen = (await form_data(request)).get("theme", "")
    if chosen not in (*THEMES, "system"):
        errors = {"theme": _("Choose light, dark, or the same as this device.")}
        context = _appearance_context(errors)
        return render(request, "accounts/settings_appearance.html", context, status=422)
    response = see_other("/settings/appearance?notice=appearance-saved")
    if chosen == "system":
        response.delete_cookie(THEME_COOKIE, path="/")
    else:
        response.set_cookie(
            THEME_COOKIE, chosen, max_age=THEME_SECONDS, path="/", samesite="lax", httponly=True
        )
    return response
