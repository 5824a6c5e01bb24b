"""The gatherings pages: your gatherings, planning one, and one gathering's page.

"Plan to meet" opens the planning form already filled in: from a person's page
(``?with=<handle>``), from a conversation (``?conversation=<id>``: its members who are your
connections), from a circle (``?circle=<id>``) or from an earlier gathering (``?again=<id>``:
the same people and place). Times are typed in your own time zone; everyone sees them in
theirs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.circles.access import access_own_circles, access_own_connections
from socialode.conversations.access import access_conversation, current_members
from socialode.gatherings.access import access_gathering, access_own_gatherings
from socialode.gatherings.actions import Proposal, Proposed, check_propose
from socialode.gatherings.models import Answer
from socialode.gatherings.validation import MAX_OPTIONS, local_instant, zone_of
from socialode.gatherings.views import invited_text
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import Cursor, decode_cursor, encode_cursor
from socialode.safety.web import pause_from_form
from socialode.web.forms import form_failed, form_number, read_form_lists
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)
ROWS = 3  # time rows the form starts with; "Add another time" adds one, up to MAX_OPTIONS
FIELDS = ("title", "description", "place", "map_url", "people", "times", "poll_closes_at")
ANSWERS = (  # translated where shown
    (Answer.yes.value, N_("Yes")),
    (Answer.if_needed.value, N_("If needed")),
    (Answer.no.value, N_("No")),
)


@router.get("/gatherings", response_class=HTMLResponse)
async def gatherings(
    request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> Response:
    start = decode_cursor(cursor, datetime, int)
    listing = await access_own_gatherings(db, viewer, utcnow(), start)  # type: ignore[arg-type]
    following = encode_cursor(list(listing.next_before)) if listing.next_before else None
    context = {"listing": listing, "next": following, "first_page": start is None}
    return render(request, "gatherings/list.html", context)


async def _chosen(request: Request, db: DB, viewer: CurrentViewer) -> dict[str, Any]:
    """What "Plan to meet" fills in, from where it was tapped."""
    query = request.query_params
    people = [h.strip().lstrip("@").lower() for h in query.getlist("with") if h.strip()]
    circle = query.get("circle", "")
    form: dict[str, Any] = {}
    if (conversation := form_number(query.get("conversation", ""))) is not None:
        try:
            view = await access_conversation(db, viewer, conversation)
            people += [u.handle for u in await current_members(db, view) if u.id != viewer.id]
        except NotFound:
            pass
    if (again := form_number(query.get("again", ""))) is not None:
        try:
            earlier = await access_gathering(db, viewer, again)
            people += [g.user.handle for g in earlier.guests if g.user.id != viewer.id]
            form |= {"title": earlier.gathering.title, "place": earlier.gathering.place}
            form |= {"map_url": earlier.gathering.map_url}
        except NotFound:
            pass
    return form | {"people": people, "circle": circle}


async def _form_context(
    db: DB, viewer: CurrentViewer, rows: int, form: dict[str, Any]
) -> dict[str, Any]:
    return {
        "circles": await access_own_circles(db, viewer),
        "connections": await access_own_connections(db, viewer),
        "rows": max(1, min(rows, MAX_OPTIONS)),
        "form": form,
        "zone": zone_of(viewer.user.timezone).key,
        "max_options": MAX_OPTIONS,
    }


@router.get("/gatherings/new", response_class=HTMLResponse)
async def new(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await _chosen(request, db, viewer)
    return render(request, "gatherings/new.html", await _form_context(db, viewer, ROWS, form))


def _rows(form: dict[str, str]) -> int:
    shown = form_number(form.get("rows", ""), MAX_OPTIONS)
    return shown if shown else ROWS


def _spans(form: dict[str, str], rows: int, zone_name: str) -> list[tuple[datetime, datetime]]:
    """The filled-in time rows as instants; a half-filled row is refused beside itself."""
    zone = zone_of(zone_name)
    spans = []
    for n in range(min(rows, MAX_OPTIONS + 1)):
        day, start, end = (form.get(f"{part}.{n}", "").strip() for part in ("day", "start", "end"))
        if not (day or start or end):
            continue
        field = f"times.{n}"
        if not (day and start and end):
            raise Invalid(_("Give a day, a start and an end for this time."), field)
        spans.append((local_instant(day, start, zone, field), local_instant(day, end, zone, field)))
    return spans


def _poll_close(form: dict[str, str], zone_name: str) -> datetime | None:
    day, clock = form.get("close_day", "").strip(), form.get("close_time", "").strip()
    if not (day or clock):
        return None
    return local_instant(day, clock or "12:00", zone_of(zone_name), "poll_closes_at")


def _filled(form: dict[str, str], rows: int) -> list[int]:
    return [n for n in range(rows) if any(form.get(f"{p}.{n}") for p in ("day", "start", "end"))]


async def _proposed(
    svc: Svc, db: DB, viewer: CurrentViewer, proposal: Proposal, filled: list[int]
) -> Proposed:
    """The proposal made; a refused time goes beside its row (the action counts only the
    rows that were filled in)."""
    try:
        return await check_propose(svc, db, viewer, proposal)
    except AppError as exc:
        index = exc.field[6:] if exc.field and exc.field.startswith("times.") else ""
        number = form_number(index)
        if number is not None and number < len(filled):
            exc.field = f"times.{filled[number]}"
        raise


@router.post("/gatherings", response_class=HTMLResponse)
async def create(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    form, lists, _files = await read_form_lists(request, ("people",))
    rows = _rows(form)
    if "more" in form:  # "Add another time", without JavaScript: the same form, one row more
        context = await _form_context(db, viewer, rows + 1, {**form, "people": lists["people"]})
        return render(request, "gatherings/new.html", context)
    try:
        circle = form.get("circle", "")
        proposal = Proposal(
            title=form.get("title", ""),
            description=form.get("description", ""),
            place=form.get("place", ""),
            map_url=form.get("map_url", ""),
            circle_id=form_number(circle) or None,
            handles=lists["people"],
            spans=_spans(form, rows, viewer.user.timezone),
            poll_closes_at=_poll_close(form, viewer.user.timezone),
            pause=pause_from_form(form),
        )
        made = await _proposed(svc, db, viewer, proposal, _filled(form, rows))
    except AppError as exc:
        context = await _form_context(db, viewer, rows, {})
        fields = [*FIELDS, "circle", *(f"times.{n}" for n in range(rows))]
        kept: dict[str, Any] = {**form, "people": lists["people"]}
        return form_failed(request, "gatherings/new.html", exc, kept, fields, context)
    text = invited_text(made.invited, made.left_out)
    return tell(request, f"/gatherings/{made.gathering_id}", text)


@router.get("/gatherings/{gathering_id}", response_class=HTMLResponse)
async def page(request: Request, gathering_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    view = await access_gathering(db, viewer, gathering_id)
    now = utcnow()
    context = {
        "view": view,
        "now": now,
        "answers": ANSWERS,
        "mine": view.my_answers(),
        "best": view.best_option(),
        "over": view.over(now),
        "begun": view.begun(now),
        # Words sent anyway after a pause, folded for a reader who folds such texts (never
        # for the organiser): the field that carried them, or all three.
        "folded": view.folded if request.state.folds and not view.is_organiser else frozenset(),
    }
    return render(request, "gatherings/gathering.html", context)
