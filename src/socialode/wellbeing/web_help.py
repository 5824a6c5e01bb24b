"""The "Get help" page: a stepped path from reaching out to someone now, through things to
try on your own and professional help, to crisis lines. For anyone, signed in or not, in the
reader's language; the entries come from the operator's help directory
(``platform/help_directory.py``). The page counts nothing and keeps nothing about a visit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import MaybeViewer
from socialode.circles.access import access_own_connections
from socialode.platform.deps import DB
from socialode.platform.help_directory import help_for
from socialode.platform.i18n import N_
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

PEOPLE_SHOWN = 8  # the first few by name: one tap each, never a long list to scroll
SELF_HELP_STEPS = (
    N_(
        "Slow your breathing: in through your nose for a count of four, out for six. Do it a "
        "few times."
    ),
    N_("Look around and name five things you can see. It brings you back to where you are."),
    N_("Drink a glass of water, eat something small, and step outside or open a window."),
    N_("Write down what is weighing on you. It does not have to be tidy or make sense."),
    N_("If it is late, put your phone away and rest. Things can look different after sleep."),
)


@router.get("/help", response_class=HTMLResponse)
async def help_page(request: Request, viewer: MaybeViewer, db: DB) -> Response:
    connections = await access_own_connections(db, viewer) if viewer else []
    context = {
        "help": help_for(request),
        "people": [c.user for c in connections[:PEOPLE_SHOWN]],
        "more_people": len(connections) > PEOPLE_SHOWN,
        "steps": SELF_HELP_STEPS,
    }
    return render(request, "wellbeing/help.html", context)
