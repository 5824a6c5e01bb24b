"""Reads that cross people, with the permission check built in. Denied answers as missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from socialode.accounts.models import Invite, PasswordReset, Role, Session, User, WaitlistEntry
from socialode.accounts.validation import email_key
from socialode.platform.clock import utcnow
from socialode.platform.errors import NotFound
from socialode.platform.i18n import N_
from socialode.platform.jobs import DeadJob, dead_jobs
from socialode.platform.pagination import after
from socialode.platform.security import token_hash

INVITE_NOT_VALID = N_(
    "This invite is not valid: it may have been used already, expired, been withdrawn, "
    "or been copied incompletely. Ask the person who invited you for a new one."
)
RESET_NOT_VALID = N_(
    "This reset link is not valid: it may have been used already, expired (links last an hour), "
    "or been copied incompletely. Ask for a new one."
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in user and the session they asked through."""

    user: User
    session: Session

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.admin.value


async def access_viewer(db: AsyncSession, token: str) -> Viewer | None:
    if not token or len(token) > 200:
        return None
    row = (
        await db.execute(
            select(Session, User)
            .join(User, User.id == Session.user_id)
            .where(Session.token_hash == token_hash(token), Session.expires_at > utcnow())
        )
    ).first()
    if row is None or suspended(row[1]):  # sessions end with a suspension; this is the seal
        return None
    return Viewer(user=row[1], session=row[0])


def suspended(user: User, now: datetime | None = None) -> bool:
    """Whether a moderator's suspension or ban is in force for this member."""
    until = user.suspended_until
    return until is not None and until > (now or utcnow())


def suspended_clause(
    user_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> ColumnElement[bool]:
    """The member whose id is in ``user_id`` is suspended or banned now: what they wrote is out
    of everyone's sight while it lasts (for good, after a ban)."""
    them = aliased(User)
    return exists().where(them.id == user_id, them.suspended_until > utcnow())


async def access_members_as_viewers(db: AsyncSession, user_ids: Sequence[int]) -> dict[int, Viewer]:
    """Members as viewers of their own things, for work done on their behalf without a request
    (delivering their notifications): the same access rules apply, through no session."""
    if not user_ids:
        return {}
    users = await db.scalars(select(User).where(User.id.in_(sorted(set(user_ids)))))
    now = utcnow()
    return {
        u.id: Viewer(
            user=u,
            session=Session(
                id=0, user_id=u.id, token_hash="", created_at=now, last_seen_at=now, expires_at=now
            ),
        )
        for u in users
    }


NO_SUCH_MEMBER = N_("There is no member with that handle.")


async def access_own_sessions(
    db: AsyncSession,
    viewer: Viewer,
    start: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> list[Session]:
    """The viewer's live sessions, most recently used first, after ``start`` (the last use
    and id of the last one shown)."""
    query = (
        select(Session)
        .where(
            Session.user_id == viewer.id,
            Session.expires_at > utcnow(),
            after((Session.last_seen_at, Session.id), start, descending=True),
        )
        .order_by(Session.last_seen_at.desc(), Session.id.desc())
    )
    return list((await db.execute(query.limit(limit))).scalars())


async def access_own_invites(
    db: AsyncSession, viewer: Viewer, before: int | None = None, limit: int | None = None
) -> list[Invite]:
    """The invites the viewer gave, newest first, below id ``before``."""
    query = select(Invite).where(Invite.issued_by_id == viewer.id, Invite.kind == "member")
    if before is not None:
        query = query.where(Invite.id < before)
    return list((await db.execute(query.order_by(Invite.id.desc()).limit(limit))).scalars())


async def access_joined_invites(db: AsyncSession, viewer: Viewer) -> list[tuple[Invite, User]]:
    """The viewer's own invites that someone used, with who joined through each."""
    rows = await db.execute(
        select(Invite, User)
        .join(User, User.id == Invite.used_by_id)
        .where(Invite.issued_by_id == viewer.id)
        .order_by(Invite.id)
        .limit(200)
    )
    return [(invite, user) for invite, user in rows]


async def access_used_invite(db: AsyncSession, viewer: Viewer, invite_id: int) -> User:
    """Who joined with one of the viewer's invites; anyone else's invite answers as missing."""
    row = (
        await db.execute(
            select(User)
            .join(Invite, Invite.used_by_id == User.id)
            .where(Invite.id == invite_id, Invite.issued_by_id == viewer.id)
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(N_("Nobody joined with that invite of yours."), "invite_id")
    return row


def invite_state(
    invite: Invite, now: datetime | None = None
) -> Literal["open", "used", "expired", "withdrawn"]:
    now = now or utcnow()
    if invite.used_at:
        return "used"
    if invite.revoked_at:
        return "withdrawn"
    if invite.expires_at <= now:
        return "expired"
    return "open"


async def access_open_invite(db: AsyncSession, token: str) -> Invite:
    """The invite behind a link, when it can still be used; otherwise NotFound, always alike."""
    if not token or len(token) > 200:
        raise NotFound(INVITE_NOT_VALID, "invite")
    invite = (
        await db.execute(select(Invite).where(Invite.token_hash == token_hash(token)))
    ).scalar_one_or_none()
    if invite is None or invite_state(invite) != "open":
        raise NotFound(INVITE_NOT_VALID, "invite")
    if invite.kind == "first_admin" and await admin_exists(db):
        raise NotFound(INVITE_NOT_VALID, "invite")
    return invite


async def access_inviter(db: AsyncSession, invite: Invite) -> User | None:
    """The member who gave an open invite (from ``access_open_invite``), for the sign-up page
    that only the holder of its link sees; None for invites no member gave."""
    if invite.kind != "member" or invite.issued_by_id is None:
        return None
    return await db.get(User, invite.issued_by_id)


async def access_open_reset(db: AsyncSession, token: str) -> PasswordReset:
    if not token or len(token) > 200:
        raise NotFound(RESET_NOT_VALID, "token")
    reset = (
        await db.execute(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    ).scalar_one_or_none()
    if reset is None or reset.used_at or reset.expires_at <= utcnow():
        raise NotFound(RESET_NOT_VALID, "token")
    return reset


async def admin_exists(db: AsyncSession) -> bool:
    found = await db.execute(select(User.id).where(User.role == Role.admin.value).limit(1))
    return found.first() is not None


async def find_login(db: AsyncSession, login: str) -> User | None:
    """The account named by a handle or an email (handles never contain '@')."""
    key = login.strip().lower()
    column = User.email_key if "@" in key else User.handle_key
    found = await db.execute(select(User).where(column == key))
    return found.scalar_one_or_none()


async def find_by_email(db: AsyncSession, email: str) -> User | None:
    found = await db.execute(select(User).where(User.email_key == email_key(email)))
    return found.scalar_one_or_none()


# Waitlist -------------------------------------------------------------------------------------


def waitlist_signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="waitlist-status")


@dataclass(frozen=True)
class WaitlistStatus:
    email: str
    joined_at: datetime
    invited_at: datetime | None
    place: int | None


async def access_waitlist_status(db: AsyncSession, secret: str, signed: str) -> WaitlistStatus:
    """Someone's own place in line, reached through the signed link we emailed them."""
    try:
        entry_id = waitlist_signer(secret).loads(signed)
    except BadSignature as exc:
        raise NotFound(N_("This link is not valid. Use the newest link we emailed you.")) from exc
    entry = await db.get(WaitlistEntry, int(entry_id))
    if entry is None:
        raise NotFound(N_("This link is not valid. Use the newest link we emailed you."))
    place = None
    if entry.invited_at is None:
        place = await db.scalar(
            select(func.count())
            .select_from(WaitlistEntry)
            .where(WaitlistEntry.invited_at.is_(None), WaitlistEntry.id <= entry.id)
        )
    return WaitlistStatus(entry.email, entry.created_at, entry.invited_at, place)


@dataclass(frozen=True)
class WaitlistPage:
    entries: list[WaitlistEntry]
    waiting: int
    next_after: int | None


async def access_waitlist(
    db: AsyncSession, viewer: Viewer, after_id: int = 0, limit: int = 50
) -> WaitlistPage:
    """The line, in signup order, for administrators only."""
    if not viewer.is_admin:
        raise NotFound()
    rows = list(
        (
            await db.execute(
                select(WaitlistEntry)
                .where(WaitlistEntry.id > after_id)
                .order_by(WaitlistEntry.id)
                .limit(limit + 1)
            )
        ).scalars()
    )
    waiting = await db.scalar(
        select(func.count()).select_from(WaitlistEntry).where(WaitlistEntry.invited_at.is_(None))
    )
    next_after = rows[limit - 1].id if len(rows) > limit else None
    return WaitlistPage(rows[:limit], int(waiting or 0), next_after)


async def access_members(
    db: AsyncSession, viewer: Viewer, after_id: int = 0, limit: int = 50
) -> tuple[list[User], int | None]:
    """Accounts in order of joining, for administrators managing roles."""
    if not viewer.is_admin:
        raise NotFound()
    rows = list(
        (
            await db.execute(
                select(User).where(User.id > after_id).order_by(User.id).limit(limit + 1)
            )
        ).scalars()
    )
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)


def require_admin(viewer: Viewer) -> Viewer:
    """Administrator-only surfaces answer like missing pages to everyone else."""
    if not viewer.is_admin:
        raise NotFound()
    return viewer


DEAD_JOBS_SHOWN = 50


async def access_dead_jobs(db: AsyncSession, viewer: Viewer) -> tuple[list[DeadJob], bool]:
    """The newest background jobs that failed every attempt, with their last error, and
    whether older ones exist beyond those shown: administrators only."""
    require_admin(viewer)
    found = await dead_jobs(db, limit=DEAD_JOBS_SHOWN + 1)
    return found[:DEAD_JOBS_SHOWN], len(found) > DEAD_JOBS_SHOWN
