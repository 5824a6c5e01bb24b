"""Rules for what people type into the circles forms; each failure names the field and the fix."""

from __future__ import annotations

from socialode.accounts.validation import HANDLE_RE, clean_text
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _

MAX_NOTE = 280
MAX_CIRCLE_NAME = 60


def parse_handle(handle: str, field: str = "handle") -> str:
    """A handle as typed ("@ada" or "ada"), checked for shape; unknown ones are the caller's."""
    handle = clean_text(handle).removeprefix("@").strip()
    if not handle:
        raise Invalid(N_("Enter the person's handle, such as @ada."), field)
    if not HANDLE_RE.fullmatch(handle):
        raise Invalid(
            N_("A handle is 3 to 30 characters: letters a to z, digits and underscore."), field
        )
    return handle


def check_note(note: str) -> str:
    note = clean_text(note)
    if len(note) > MAX_NOTE:
        raise Invalid(_("Keep the note to %(most)s characters.") % {"most": MAX_NOTE}, "note")
    return note


def check_circle_name(name: str) -> tuple[str, str]:
    """The name as shown, and the key that keeps names unique per owner regardless of case."""
    name = " ".join(clean_text(name).split())
    if not name:
        raise Invalid(N_("Give the circle a name, such as Family."), "name")
    key = name.casefold()
    if len(name) > MAX_CIRCLE_NAME or len(key) > MAX_CIRCLE_NAME:
        message = _("Keep the circle's name to %(most)s characters.") % {"most": MAX_CIRCLE_NAME}
        raise Invalid(message, "name")
    return name, key
