"""Ask first: a confirm step for HTML actions that cannot be taken back.

How to use it in a POST form route::

    from socialode.web.confirm import Confirm, Question

    @router.post("/circles/{circle_id}/delete")
    async def delete_circle(..., confirm: Confirm) -> Response:
        if not confirm.yes:
            circle = await access.access_circle(db, viewer, circle_id)  # 404 stays 404
            return confirm.ask(Question(
                f"Delete {circle.name}?", "The people in it stay your connections.",
                action="Delete", back=f"/circles/{circle_id}"))
        await actions.do_delete_circle(db, viewer, circle_id)
        ...

Without ``confirm=yes`` in the form nothing changes: the answer is a calm page asking the
question, whose form posts the same fields again with ``confirm=yes`` (it works without
JavaScript), and a "Keep" link back. With JavaScript, ``app.js`` asks the same question in a
``<dialog>`` for any form marked ``data-confirm="question"`` (``data-confirm-detail`` for the
second sentence, the submit button's words for the action) and submits with ``confirm=yes``.

Taking ``Confirm`` as a parameter is what registers a route as asking first:
``asks_first(dependant)`` reads it from a route's dependencies, and
tests/test_destructive_routes.py fails for a destructive-looking POST route that neither asks
first nor is listed in ``HARMLESS`` with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.responses import HTMLResponse

from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_, _
from socialode.web.forms import MAX_FIELD, safe_next
from socialode.web.templating import render

# Words in a POST path that mark an action people may regret.
DESTRUCTIVE_WORDS = ("remove", "delete", "leave", "end", "revoke", "withdraw", "unblock", "erase")

# Destructive-looking routes that do not ask first, each with why that is right.
HARMLESS: dict[str, str] = {
    "/connections/requests/{request_id}/withdraw": (
        "withdrawing a connection request is undone by sending it again; nobody was told"
    ),
    "/settings/together/end": (
        "ending together mode early only lets notifications through again; it is turned "
        "back on from the same page"
    ),
    "/settings/avatar/remove": (
        "removing your own photo is undone by choosing it again; nobody else loses anything"
    ),
}

# Destructive routes whose existing page is already the confirm step.
CONFIRMED_ELSEWHERE: dict[str, str] = {
    "/blocked": "blocking is a form on an explanation page that says what it does first",
}


@dataclass(frozen=True)
class Question:
    """What the confirm page asks: "Remove Maya from your connections?" "They won't be
    told." [Remove] [Keep] (the Keep link goes ``back``)."""

    text: str
    detail: str = ""
    action: str = N_("Yes")
    back: str = "/"
    keep: str = N_("Keep")


class ConfirmStep:
    """The confirm state of one POST: ``yes`` when the person already agreed."""

    def __init__(self, request: Request, fields: dict[str, str]) -> None:
        self.request = request
        self.fields = fields
        self.yes = fields.get("confirm") == "yes"

    def ask(self, question: Question) -> HTMLResponse:
        """The confirmation page: the same form again, with ``confirm=yes``."""
        carried = {k: v for k, v in self.fields.items() if k != "confirm"}
        # The default words are marked, not yet translated; a caller's own are already in
        # the reader's language and pass through unchanged.
        question = replace(question, action=_(question.action), keep=_(question.keep))
        context = {
            "question": question,
            "back": safe_next(question.back),
            "action_url": self.request.url.path,
            "carried": carried,
        }
        return render(self.request, "confirm.html", context)


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


Owned = TypeVar("Owned", bound=_HasId)


def pick(own: Iterable[Owned], wanted: int, missing: str) -> Owned:
    """The one of the viewer's own things (already read through their ``access_*``) that a
    question is about; any other id answers 404 with ``missing``, before anything is asked."""
    found = next((thing for thing in own if thing.id == wanted), None)
    if found is None:
        raise NotFound(missing)
    return found


async def confirm_step(request: Request) -> ConfirmStep:
    async with request.form() as form:
        fields = {k: v[:MAX_FIELD] for k, v in form.items() if isinstance(v, str)}
    return ConfirmStep(request, fields)


Confirm = Annotated[ConfirmStep, Depends(confirm_step)]


def asks_first(dependant: Dependant | None) -> bool:
    """Whether a route (by its dependant) takes ``Confirm``, so that a POST without
    ``confirm=yes`` changes nothing."""
    pending = list(dependant.dependencies) if dependant is not None else []
    while pending:
        found = pending.pop()
        if found.call is confirm_step:
            return True
        pending.extend(found.dependencies)
    return False


def html_post_routes(app: FastAPI) -> list[tuple[str, Dependant | None]]:
    """(path, dependant) of every POST route outside the JSON API, included routers too."""
    found: list[tuple[str, Dependant | None]] = []
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for item in contexts() if contexts is not None else [route]:
            path = getattr(item, "path", "") or getattr(
                getattr(item, "original_route", None), "path", ""
            )
            posts = "POST" in (getattr(item, "methods", None) or ())
            if posts and not path.startswith("/api/"):
                found.append((path, getattr(item, "dependant", None)))
    return found


def looks_destructive(path: str) -> bool:
    """A path with one of ``DESTRUCTIVE_WORDS`` as a whole segment."""
    return any(part in DESTRUCTIVE_WORDS for part in path.strip("/").split("/"))
