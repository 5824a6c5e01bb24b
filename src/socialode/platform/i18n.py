"""Languages: one gettext catalog per language, chosen per request or per recipient.

Every user-facing string goes through ``_`` (Python) or ``{{ _("...") }}`` / ``{% trans %}``
(templates). The language in force is a context variable: a request sets it from the member's
choice (or ``Accept-Language`` before sign-in), and a job that writes to someone sets it to
theirs with ``language(code)``, so everything rendered inside speaks the reader's language.

Strings defined at import time (module constants) are marked with ``N_`` so the extractor
finds them, and translated with ``_`` where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# Each language by its code and its own name, as a member choosing it would look for it.
LANGUAGES: dict[str, str] = {"en": "English"}

_current: ContextVar[str] = ContextVar("socialode_language", default=DEFAULT)


@lru_cache(maxsize=16)
def translations(code: str) -> NullTranslations:
    """The catalog for ``code`` (compiled ``.mo``); English and unknown codes need none."""
    if code == DEFAULT or code not in LANGUAGES:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [code], DOMAIN)


def current() -> str:
    return _current.get()


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block (a request, or a job writing to one recipient)."""
    token = _current.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return str(translations(_current.get()).pgettext(context, message))


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it with ``_`` where shown."""
    return message


_ = gettext
