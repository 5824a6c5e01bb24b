"""HTML routes of "You": the member's own place in the shell (their profile, their people
settings, signing out), and how the app looks on this device."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.web.forms import form_data, see_other
from socialode.web.templating import THEME_COOKIE, THEMES, render

router = APIRouter(include_in_schema=False)

THEME_CHOICES = (("system", "Same as this device"), ("light", "Light"), ("dark", "Dark"))
THEME_SECONDS = 400 * 24 * 3600  # as long as browsers keep a cookie


@router.get("/you", response_class=HTMLResponse)
async def you(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/you.html")


@router.get("/settings/appearance", response_class=HTMLResponse)
async def appearance(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/settings_appearance.html", {"choices": THEME_CHOICES})


@router.post("/settings/appearance", response_class=HTMLResponse)
async def choose_appearance(request: Request, viewer: CurrentViewer) -> Response:
    chosen = (await form_data(request)).get("theme", "")
    if chosen not in (*THEMES, "system"):
        errors = {"theme": "Choose light, dark, or the same as this device."}
        context = {"choices": THEME_CHOICES, "errors": errors}
        return render(request, "accounts/settings_appearance.html", context, status=422)
    response = see_other("/settings/appearance?notice=appearance-saved")
    if chosen == "system":
        response.delete_cookie(THEME_COOKIE, path="/")
    else:
        response.set_cookie(
            THEME_COOKIE, chosen, max_age=THEME_SECONDS, path="/", samesite="lax", httponly=True
        )
    return response
