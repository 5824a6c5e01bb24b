"""/api/v1 routes of the accounts feature: parse, access, one action, return a schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from socialode.accounts import access, actions
from socialode.accounts.actions.auth import Client
from socialode.accounts.actions.joining import offers_connection
from socialode.accounts.deps import (
    CurrentViewer,
    MaybeViewer,
    clear_session_cookie,
    set_session_cookie,
)
from socialode.accounts.schemas import (
    ErrorOut,
    InviteCheckOut,
    InviteIn,
    InviteOut,
    InvitesOut,
    LoginIn,
    MeOut,
    NoticeOut,
    PasswordChangeIn,
    ProfileOut,
    ProfileUpdateIn,
    ReleaseIn,
    ReleaseOut,
    ResetConfirmIn,
    ResetRequestIn,
    RoleIn,
    SessionOut,
    SessionsOut,
    SignedInOut,
    SignedUpOut,
    SignUpIn,
    WaitlistEntryOut,
    WaitlistIn,
    WaitlistPageOut,
    WaitlistStatusOut,
)
from socialode.platform.deps import DB, RowId, Svc, client_address
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import (
    Cursor,
    decode_at_id,
    decode_ints,
    encode_cursor,
    next_of,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422, 429)
}
router = APIRouter(prefix="/api/v1", responses=ERRORS)
# Operations anyone may call declare no security; others inherit it from the viewer dependency.
PUBLIC: dict[str, Any] = {"security": []}
SIGNED_IN_OR_NOT: dict[str, Any] = {"security": [{}]}  # added to the viewer's two ways in
PAGE = 50

WAITLIST_THANKS = N_(
    "Thank you. If this address is new to us it is now on the waitlist; either way we have "
    "emailed it a link where you can see your place in line."
)
RESET_SENT = N_(
    "If an account uses that address, we have emailed it a link to choose a new password."
)


def client_of(request: Request) -> Client:
    return Client(client_address(request), request.headers.get("user-agent", ""))


@router.post("/waitlist", status_code=202, tags=["waitlist"], openapi_extra=PUBLIC)
async def join_waitlist(body: WaitlistIn, request: Request, svc: Svc, db: DB) -> NoticeOut:
    await actions.check_join_waitlist(svc, db, body.email, body.reason, client_address(request))
    return NoticeOut(message=_(WAITLIST_THANKS))


@router.get("/waitlist/status/{signed}", tags=["waitlist"], openapi_extra=PUBLIC)
async def waitlist_status(signed: str, svc: Svc, db: DB) -> WaitlistStatusOut:
    found = await access.access_waitlist_status(db, svc.settings.resolved_secret_key, signed)
    return WaitlistStatusOut.of(found)


@router.get("/invites/{token}", tags=["invites"], openapi_extra=PUBLIC)
async def check_invite(token: str, db: DB) -> InviteCheckOut:
    invite = await access.access_open_invite(db, token)
    inviter = await access.access_inviter(db, invite) if offers_connection(invite) else None
    return InviteCheckOut(
        valid=True, email=invite.email, invited_by=inviter.display_name if inviter else None
    )


@router.post("/auth/signup", status_code=201, tags=["auth"], openapi_extra=PUBLIC)
async def sign_up(
    body: SignUpIn, request: Request, response: Response, svc: Svc, db: DB
) -> SignedUpOut:
    """Create your account with an invite. A member's invite also connects you with them
    unless `connect` is false; `connection` and `message` say what became of it."""
    done = await actions.check_sign_up(svc, db, client_of(request), **body.model_dump())
    set_session_cookie(response, request, svc.settings, done.token)
    return SignedUpOut.of(done)


@router.post("/auth/login", tags=["auth"], openapi_extra=PUBLIC)
async def login(
    body: LoginIn, request: Request, response: Response, svc: Svc, db: DB
) -> SignedInOut:
    done = await actions.check_login(svc, db, client_of(request), body.login, body.password)
    set_session_cookie(response, request, svc.settings, done.token)
    return SignedInOut(user=MeOut.of(done.user), session_token=done.token)


@router.post("/auth/logout", status_code=204, tags=["auth"])
async def logout(viewer: CurrentViewer, response: Response, svc: Svc, db: DB) -> None:
    await actions.do_logout(svc, db, viewer)
    clear_session_cookie(response)


@router.post("/auth/password", status_code=204, tags=["auth"])
async def change_password(body: PasswordChangeIn, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.check_change_password(svc, db, viewer, body.current_password, body.new_password)


@router.post("/auth/password-reset", status_code=202, tags=["auth"], openapi_extra=PUBLIC)
async def request_reset(body: ResetRequestIn, request: Request, svc: Svc, db: DB) -> NoticeOut:
    await actions.check_request_reset(svc, db, client_address(request), body.email)
    return NoticeOut(message=_(RESET_SENT))


@router.post("/auth/password-reset/confirm", status_code=204, tags=["auth"], openapi_extra=PUBLIC)
async def confirm_reset(body: ResetConfirmIn, svc: Svc, db: DB) -> None:
    await actions.check_reset_password(svc, db, body.token, body.password)


@router.get("/me", tags=["profile"])
async def me(viewer: CurrentViewer) -> MeOut:
    return MeOut.of(viewer.user)


@router.patch("/me", tags=["profile"])
async def update_me(body: ProfileUpdateIn, viewer: CurrentViewer, svc: Svc, db: DB) -> MeOut:
    user = await actions.check_update_profile(
        svc, db, viewer, **body.model_dump(exclude_unset=True)
    )
    return MeOut.of(user)


@router.put("/me/avatar", tags=["profile"])
async def set_avatar(
    avatar: Annotated[UploadFile, File(description="JPEG, PNG, GIF or WebP")],
    viewer: CurrentViewer,
    svc: Svc,
    db: DB,
) -> MeOut:
    data = await avatar.read(svc.settings.max_upload_bytes + 1)
    return MeOut.of(await actions.check_set_avatar(svc, db, viewer, data))


@router.delete("/me/avatar", status_code=204, tags=["profile"])
async def remove_avatar(viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.do_remove_avatar(svc, db, viewer)


@router.get("/sessions", tags=["sessions"])
async def sessions(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> SessionsOut:
    """Where you are signed in, most recently used first."""
    found = await access.access_own_sessions(db, viewer, decode_at_id(cursor), PAGE + 1)
    page, more = found[:PAGE], len(found) > PAGE
    return SessionsOut(
        sessions=[SessionOut.of(s, viewer) for s in page],
        next=next_of(page, more, lambda s: (s.last_seen_at, s.id)),
    )


@router.delete("/sessions/{session_id}", status_code=204, tags=["sessions"])
async def end_session(session_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB) -> None:
    await actions.do_end_session(svc, db, viewer, session_id)


@router.get("/me/invites", tags=["invites"])
async def my_invites(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> InvitesOut:
    """The invites you gave, newest first."""
    start = decode_ints(cursor)
    found = await access.access_own_invites(db, viewer, start[0] if start else None, PAGE + 1)
    page, more = found[:PAGE], len(found) > PAGE
    return InvitesOut(
        invites=[InviteOut.of(i) for i in page], next=next_of(page, more, lambda i: (i.id,))
    )


@router.post("/me/invites", status_code=201, tags=["invites"])
async def invite_someone(body: InviteIn, viewer: CurrentViewer, svc: Svc, db: DB) -> InviteOut:
    issued = await actions.check_member_invite(svc, db, viewer, body.email)
    return InviteOut.of(issued.invite, issued.link)


@router.delete("/me/invites/{invite_id}", status_code=204, tags=["invites"])
async def withdraw_invite(invite_id: RowId, viewer: CurrentViewer, db: DB) -> None:
    await actions.do_revoke_invite(db, viewer, invite_id)


@router.get("/admin/waitlist", tags=["admin"])
async def admin_waitlist(viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> WaitlistPageOut:
    start = decode_ints(cursor)
    page = await access.access_waitlist(db, viewer, start[0] if start else 0)
    return WaitlistPageOut(
        entries=[WaitlistEntryOut.of(e) for e in page.entries],
        next=encode_cursor([page.next_after]) if page.next_after is not None else None,
    )


@router.post("/admin/invites/release", tags=["admin"])
async def release(body: ReleaseIn, viewer: CurrentViewer, svc: Svc, db: DB) -> ReleaseOut:
    access.require_admin(viewer)
    return ReleaseOut(released=await actions.do_release_invites(svc, db, body.count, viewer.id))


@router.put("/admin/users/{handle}/role", tags=["admin"])
async def set_role(handle: str, body: RoleIn, viewer: CurrentViewer, db: DB) -> ProfileOut:
    return ProfileOut.of(await actions.check_set_role(db, viewer, handle, body.role))


@router.get("/session", tags=["auth"], openapi_extra=SIGNED_IN_OR_NOT)
async def whoami(viewer: MaybeViewer) -> MeOut | None:
    """The signed-in account, or null when signed out."""
    return MeOut.of(viewer.user) if viewer else None
