"""Joining the waitlist and releasing invites in signup order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import waitlist_signer
from socialode.accounts.actions.invites import invite_link, invite_mail, new_invite
from socialode.accounts.models import User, WaitlistEntry
from socialode.accounts.validation import check_email, check_reason, email_key
from socialode.platform.clock import utcnow
from socialode.platform.errors import Checks, Invalid
from socialode.platform.i18n import _
from socialode.platform.links import link_to
from socialode.platform.mail import enqueue_mail
from socialode.platform.services import Services

MAX_RELEASE = 500


def status_link(svc: Services, entry_id: int) -> str:
    signed = waitlist_signer(svc.settings.resolved_secret_key).dumps(entry_id)
    return link_to(svc.settings, f"/waitlist/status/{signed}")


async def check_join_waitlist(
    svc: Services, db: AsyncSession, email: str, reason: str, client: str
) -> None:
    """Join once per address. The answer is the same whether or not the address was there."""
    await svc.limits.hit(svc.settings.rate_waitlist_client, "waitlist", client)
    checks = Checks()
    address = checks.run(lambda: check_email(email), "")
    why = checks.run(lambda: check_reason(reason), "")
    checks.done()
    link_to(svc.settings, "/")  # no entry is written when its status link could not be made
    key = email_key(address)
    entry = (
        await db.execute(select(WaitlistEntry).where(WaitlistEntry.email_key == key))
    ).scalar_one_or_none()
    if entry is None:
        entry = WaitlistEntry(email=address, email_key=key, reason=why, created_at=utcnow())
        db.add(entry)
        try:
            await db.flush()
        except IntegrityError:  # joined at the same moment from elsewhere
            await db.rollback()
            entry = (
                await db.execute(select(WaitlistEntry).where(WaitlistEntry.email_key == key))
            ).scalar_one()
    link = status_link(svc, entry.id)
    subject = _("You're on the %(place)s waitlist") % {"place": svc.settings.instance_name}
    thanks = _("Thank you for wanting to join.")
    line = _(
        "First invites go to those who sign up first. See your place in line at any time here:"
    )
    later = _("We'll email you an invite when it is your turn.")
    await enqueue_mail(db, address, subject, f"{thanks}\n\n{line}\n\n{link}\n\n{later}\n")
    await db.commit()


async def do_release_invites(
    svc: Services, db: AsyncSession, count: int, issued_by_id: int | None
) -> int:
    """Invite the next ``count`` people in line, oldest first; each gets a single-use link."""
    if not 1 <= count <= MAX_RELEASE:
        raise Invalid(
            _("Release between 1 and %(most)s invites at a time.") % {"most": MAX_RELEASE}, "count"
        )
    query = (
        select(WaitlistEntry)
        .where(WaitlistEntry.invited_at.is_(None))
        .order_by(WaitlistEntry.id)
        .limit(count)
    )
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    entries = list((await db.execute(query)).scalars())
    members = set(
        (
            await db.execute(
                select(User.email_key).where(User.email_key.in_([e.email_key for e in entries]))
            )
        ).scalars()
    )
    now = utcnow()
    for entry in entries:
        entry.invited_at = now
        if entry.email_key in members:
            continue  # already joined through someone they know
        invite, token = new_invite(
            svc,
            kind="waitlist",
            email=entry.email,
            issued_by_id=issued_by_id,
            waitlist_entry_id=entry.id,
        )
        db.add(invite)
        subject, body = invite_mail(svc, invite_link(svc, token), None)
        await enqueue_mail(db, entry.email, subject, body)
    await db.commit()
    return len(entries)
