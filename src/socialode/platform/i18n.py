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
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"


def _offered() -> dict[str, str]:
    """English, and every language with a catalog in ``LOCALE_DIR``, by its code and its own
    name ("Português (Portugal)"), as a member choosing it would look for it. Adding a
    catalog adds the language: no code changes."""
    found = {DEFAULT: "English"}
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        code = po.parent.parent.name
        try:
            own = Locale.parse(code).get_display_name(code) or code
        except (UnknownLocaleError, ValueError):
            continue  # a folder that is no language Babel knows is not offered
        found[code] = own[:1].upper() + own[1:]
    return found


LANGUAGES: dict[str, str] = _offered()

_current: ContextVar[str] = ContextVar("socialode_language", default=DEFAULT)


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=16)
def translations(code: str) -> NullTranslations:
    """The catalog for ``code``, read from its ``.po`` file once per process (no compiled
    file to forget to rebuild; fuzzy entries are left out). English needs none."""
    if code == DEFAULT or code not in LANGUAGES:
        return NullTranslations()
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def locale_of(code: str) -> Locale:
    """Babel's locale for a language code, for dates and numbers (English when unknown)."""
    try:
        return Locale.parse(code if code in LANGUAGES else DEFAULT)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def negotiate(accept_language: str) -> str:
    """The best of our languages for an ``Accept-Language`` header; English when none fits."""
    wanted: list[tuple[float, str]] = []
    for part in accept_language.split(",")[:20]:
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            wanted.append((quality, tag.strip().replace("-", "_")))
    wanted.sort(key=lambda item: -item[0])  # stable: equal weights keep the sender's order
    ours = {code.lower(): code for code in LANGUAGES}
    for _quality, tag in wanted:
        exact = ours.get(tag.lower())
        if exact:
            return exact
        base = tag.split("_", 1)[0].lower()
        for code in LANGUAGES:
            if code.split("_", 1)[0].lower() == base:
                return code
    return DEFAULT


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


def html_lang() -> str:
    """The language in force as a BCP 47 tag, for ``<html lang>`` ("pt-PT")."""
    return _current.get().replace("_", "-")


def use(code: str) -> None:
    """Speak ``code`` for the rest of this request (a member's own choice, once known)."""
    _current.set(code if code in LANGUAGES else DEFAULT)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return str(translations(_current.get()).pgettext(context, message))


def number(value: int) -> str:
    """A whole number as the language in force writes it ("4,000" in English)."""
    return format_decimal(value, locale=locale_of(_current.get()))


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it with ``_`` where shown."""
    return message


_ = gettext
