"""Opening one-to-one conversations, and creating and changing small groups."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, suspended
from socialode.accounts.models import User
from socialode.circles import access as circles
from socialode.conversations import access
from socialode.conversations.actions.messages import next_seq, publish_event_on_commit
from socialode.conversations.models import Conversation, Event, EventKind, Kind, Member
from socialode.conversations.notices import ADDED, added_ref
from socialode.notifications.actions import do_notify_collapsed
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.services import Services

NOT_A_CONNECTION = N_("You can only talk with people you are connected with; {handle} is not one.")
ONLY_CREATOR = N_("Only the person who started this group can change who is in it or its name.")


def check_group_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid(N_("Give the group a name, so everyone knows which one it is."), "name")
    if len(name) > 80:
        raise Invalid(N_("Group names can be up to 80 characters."), "name")
    return name


async def _connection(db: AsyncSession, viewer: Viewer, handle: str) -> User:
    """A current connection of the viewer by handle; anyone else answers as not found."""
    user = await circles.access_member(db, viewer, handle)
    if user.id == viewer.id or not await circles.are_connected(db, viewer.id, user.id):
        raise NotFound(_(NOT_A_CONNECTION).format(handle=f"@{handle.lstrip('@')}"), "handle")
    return user


async def check_open_direct(db: AsyncSession, viewer: Viewer, handle: str) -> int:
    """The one-to-one conversation with a connection, created on first use."""
    conversation_id, _created = await check_open_direct_created(db, viewer, handle)
    return conversation_id


async def check_open_direct_created(
    db: AsyncSession, viewer: Viewer, handle: str
) -> tuple[int, bool]:
    """The one-to-one conversation with a connection, and whether this call created it."""
    other = await _connection(db, viewer, handle)
    low, high = sorted((viewer.id, other.id))
    key = f"{low}:{high}"
    found = await _direct(db, key)
    if found is not None:
        return found, False
    now = utcnow()
    try:
        conversation = Conversation(
            kind=Kind.direct.value, direct_key=key, last_activity_at=now, created_at=now
        )
        db.add(conversation)
        await db.flush()
        for user_id in (low, high):
            db.add(Member(conversation_id=conversation.id, user_id=user_id, joined_at=now))
        await db.commit()
        return conversation.id, True
    except IntegrityError:
        await db.rollback()  # both opened it at once: use the one that won
        found = await _direct(db, key)
        if found is None:
            raise
        return found, False


async def _direct(db: AsyncSession, key: str) -> int | None:
    return (
        await db.execute(select(Conversation.id).where(Conversation.direct_key == key))
    ).scalar_one_or_none()


async def check_create_group(
    svc: Services, db: AsyncSession, viewer: Viewer, name: str, handles: list[str]
) -> int:
    name = check_group_name(name)
    wanted = list(dict.fromkeys(h.strip().lstrip("@").lower() for h in handles if h.strip()))
    if not wanted:
        raise Invalid(N_("Choose at least one of your connections to talk with."), "members")
    limit = svc.settings.group_max_members
    if len(wanted) + 1 > limit:
        message = _("Groups can have up to %(most)s people, you included.") % {"most": limit}
        raise Invalid(message, "members")
    try:
        people = [await _connection(db, viewer, h) for h in wanted]
    except NotFound as error:
        raise NotFound(error.message, "members") from None
    now = utcnow()
    conversation = Conversation(
        kind=Kind.group.value,
        name=name,
        creator_id=viewer.id,
        last_activity_at=now,
        created_at=now,
    )
    db.add(conversation)
    await db.flush()
    for user in [viewer.user, *people]:
        db.add(Member(conversation_id=conversation.id, user_id=user.id, joined_at=now))
    await _tell_added(db, viewer, conversation.id, [p.id for p in people])
    await db.commit()
    return conversation.id


async def do_start_group(
    db: AsyncSession, creator_id: int, name: str, member_ids: list[int]
) -> int:
    """A group whose members were chosen elsewhere and already share something (the people
    invited to a gathering): no connection between each pair is required (no commit)."""
    now = utcnow()
    conversation = Conversation(
        kind=Kind.group.value,
        name=" ".join(name.split())[:80],
        creator_id=creator_id,
        last_activity_at=now,
        created_at=now,
    )
    db.add(conversation)
    await db.flush()
    for user_id in dict.fromkeys([creator_id, *member_ids]):
        db.add(Member(conversation_id=conversation.id, user_id=user_id, joined_at=now))
    return conversation.id


async def _tell_added(
    db: AsyncSession, viewer: Viewer, conversation_id: int, added: list[int]
) -> None:
    """Those added hear of it (not those who muted whoever added them); no commit."""
    quiet = await circles.muted_by(db, viewer.id, added)
    told = [uid for uid in added if uid not in quiet]
    await do_notify_collapsed(db, told, ADDED, added_ref(conversation_id), viewer.id)


async def _creator_view(
    db: AsyncSession, viewer: Viewer, conversation_id: int
) -> access.ConversationView:
    view = await access.access_current_conversation(db, viewer, conversation_id)
    if view.conversation.kind != Kind.group.value:
        raise Invalid(N_("One-to-one conversations have no members to change."))
    if view.conversation.creator_id != viewer.id:
        raise NotFound(ONLY_CREATOR)
    return view


async def _current(db: AsyncSession, conversation_id: int, user_id: int) -> Member | None:
    return (
        await db.execute(
            select(Member).where(
                Member.conversation_id == conversation_id,
                Member.user_id == user_id,
                Member.until_seq.is_(None),
            )
        )
    ).scalar_one_or_none()


async def check_add_member(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int, handle: str
) -> None:
    view = await _creator_view(db, viewer, conversation_id)
    user = await _connection(db, viewer, handle)
    if await _current(db, conversation_id, user.id) is not None:
        message = _("@%(handle)s is already in this group.") % {"handle": user.handle}
        raise Conflict(message, "handle")
    count = len(await access.current_members(db, view)) + len(view.hidden)
    if count >= svc.settings.group_max_members:
        most = svc.settings.group_max_members
        raise Conflict(_("Groups can have up to %(most)s people.") % {"most": most}, "handle")
    await do_join(db, viewer.user, conversation_id, user)
    await _tell_added(db, viewer, conversation_id, [user.id])
    await db.commit()


async def do_join(db: AsyncSession, actor: User, conversation_id: int, user: User) -> None:
    """``user`` joins the group, by ``actor``'s doing: a "joined" event everyone in it sees
    live, and a new period of membership from it (no commit)."""
    now = utcnow()
    seq = await next_seq(db, conversation_id)
    event = Event(
        conversation_id=conversation_id,
        seq=seq,
        kind=EventKind.joined.value,
        actor_id=actor.id,
        subject_id=user.id,
        created_at=now,
    )
    db.add(event)
    db.add(Member(conversation_id=conversation_id, user_id=user.id, from_seq=seq, joined_at=now))
    await publish_event_on_commit(db, event, None, {actor.id: actor, user.id: user})


async def current_member_ids(db: AsyncSession, conversation_id: int) -> set[int]:
    """Who is in the conversation now (for actions that keep a group in step)."""
    return set(
        await db.scalars(
            select(Member.user_id).where(
                Member.conversation_id == conversation_id, Member.until_seq.is_(None)
            )
        )
    )


async def _end_membership(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    conversation_id: int,
    user: User,
    kind: EventKind,
) -> None:
    member = await _current(db, conversation_id, user.id)
    if member is None:
        raise NotFound(_("@%(handle)s is not in this group.") % {"handle": user.handle}, "handle")
    now = utcnow()
    seq = await next_seq(db, conversation_id)
    event = Event(
        conversation_id=conversation_id,
        seq=seq,
        kind=kind.value,
        actor_id=viewer.id,
        subject_id=user.id,
        created_at=now,
    )
    db.add(event)
    member.until_seq, member.left_at = seq, now  # they see this event, and nothing after it
    conversation = await db.get(Conversation, conversation_id)
    # What they keep seeing until they are added again: the name then, and how it ended.
    member.name_then = conversation.name if conversation is not None else ""
    member.ended = kind.value
    await publish_event_on_commit(
        db, event, None, {viewer.id: viewer.user, user.id: user}, also=(user.id,)
    )
    await db.commit()


async def check_remove_member(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int, handle: str
) -> None:
    view = await _creator_view(db, viewer, conversation_id)
    user = await circles.access_member(db, viewer, handle)
    if user.id == viewer.id:
        raise Invalid(N_("To leave a group you started, use Leave."), "handle")
    if user.id in view.hidden and not suspended(user):  # blocked: as if not there
        raise NotFound(_("@%(handle)s is not in this group.") % {"handle": user.handle}, "handle")
    await _end_membership(svc, db, viewer, conversation_id, user, EventKind.remove)


async def check_leave(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int
) -> None:
    view = await access.access_current_conversation(db, viewer, conversation_id)
    if view.conversation.kind != Kind.group.value:
        raise Invalid(
            N_("A one-to-one conversation cannot be left; you can remove the connection.")
        )
    await _end_membership(svc, db, viewer, conversation_id, viewer.user, EventKind.leave)


async def check_rename(
    svc: Services, db: AsyncSession, viewer: Viewer, conversation_id: int, name: str
) -> None:
    view = await _creator_view(db, viewer, conversation_id)
    name = check_group_name(name)
    if name == view.conversation.name:
        return
    now = utcnow()
    seq = await next_seq(db, conversation_id)
    event = Event(
        conversation_id=conversation_id,
        seq=seq,
        kind=EventKind.rename.value,
        actor_id=viewer.id,
        created_at=now,
    )
    db.add(event)
    view.conversation.name = name
    await publish_event_on_commit(db, event, None, {viewer.id: viewer.user}, name=name)
    await db.commit()
