"""/api/v1 routes of gatherings: only ever those you were invited to (or organised)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.gatherings.access import access_gathering, access_own_gatherings
from socialode.gatherings.access_felt import access_own_feelings
from socialode.gatherings.actions import Proposal, check_propose
from socialode.gatherings.actions import changes as act
from socialode.gatherings.actions.feed import do_reset_feed
from socialode.gatherings.actions.felt import check_feel
from socialode.gatherings.actions.people import check_invite_more
from socialode.gatherings.actions.together import check_open_conversation
from socialode.gatherings.schemas import (
    AnswersIn,
    CalendarAddressOut,
    CreatedOut,
    DetailsIn,
    FeltIn,
    FeltOut,
    GatheringConversationOut,
    GatheringIn,
    GatheringOut,
    GatheringPersonOut,
    ListingOut,
    MorePeopleIn,
    PickIn,
    RsvpIn,
    SuggestAgainIn,
    TimeIn,
)
from socialode.gatherings.serving import feed_url, gathering_file, url_of
from socialode.gatherings.validation import aware, zone_of
from socialode.platform.clock import utcnow
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import NotFound
from socialode.platform.pagination import Cursor, decode_cursor, encode_cursor

router = APIRouter(prefix="/api/v1/gatherings", responses=ERRORS, tags=["gatherings"])
# untranslated: the API reference, in English like the rest of it
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An RFC 5545 calendar file."}
}


async def _view(db: DB, viewer: CurrentViewer, gathering_id: int) -> GatheringOut:
    return GatheringOut.of(await access_gathering(db, viewer, gathering_id))


@router.get("")
async def gatherings(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> ListingOut:
    """Yours: every one still to come (first page only), then the past in pages that end."""
    start = decode_cursor(cursor, datetime, int)
    listing = await access_own_gatherings(db, viewer, utcnow(), start)  # type: ignore[arg-type]
    following = encode_cursor(list(listing.next_before)) if listing.next_before else None
    return ListingOut.of(listing, following)


@router.post("", status_code=201)
async def propose(body: GatheringIn, viewer: CurrentViewer, db: DB, svc: Svc) -> CreatedOut:
    """Propose a gathering to a circle of yours and/or connections (up to 30 people): one
    time, or 2 to 10 times for them to answer. Everyone invited hears of it."""
    zone = zone_of(viewer.user.timezone)
    proposal = Proposal(
        title=body.title,
        description=body.description,
        place=body.place,
        map_url=body.map_url,
        circle_id=body.circle,
        handles=body.people,
        spans=[(aware(t.starts_at, zone), aware(t.ends_at, zone)) for t in body.times],
        poll_closes_at=aware(body.poll_closes_at, zone) if body.poll_closes_at else None,
        pause=body.pause_answer(),
    )
    made = await check_propose(svc, db, viewer, proposal)
    return CreatedOut(
        gathering=await _view(db, viewer, made.gathering_id),
        left_out=[GatheringPersonOut.of(u) for u in made.left_out],
    )


@router.get("/calendar")
async def calendar(request: Request, viewer: CurrentViewer, db: DB, svc: Svc) -> CalendarAddressOut:
    """Your private calendar address: subscribe to it in a calendar app."""
    return CalendarAddressOut(url=await feed_url(db, viewer, request, svc.settings))


@router.post("/calendar/reset")
async def reset_calendar(
    request: Request, viewer: CurrentViewer, db: DB, svc: Svc
) -> CalendarAddressOut:
    """A new private address; the old one stops working at once."""
    token = await do_reset_feed(db, viewer, svc.settings.resolved_secret_key)
    return CalendarAddressOut(url=url_of(request, svc.settings, token))


@router.get("/{gathering_id}")
async def one(gathering_id: RowId, viewer: CurrentViewer, db: DB) -> GatheringOut:
    return await _view(db, viewer, gathering_id)


@router.patch("/{gathering_id}")
async def edit(
    gathering_id: RowId, body: DetailsIn, viewer: CurrentViewer, db: DB, svc: Svc
) -> GatheringOut:
    """The organiser changes the name, description or place; everyone invited hears of it."""
    await act.check_edit(
        svc,
        db,
        viewer,
        gathering_id,
        title=body.title,
        description=body.description,
        place=body.place,
        map_url=body.map_url,
        pause=body.pause_answer(),
    )
    return await _view(db, viewer, gathering_id)


@router.post("/{gathering_id}/people")
async def invite_more(
    gathering_id: RowId, body: MorePeopleIn, viewer: CurrentViewer, db: DB
) -> CreatedOut:
    """The organiser invites more of their connections (or a circle of them)."""
    done = await check_invite_more(
        db, viewer, gathering_id, handles=body.people, circle_id=body.circle
    )
    return CreatedOut(
        gathering=await _view(db, viewer, gathering_id),
        left_out=[GatheringPersonOut.of(u) for u in done.left_out],
    )


@router.put("/{gathering_id}/answers")
async def answer(
    gathering_id: RowId, body: AnswersIn, viewer: CurrentViewer, db: DB
) -> GatheringOut:
    """Your answer to every time offered: yes, if_needed or no."""
    await act.check_answer_times(db, viewer, gathering_id, body.answers)
    return await _view(db, viewer, gathering_id)


@router.post("/{gathering_id}/pick")
async def pick(gathering_id: RowId, body: PickIn, viewer: CurrentViewer, db: DB) -> GatheringOut:
    """The organiser sets the time to one of the options."""
    await act.check_pick(db, viewer, gathering_id, body.option)
    return await _view(db, viewer, gathering_id)


@router.put("/{gathering_id}/rsvp")
async def rsvp(gathering_id: RowId, body: RsvpIn, viewer: CurrentViewer, db: DB) -> GatheringOut:
    await act.check_rsvp(db, viewer, gathering_id, body.rsvp)
    return await _view(db, viewer, gathering_id)


@router.post("/{gathering_id}/reschedule")
async def reschedule(
    gathering_id: RowId, body: TimeIn, viewer: CurrentViewer, db: DB
) -> GatheringOut:
    """The organiser moves it; everyone invited hears of it and answers again."""
    zone = zone_of(viewer.user.timezone)
    starts, ends = aware(body.starts_at, zone), aware(body.ends_at, zone)
    await act.check_reschedule(db, viewer, gathering_id, starts, ends)
    return await _view(db, viewer, gathering_id)


@router.post("/{gathering_id}/cancel")
async def cancel(gathering_id: RowId, viewer: CurrentViewer, db: DB) -> GatheringOut:
    await act.check_cancel(db, viewer, gathering_id)
    return await _view(db, viewer, gathering_id)


@router.put("/{gathering_id}/suggest-again")
async def suggest_again(
    gathering_id: RowId, body: SuggestAgainIn, viewer: CurrentViewer, db: DB
) -> GatheringOut:
    """The organiser's choice: a suggestion to meet again some weeks after, or not."""
    await act.check_suggest_again(db, viewer, gathering_id, body.on)
    return await _view(db, viewer, gathering_id)


@router.post("/{gathering_id}/conversation")
async def conversation(
    gathering_id: RowId, viewer: CurrentViewer, db: DB
) -> GatheringConversationOut:
    """The gathering's own group conversation, started the first time it is asked for."""
    return GatheringConversationOut(
        conversation_id=await check_open_conversation(db, viewer, gathering_id)
    )


@router.get("/{gathering_id}/felt")
async def felt(gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc) -> FeltOut:
    """Your own answer to "how did it feel?" (nobody else ever sees it)."""
    await access_gathering(db, viewer, gathering_id)
    found = await access_own_feelings(db, svc, viewer, gathering_id)
    if not found or found[0].problem is not None:
        raise NotFound()
    return FeltOut.of(found[0])


@router.put("/{gathering_id}/felt")
async def feel(
    gathering_id: RowId, body: FeltIn, viewer: CurrentViewer, db: DB, svc: Svc
) -> FeltOut:
    await check_feel(svc, db, viewer, gathering_id, body.score, body.words)
    return await felt(gathering_id, viewer, db, svc)


@router.get("/{gathering_id}/calendar.ics", response_class=Response, responses=ICS)
async def calendar_file(gathering_id: RowId, viewer: CurrentViewer, db: DB, svc: Svc) -> Response:
    return await gathering_file(db, viewer, gathering_id, svc.settings)
