"""One Jinja environment that finds every feature's templates, and helpers to render them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup

from socialode import __version__
from socialode.platform import i18n
from socialode.platform.i18n import N_, _
from socialode.web.icons import icon
from socialode.web.notices import forget, said
from socialode.web.when import (
    calendar_day,
    date_text,
    day_text,
    full_text,
    reader_zone,
    span_text,
    when_html,
    words_json,
)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = Path(__file__).resolve().parent / "static"

NOTICES = {
    "signed-out": N_("You are signed out. See you soon."),
    "password-changed": N_("Your password is changed. Your other sessions were signed out."),
    "password-reset": N_("Your password is changed. Sign in with the new one."),
    "profile-saved": N_("Your profile is saved."),
    "session-ended": N_("That session is signed out."),
    "invite-withdrawn": N_("The invite is withdrawn and back in your allowance."),
    "welcome": N_("Welcome! Your account is ready. Take a moment to tell people about yourself."),
    "role-changed": N_("The role is changed."),
    "chat-saved": N_("Your conversation settings are saved."),
    "job-retried": N_("The job will be tried again shortly."),
    "appearance-saved": N_("Saved. This device now shows Socialode that way."),
    "language-saved": N_("Saved. Socialode now speaks to you in this language."),
    "help-offered": N_(
        "Sent. It sounds like something hard is happening: you do not have to carry it alone."
    ),
}


def _notice(key: str) -> str | None:
    return _(NOTICES[key]) if key in NOTICES else None


def build_templates() -> Jinja2Blocks:
    features = sorted(p for p in PACKAGE_ROOT.glob("*/templates") if p.parent.name != "web")
    dirs = [PACKAGE_ROOT / "web" / "templates", *features]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Newstyle gettext: ``{{ _("Hello %(name)s", name=who) }}``, escaped like any value, in the
    # language in force when the template renders (platform/i18n.py).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    env.globals["version"] = __version__
    env.globals["html_lang"] = i18n.html_lang
    env.globals["when_words"] = words_json
    env.globals["day_words"] = calendar_day
    env.filters["when"] = _when
    env.globals["face"] = _face
    env.globals["icon"] = icon
    env.filters["day"] = _day
    env.filters["localdate"] = _localdate
    env.filters["fulltime"] = _fulltime
    env.globals["timespan"] = _timespan
    return Jinja2Blocks(env=env)


def _zone_of(context: Any) -> str | None:
    viewer = context.get("viewer")
    return getattr(getattr(viewer, "user", None), "timezone", None)


@pass_context
def _when(context: Any, at: datetime | None) -> Markup:
    """``{{ moment.created_at | when }}``: a ``<time>`` in the reader's zone (web/when.py)."""
    return when_html(at, _zone_of(context)) if at is not None else Markup("")


@pass_context
def _localdate(context: Any, at: datetime) -> str:
    """``{{ expires_at | localdate }}``: "3 Dec 2026" in the reader's zone (past or future)."""
    return date_text(at, reader_zone(_zone_of(context)))


@pass_context
def _fulltime(context: Any, at: datetime) -> str:
    """``{{ instant | fulltime }}``: "Wed 2 Dec 2026, 13:30" in the reader's zone, as text."""
    return full_text(at, reader_zone(_zone_of(context)))


@pass_context
def _timespan(context: Any, starts: datetime, ends: datetime) -> str:
    """``{{ timespan(starts, ends) }}``: "Fri 11 Dec 2026, 12:00 to 15:00" (with a dash) in the
    reader's zone; the end's day is left out when it is the start's (web/when.py)."""
    return span_text(starts, ends, reader_zone(_zone_of(context)))


@pass_context
def _day(context: Any, at: datetime) -> str:
    """``{{ message.created_at | day }}``: "Today", "Yesterday", "Monday 30 November"."""
    return day_text(at, _zone_of(context))


THEMES = ("light", "dark")  # else the system's choice
THEME_COOKIE = "theme"
SECTIONS = (  # the tab a page belongs to: the first prefix that matches
    ("/moments/new", "share"),
    ("/support/new", "share"),
    ("/feed", "people"),
    ("/moments/mine", "you"),
    ("/moments/", "people"),
    ("/people/", "people"),
    ("/conversations", "conversations"),
    ("/messages/", "conversations"),
    ("/notifications", "notifications"),
    ("/you", "you"),
    ("/u/", "you"),
    ("/settings/", "you"),
    ("/connections", "you"),
    ("/circles", "you"),
    ("/prompts/", "you"),
    ("/invites", "you"),
    ("/blocked", "you"),
    ("/admin", "you"),
    ("/wellbeing", "you"),
    ("/gatherings", "you"),
)


def section_of(path: str) -> str | None:
    """Which tab of the shell a page belongs to (it is marked as the current one)."""
    for prefix, section in SECTIONS:
        if path == prefix or path.startswith(prefix):
            return section
    return None


def theme_of(request: Request) -> str | None:
    """This device's chosen theme (Settings, Appearance), or None to follow the system."""
    chosen = request.cookies.get(THEME_COOKIE)
    return chosen if chosen in THEMES else None


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    templates: Jinja2Blocks = request.app.state.templates
    ctx: dict[str, Any] = {
        "viewer": getattr(request.state, "viewer", None),
        "marks": getattr(request.state, "marks", set()),
        "faces": getattr(request.state, "faces", frozenset()),
        "section": section_of(request.url.path),
        "theme": theme_of(request),
        "instance_name": request.app.state.services.settings.instance_name,
        "notice": _notice(request.query_params.get("notice", "")) or said(request),
        "errors": {},
        "form": {},
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status)
    assert isinstance(response, HTMLResponse)
    forget(request, response)
    return response


FACE_PIXELS = {"xs": 24, "sm": 40, "md": 56, "lg": 128}
MONOGRAM_COLOURS = 8


def initials(name: str) -> str:
    """'Maya Lind' -> 'ML'; 'inês' -> 'I'; nothing usable -> '?'."""
    words = [w for w in name.split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or "?"


@pass_context
def _face(context: Any, person: Any, size: str = "sm") -> Markup:
    """``{{ face(person, "sm") }}``: their photo where the reader may see it (themselves,
    an administrator, or a connection: ``faces``), else a monogram with a stable colour.
    Decorative: the name always stands beside it."""
    pixels = FACE_PIXELS.get(size, FACE_PIXELS["sm"])
    viewer = context.get("viewer")
    mine = viewer is not None and viewer.user.id == person.id
    allowed = (
        mine
        or (viewer is not None and viewer.is_admin)
        or person.id in context.get("faces", frozenset())
    )
    if getattr(person, "avatar_key", None) and allowed:
        source = 64 if pixels <= 56 else 256
        return Markup(
            '<img class="face face-{}" src="/api/v1/people/{}/avatar/{}" alt="" '
            'width="{}" height="{}" loading="lazy">'
        ).format(size, person.handle, source, pixels, pixels)
    return Markup('<span class="face face-{} mono mono-{}" aria-hidden="true">{}</span>').format(
        size, person.id % MONOGRAM_COLOURS, initials(person.display_name)
    )
