"""The help directory: crisis lines, professional help and self-help, per language.

It is a plain TOML file an operator can edit (``help_resources.toml`` beside this module is
the one shipped; ``SOCIALODE_HELP_RESOURCES`` names the operator's own). The app reads it once
when it starts and refuses to start when it is malformed, with a message that names the file,
the line and what to fix: a help page that fails later, when someone needs it, is worse.

A member gets the entries of their own language; when it has none, those of another variant
of the same language ("pt" for "pt_BR"), and when there are none either, English ones, with
``fallback`` set so the page can say so. The directory is read, never written, and nothing
about who looks at it is kept.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request

from socialode.platform.i18n import DEFAULT, LANGUAGES, current

SHIPPED = Path(__file__).resolve().parent / "help_resources.toml"
KINDS = ("crisis", "professional", "self_help")
REQUIRED = ("locale", "kind", "name", "offers", "region")
OPTIONAL = ("phone", "text", "web", "hours")
WAYS = ("phone", "text", "web")
SUPPORT_FIELDS = ("text", "emergency")
MAX_CHARS = 500
NUMBER_RE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
TOML_LINE_RE = re.compile(r"\(at line (\d+), column \d+\)")
RESOURCE_HEADER_RE = re.compile(r"^\s*\[\[\s*resource\s*\]\]")
TABLE_HEADER_RE = re.compile(r"^\s*\[")


class HelpDirectoryError(Exception):
    """The directory file cannot be used; the message names the file, the line and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class HelpResource:
    locale: str
    kind: str
    name: str
    offers: str
    region: str
    phone: str | None = None
    text: str | None = None
    web: str | None = None
    hours: str | None = None

    @property
    def phone_link(self) -> str | None:
        """``tel:`` link of the phone number (digits and a leading +), for one tap."""
        return f"tel:{_dialable(self.phone)}" if self.phone else None

    @property
    def text_link(self) -> str | None:
        return f"sms:{_dialable(self.text)}" if self.text else None

    def as_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "offers": self.offers,
            "region": self.region,
            "phone": self.phone,
            "text": self.text,
            "web": self.web,
            "hours": self.hours,
        }


@dataclass(frozen=True)
class SupportText:
    text: str
    emergency: str


@dataclass(frozen=True)
class LocaleHelp:
    """What one language's reader is shown. ``locale`` is the one whose entries these are;
    ``fallback`` is True when the reader's language had none and English ones stand in."""

    locale: str
    crisis: list[HelpResource]
    professional: list[HelpResource]
    self_help: list[HelpResource]
    support_text: str
    emergency_text: str
    fallback: bool

    @property
    def help_text(self) -> str:
        """Both support sentences, the one about danger first."""
        return f"{self.emergency_text} {self.support_text}"


@dataclass(frozen=True)
class HelpDirectory:
    resources: tuple[HelpResource, ...]
    support: dict[str, SupportText] = field(default_factory=dict)

    @property
    def locales(self) -> set[str]:
        return {r.locale for r in self.resources}

    def for_locale(self, code: str) -> LocaleHelp:
        entries_locale = _nearest(code, self.locales)
        support_locale = _nearest(code, set(self.support)) or DEFAULT
        chosen = [r for r in self.resources if r.locale == entries_locale]
        support = self.support[support_locale]
        return LocaleHelp(
            locale=entries_locale or DEFAULT,
            crisis=[r for r in chosen if r.kind == "crisis"],
            professional=[r for r in chosen if r.kind == "professional"],
            self_help=[r for r in chosen if r.kind == "self_help"],
            support_text=support.text,
            emergency_text=support.emergency,
            fallback=_language(entries_locale or DEFAULT) != _language(code),
        )


def help_for(request: Request) -> LocaleHelp:
    """The directory the app loaded at start, for the language of this request."""
    directory: HelpDirectory = request.app.state.help_directory
    return directory.for_locale(current())


def _language(code: str) -> str:
    return code.replace("-", "_").split("_", 1)[0].lower()


def _nearest(code: str, available: set[str]) -> str | None:
    """The exact locale, else another of the same language, else the default; None if none."""
    if code in available:
        return code
    same = sorted(c for c in available if _language(c) == _language(code))
    if same:
        return same[0]
    return DEFAULT if DEFAULT in available else None


def _dialable(number: str | None) -> str:
    return re.sub(r"[^0-9+]", "", number or "")


# Reading and checking ------------------------------------------------------------------------


def load_help_directory(path: Path | None = None) -> HelpDirectory:
    """Read and check the directory (the shipped one when ``path`` is None)."""
    where = path or SHIPPED
    try:
        text = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HelpDirectoryError(
            f"{where}: the help directory cannot be read ({exc}). Point "
            "SOCIALODE_HELP_RESOURCES at a readable UTF-8 TOML file, or unset it to use the "
            "one shipped with Socialode."
        ) from exc
    return parse_help_directory(text, where)


def parse_help_directory(text: str, where: Path) -> HelpDirectory:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_LINE_RE.search(str(exc))
        line = f", line {found.group(1)}" if found else ""
        reason = TOML_LINE_RE.sub("", str(exc)).strip()
        raise HelpDirectoryError(
            f"{where}{line}: this is not valid TOML ({reason}). Fix that line: each field is "
            'written once, as name = "text" with the text in double quotes.'
        ) from exc
    lines = text.splitlines()
    _Checker(where, lines).top_level(data)
    resources = tuple(
        _Checker(where, lines).resource(index, entry)
        for index, entry in enumerate(_entries(data, where))
    )
    support = _Checker(where, lines).support(data.get("support", {}))
    return HelpDirectory(resources=resources, support=support)


def _entries(data: dict[str, Any], where: Path) -> list[Any]:
    entries = data.get("resource", [])
    if not isinstance(entries, list):
        raise HelpDirectoryError(
            f"{where}: 'resource' must be a list of entries, each starting with a "
            "[[resource]] line."
        )
    return entries


@dataclass
class _Checker:
    where: Path
    lines: list[str]

    def fail(self, line: int | None, problem: str) -> HelpDirectoryError:
        at = f", line {line}" if line else ""
        return HelpDirectoryError(f"{self.where}{at}: {problem}")

    def header_line(self, index: int) -> int | None:
        """The line of the ``index``-th ``[[resource]]`` header (1-based), if found."""
        seen = -1
        for number, line in enumerate(self.lines, start=1):
            if RESOURCE_HEADER_RE.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def field_line(self, start: int | None, name: str) -> int | None:
        """The line of ``name = ...`` in the table that starts at line ``start``."""
        if start is None:
            return None
        pattern = re.compile(rf"^\s*\"?{re.escape(name)}\"?\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if TABLE_HEADER_RE.match(line):
                break
            if pattern.match(line):
                return number
        return start

    def top_level(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in ("resource", "support"):
                line = self.field_line(0, key) or self._table_line(rf"\[\s*{re.escape(key)}\b")
                raise self.fail(
                    line,
                    f"'{key}' is not part of the help directory. Use [[resource]] entries and "
                    "[support.<locale>] sentences only (the file's header explains both).",
                )

    def _table_line(self, pattern: str) -> int | None:
        regex = re.compile(rf"^\s*{pattern}")
        for number, line in enumerate(self.lines, start=1):
            if regex.match(line):
                return number
        return None

    def resource(self, index: int, entry: Any) -> HelpResource:
        start = self.header_line(index)
        if not isinstance(entry, dict):
            raise self.fail(start, "each resource must be a [[resource]] table of fields.")
        label = (
            f'the entry "{entry["name"]}"'
            if isinstance(entry.get("name"), str)
            else (f"resource number {index + 1}")
        )
        for key in entry:
            if key not in REQUIRED and key not in OPTIONAL:
                raise self.fail(
                    self.field_line(start, key),
                    f"{label} has an unknown field '{key}'. The fields are: "
                    f"{', '.join(REQUIRED + OPTIONAL)}.",
                )
        values: dict[str, str] = {}
        for key in REQUIRED + OPTIONAL:
            if key not in entry:
                if key in REQUIRED:
                    raise self.fail(start, f"{label} has no '{key}'. Add {key} = \"...\".")
                continue
            values[key] = self.text_field(start, label, key, entry[key])
        self.check_values(start, label, values)
        return HelpResource(**values)

    def text_field(self, start: int | None, label: str, key: str, value: Any) -> str:
        line = self.field_line(start, key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, f"{label}: '{key}' must be text in double quotes, not empty.")
        if len(value) > MAX_CHARS:
            raise self.fail(line, f"{label}: '{key}' is longer than {MAX_CHARS} characters.")
        return value.strip()

    def check_values(self, start: int | None, label: str, values: dict[str, str]) -> None:
        if values["locale"] not in LANGUAGES:
            raise self.fail(
                self.field_line(start, "locale"),
                f'{label} has locale "{values["locale"]}", a language Socialode does not '
                f"speak. Use one of: {', '.join(sorted(LANGUAGES))}.",
            )
        if values["kind"] not in KINDS:
            raise self.fail(
                self.field_line(start, "kind"),
                f'{label} has kind "{values["kind"]}". Use one of: {", ".join(KINDS)}.',
            )
        if not any(way in values for way in WAYS):
            raise self.fail(
                start,
                f"{label} gives no way to reach it. Add at least one of phone, text or web.",
            )
        for way in ("phone", "text"):
            if way in values and not (
                NUMBER_RE.match(values[way]) and _dialable(values[way]).lstrip("+")
            ):
                raise self.fail(
                    self.field_line(start, way),
                    f"{label}: '{way}' must be a number people can dial, such as \"116 123\" "
                    'or "+351 808 24 24 24" (digits, spaces, +, - and brackets only).',
                )
        if "web" in values:
            parts = urlsplit(values["web"])
            if parts.scheme != "https" or not parts.netloc or " " in values["web"]:
                raise self.fail(
                    self.field_line(start, "web"),
                    f"{label}: 'web' must be a full https:// address, such as "
                    '"https://www.samaritans.org".',
                )

    def support(self, tables: Any) -> dict[str, SupportText]:
        if not isinstance(tables, dict):
            raise self.fail(
                self._table_line(r"support\b"),
                "'support' must be tables named [support.<locale>].",
            )
        found: dict[str, SupportText] = {}
        for locale, table in tables.items():
            start = self._table_line(rf"\[\s*support\s*\.\s*\"?{re.escape(locale)}\"?\s*\]")
            label = f"[support.{locale}]"
            if locale not in LANGUAGES:
                raise self.fail(
                    start,
                    f"{label} names a language Socialode does not speak. Use one of: "
                    f"{', '.join(sorted(LANGUAGES))}.",
                )
            if not isinstance(table, dict):
                raise self.fail(start, f"{label} must be a table with text and emergency.")
            for key in table:
                if key not in SUPPORT_FIELDS:
                    raise self.fail(
                        self.field_line(start, key),
                        f"{label} has an unknown field '{key}'. Its fields are text and emergency.",
                    )
            values = {}
            for key in SUPPORT_FIELDS:
                if key not in table:
                    raise self.fail(start, f"{label} has no '{key}'. Add {key} = \"...\".")
                values[key] = self.text_field(start, label, key, table[key])
            found[locale] = SupportText(**values)
        if DEFAULT not in found:
            raise self.fail(
                None,
                f"there is no [support.{DEFAULT}] table. Add one with text and emergency: it "
                "is what readers in a language without its own sentences see.",
            )
        return found
