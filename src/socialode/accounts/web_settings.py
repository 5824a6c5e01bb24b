"""HTML routes for signed-in people: profile settings, sessions, invites, administration.
(Someone's page and photos follow the one profile rule, in ``circles``.)"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts import access, actions
from socialode.accounts.deps import CurrentViewer
from socialode.accounts.schemas import SessionOut
from socialode.accounts.validation import split_interests, timezones
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, Invalid
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import decode_ints, encode_cursor
from socialode.platform.services import Services
from socialode.web.confirm import Confirm, Question, pick
from socialode.web.forms import form_data, form_failed, read_form, see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

# How an invite's state reads in the list (translated where shown).
STATE_WORDS = {
    "open": N_("open"),
    "used": N_("used"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
}

PROFILE_FIELDS = ("display_name", "pronouns", "bio", "interests", "timezone", "avatar")


@router.get("/settings/profile", response_class=HTMLResponse)
async def profile_form(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/settings_profile.html", _profile_context(viewer))


@router.post("/settings/profile", response_class=HTMLResponse)
async def save_profile(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form, files = await read_form(request, {"avatar": svc.settings.max_upload_bytes})
    carried = form.get("avatar_upload", "")
    pending, problem = await actions.check_carry_avatar(svc, viewer, files.get("avatar"), carried)
    try:
        await actions.check_update_profile(
            svc,
            db,
            viewer,
            display_name=form.get("display_name", ""),
            bio=form.get("bio", ""),
            pronouns=form.get("pronouns", ""),
            interests=split_interests(form.get("interests", "")),
            timezone=form.get("timezone", ""),
            avatar_pending=pending,
            avatar_problem=problem,
        )
    except AppError as exc:
        context = _profile_context(viewer, svc, pending)
        form = {**form, "avatar_upload": pending or ""}
        page = "accounts/settings_profile.html"
        return form_failed(request, page, exc, form, PROFILE_FIELDS, context)
    return see_other("/settings/profile?notice=profile-saved")


@router.post("/settings/avatar/remove")
async def remove_avatar(viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    await actions.do_remove_avatar(svc, db, viewer)
    return see_other("/settings/profile?notice=profile-saved")


def _profile_context(
    viewer: access.Viewer, svc: Services | None = None, pending: str | None = None
) -> dict[str, object]:
    """The profile form as saved; with ``pending``, the preview of a photo kept aside."""
    user = viewer.user
    form = {
        "display_name": user.display_name,
        "pronouns": user.pronouns,
        "bio": user.bio,
        "interests": ", ".join(user.interests or []),
        "timezone": user.timezone,
    }
    preview = actions.pending_preview(svc, viewer, pending) if svc and pending else None
    return {"form": form, "timezones": timezones(), "person": user, "avatar_preview": preview}


@router.get("/settings/password", response_class=HTMLResponse)
async def password_form(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "accounts/settings_password.html")


@router.post("/settings/password", response_class=HTMLResponse)
async def change_password(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        await actions.check_change_password(
            svc, db, viewer, form.get("current_password", ""), form.get("new_password", "")
        )
    except AppError as exc:
        fields = ("current_password", "new_password")
        return form_failed(request, "accounts/settings_password.html", exc, form, fields)
    return see_other("/settings/sessions?notice=password-changed")


@router.get("/settings/sessions", response_class=HTMLResponse)
async def sessions(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    rows = [SessionOut.of(s, viewer) for s in await access.access_own_sessions(db, viewer)]
    return render(request, "accounts/settings_sessions.html", {"sessions": rows})


@router.post("/settings/sessions/{session_id}/end")
async def end_session(
    session_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        found = pick(
            await access.access_own_sessions(db, viewer), session_id, N_("No such session.")
        )
        if found.id == viewer.session.id:
            question = _("Sign out here?")
        else:
            question = _("Sign out %(device)s?") % {"device": SessionOut.of(found, viewer).device}
        detail = _("Signing in there again needs your password.")
        back = "/settings/sessions"
        return confirm.ask(Question(question, detail, _("Sign out"), back, _("Stay")))
    await actions.do_end_session(svc, db, viewer, session_id)
    if session_id == viewer.session.id:
        return see_other("/login?notice=signed-out")
    return see_other("/settings/sessions?notice=session-ended")


@router.get("/invites", response_class=HTMLResponse)
async def invites(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    mine = await access.access_own_invites(db, viewer)
    context = {"invites": mine, "state": access.invite_state, "state_words": STATE_WORDS}
    return render(request, "accounts/invites.html", context)


@router.post("/invites", response_class=HTMLResponse)
async def invite(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    mine = await access.access_own_invites(db, viewer)
    context = {"invites": mine, "state": access.invite_state, "state_words": STATE_WORDS}
    try:
        issued = await actions.check_member_invite(svc, db, viewer, form.get("email", ""))
    except AppError as exc:
        return form_failed(request, "accounts/invites.html", exc, form, ("email",), context)
    mine = await access.access_own_invites(db, viewer)
    context.update(invites=mine, new_link=issued.link, new_email=issued.invite.email)
    return render(request, "accounts/invites.html", context, status=201)


@router.post("/invites/{invite_id}/withdraw")
async def withdraw_invite(
    invite_id: RowId, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        found = pick(await access.access_own_invites(db, viewer), invite_id, N_("No such invite."))
        if found.email:
            question = _("Withdraw the invite for %(email)s?") % {"email": found.email}
        else:
            question = _("Withdraw this invite link?")
        detail = _("The link stops working, and the invite goes back to your allowance.")
        return confirm.ask(Question(question, detail, _("Withdraw"), "/invites"))
    await actions.do_revoke_invite(db, viewer, invite_id)
    return see_other("/invites?notice=invite-withdrawn")


@router.get("/admin", response_class=HTMLResponse)
async def admin(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    return render(request, "accounts/admin.html", await _admin_context(request, viewer, db))


async def _admin_context(request: Request, viewer: access.Viewer, db: DB) -> dict[str, object]:
    start = decode_ints(request.query_params.get("cursor") or None)
    line = await access.access_waitlist(db, viewer, start[0] if start else 0)
    people = decode_ints(request.query_params.get("people") or None)
    members, more = await access.access_members(db, viewer, people[0] if people else 0)
    dead, older_dead = await access.access_dead_jobs(db, viewer)
    return {
        "line": line,
        "line_next": encode_cursor([line.next_after]) if line.next_after is not None else None,
        "members": members,
        "members_next": encode_cursor([more]) if more is not None else None,
        "dead_jobs": dead,
        "older_dead_jobs": older_dead,
    }


@router.post("/admin/release", response_class=HTMLResponse)
async def release(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    access.require_admin(viewer)
    form = await form_data(request)
    try:
        raw = form.get("count", "").strip()
        if not (raw.isascii() and raw.isdigit()):
            raise Invalid(N_("Enter how many invites to release, as a whole number."), "count")
        released = await actions.do_release_invites(svc, db, int(raw), viewer.id)
    except AppError as exc:
        context = await _admin_context(request, viewer, db)
        return form_failed(request, "accounts/admin.html", exc, form, ("count",), context)
    context = await _admin_context(request, viewer, db)
    return render(request, "accounts/admin.html", {**context, "released": released})


@router.post("/admin/jobs/{job_id}/retry")
async def retry_job(job_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    await actions.check_retry_job(db, viewer, job_id)
    return see_other("/admin?notice=job-retried#dead-jobs")


@router.post("/admin/users/{handle}/role")
async def set_role(request: Request, handle: str, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    await actions.check_set_role(db, viewer, handle, form.get("role", ""))
    return see_other("/admin?notice=role-changed")
