"""Daily questions: the owner turns them on or off or writes the day's own; members answer
(a moment shared with that circle) or set the question aside for the day."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.circles.access import access_circle, connection_ids
from socialode.circles.access_bulk import members_of_circles
from socialode.moments.access import MomentView
from socialode.moments.actions.daily import do_start_chains
from socialode.moments.actions.photos import waiting_photo
from socialode.moments.actions.posting import (
    Draft,
    check_content_note,
    check_moment_text,
    check_moment_words,
    do_post,
)
from socialode.moments.models import CirclePrompt, MomentKind, PromptQuestion, PromptSeen
from socialode.moments.prompts import (
    PromptSetting,
    TodayPrompt,
    access_prompt,
    access_prompt_setting,
    local_today,
)
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError, Checks, Invalid
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services
from socialode.safety.pause import NO_ANSWER, PauseAnswer

QUESTION_MAX = 300


def check_question(text: str) -> str:
    wording = " ".join(text.split())
    if len(wording) > QUESTION_MAX:
        raise Invalid(
            _("A question can be up to %(most)s characters; this one has %(count)s.")
            % {"most": QUESTION_MAX, "count": len(wording)},
            "question",
        )
    return wording


async def check_set_prompt(
    db: AsyncSession, viewer: Viewer, circle_id: int, enabled: bool, question: str | None = None
) -> PromptSetting:
    """Turn the daily question on or off and, with ``question``, word today's yourself (an
    empty one goes back to the shipped list). One write: all of it or nothing."""
    circle = await access_circle(db, viewer, circle_id)
    wording = None if question is None else check_question(question)
    now = utcnow()
    setting = await db.get(CirclePrompt, circle.id)
    if setting is None:
        db.add(CirclePrompt(circle_id=circle.id, enabled=enabled, updated_at=now))
    else:
        setting.enabled, setting.updated_at = enabled, now
    if wording is not None:
        day = local_today(viewer.user)
        existing = await db.get(PromptQuestion, (circle.id, day))
        if wording and existing is None:
            db.add(PromptQuestion(circle_id=circle.id, day=day, text=wording))
        elif wording and existing is not None:
            existing.text = wording
        elif existing is not None:
            await db.delete(existing)
    if enabled:  # its members start hearing of it at 09:00 their time
        await do_start_chains(db, await members_of_circles(db, [circle.id]), now)
    await db.commit()
    return await access_prompt_setting(db, viewer, circle.id)


async def do_set_aside(db: AsyncSession, viewer: Viewer, prompt: TodayPrompt) -> None:
    if await db.get(PromptSeen, (viewer.id, prompt.circle_id, prompt.day)) is None:
        db.add(PromptSeen(user_id=viewer.id, circle_id=prompt.circle_id, day=prompt.day))
        await db.commit()


async def check_answer_prompt(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    circle_id: int,
    *,
    body: str,
    content_note: str = "",
    photo_id: int | None = None,
    photo_problem: AppError | None = None,
    pause: PauseAnswer = NO_ANSWER,
) -> MomentView:
    """Shared with that circle: its owner, and those in it who are the answerer's people.
    Every field is checked at once; the photo is one uploaded just before (``photo_id``,
    kept across a refusal of the rest), or its own refusal (``photo_problem``)."""
    prompt = await access_prompt(db, viewer, circle_id)
    checks = Checks([photo_problem] if photo_problem else [])
    text = checks.run(lambda: check_moment_text(svc, body), "")
    note = checks.run(lambda: check_content_note(content_note), "")
    photo = None
    if photo_id is not None:
        photo = await checks.wait(lambda: waiting_photo(db, viewer, photo_id, "photo"), None)
    checks.done()
    members = await members_of_circles(db, [circle_id])
    if not prompt.own:
        members &= await connection_ids(db, viewer.id)
    direct = set() if prompt.own else {prompt.owner.id}
    if not (members | direct) - {viewer.id}:
        raise Invalid(N_("Nobody is in this circle yet; add people to it first."), "body")
    cleared = await check_moment_words(svc, viewer, "prompt", text, note, pause)
    draft = Draft(
        MomentKind.prompt, text, note, prompt.question, [circle_id], direct, members, cleared.paused
    )
    view = await do_post(svc, db, viewer, draft, [(photo, "")] if photo else [])
    await do_set_aside(db, viewer, prompt)
    return replace(view, offer_help=cleared.offer_help)
