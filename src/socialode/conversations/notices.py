"""How notifications about conversations read, decided through the conversations' own rule
when they are read: new messages show only while the viewer is still in the conversation
and something from someone they may see is still unread there; being added to a group only
while they are in it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.conversations.access import ConversationView, access_current_conversation
from socialode.conversations.links import opening_url
from socialode.conversations.models import Kind, Message
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind as NoticeKind
from socialode.notifications.registry import Shown, register_kind
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_, _, ngettext
from socialode.safety.access import folds_hurtful
from socialode.safety.pause import FOLDED, folds

MESSAGE = "message"
ADDED = "added_to_group"
PREVIEW_CHARS = 120


def conversation_ref(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


def added_ref(conversation_id: int) -> str:
    return f"conversation:{conversation_id}:added"


def message_ref(message_id: int) -> str:
    return f"message:{message_id}"


def conversation_of(ref: str) -> int | None:
    parts = ref.split(":")
    if len(parts) in (2, 3) and parts[0] == "conversation" and parts[1].isdigit():
        return int(parts[1])
    return None


def preview_of(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


async def _current(db: AsyncSession, viewer: Viewer, ref: str) -> ConversationView | None:
    cid = conversation_of(ref)
    if cid is None:
        return None
    try:
        return await access_current_conversation(db, viewer, cid)
    except NotFound:
        return None


async def _latest_unread(
    db: AsyncSession, viewer: Viewer, view: ConversationView, folding: dict[int, bool]
) -> str | None:
    """The newest message the viewer has not read and may see, from someone else (folded
    when it was sent anyway after a pause and the viewer folds such texts; ``folding`` keeps
    that choice once read, for the rest of a batch)."""
    member = view.periods.current
    if member is None:
        return None
    query = select(Message.body, Message.photo_key, Message.paused).where(
        Message.conversation_id == view.id,
        Message.seq > max(member.last_read_seq, member.from_seq - 1),
        Message.sender_id != viewer.id,
        Message.deleted_at.is_(None),
    )
    if view.hidden:
        query = query.where(Message.sender_id.not_in(view.hidden))
    found = (await db.execute(query.order_by(Message.seq.desc()).limit(1))).first()
    if found is None:
        return None
    body, photo_key, paused = found
    if folds(paused):
        if viewer.id not in folding:
            folding[viewer.id] = await folds_hurtful(db, viewer.id)
        if folding[viewer.id]:
            return _(FOLDED)
    return str(body) if body or not photo_key else _("Photo")  # a photo sent without words


def _message_text(view: ConversationView, count: int, actor: str) -> str:
    if view.conversation.kind == Kind.group.value:
        name = view.conversation.name
        return ngettext(
            "A new message in %(group)s.", "%(num)s new messages in %(group)s.", count
        ) % {"num": count, "group": name}
    who = view.other.display_name if view.other is not None else actor
    return ngettext("%(name)s wrote a message.", "%(name)s wrote %(num)s messages.", count) % {
        "num": count,
        "name": who,
    }


async def _names(db: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = await db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {int(uid): str(name) for uid, name in found}


async def resolve_messages(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    names = await _names(db, {r.actor_id for r in rows if r.actor_id is not None})
    shown: dict[int, Shown] = {}
    folding: dict[int, bool] = {}  # the reader's fold choice, read at most once
    for row in rows:
        if row.read_at is not None:  # read: the conversation itself shows what was said
            continue
        view = await _current(db, viewer, row.ref)
        if view is None:
            continue
        latest = await _latest_unread(db, viewer, view, folding)
        if latest is None:
            continue
        text = _message_text(view, row.count, names.get(row.actor_id or 0, _("Someone")))
        shown[row.id] = Shown(text, opening_url(view.id), preview_of(latest))
    return shown


async def resolve_added(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    ids = {r.actor_id for r in rows if r.actor_id is not None}
    people = {u.id: u for u in await db.scalars(select(User).where(User.id.in_(ids)))}
    shown: dict[int, Shown] = {}
    for row in rows:
        view = await _current(db, viewer, row.ref)
        if view is None or view.conversation.kind != Kind.group.value:
            continue
        if row.actor_id is None or row.actor_id in view.hidden or row.actor_id not in people:
            continue
        adder = people[row.actor_id]
        text = _("%(name)s added you to %(group)s.") % {
            "name": adder.display_name,
            "group": view.conversation.name,
        }
        shown[row.id] = Shown(text, opening_url(view.id), person=adder)
    return shown


def register_notices() -> None:
    register_kind(NoticeKind(MESSAGE, N_("New messages"), "live", resolve_messages, listed=False))
    register_kind(NoticeKind(ADDED, N_("Added to a group"), "live", resolve_added))
