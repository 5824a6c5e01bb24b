"""Phrase rules and how they are compiled into regular expressions over normalised words.

A rule's pattern is written over the ``words`` view of :mod:`socialode.safety.normalise`
(lower case, no accents, words separated by one space) in ordinary regular-expression syntax,
with two additions that keep the lists readable:

- ``{NAME}`` inserts a named list of the same language (``{YOU_ARE}``, ``{INSULT}``), itself
  a pattern; lists may use other lists.
- The text has every run of one letter cut to a single letter ("looser" and "loooser" are
  "loser", "kill" is "kil"), and so has each pattern when it is compiled: write words as they
  are spelled. (The price is that words differing only in a doubled letter, "mora" and
  "morra", look alike; rules are written with that in mind.) A vowel after the first letter
  of a word also accepts a "*" ("f*ck", "b*tch"). A letter followed by a quantifier (``?``,
  ``*``, ``+``, ``{m,n}``) or inside a look-behind is left as written.

Patterns match whole words only. ``soft`` rules (mild insults, "i'll kill you" as a figure of
speech) are dropped when the text also carries an affectionate cue ("love you", "lol", "😂").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from socialode.safety.assessment import Category

VOWELS = frozenset("aeiouy")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
WORD_START = r"(?<![a-z0-9*])"
WORD_END = r"(?![a-z0-9*])"


class Rule(NamedTuple):
    id: str
    category: Category
    pattern: str
    soft: bool = False


def rule(rule_id: str, category: str, pattern: str, *, soft: bool = False) -> Rule:
    return Rule(rule_id, Category(category), pattern, soft)


def _expand(pattern: str, macros: Mapping[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise ValueError(f"phrase lists refer to each other in a loop: {pattern[:60]!r}")

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise ValueError(f"phrase list {{{name}}} is not defined")
        return "(?:" + _expand(macros[name], macros, depth + 1) + ")"

    return MACRO_RE.sub(one, pattern)


def _letters(pattern: str) -> str:
    """Let plain letters accept doubles and masked vowels (see the module docstring)."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            end = pattern.index("]", i + 1)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        if c == "{":
            end = pattern.index("}", i)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        if pattern.startswith(("(?<!", "(?<="), i):  # look-behinds stay fixed-width
            end = pattern.index(")", i)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        if c == "(" and pattern.startswith("(?", i):
            j = i + 2
            while j < n and pattern[j] in "<:=!":
                j += 1
            out.append(pattern[i:j])
            i = j
            continue
        if c == "(":  # groups never capture: a match names its rule by the outer group
            out.append("(?:")
            i += 1
            continue
        if c not in LETTERS:
            out.append(c)
            i += 1
            continue
        following = pattern[i + 1] if i + 1 < n else ""
        if following in "?*+{":
            out.append(c)
            i += 1
            continue
        first = i == 0 or pattern[i - 1] not in LETTERS
        while i + 1 < n and pattern[i + 1] == c and (i + 2 >= n or pattern[i + 2] not in "?*+{"):
            i += 1  # the text has every run of a letter cut to one: so has the pattern
        out.append(f"[{c}*]" if c in VOWELS and not first else c)
        i += 1
    return "".join(out)


def compile_pattern(pattern: str, macros: Mapping[str, str], *, start: bool = True) -> str:
    """The regular expression (as text) for one rule's pattern."""
    body = _letters(_expand(pattern, macros))
    return f"{WORD_START if start else ''}(?:{body}){WORD_END}"


def _alternatives(parts: Iterable[str]) -> re.Pattern[str]:
    # The word-start check comes once, before the alternatives: most positions are inside a
    # word and fail there without trying any rule.
    return re.compile(f'{WORD_START}(?=[a-z0-9*",])(?:' + "|".join(parts) + ")")


class RuleSet:
    """Rules compiled into one expression; a match names its rule by the group it took."""

    def __init__(self, rules: Iterable[Rule], macros: Mapping[str, str]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        seen: set[str] = set()
        parts: list[str] = []
        for index, r in enumerate(self.rules):
            if r.id in seen:
                raise ValueError(f"two phrase rules share the id {r.id!r}")
            seen.add(r.id)
            parts.append(f"(?P<r{index}>{compile_pattern(r.pattern, macros, start=False)})")
        self.regex: re.Pattern[str] | None = _alternatives(parts) if parts else None

    def matches(self, text: str) -> list[tuple[Rule, int]]:
        """Every (rule, start) that matches, left to right, without overlaps."""
        if self.regex is None:
            return []
        found: list[tuple[Rule, int]] = []
        for m in self.regex.finditer(text):
            name = m.lastgroup
            if name is not None:
                found.append((self.rules[int(name[1:])], m.start()))
        return found

    def first(self, text: str) -> Rule | None:
        if self.regex is None:
            return None
        m = self.regex.search(text)
        if m is None or m.lastgroup is None:
            return None
        return self.rules[int(m.lastgroup[1:])]


def cue_regex(patterns: Iterable[str], macros: Mapping[str, str]) -> re.Pattern[str]:
    """One expression matching any of the cue patterns (no rule ids needed)."""
    return _alternatives(compile_pattern(p, macros, start=False) for p in patterns)
