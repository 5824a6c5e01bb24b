"""/api/v1 routes of moments: parse, access, one action, return a schema.

Every list is finite: the feed ends when you are caught up (``next`` is null), looking back
is one day at a time, and your own moments come in pages that end.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.conversations.schemas import MessageOut
from socialode.moments import access, actions
from socialode.moments.access import Page
from socialode.moments.access_memories import access_own_audiences
from socialode.moments.actions.feed import FeedRead, feed_position
from socialode.moments.prompts import (
    TodayPrompt,
    access_prompt,
    access_prompt_setting,
    access_prompts_today,
)
from socialode.moments.schemas import (
    AnswerIn,
    AnswerOut,
    FeedOut,
    MomentEditIn,
    MomentIn,
    MomentOut,
    PromptAnswerIn,
    PromptOut,
    PromptSettingIn,
    PromptSettingOut,
    PromptsOut,
    ReflectionIn,
    ReflectionOut,
    SupportIn,
    UploadOut,
)
from socialode.platform.deps import DB, MAX_ID, RowId, Svc
from socialode.platform.pagination import Cursor, decode_cursor, decode_ints, page_of

router = APIRouter(prefix="/api/v1", responses=ERRORS)
PROMPTS_PAGE = 50
Since = Annotated[
    int | None, Query(ge=0, le=MAX_ID, description="Start a new pass after this moment id.")
]


def _feed(read: FeedRead) -> FeedOut:
    return FeedOut(
        moments=[MomentOut.of(v) for v in read.page.items], next=read.next, caught_up=read.caught_up
    )


def _page(page: Page) -> FeedOut:
    return FeedOut(
        moments=[MomentOut.of(v) for v in page.items], next=page.next, caught_up=page.next is None
    )


@router.get("/feed", tags=["moments"])
async def feed(
    viewer: CurrentViewer, db: DB, cursor: Cursor = None, since: Since = None
) -> FeedOut:
    """Your people's moments since you last read to the end, newest first, in pages that
    end. Follow ``next``; on the last page you are caught up and your place moves on.
    ``since`` (a moment id; 0 for the beginning) starts a pass elsewhere than your mark."""
    since, top, before = feed_position(cursor, since)
    return _feed(await actions.check_read_feed(db, viewer, since, top, before))


@router.get("/feed/days/{day}", tags=["moments"])
async def look_back(day: date, viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> FeedOut:
    """Looking back on purpose: the moments shared with you on one day (your time zone)."""
    start = decode_ints(cursor)
    return _page(await access.access_day(db, viewer, day, start[0] if start else None))


@router.get("/moments/mine", tags=["moments"])
async def my_moments(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> FeedOut:
    """Your own moments, newest first, in pages that end, each with whom it went to."""
    start = decode_ints(cursor)
    page = await access.access_own_moments(db, viewer, start[0] if start else None)
    audiences = await access_own_audiences(db, viewer, page.items)
    return FeedOut(
        moments=[MomentOut.of(v, audiences.get(v.moment.id)) for v in page.items],
        next=page.next,
        caught_up=page.next is None,
    )


@router.post("/moments", status_code=201, tags=["moments"])
async def post_moment(body: MomentIn, viewer: CurrentViewer, svc: Svc, db: DB) -> MomentOut:
    """Share with your circles and/or connections chosen by name. The audience is fixed now.
    Words, or up to four uploaded photos in order (each with an optional description), or
    both."""
    view = await actions.check_post(
        svc,
        db,
        viewer,
        body=body.body,
        circle_ids=body.circles,
        handles=body.people,
        content_note=body.content_note,
        photos=body.photo_choices(),
        pause=body.pause_answer(),
    )
    return MomentOut.of(view, await access.access_audience(db, viewer, view.moment))


@router.post("/moments/support", status_code=201, tags=["moments"])
async def ask_support(body: SupportIn, viewer: CurrentViewer, svc: Svc, db: DB) -> MomentOut:
    """ "I could use some support", privately to a few connections; none sees the others."""
    view = await actions.check_ask_support(
        svc, db, viewer, body=body.body, handles=body.supporters, pause=body.pause_answer()
    )
    return MomentOut.of(view, await access.access_audience(db, viewer, view.moment))


@router.post("/moments/photos", status_code=201, tags=["moments"])
async def upload_photo(
    photo: Annotated[UploadFile, File(description="JPEG, PNG, GIF or WebP")],
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
) -> UploadOut:
    """Upload a photo, then share it by passing its id in ``photos`` (up to four)."""
    data = await photo.read(svc.settings.max_upload_bytes + 1)
    return UploadOut.of(await actions.check_upload_photo(svc, db, viewer, data))


@router.delete("/moments/photos/{photo_id}", status_code=204, tags=["moments"])
async def discard_photo(photo_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.do_discard_photo(svc, db, viewer, photo_id)


@router.get("/moments/{moment_id}", tags=["moments"])
async def get_moment(moment_id: RowId, viewer: CurrentViewer, db: DB) -> MomentOut:
    view = await access.access_moment(db, viewer, moment_id)
    audience = await access.access_audience(db, viewer, view.moment) if view.own else None
    return MomentOut.of(view, audience)


@router.patch("/moments/{moment_id}", tags=["moments"])
async def edit_moment(
    moment_id: RowId, body: MomentEditIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> MomentOut:
    """Change the words of your moment within 15 minutes of sharing it."""
    view = await actions.check_edit(
        svc,
        db,
        viewer,
        moment_id,
        body=body.body,
        content_note=body.content_note,
        pause=body.pause_answer(),
    )
    return MomentOut.of(view, await access.access_audience(db, viewer, view.moment))


@router.delete("/moments/{moment_id}", status_code=204, tags=["moments"])
async def delete_moment(moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    """Gone for everyone, with its photo and notifications."""
    await actions.do_delete(svc, db, viewer, moment_id)


@router.post("/moments/{moment_id}/close", tags=["moments"])
async def close_support(moment_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> MomentOut:
    view = await actions.check_close_support(svc, db, viewer, moment_id)
    return MomentOut.of(view, await access.access_audience(db, viewer, view.moment))


@router.post("/moments/{moment_id}/answers", status_code=201, tags=["moments"])
async def answer(
    moment_id: RowId, body: AnswerIn, response: Response, viewer: CurrentViewer, svc: Svc, db: DB
) -> AnswerOut:
    """Answer in words: a message to the author in your one-to-one, quoting the moment."""
    cid, sent = await actions.check_answer(
        svc, db, viewer, moment_id, body.body, body.client_key, body.pause_answer()
    )
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    message = MessageOut.of(sent.message, viewer.user)
    message.offer_help = sent.offer_help
    return AnswerOut(conversation_id=cid, message=message, duplicate=not sent.created)


@router.get("/prompts", tags=["prompts"])
async def prompts_today(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> PromptsOut:
    """Today's questions from circles you are in, until you answer or set them aside."""
    found = sorted(await access_prompts_today(db, viewer), key=_prompt_key)
    page, nxt = page_of(found, _prompt_key, decode_cursor(cursor, int, int), PROMPTS_PAGE)
    return PromptsOut(prompts=[PromptOut.of(p) for p in page], next=nxt)


def _prompt_key(prompt: TodayPrompt) -> tuple[int, int]:
    return (0 if prompt.own else 1), prompt.circle_id


@router.post("/prompts/{circle_id}/answers", status_code=201, tags=["prompts"])
async def answer_prompt(
    circle_id: RowId, body: PromptAnswerIn, viewer: CurrentViewer, svc: Svc, db: DB
) -> MomentOut:
    """Your answer is a moment shared with that circle (those in it who are your people)."""
    view = await actions.check_answer_prompt(
        svc,
        db,
        viewer,
        circle_id,
        body=body.body,
        content_note=body.content_note,
        pause=body.pause_answer(),
    )
    return MomentOut.of(view, await access.access_audience(db, viewer, view.moment))


@router.post("/prompts/{circle_id}/set-aside", status_code=204, tags=["prompts"])
async def set_aside(circle_id: RowId, viewer: CurrentViewer, db: DB) -> None:
    """Not today: the question is not shown again until tomorrow. Nothing is counted."""
    await actions.do_set_aside(db, viewer, await access_prompt(db, viewer, circle_id))


@router.get("/circles/{circle_id}/prompt", tags=["prompts"])
async def prompt_setting(circle_id: RowId, viewer: CurrentViewer, db: DB) -> PromptSettingOut:
    return PromptSettingOut.of(await access_prompt_setting(db, viewer, circle_id))


@router.put("/circles/{circle_id}/prompt", tags=["prompts"])
async def set_prompt(
    circle_id: RowId, body: PromptSettingIn, viewer: CurrentViewer, db: DB
) -> PromptSettingOut:
    """Turn the circle's daily question on or off; ``question`` sets today's in your words."""
    setting = await actions.check_set_prompt(db, viewer, circle_id, body.enabled, body.question)
    return PromptSettingOut.of(setting)


@router.get("/settings/moments", tags=["moments"])
async def reflection(viewer: CurrentViewer, db: DB) -> ReflectionOut:
    return ReflectionOut.of(await actions.own_settings(db, viewer))


@router.put("/settings/moments", tags=["moments"])
async def set_reflection(body: ReflectionIn, viewer: CurrentViewer, db: DB) -> ReflectionOut:
    """An optional question shown before you share (off by default); nothing is blocked."""
    return ReflectionOut.of(await actions.check_set_reflection(db, viewer, body.enabled, body.text))
