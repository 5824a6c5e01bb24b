"""How errors answer: JSON with a message under /api, a readable page elsewhere."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from socialode.platform.errors import AppError, NotFound, RateLimited, Unauthenticated
from socialode.platform.i18n import N_, _
from socialode.web.templating import render

LABELS = {
    "body": "Request body",
    "login": "Handle or email",
    "display_name": "Display name",
    "new_password": "New password",
    "current_password": "Current password",
    "invite_token": "Invite",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


NOT_JSON = N_("The request body is not valid JSON.")


def describe_validation(exc: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    """Pydantic's errors as short sentences naming the field to fix."""
    problems = []
    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        return _(NOT_JSON), []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        field = loc[0] if loc else "body"
        label = LABELS.get(field, field.replace("_", " ").capitalize())
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        problems.append({"field": field, "message": f"{label}: {message}."})
    summary = " ".join(p["message"] for p in problems[:3]) or _("The request is not valid.")
    return summary, problems


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        if _is_api(request):
            body: dict[str, object] = {"detail": exc.message, "field": exc.field}
            body.update(exc.extra or {})
            return JSONResponse(body, status_code=exc.status_code, headers=headers)
        if isinstance(exc, Unauthenticated) and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        response = render(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.message},
            status=exc.status_code,
        )
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        summary, problems = describe_validation(exc)
        if _is_api(request):
            fields = {p["field"] for p in problems}
            field = fields.pop() if len(fields) == 1 else None
            body = {"detail": summary, "field": field, "errors": problems}
            return JSONResponse(body, status_code=422)
        return render(request, "error.html", {"status": 422, "message": summary}, status=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: NotFound().message, 405: _("That method is not allowed here.")}.get(
            exc.status_code, str(exc.detail)
        )
        if _is_api(request):
            return JSONResponse(
                {"detail": message, "field": None}, status_code=exc.status_code, headers=exc.headers
            )
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": message},
            status=exc.status_code,
        )
