"""How notifications about moments read, decided through the moments access rule: a
notification about a moment someone may no longer see (removed from the circle, disconnected,
blocked, deleted, a closed request for support) is not shown. An answer shows while the
moment and the answer in its conversation are still there for the author; today's question
while it is still today's, unanswered, in a circle the member is still in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations.access import access_conversation
from socialode.conversations.links import opening_url
from socialode.conversations.models import Message
from socialode.conversations.notices import preview_of
from socialode.moments.access import visible_ids
from socialode.moments.models import Moment
from socialode.moments.prompts import access_prompts_today
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_, _
from socialode.safety.access import folds_hurtful
from socialode.safety.pause import FOLDED, folds

ANSWER = "answer"
PROMPT = "prompt"


def _moment_id(ref: str) -> int | None:
    kind, _sep, raw = ref.partition(":")
    return int(raw) if kind == "moment" and raw.isdigit() else None


async def resolve(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    wanted = {row.id: _moment_id(row.ref) for row in rows}
    visible = await visible_ids(db, viewer, [m for m in wanted.values() if m])
    if not visible:
        return {}
    found = await db.execute(
        select(Moment.id, Moment.kind, Moment.closed_at, User)
        .join(User, User.id == Moment.author_id)
        .where(Moment.id.in_(visible))
    )
    about = {mid: (kind, closed, user) for mid, kind, closed, user in found}
    shown: dict[int, Shown] = {}
    for row_id, moment_id in wanted.items():
        if moment_id not in about:
            continue
        kind, closed, author = about[moment_id]
        name = author.display_name
        if kind == "support":
            if closed is not None:
                continue
            text = _("%(name)s could use some support. A message, a call or a visit would help.")
        elif kind == "prompt":
            text = _("%(name)s answered a question of the day.")
        else:
            text = _("%(name)s shared a moment with you.")
        shown[row_id] = Shown(text % {"name": name}, f"/moments/{moment_id}", person=author)
    return shown


def _message_id(ref: str) -> int | None:
    kind, _sep, raw = ref.partition(":")
    return int(raw) if kind == "message" and raw.isdigit() else None


async def resolve_answers(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    wanted = {row.id: _message_id(row.ref) for row in rows}
    ids = {m for m in wanted.values() if m is not None}
    if not ids:
        return {}
    found = await db.execute(
        select(Message, User)
        .join(User, User.id == Message.sender_id)
        .where(Message.id.in_(ids), Message.deleted_at.is_(None), Message.quote_ref.is_not(None))
    )
    answers = {m.id: (m, user, _moment_id(m.quote_ref or "")) for m, user in found}
    moments = await visible_ids(db, viewer, [mid for _m, _u, mid in answers.values() if mid])
    # an answer sent anyway after a pause is folded here too for a reader who folds such texts
    marked = any(folds(m.paused) for m, _u, _mid in answers.values())
    reader_folds = marked and await folds_hurtful(db, viewer.id)
    shown: dict[int, Shown] = {}
    for row_id, message_id in wanted.items():
        if message_id not in answers:
            continue
        message, sender, moment_id = answers[message_id]
        if moment_id not in moments:
            continue
        try:
            view = await access_conversation(db, viewer, message.conversation_id)
        except NotFound:
            continue
        if message.sender_id in view.hidden or not view.periods.sees(message.seq):
            continue
        shown[row_id] = Shown(
            _("%(name)s answered your moment.") % {"name": sender.display_name},
            opening_url(view.id),
            _(FOLDED) if reader_folds and folds(message.paused) else preview_of(message.body),
            person=sender,
        )
    return shown


def prompt_ref(circle_id: int, day: date) -> str:
    return f"prompt:{circle_id}:{day.isoformat()}"


async def resolve_prompts(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    today = {prompt_ref(p.circle_id, p.day): p for p in await access_prompts_today(db, viewer)}
    shown: dict[int, Shown] = {}
    for row in rows:
        prompt = today.get(row.ref)
        if prompt is not None and not prompt.own:
            text = _("Today's question from %(name)s is waiting.") % {
                "name": prompt.owner.display_name
            }
            shown[row.id] = Shown(text, f"/prompts/{prompt.circle_id}", person=prompt.owner)
    return shown


def register_notices() -> None:
    register_kind(Kind("moment", N_("Moments shared with you"), "digest", resolve))
    register_kind(Kind("support", N_("Requests for support"), "live", resolve))
    register_kind(Kind(ANSWER, N_("Answers to your moments"), "live", resolve_answers))
    register_kind(Kind(PROMPT, N_("Today's questions"), "digest", resolve_prompts))
    # The daily question's job handler, and its chain starting when someone is put in a
    # circle whose question is on (imported here: those modules import this one).
    from socialode.circles.actions.circles import on_member_added
    from socialode.moments import jobs  # noqa: F401
    from socialode.moments.actions.daily import do_start_for_member

    on_member_added(do_start_for_member)
