"""Form handling shared by every feature's HTML routes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from socialode.platform.deps import MAX_ID
from socialode.platform.errors import AppError, Problems, RateLimited
from socialode.web.templating import render

MAX_FIELD = 20_000
MAX_VALUES = 1000


async def read_form(
    request: Request, file_limits: dict[str, int] | None = None
) -> tuple[dict[str, str], dict[str, bytes]]:
    """Text fields (each bounded) and the named uploads (each read up to its limit plus one
    byte, so an oversized one can be refused); every uploaded file is closed before returning."""
    fields, _lists, files = await read_form_lists(request, (), file_limits)
    return fields, files


async def read_form_lists(
    request: Request, lists: tuple[str, ...], file_limits: dict[str, int] | None = None
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, bytes]]:
    """As ``read_form``, plus every value of the named multi-valued fields (checkboxes),
    at most ``MAX_VALUES`` each."""
    async with request.form(max_part_size=MAX_FIELD * 4) as form:
        fields = {k: v[:MAX_FIELD] for k, v in form.items() if isinstance(v, str)}
        chosen = {
            name: [v[:200] for v in form.getlist(name) if isinstance(v, str)][:MAX_VALUES]
            for name in lists
        }
        files: dict[str, bytes] = {}
        for name, limit in (file_limits or {}).items():
            upload = form.get(name)
            if isinstance(upload, UploadFile) and upload.filename:
                files[name] = await upload.read(limit + 1)
    return fields, chosen, files


async def form_data(request: Request) -> dict[str, str]:
    """The text fields of a submitted form, each bounded in length."""
    fields, _files = await read_form(request)
    return fields


def shown_beside(exc: AppError, fields: Iterable[str]) -> dict[str, str]:
    """Each refusal keyed by the field it goes beside, or by "_form" (the banner) when that
    field is not on the form; ``Problems`` gives every one of its refusals at once. A refusal
    the page shows as its own panel (``shown_apart``, such as the pause before sending) is
    not repeated here."""
    on_form = set(fields)
    shown: dict[str, str] = {}
    for problem in exc.problems if isinstance(exc, Problems) else [exc]:
        if problem.shown_apart:
            continue
        shown.setdefault(problem.field if problem.field in on_form else "_form", problem.message)
    return shown


def form_failed(
    request: Request,
    template: str,
    exc: AppError,
    form: dict[str, str],
    fields: Iterable[str],
    context: dict[str, Any] | None = None,
) -> HTMLResponse:
    """Show the same form again, keeping what was typed and the message beside its field."""
    if exc.shown_apart:
        request.state.refusal = exc
    safe_form = {k: v for k, v in form.items() if "password" not in k}
    response = render(
        request,
        template,
        {**(context or {}), "errors": shown_beside(exc, fields), "form": safe_form},
        status=exc.status_code,
    )
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


HOME = "/feed"  # where a signed-in member's app opens


def safe_next(target: str | None) -> str:
    """Only local paths may be used as a place to go after signing in; else your people."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def form_number(raw: str, most: int = MAX_ID) -> int | None:
    """A whole number typed or chosen in a form (an id, a count), or None when it is not one:
    ASCII digits only ("²" is a digit to Python, not to ``int``), from 0 up to ``most``."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        return None
    value = int(raw)
    return value if value <= most else None
