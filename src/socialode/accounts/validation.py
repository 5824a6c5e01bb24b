"""Rules for what people type into accounts forms; each failure names the field and the fix."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from socialode.platform import i18n
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _
from socialode.platform.security import is_common_password

HANDLE_RE = re.compile(r"[A-Za-z0-9_]{3,30}", re.ASCII)
MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_INTERESTS = 8
MAX_INTEREST_LENGTH = 30


def clean_text(value: str) -> str:
    """Trim and drop control characters other than newlines and tabs."""
    value = unicodedata.normalize("NFC", value).strip()
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def handle_key(handle: str) -> str:
    return handle.strip().lower()


def check_handle(handle: str) -> str:
    handle = handle.strip()
    if not handle:
        raise Invalid(N_("Choose a handle."), "handle")
    if not HANDLE_RE.fullmatch(handle):
        if not handle.isascii():
            raise Invalid(
                N_(
                    "Handles use only the letters a to z and A to Z, digits and underscore; "
                    "look-alike letters from other alphabets are not allowed."
                ),
                "handle",
            )
        raise Invalid(
            N_("A handle is 3 to 30 characters: letters a to z, digits and underscore."), "handle"
        )
    return handle


def email_key(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = email.strip()
    if not email:
        raise Invalid(N_("Enter an email address."), "email")
    if len(email) > 254:
        raise Invalid(N_("That email address is too long (254 characters at most)."), "email")
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(
            _("That email address does not look right: %(reason)s") % {"reason": exc}, "email"
        ) from exc
    return result.normalized


def check_password(
    password: str, *, handle: str = "", email: str = "", field: str = "password"
) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("Use at least %(least)s characters for your password.") % {"least": MIN_PASSWORD},
            field,
        )
    if len(password) > MAX_PASSWORD:
        raise Invalid(
            _("Use at most %(most)s characters for your password.") % {"most": MAX_PASSWORD}, field
        )
    lowered = password.lower()
    if is_common_password(password):
        raise Invalid(
            N_(
                "That password is one of the most common ones and easy to guess. "
                "Try a few unrelated words together."
            ),
            field,
        )
    if (handle and handle.lower() in lowered) or (email and email.split("@")[0].lower() == lowered):
        raise Invalid(N_("Your password should not contain your handle or email."), field)
    return password


@lru_cache(maxsize=1)
def timezones() -> tuple[str, ...]:
    return tuple(sorted(tz for tz in available_timezones() if "/" in tz or tz == "UTC"))


def check_timezone(tz: str) -> str:
    tz = tz.strip()
    if tz not in timezones():
        raise Invalid(N_("Pick a time zone from the list, such as Europe/Berlin."), "timezone")
    return tz


def check_language(code: str) -> str:
    code = code.strip()
    if code not in i18n.LANGUAGES:
        names = ", ".join(i18n.LANGUAGES.values())
        raise Invalid(
            _("Choose one of the languages offered: %(names)s.") % {"names": names}, "language"
        )
    return code


def check_display_name(name: str) -> str:
    name = clean_text(name)
    if not name:
        raise Invalid(N_("Enter the name people know you by."), "display_name")
    if len(name) > 60:
        raise Invalid(N_("Keep your display name to 60 characters."), "display_name")
    return name


def check_bio(bio: str) -> str:
    bio = clean_text(bio)
    if len(bio) > 300:
        raise Invalid(N_("Keep your bio to 300 characters."), "bio")
    return bio


def check_pronouns(pronouns: str) -> str:
    pronouns = clean_text(pronouns)
    if len(pronouns) > 40:
        raise Invalid(N_("Keep pronouns to 40 characters."), "pronouns")
    return pronouns


def check_interests(interests: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for raw in interests:
        tag = clean_text(raw).lstrip("#")
        if not tag:
            continue
        if len(tag) > MAX_INTEREST_LENGTH:
            raise Invalid(
                _("Keep each interest to %(most)s characters.") % {"most": MAX_INTEREST_LENGTH},
                "interests",
            )
        seen.setdefault(tag.lower(), tag)
    if len(seen) > MAX_INTERESTS:
        raise Invalid(_("Pick up to %(most)s interests.") % {"most": MAX_INTERESTS}, "interests")
    return list(seen.values())


def split_interests(text: str) -> list[str]:
    return [part for part in re.split(r"[,\n]", text) if part.strip()]


def check_reason(reason: str) -> str:
    reason = clean_text(reason)
    if len(reason) > 500:
        raise Invalid(N_("Keep this to 500 characters."), "reason")
    return reason
