"""Profile edits, avatars, roles and administrators created from the command line."""

from __future__ import annotations

import contextlib
import os
import secrets

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import NO_SUCH_MEMBER, Viewer, find_by_email
from socialode.accounts.actions.avatar_uploads import do_drop_pending, pending_images
from socialode.accounts.avatars import process_avatar
from socialode.accounts.models import Role, User
from socialode.accounts.validation import (
    check_bio,
    check_display_name,
    check_email,
    check_handle,
    check_interests,
    check_language,
    check_password,
    check_pronouns,
    check_timezone,
    email_key,
    handle_key,
)
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError, Checks, Conflict, Invalid, NotFound
from socialode.platform.folding import search_key
from socialode.platform.i18n import N_
from socialode.platform.jobs import retry_dead as enqueue_again
from socialode.platform.services import Services


def _profile_changes(
    checks: Checks,
    display_name: str | None,
    bio: str | None,
    pronouns: str | None,
    interests: list[str] | None,
    timezone: str | None,
    language: str | None = None,
) -> dict[str, object]:
    """Every given field checked; each refusal is kept in ``checks``, not only the first."""
    changes: dict[str, object] = {}
    if display_name is not None:
        changes["display_name"] = name = checks.run(lambda: check_display_name(display_name), "")
        changes["name_search"] = search_key(name)
    if bio is not None:
        changes["bio"] = checks.run(lambda: check_bio(bio), "")
    if pronouns is not None:
        changes["pronouns"] = checks.run(lambda: check_pronouns(pronouns), "")
    if interests is not None:
        changes["interests"] = checks.run(lambda: check_interests(interests), list[str]())
    if timezone is not None:
        changes["timezone"] = checks.run(lambda: check_timezone(timezone), "")
    if language is not None:
        changes["language"] = checks.run(lambda: check_language(language), "")
    return changes


async def check_update_profile(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    *,
    display_name: str | None = None,
    bio: str | None = None,
    pronouns: str | None = None,
    interests: list[str] | None = None,
    timezone: str | None = None,
    language: str | None = None,
    avatar: bytes | None = None,
    avatar_pending: str | None = None,
    avatar_problem: AppError | None = None,
) -> User:
    """Change the given fields (and avatar: new bytes, or a photo kept aside by
    ``check_carry_avatar``); nothing is written unless every part is valid, and every part
    that is not is reported at once (with ``avatar_problem``, the photo's own refusal)."""
    checks = Checks([avatar_problem] if avatar_problem else [])
    changes = _profile_changes(checks, display_name, bio, pronouns, interests, timezone, language)
    images = None
    if avatar is not None:
        limit = svc.settings.max_upload_bytes
        process = anyio.to_thread.run_sync
        images = await checks.wait(lambda: process(process_avatar, avatar, limit), None)
    elif avatar_pending:
        images = checks.run(lambda: pending_images(svc, viewer, avatar_pending), None)
    checks.done()
    user = viewer.user
    old_key = user.avatar_key
    if images is not None:
        changes["avatar_key"] = _store_images(svc, images)
    for name, value in changes.items():
        setattr(user, name, value)
    db.add(user)
    await db.commit()
    if images is not None and old_key:
        _remove_files(svc, old_key)
    if avatar_pending:
        do_drop_pending(svc, viewer, avatar_pending)
    return user


def _store_images(svc: Services, images: dict[int, bytes]) -> str:
    key = secrets.token_hex(16)
    folder = svc.settings.media_dir / "avatars"
    folder.mkdir(parents=True, exist_ok=True)
    for size, content in images.items():
        (folder / f"{key}-{size}.jpg").write_bytes(content)
    return key


def _avatar_paths(svc: Services, key: str) -> list[tuple[int, str]]:
    return [
        (size, str(svc.settings.media_dir / "avatars" / f"{key}-{size}.jpg")) for size in (256, 64)
    ]


def avatar_file(svc: Services, key: str, size: int) -> str:
    return str(svc.settings.media_dir / "avatars" / f"{key}-{size}.jpg")


async def check_set_avatar(svc: Services, db: AsyncSession, viewer: Viewer, data: bytes) -> User:
    return await check_update_profile(svc, db, viewer, avatar=data)


async def do_remove_avatar(svc: Services, db: AsyncSession, viewer: Viewer) -> User:
    old = viewer.user.avatar_key
    viewer.user.avatar_key = None
    db.add(viewer.user)
    await db.commit()
    if old:
        _remove_files(svc, old)
    return viewer.user


def _remove_files(svc: Services, key: str) -> None:
    for _size, path in _avatar_paths(svc, key):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


async def check_set_role(db: AsyncSession, viewer: Viewer, handle: str, role: str) -> User:
    """Administrators give and take the moderator and admin roles; never their own."""
    if not viewer.is_admin:
        raise NotFound(NO_SUCH_MEMBER, field="handle")
    if role not in {r.value for r in Role}:
        raise Invalid(N_("Choose member, moderator or admin."), "role")
    user = (
        await db.execute(select(User).where(User.handle_key == handle_key(handle)))
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(NO_SUCH_MEMBER, field="handle")
    if user.id == viewer.id:
        raise Invalid(N_("You cannot change your own role; ask another administrator."), "role")
    user.role = role
    await db.commit()
    return user


async def check_create_admin(
    svc: Services, db: AsyncSession, *, handle: str, email: str, display_name: str, password: str
) -> User:
    """An administrator created by the operator on the command line."""
    handle = check_handle(handle)
    address = check_email(email)
    name = check_display_name(display_name or handle)
    check_password(password, handle=handle, email=address)
    if (await db.execute(select(User.id).where(User.handle_key == handle_key(handle)))).first():
        raise Conflict(N_("That handle is taken."), "handle")
    if await find_by_email(db, address):
        raise Conflict(N_("An account with this email already exists."), "email")
    user = User(
        handle=handle,
        handle_key=handle_key(handle),
        email=address,
        email_key=email_key(address),
        display_name=name,
        name_search=search_key(name),
        password_hash=await svc.passwords.hash(password),
        role=Role.admin.value,
        timezone="UTC",
        interests=[],
        invites_left=svc.settings.member_invites,
        created_at=utcnow(),
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(N_("That handle or email was taken a moment ago."), "handle") from exc
    return user


NO_SUCH_JOB = N_("There is no failed job with that number: it may have been tried again already.")


async def check_retry_job(db: AsyncSession, viewer: Viewer, job_id: int) -> None:
    """An administrator gives a failed background job another full set of attempts (after
    fixing what made it fail, such as the mail server's settings)."""
    if not viewer.is_admin:
        raise NotFound(NO_SUCH_JOB, field="job")
    if not await enqueue_again(db, job_id):
        raise NotFound(NO_SUCH_JOB, field="job")
    await db.commit()
