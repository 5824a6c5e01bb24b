"""Issuing and withdrawing invites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, find_by_email
from socialode.accounts.models import Invite, Role, User
from socialode.accounts.validation import check_email
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.links import link_to
from socialode.platform.mail import enqueue_mail
from socialode.platform.security import new_token, token_hash
from socialode.platform.services import Services


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    link: str


def invite_link(svc: Services, token: str) -> str:
    """The link of an invite; made before the invite is saved, so an unknown address saves
    nothing."""
    return link_to(svc.settings, f"/invite/{token}")


def new_invite(
    svc: Services,
    *,
    kind: str,
    email: str | None = None,
    issued_by_id: int | None = None,
    waitlist_entry_id: int | None = None,
    grants_role: str = Role.member.value,
    ttl: timedelta | None = None,
) -> tuple[Invite, str]:
    """An unsaved invite and its token; the caller adds it in its own transaction."""
    token = new_token()
    now = utcnow()
    invite = Invite(
        token_hash=token_hash(token),
        kind=kind,
        grants_role=grants_role,
        email=email,
        issued_by_id=issued_by_id,
        waitlist_entry_id=waitlist_entry_id,
        created_at=now,
        expires_at=now + (ttl or timedelta(days=svc.settings.invite_ttl_days)),
    )
    return invite, token


def invite_mail(svc: Services, link: str, inviter: str | None) -> tuple[str, str]:
    """The invite's email, in the language in force (the inviter's, or the operator's)."""
    place = svc.settings.instance_name
    days = svc.settings.invite_ttl_days
    if inviter:
        subject = _("%(name)s invited you to %(place)s") % {"name": inviter, "place": place}
        opening = _(
            "%(name)s invited you to %(place)s, a quiet place to stay close to the people you "
            "care about. When you join, you and %(name)s are connected; the sign-up page lets "
            "you choose not to."
        ) % {"name": inviter, "place": place}
    else:
        subject = _("Your invite to %(place)s has arrived") % {"place": place}
        opening = _(
            "Your invite to %(place)s has arrived: a quiet place to stay close to the people "
            "you care about."
        ) % {"place": place}
    create = _("Create your account here (the link works once and expires in %(days)s days):") % {
        "days": days
    }
    ignore = _("If you did not expect this, you can ignore this email.")
    body = f"{_('Hello,')}\n\n{opening}\n\n{create}\n\n{link}\n\n{ignore}\n"
    return subject, body


async def check_member_invite(
    svc: Services, db: AsyncSession, viewer: Viewer, email: str
) -> IssuedInvite:
    """A member invites someone they know; it skips the waitlist and uses one of their invites."""
    address = check_email(email) if email.strip() else None
    if address and await find_by_email(db, address):
        raise Conflict(N_("That person already has an account here."), "email")
    spent = await db.execute(
        update(User)
        .where(User.id == viewer.id, User.invites_left > 0)
        .values(invites_left=User.invites_left - 1)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise Invalid(N_("You have no invites left to give."), "email")
    invite, token = new_invite(svc, kind="member", email=address, issued_by_id=viewer.id)
    link = invite_link(svc, token)
    db.add(invite)
    if address:
        subject, body = invite_mail(svc, link, viewer.user.display_name)
        await enqueue_mail(db, address, subject, body)
    await db.commit()
    await db.refresh(viewer.user, attribute_names=["invites_left"])
    return IssuedInvite(invite, link)


async def do_revoke_invite(db: AsyncSession, viewer: Viewer, invite_id: int) -> None:
    """Withdraw an unused invite of your own; the invite goes back to your allowance."""
    invite = (
        await db.execute(
            select(Invite).where(Invite.id == invite_id, Invite.issued_by_id == viewer.id)
        )
    ).scalar_one_or_none()
    if invite is None or invite.kind != "member":
        raise NotFound(N_("No such invite."))
    if invite.used_at or invite.revoked_at:
        raise Conflict(N_("That invite was already used or withdrawn."))
    invite.revoked_at = utcnow()
    if invite.expires_at > utcnow():
        viewer.user.invites_left += 1
        db.add(viewer.user)
    await db.commit()


async def do_issue_operator_invite(
    svc: Services, db: AsyncSession, email: str | None
) -> IssuedInvite:
    address = check_email(email) if email else None
    invite, token = new_invite(svc, kind="operator", email=address)
    link = invite_link(svc, token)
    db.add(invite)
    if address:
        subject, body = invite_mail(svc, link, None)
        await enqueue_mail(db, address, subject, body)
    await db.commit()
    return IssuedInvite(invite, link)


async def do_create_first_admin_link(svc: Services, db: AsyncSession) -> str:
    """A one-time link that creates the first administrator; earlier unused ones stop working."""
    now = utcnow()
    await db.execute(
        update(Invite)
        .where(Invite.kind == "first_admin", Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    invite, token = new_invite(
        svc,
        kind="first_admin",
        grants_role=Role.admin.value,
        ttl=timedelta(hours=svc.settings.admin_link_ttl_hours),
    )
    link = invite_link(svc, token)
    db.add(invite)
    await db.commit()
    return link
