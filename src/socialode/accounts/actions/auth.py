"""Sign-up, sign-in, sessions and passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import (
    Viewer,
    access_open_invite,
    access_open_reset,
    find_by_email,
    find_login,
    suspended,
)
from socialode.accounts.actions.joining import Connecting, connect_with_inviter
from socialode.accounts.models import Invite, PasswordReset, Session, User
from socialode.accounts.validation import (
    check_display_name,
    check_email,
    check_handle,
    check_password,
    check_timezone,
    email_key,
    handle_key,
)
from socialode.platform import i18n
from socialode.platform.aftercommit import publish_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import (
    Checks,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthenticated,
)
from socialode.platform.events import Envelope
from socialode.platform.folding import search_key
from socialode.platform.i18n import N_, _
from socialode.platform.links import link_to
from socialode.platform.mail import enqueue_mail
from socialode.platform.security import new_token, token_hash
from socialode.platform.services import Services

LOGIN_FAILED = N_("That handle or email and password don't match. Check both and try again.")
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    connecting: Connecting | None = None  # sign-up only: the connection with the inviter


@dataclass(frozen=True)
class Client:
    address: str
    user_agent: str


def _new_session(svc: Services, user_id: int, client: Client) -> tuple[Session, str]:
    token = new_token()
    now = utcnow()
    session = Session(
        token_hash=token_hash(token),
        user_id=user_id,
        user_agent=client.user_agent[:300],
        client_address=client.address[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=svc.settings.session_ttl_days),
    )
    return session, token


async def _handle_free(db: AsyncSession, handle: str) -> None:
    existing = await db.execute(
        select(User.handle_key).where(User.handle_key == handle_key(handle))
    )
    if existing.first():
        raise Conflict(N_("That handle is taken. Try another one."), "handle")


async def _email_free(db: AsyncSession, address: str) -> None:
    if await find_by_email(db, address):
        raise Conflict(
            N_("An account with this email already exists. Sign in, or reset your password."),
            "email",
        )


async def check_sign_up(
    svc: Services,
    db: AsyncSession,
    client: Client,
    *,
    invite_token: str,
    handle: str,
    display_name: str,
    email: str,
    password: str,
    timezone: str,
    connect: bool = True,
) -> SignedIn:
    """A new account from an open invite. With ``connect`` (the default) and a member's
    invite, the newcomer and who invited them are connected in the same transaction, within
    the cap (see ``joining``)."""
    await svc.limits.hit(svc.settings.rate_signup_client, "signup", client.address)
    invite = await access_open_invite(db, invite_token)
    checks = Checks()
    handle = checks.run(lambda: check_handle(handle), handle)
    name = checks.run(lambda: check_display_name(display_name), "")
    address = checks.run(lambda: check_email(email), "")
    checks.run(lambda: check_password(password, handle=handle, email=address or email), "")
    tz = checks.run(lambda: check_timezone(timezone), "")
    if not checks.failed_on("handle"):
        await checks.wait(lambda: _handle_free(db, handle), None)
    if not checks.failed_on("email"):
        await checks.wait(lambda: _email_free(db, address), None)
    checks.done()
    password_hash = await svc.passwords.hash(password)
    now = utcnow()
    user = User(
        handle=handle,
        handle_key=handle_key(handle),
        email=address,
        email_key=email_key(address),
        display_name=name,
        name_search=search_key(name),
        password_hash=password_hash,
        role=invite.grants_role,
        timezone=tz,
        interests=[],
        invites_left=svc.settings.member_invites,
        created_at=now,
    )
    db.add(user)
    try:
        await db.flush()
        claimed = await db.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .values(used_at=now, used_by_id=user.id)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFound(N_("This invite was used a moment ago."), "invite")
        connecting = await connect_with_inviter(svc, db, user, invite) if connect else None
        session, token = _new_session(svc, user.id, client)
        db.add(session)
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(
            N_("That handle or email was taken a moment ago. Try another."), "handle"
        ) from exc
    except NotFound:
        await db.rollback()
        raise
    return SignedIn(user, token, connecting)


async def check_login(
    svc: Services, db: AsyncSession, client: Client, login: str, password: str
) -> SignedIn:
    """Known and unknown names answer alike and spend about the same time."""
    login = login.strip()
    if not login or not password:
        raise Invalid(N_("Enter your handle or email and your password."), "login")
    await svc.limits.hit(svc.settings.rate_login_client, "login-client", client.address)
    await svc.limits.hit(svc.settings.rate_login_account, "login-account", login.lower()[:254])
    user = await find_login(db, login) if len(login) <= 254 else None
    ok = await svc.passwords.verify(user.password_hash if user else None, password[:1000])
    if user is None or not ok:
        raise Unauthenticated(LOGIN_FAILED)
    if suspended(user):  # told only to whoever knows the password
        raise Forbidden(suspension_text(user.suspended_until))
    if svc.passwords.needs_rehash(user.password_hash):
        user.password_hash = await svc.passwords.hash(password)
    session, token = _new_session(svc, user.id, client)
    db.add(session)
    await db.commit()
    return SignedIn(user, token)


async def _end_sessions(db: AsyncSession, user_id: int, *where: ColumnElement[bool]) -> list[int]:
    """Delete the user's sessions matching ``where``, commit, and close their live sockets
    once committed."""
    ended = list(
        (
            await db.execute(
                delete(Session).where(Session.user_id == user_id, *where).returning(Session.id)
            )
        ).scalars()
    )
    if ended:
        publish_on_commit(db, Envelope([user_id], {"type": "session_ended", "sessions": ended}))
    await db.commit()
    return ended


BANNED = datetime(9999, 12, 31, tzinfo=UTC)  # a ban: a suspension without end


def suspension_text(until: datetime | None) -> str:
    if until is None or until >= BANNED:
        return _(
            "This account was closed by a moderator's decision. The email it received says why."
        )
    return _(
        "This account is suspended until %(until)s by a moderator's decision. The email it "
        "received says why."
    ) % {"until": until.strftime("%Y-%m-%d %H:%M UTC")}


async def do_suspend(db: AsyncSession, user_id: int, until: datetime) -> list[int]:
    """Suspend (or, with ``BANNED``, close) an account at once: every session ends and every
    live socket of it closes, on every app process, once committed (commits)."""
    await db.execute(update(User).where(User.id == user_id).values(suspended_until=until))
    return await _end_sessions(db, user_id)


async def do_lift_suspension(db: AsyncSession, user_id: int) -> None:
    await db.execute(update(User).where(User.id == user_id).values(suspended_until=None))
    await db.commit()


async def do_logout(svc: Services, db: AsyncSession, viewer: Viewer) -> None:
    await _end_sessions(db, viewer.id, Session.id == viewer.session.id)


async def do_end_session(svc: Services, db: AsyncSession, viewer: Viewer, session_id: int) -> None:
    if not await _end_sessions(db, viewer.id, Session.id == session_id):
        raise NotFound(N_("No such session."))


async def do_touch_session(db: AsyncSession, viewer: Viewer) -> None:
    """Record that a session is in use, at most once a minute."""
    now = utcnow()
    if now - viewer.session.last_seen_at < TOUCH_EVERY:
        return
    await db.execute(
        update(Session).where(Session.id == viewer.session.id).values(last_seen_at=now)
    )
    await db.commit()


async def check_change_password(
    svc: Services, db: AsyncSession, viewer: Viewer, current: str, new: str
) -> None:
    """A new password ends every other session of the account."""
    user = viewer.user
    checks = Checks()
    if not await svc.passwords.verify(user.password_hash, current[:1000]):
        checks.failed.append(Invalid(N_("That is not your current password."), "current_password"))
    checks.run(
        lambda: check_password(new, handle=user.handle, email=user.email, field="new_password"), ""
    )
    checks.done()
    user.password_hash = await svc.passwords.hash(new)
    db.add(user)
    await _end_sessions(db, user.id, Session.id != viewer.session.id)


async def check_request_reset(svc: Services, db: AsyncSession, client: str, email: str) -> None:
    """Email a reset link when the address has an account; the answer never says which."""
    await svc.limits.hit(svc.settings.rate_reset_client, "reset-client", client)
    address = check_email(email)
    await svc.limits.hit(svc.settings.rate_reset_account, "reset-account", email_key(address))
    user = await find_by_email(db, address)
    if user is None:
        return
    token = new_token()
    link = link_to(svc.settings, f"/reset/{token}")
    now = utcnow()
    db.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(minutes=svc.settings.reset_ttl_minutes),
        )
    )
    with i18n.language(user.language):  # to the member, in their own language
        subject = _("Reset your %(place)s password") % {"place": svc.settings.instance_name}
        asked = _(
            "Someone asked to reset the password of your account @%(handle)s. If it was you, "
            "choose a new password here (the link works once and expires in %(minutes)s "
            "minutes):"
        ) % {"handle": user.handle, "minutes": svc.settings.reset_ttl_minutes}
        hello = _("Hello %(name)s,") % {"name": user.display_name}
        ignore = _("If it was not you, ignore this email; your password stays as it is.")
    await enqueue_mail(db, user.email, subject, f"{hello}\n\n{asked}\n\n{link}\n\n{ignore}\n")
    await db.commit()


async def check_reset_password(svc: Services, db: AsyncSession, token: str, password: str) -> None:
    reset = await access_open_reset(db, token)
    user = await db.get(User, reset.user_id)
    if user is None:
        raise NotFound(N_("No such account."))
    check_password(password, handle=user.handle, email=user.email)
    user.password_hash = await svc.passwords.hash(password)
    now = utcnow()
    await db.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    await _end_sessions(db, user.id)
