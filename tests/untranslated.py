"""Finding text a person would read that does not go through gettext.

Templates: the text between tags and the values of attributes people read or hear (``alt``,
``title``, ``aria-label``, ``placeholder``, ``content`` of a description), and sentences
passed as literals to macros. Python: sentences given to the errors people see (``AppError``
and its kinds), to notices, questions and the notification texts, and module constants that
hold a sentence, unless wrapped in ``_()``/``N_()``.

Used by tests/web/test_i18n.py, and handy on its own:
``.venv/bin/python -m tests.untranslated`` prints every finding.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes

SRC = Path(__file__).resolve().parents[1] / "src" / "socialode"
READ_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "placeholder",
    "aria-description",
    "data-confirm",
    "data-confirm-detail",
    "data-confirm-action",
}
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Text that is the same in every language: the product's name, symbols, a lone letter.
UNIVERSAL = {"Socialode", "OK", "@"}
# Calls whose text arguments are read by people.
SHOWN_CALLS = {
    "Invalid",
    "NotFound",
    "Conflict",
    "Forbidden",
    "Unauthenticated",
    "TooMany",
    "Gone",
    "AppError",
    "TooLarge",
    "Shown",
    "Question",
    "tell",
    "Notice",
}
TRANSLATING = {"_", "N_", "gettext", "ngettext", "pgettext"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _readable(text: str) -> bool:
    words = LETTERS.findall(text)
    return bool(words) and not all(w in UNIVERSAL for w in words)


def _wordy(text: str) -> bool:
    """Words rather than a class name, a code or a path: a space, or a capital first letter
    followed by small ones ("You", "Share"; not "UTC", "mine" or "/feed")."""
    text = text.strip()
    if not _readable(text) or text.startswith("/"):
        return False
    return " " in text or (text[:1].isupper() and text[1:2].islower())


class _TextOf(HTMLParser):
    """The readable parts of a run of template text (which may hold half a tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data: str) -> None:
        if _readable(data):
            self.found.append(data.strip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _readable(value):
                self.found.append(value)
        named = dict(attrs)
        if tag == "meta" and named.get("name") == "description" and named.get("content"):
            self.found.append(str(named["content"]))


def _template_data(source: str) -> list[str]:
    """Text outside tags and inside read attributes; Jinja expressions are blanked first."""
    blanked = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
    parser = _TextOf()
    # Script and style bodies are not read; a stray "<" of a half tag is harmless.
    parser.feed(re.sub(r"<(script|style)\b.*?</\1>", " ", blanked, flags=re.S | re.I))
    parser.close()
    return parser.found


def template_findings(env: Environment, path: Path) -> Iterator[Finding]:
    source = path.read_text()
    relative = str(path.relative_to(SRC))
    # Text inside {% trans %} blocks is translated: drop those blocks before looking.
    outside = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", source, flags=re.S)
    for text in _template_data(outside):
        line = 1 + source[: max(source.find(text), 0)].count("\n")
        yield Finding(relative, line, text)
    tree = env.parse(source)
    for call in tree.find_all(nodes.Call):
        name = getattr(call.node, "name", None)
        if name in TRANSLATING:
            continue
        args = [*call.args, *(kw.value for kw in call.kwargs)]
        for position, arg in enumerate(args):
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                label = name == "icon" and position == 1  # an icon's accessible name
                if (label or " " in arg.value.strip()) and _readable(arg.value):
                    yield Finding(relative, arg.lineno, arg.value)
    # Words chosen in an expression ({{ "You" if mine else name }}) and labels in lists.
    for holder in (*tree.find_all(nodes.CondExpr), *tree.find_all(nodes.Or)):
        for side in (
            getattr(holder, "expr1", None),
            getattr(holder, "expr2", None),
            getattr(holder, "left", None),
            getattr(holder, "right", None),
        ):
            if isinstance(side, nodes.Const) and isinstance(side.value, str) and _wordy(side.value):
                yield Finding(relative, side.lineno, side.value)
    for listed in (*tree.find_all(nodes.Tuple), *tree.find_all(nodes.List)):
        for item in listed.items:  # type: ignore[attr-defined]
            if isinstance(item, nodes.Const) and isinstance(item.value, str) and _wordy(item.value):
                yield Finding(relative, item.lineno, item.value)


def _is_translated(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in TRANSLATING
    )


def _literal_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp):  # "..." % values or "..." + "..."
        return _literal_text(node.left)
    return None


def _sentence(text: str) -> bool:
    text = text.strip()
    return bool(text) and " " in text and text[:1].isupper() and _readable(text)


def python_findings(path: Path) -> Iterator[Finding]:
    relative = str(path.relative_to(SRC))
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in SHOWN_CALLS:
                continue
            for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                if _is_translated(arg):
                    continue
                text = _literal_text(arg)
                if text is not None and _sentence(text):
                    yield Finding(relative, node.lineno, text)
    source_lines = path.read_text().splitlines()
    for statement in tree.body:  # module constants that hold a sentence
        above = source_lines[statement.lineno - 2] if statement.lineno > 1 else ""
        if "# untranslated:" in above:
            continue  # says why (the API reference, for one, is in English)
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if not any(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                continue
            value = statement.value
            if value is None:
                continue
            for leaf in ast.walk(value):
                if isinstance(leaf, ast.Call) and _is_translated(leaf):
                    break
            else:
                for leaf in ast.walk(value):
                    if (
                        isinstance(leaf, ast.Constant)
                        and isinstance(leaf.value, str)
                        and _sentence(leaf.value)
                        and leaf.value.rstrip()[-1:] in ".!?"
                    ):
                        yield Finding(relative, leaf.lineno, leaf.value)


def findings(env: Environment) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        found.extend(template_findings(env, path))
    for path in sorted(SRC.rglob("*.py")):
        found.extend(python_findings(path))
    return found


if __name__ == "__main__":
    from socialode.web.templating import build_templates

    results = findings(build_templates().env)
    for finding in results:
        print(finding)
    print(len(results), "to translate")


def extracted_msgids(pot: Path, source: Path) -> set[Any]:
    """Every msgid Babel's extractor finds under ``source`` (the project's babel.cfg and its
    ``N_`` marker), written to ``pot`` on the way."""
    import subprocess
    import sys

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    config = str(root / "babel.cfg")
    command = [pybabel, "--quiet", "extract", "-F", config, "-k", "N_", "-o", str(pot)]
    subprocess.run([*command, str(source)], check=True, cwd=root)
    with pot.open("rb") as template:
        return {m.id for m in read_po(template) if m.id}
