"""Which words a compiled rule can start with, so a text is only tried where a rule may start.

(Where the first two words can be listed, they are listed together; see ``triggers``.)

A rule's regular expression is read back with the standard library's own parser, and every
way its first word can be spelled is listed: ``triggers(pattern)`` gives the exact first
words (``"kill"``, ``"ill"``, ``","``) and the prefixes of first words that go on with
something the list cannot spell out (a run of digits, ``[a-z]+``). A rule whose first word can
be anything at all gives the empty prefix ``""``: it is tried at every word. Look-arounds
take no text and are skipped here (the rule still checks them when it is tried), so the lists
may hold words a rule then refuses, never miss one it accepts.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

LIMIT = 4000  # spellings kept before the rest are cut to prefixes


class _Open(Exception):
    """The first word goes on with something that cannot be listed."""


def _walk(items: Any, open_: set[str], done: set[str], prefixes: set[str]) -> set[str]:
    """Extend every still-open first word by ``items``; words that meet a space move to
    ``done``; words that meet something unlistable move to ``prefixes``. Returns the
    words still open afterwards."""
    for op, av in items:
        if not open_:
            return open_
        if op is _c.LITERAL:
            ch = chr(av)
            if ch == " ":
                done |= {s for s in open_ if " " in s}
                open_ = {s + " " for s in open_ if " " not in s}
            else:
                open_ = {s + ch for s in open_}
        elif op is _c.IN:
            chars: list[str] = []
            for kind, value in av:
                if kind is _c.LITERAL:
                    chars.append(chr(value))
                elif kind is _c.CATEGORY and value is _c.CATEGORY_DIGIT:
                    # a number: any digit starts it, whatever follows
                    _cut({s + d for s in open_ for d in "0123456789"}, done, prefixes)
                    return set()
                else:
                    _cut(open_, done, prefixes)
                    return set()
            if "*" in chars and len(chars) > 1:  # a masked vowel: see RuleSet, "*" words
                chars.remove("*")
            if " " in chars:
                done |= {s for s in open_ if " " in s}
                open_ = {s + " " for s in open_ if " " not in s} | {
                    s + ch for s in open_ for ch in chars if ch != " "
                }
            else:
                open_ = {s + ch for s in open_ for ch in chars}
        elif op is _c.BRANCH:
            merged: set[str] = set()
            for branch in av[1]:
                merged |= _walk(branch, set(open_), done, prefixes)
            open_ = merged
        elif op is _c.SUBPATTERN:
            open_ = _walk(av[-1], open_, done, prefixes)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            least, most, body = av
            kept: set[str] = set(open_) if least == 0 else set()
            current = open_
            for count in range(1, 4):
                current = _walk(body, current, done, prefixes)
                if count >= least:
                    kept |= current
                if not current or count >= most:
                    break
            else:
                if current:  # still growing after three rounds: keep what is known
                    _cut(current, done, prefixes)
            open_ = kept
        elif op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue
        else:  # ".", a negated letter, anything else: the word may go on in any way
            _cut(open_, done, prefixes)
            return set()
        if len(open_) > LIMIT:
            _cut(open_, done, prefixes)
            return set()
    return open_


def _cut(open_: set[str], done: set[str], prefixes: set[str]) -> None:
    """Words that cannot be followed further: a second word is dropped (the first alone
    is the key), a first word becomes a prefix."""
    for s in open_:
        if " " in s:
            done.add(s.split(" ", 1)[0])
        else:
            prefixes.add(s)


def triggers(pattern: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first words, first two words, prefixes of first words) for a compiled pattern. A rule
    whose first two words can be listed is keyed by both ("the group"), so that a common
    first word ("the", "we") only brings the rules that go on with the next word."""
    done: set[str] = set()
    prefixes: set[str] = set()
    rest = _walk(_parser.parse(pattern).data, {""}, done, prefixes)
    done |= {s.rstrip(" ") for s in rest}  # the pattern ended inside its first two words
    if "" in done:  # a pattern that may start with a space or nothing matches anywhere
        prefixes.add("")
    singles = frozenset(s for s in done if s and " " not in s)
    pairs = frozenset(s for s in done if " " in s)
    return singles, pairs, frozenset(prefixes)


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression (as text) matching exactly the given words, as a trie: each
    alternative starts with a different character, so a failing position is left at once."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie(tree)


def _trie(node: dict[str, Any]) -> str:
    ends = "" in node
    parts = [re.escape(ch) + _trie(child) for ch, child in sorted(node.items()) if ch]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 and not ends else "(?:" + "|".join(parts) + ")"
    return body + ("?" if ends else "")
