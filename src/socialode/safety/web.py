"""What the HTML forms that send words share about the pause (see ``safety.pause``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer, MaybeViewer
from socialode.platform.deps import DB
from socialode.platform.errors import AppError
from socialode.platform.i18n import N_
from socialode.safety.access import folds_hurtful
from socialode.safety.actions import do_set_fold
from socialode.safety.pause import PauseAnswer
from socialode.web.forms import form_data, see_other, shown_beside
from socialode.web.templating import render

HELP_OFFERED = "help-offered"  # the notice a page shows after a disclosure was sent
HELPED = N_("It sounds like something hard is happening: you do not have to carry it alone.")


router = APIRouter(include_in_schema=False)


@router.get("/settings/safety", response_class=HTMLResponse)
async def settings_page(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    return render(request, "safety/settings.html", {"fold": await folds_hurtful(db, viewer.id)})


@router.post("/settings/safety", response_class=HTMLResponse)
async def save_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    await do_set_fold(db, viewer.id, form.get("fold_hurtful") == "on")
    return see_other("/settings/safety?saved=1")


async def page_folds(request: Request, viewer: MaybeViewer, db: DB) -> None:
    """For every HTML page: whether its reader has texts sent anyway after a pause folded
    (``request.state.folds``, read by the templates that show messages and moments)."""
    request.state.folds = viewer is not None and await folds_hurtful(db, viewer.id)


def pause_from_form(form: Mapping[str, str]) -> PauseAnswer:
    return PauseAnswer(form.get("pause_token", "")[:400], form.get("send_anyway") == "1")


def refusal(request: Request, exc: AppError, fields: Iterable[str]) -> dict[str, str]:
    """The errors to show beside a form's fields; a pause is no error of a field: the form's
    page shows it as its own panel (``safety/pause.html``, from ``request.state.refusal``)."""
    if exc.shown_apart:
        request.state.refusal = exc
    return shown_beside(exc, (*fields, "pause_token"))
