"""HTML routes for the public side: landing, waitlist, invites, sign-in and password reset."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts import access, actions
from socialode.accounts.actions.joining import Connecting, offers_connection, welcome_text
from socialode.accounts.api import RESET_SENT, WAITLIST_THANKS, client_of
from socialode.accounts.deps import MaybeViewer, clear_session_cookie, set_session_cookie
from socialode.accounts.models import Invite
from socialode.accounts.validation import timezones
from socialode.platform.deps import DB, Svc, client_address
from socialode.platform.errors import AppError, NotFound
from socialode.platform.i18n import _
from socialode.web.forms import form_data, form_failed, safe_next, see_other
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

SIGNUP_FIELDS = ("handle", "display_name", "email", "password", "timezone")


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request, viewer: MaybeViewer) -> Response:
    if viewer:  # the logo and the app's front door lead to your people
        return see_other("/feed")
    return render(request, "accounts/landing.html")


@router.post("/waitlist", response_class=HTMLResponse)
async def join_waitlist(request: Request, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_join_waitlist(
            svc, db, form.get("email", ""), form.get("reason", ""), client_address(request)
        )
    except AppError as exc:
        return form_failed(request, "accounts/landing.html", exc, form, ("email", "reason"))
    return render(request, "accounts/waitlist_thanks.html", {"message": _(WAITLIST_THANKS)})


@router.get("/waitlist/status/{signed}", response_class=HTMLResponse)
async def waitlist_status(request: Request, signed: str, svc: Svc, db: DB) -> Response:
    found = await access.access_waitlist_status(db, svc.settings.resolved_secret_key, signed)
    return render(request, "accounts/waitlist_status.html", {"status": found})


@router.get("/invite/{token}", response_class=HTMLResponse)
async def invite_page(request: Request, token: str, db: DB) -> Response:
    invite = await access.access_open_invite(db, token)
    form = {"email": invite.email or "", "timezone": "UTC", "connect": "yes"}
    return render(request, "accounts/signup.html", await _signup_context(db, invite, form))


@router.post("/invite/{token}", response_class=HTMLResponse)
async def sign_up(request: Request, token: str, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        done = await actions.check_sign_up(
            svc,
            db,
            client_of(request),
            invite_token=token,
            connect="connect" in form,  # an unticked box is not sent
            **{f: form.get(f, "") for f in SIGNUP_FIELDS},
        )
    except AppError as exc:
        context = await _signup_context(db, await _open_invite(db, token), form)
        return form_failed(request, "accounts/signup.html", exc, form, SIGNUP_FIELDS, context)
    response = _welcome(request, done.connecting)
    set_session_cookie(response, request, svc.settings, done.token)
    return response


def _welcome(request: Request, connecting: Connecting | None) -> Response:
    """To the profile, welcomed; a sentence that names the inviter is signed (``tell``)."""
    if connecting is None:
        return see_other("/settings/profile?notice=welcome")
    then = _("Take a moment to tell people about yourself.")
    return tell(request, "/settings/profile", f"{welcome_text(connecting)} {then}")


async def _open_invite(db: DB, token: str) -> Invite | None:
    try:
        return await access.access_open_invite(db, token)
    except NotFound:
        return None


async def _signup_context(db: DB, invite: Invite | None, form: dict[str, str]) -> dict[str, object]:
    """The form, and who invited the holder of the link when signing up connects them."""
    offer = invite is not None and offers_connection(invite)
    return {
        "form": form,
        "timezones": timezones(),
        "first_admin": invite is not None and invite.kind == "first_admin",
        "inviter": await access.access_inviter(db, invite) if invite and offer else None,
    }


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, viewer: MaybeViewer) -> Response:
    if viewer:
        return see_other(safe_next(request.query_params.get("next")))
    return render(request, "accounts/login.html", {"next": request.query_params.get("next", "")})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        done = await actions.check_login(
            svc, db, client_of(request), form.get("login", ""), form.get("password", "")
        )
    except AppError as exc:
        context = {"next": form.get("next", "")}
        return form_failed(request, "accounts/login.html", exc, form, ("login",), context)
    response = see_other(safe_next(form.get("next")))
    set_session_cookie(response, request, svc.settings, done.token)
    return response


@router.post("/logout")
async def logout(viewer: MaybeViewer, svc: Svc, db: DB) -> Response:
    if viewer:
        await actions.do_logout(svc, db, viewer)
    response = see_other("/login?notice=signed-out")
    clear_session_cookie(response)
    return response


@router.get("/reset", response_class=HTMLResponse)
async def reset_request_page(request: Request) -> Response:
    return render(request, "accounts/reset_request.html")


@router.post("/reset", response_class=HTMLResponse)
async def reset_request(request: Request, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_request_reset(svc, db, client_address(request), form.get("email", ""))
    except AppError as exc:
        return form_failed(request, "accounts/reset_request.html", exc, form, ("email",))
    return render(request, "accounts/reset_request.html", {"sent": _(RESET_SENT)})


@router.get("/reset/{token}", response_class=HTMLResponse)
async def reset_page(request: Request, token: str, db: DB) -> Response:
    await access.access_open_reset(db, token)
    return render(request, "accounts/reset_confirm.html")


@router.post("/reset/{token}", response_class=HTMLResponse)
async def reset(request: Request, token: str, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_reset_password(svc, db, token, form.get("password", ""))
    except AppError as exc:
        return form_failed(request, "accounts/reset_confirm.html", exc, form, ("password",))
    response = see_other("/login?notice=password-reset")
    clear_session_cookie(response)
    return response
