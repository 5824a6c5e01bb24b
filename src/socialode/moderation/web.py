"""HTML routes of moderation: the report form and a reporter's own reports, the moderators'
queue and report pages, the audit log for administrators, and a member's own decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.moderation import access, actions
from socialode.moderation.models import Reason
from socialode.moderation.notices import standing
from socialode.moderation.schemas import NEXT
from socialode.moderation.targets import access_target
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError, NotFound
from socialode.platform.i18n import N_, _
from socialode.platform.pagination import Cursor, decode_ints, encode_cursor
from socialode.web.forms import form_data, form_failed, form_number
from socialode.web.notices import tell
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

REASONS = {
    Reason.bullying.value: N_("Bullying or harassment"),
    Reason.threats.value: N_("Threats of harm"),
    Reason.self_harm.value: N_("I am worried they may hurt themselves"),
    Reason.hate.value: N_("Hate against who someone is"),
    Reason.spam.value: N_("Spam or a scam"),
    Reason.other.value: N_("Something else"),
}
KINDS = {
    "message": N_("message"),
    "moment": N_("moment"),
    "profile": N_("profile"),
    "gathering": N_("gathering"),
    "group": N_("group"),
}
YOUR_KINDS = {
    "message": N_("A message"),
    "moment": N_("A moment"),
    "profile": N_("A profile"),
    "gathering": N_("A gathering"),
    "group": N_("A group"),
}
STATES = {"open": N_("open"), "in_review": N_("in review"), "resolved": N_("decided")}
OUTCOMES = {
    "dismissed": N_("dismissed"),
    "removed": N_("removed"),
    "warned": N_("warned"),
    "suspended": N_("suspended"),
    "banned": N_("account closed"),
    "cared": N_("offered help"),
}


# What the detector read, in a moderator's words (safety.assessment.Category values).
READINGS = {
    "threat": N_("a threat"),
    "self_harm_taunt": N_("urging someone to hurt themselves"),
    "harassment": N_("an insult or put-down"),
    "exclusion": N_("shutting someone out"),
    "doxxing": N_("sharing someone's private details"),
    "disclosure": N_("someone telling of being hurt"),
    "none": N_("nothing hurtful"),
}


def detector_reading(assessment: str) -> tuple[str, str] | None:
    """The stored assessment (``"<category>:<rule>"``) as words and the rule or model that read
    it ("model.threat" is the learned model): ``None`` when nothing was stored."""
    category, _sep, rule = assessment.partition(":")
    if not assessment or category not in READINGS:
        return None
    if rule.startswith("model."):
        return _(READINGS[category]), _("the learned model")
    return _(READINGS[category]), _("the rule %(rule)s") % {"rule": rule}


SENT_ANYWAY = N_("Its sender was asked to think again (it read as %(what)s) and sent it anyway.")
REPHRASED = N_(
    "Its sender was asked to think again (the first words read as %(what)s) and changed "
    "them before sending."
)


def pause_choice(paused: str | None) -> str | None:
    """What the sender chose at a pause (``"sent_anyway:<category>"`` or
    ``"rephrased:<category>"``), in words; ``None`` when the words were never paused."""
    choice, _sep, rest = (paused or "").partition(":")
    category = rest.split(":")[0]  # "threat", or "threat:description" (the field it was in)
    said = {"sent_anyway": SENT_ANYWAY, "rephrased": REPHRASED}.get(choice)
    if said is None:
        return None
    return _(said) % {"what": _(READINGS.get(category, READINGS["none"]))}


def _words() -> dict[str, dict[str, str]]:
    """The words for kinds, states and outcomes, in the reader's language."""
    return {
        "kinds": {k: _(v) for k, v in KINDS.items()},
        "states": {k: _(v) for k, v in STATES.items()},
        "outcomes": {k: _(v) for k, v in OUTCOMES.items()},
    }


ACTIONS = {
    "dismiss": N_("Dismiss: nothing to act on"),
    "remove": N_("Remove what was reported"),
    "warn": N_("Warn the person"),
    "suspend": N_("Suspend the account for some days"),
    "ban": N_("Close the account"),
    "care": N_("Offer help privately (a self-harm concern): nothing is removed"),
}

# What each audit entry's action was, as the log reads it (moderation.actions.do_audit).
AUDITED = {
    "view": N_("opened the report"),
    "returned": N_("put the report back in the queue (undecided for too long)"),
    "dismiss": N_("dismissed it"),
    "remove": N_("removed what was reported"),
    "warn": N_("warned the person"),
    "suspend": N_("suspended the account"),
    "ban": N_("closed the account"),
    "care": N_("offered help privately"),
}


def _target_form(form: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": form.get("kind", "")[:20],
        "object_id": form_number(form.get("id", "")),
        "handle": form.get("handle", "")[:100],
    }


async def _report_page(
    request: Request, db: DB, viewer: CurrentViewer, form: dict[str, str], errors: Any = None
) -> Response:
    chosen = _target_form(form)
    try:
        target = await access_target(db, viewer, **chosen)
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        raise NotFound() from exc
    context = {"target": target, "form": form, "errors": errors or {}, "reasons": REASONS}
    return render(request, "moderation/report.html", context)


@router.get("/report", response_class=HTMLResponse)
async def report_form(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    return await _report_page(request, db, viewer, dict(request.query_params))


@router.post("/report", response_class=HTMLResponse)
async def report(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    form = await form_data(request)
    try:
        filed = await actions.check_report(
            svc, db, viewer, **_target_form(form), reason=form.get("reason", ""),
            note=form.get("note", ""),
        )  # fmt: skip
    except AppError as exc:
        target = await access_target(db, viewer, **_target_form(form))
        context = {"target": target, "reasons": REASONS}
        return form_failed(
            request, "moderation/report.html", exc, form, ("reason", "note"), context
        )
    context = {"filed": filed, "next": _(NEXT)}
    return render(request, "moderation/filed.html", context, status=201)


@router.get("/reports", response_class=HTMLResponse)
async def own_reports(
    request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None
) -> Response:
    start = decode_ints(cursor)
    found, nxt = await access.access_own_reports(db, viewer, start[0] if start else None)
    context = {
        "reports": found,
        "next": encode_cursor([nxt]) if nxt else None,
        "first_page": start is None,
        "kinds": {k: _(v) for k, v in YOUR_KINDS.items()},
        "reasons": {k: _(v) for k, v in REASONS.items()},
        "standing": standing,
    }
    return render(request, "moderation/mine.html", context)


@router.get("/moderation", response_class=HTMLResponse)
async def queue(
    request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None, resolved: bool = False
) -> Response:
    start = decode_ints(cursor)
    found = await access.access_queue(
        db, viewer, resolved=resolved, before=start[0] if start else None
    )
    following = encode_cursor([found.next_before]) if found.next_before else None
    context = {
        "queue": found,
        "next": following,
        "resolved": resolved,
        "reasons": REASONS,
        **_words(),
    }
    return render(request, "moderation/queue.html", context)


async def _report_detail(
    request: Request, viewer: CurrentViewer, db: DB, report_id: int, errors: Any = None,
    form: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    detail = await access.access_report(db, viewer, report_id)
    await actions.do_open_for_review(db, viewer, detail.report)
    context = {
        "d": detail,
        "reasons": REASONS,
        "actions": ACTIONS,
        "errors": errors or {},
        "form": form or {},
        "reading": detector_reading(detail.report.assessment),
        "choice": pause_choice(detail.report.paused),
        **_words(),
    }
    return render(request, "moderation/report_detail.html", context, status=status)


@router.get("/moderation/reports/{report_id}", response_class=HTMLResponse)
async def report_page(
    request: Request, report_id: RowId, viewer: CurrentViewer, db: DB
) -> Response:
    return await _report_detail(request, viewer, db, report_id)


@router.post("/moderation/reports/{report_id}/decision", response_class=HTMLResponse)
async def decide(
    request: Request, report_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    try:
        await actions.check_decide(
            svc, db, viewer, report_id, action=form.get("action", ""),
            reason=form.get("reason", ""), days=form_number(form.get("days", ""), 10_000),
        )  # fmt: skip
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        errors = {exc.field or "_form": exc.message}
        return await _report_detail(request, viewer, db, report_id, errors, form, exc.status_code)
    return tell(request, "/moderation", _("Decided. The person is told, in plain words."))


@router.get("/moderation/audit", response_class=HTMLResponse)
async def audit(request: Request, viewer: CurrentViewer, db: DB, cursor: Cursor = None) -> Response:
    start = decode_ints(cursor)
    entries, nxt = await access.access_audit(db, viewer, start[0] if start else None)
    context = {
        "entries": entries,
        "people": await access.access_audit_people(db, viewer, entries),
        "done": {k: _(v) for k, v in AUDITED.items()},
        "next": encode_cursor([nxt]) if nxt else None,
    }
    return render(request, "moderation/audit.html", context)


@router.get("/decisions/{report_id}", response_class=HTMLResponse)
async def decision(request: Request, report_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    found = await access.access_decision(db, viewer, report_id)
    return render(request, "moderation/decision.html", {"report": found})
