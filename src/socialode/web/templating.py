"""One Jinja environment that finds every feature's templates, and helpers to render them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks

from socialode import __version__

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = Path(__file__).resolve().parent / "static"

NOTICES = {
    "signed-out": "You are signed out. See you soon.",
    "password-changed": "Your password is changed. Your other sessions were signed out.",
    "password-reset": "Your password is changed. Sign in with the new one.",
    "profile-saved": "Your profile is saved.",
    "session-ended": "That session is signed out.",
    "invite-withdrawn": "The invite is withdrawn and back in your allowance.",
    "welcome": "Welcome! Your account is ready. Take a moment to tell people about yourself.",
    "role-changed": "The role is changed.",
    "chat-saved": "Your conversation settings are saved.",
    "job-retried": "The job will be tried again shortly.",
}


def build_templates() -> Jinja2Blocks:
    features = sorted(p for p in PACKAGE_ROOT.glob("*/templates") if p.parent.name != "web")
    dirs = [PACKAGE_ROOT / "web" / "templates", *features]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return Jinja2Blocks(env=env)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    templates: Jinja2Blocks = request.app.state.templates
    ctx: dict[str, Any] = {
        "viewer": getattr(request.state, "viewer", None),
        "marks": getattr(request.state, "marks", set()),
        "instance_name": request.app.state.services.settings.instance_name,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "errors": {},
        "form": {},
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response
