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
``firm`` rules (slurs) are never dropped for a cue, and the combined detector's model does not
overrule them. A rule both ``soft`` and ``firm`` (a threat through someone else, "I'll get my
brother to batter you") is dropped for an affectionate cue, as any soft rule, but not for a cue
of banter alone, and what it finds the model does not overrule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from socialode.safety.assessment import Category
from socialode.safety.index import trie_pattern, triggers

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
    # when set, the rule is only tried where one of these words comes within NEAR words
    near: frozenset[str] = frozenset()
    # the model does not overrule it; and unless it is also soft (then an affectionate cue
    # clears it), no cue of banter or affection clears it either (slurs)
    firm: bool = False


NEAR = 14


def rule(
    rule_id: str,
    category: str,
    pattern: str,
    *,
    soft: bool = False,
    near: str = "",
    firm: bool = False,
) -> Rule:
    return Rule(rule_id, Category(category), pattern, soft, frozenset(near.split()), firm)


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


AT_START = f"{WORD_START}(?:^"
FEW = 2
# words so common in any text that rules starting with them are keyed by two words
_COMMON = (
    "the a an and to of in on at for with is are was were be it this that we i you your ur u "
    'they he she my me so just go get will ill im not no do dont , . " if or but all what '
    "who how when there here have has had can its"
)
COMMON = frozenset(_COMMON.split(" "))


def _branches(body: str) -> list[str]:
    """The top-level alternatives of an expression (``a|b(c|d)`` -> ``a``, ``b(c|d)``)."""
    out: list[str] = []
    depth = 0
    last = 0
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = body.index("]", i + 2 if body.startswith("[]", i) else i + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(body[last:i])
            last = i + 1
        i += 1
    out.append(body[last:])
    return out


def compile_branches(pattern: str, macros: Mapping[str, str]) -> list[str]:
    """One rule's pattern as one regular expression (as text) per top-level alternative: each
    is indexed by its own first words."""
    body = _letters(_expand(pattern, macros))
    return [f"{WORD_START}(?:{branch}){WORD_END}" for branch in _branches(body)]


class RuleSet:
    """Rules compiled one by one and indexed by the words they can start with
    (:mod:`socialode.safety.index`): a text is only tried at the words where some rule may
    start, and there only with those rules, in their order. The answers are those of one
    expression joining every rule in order (leftmost match first, then the earlier rule)."""

    def __init__(self, rules: Iterable[Rule], macros: Mapping[str, str]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        seen: set[str] = set()
        # one expression per top-level alternative of each rule, in order; owner[i] is the
        # index of the rule that expression i belongs to
        self.regexes: list[re.Pattern[str]] = []
        self.owner: list[int] = []
        self.at_start: list[int] = []
        exact: dict[str, list[int]] = {}
        prefixed: dict[str, list[int]] = {}
        paired: dict[str, list[int]] = {}
        for number, r in enumerate(self.rules):
            if r.id in seen:
                raise ValueError(f"two phrase rules share the id {r.id!r}")
            seen.add(r.id)
            for compiled in compile_branches(r.pattern, macros):
                index = len(self.regexes)
                self.regexes.append(re.compile(compiled))
                self.owner.append(number)
                if compiled.startswith(AT_START):  # "^...": tried at the first word only
                    self.at_start.append(index)
                    continue
                words, pairs, prefixes = triggers(compiled)
                for word in words:
                    exact.setdefault(word, []).append(index)
                for pair in pairs:
                    paired.setdefault(pair, []).append(index)
                for prefix in prefixes:
                    prefixed.setdefault(prefix, []).append(index)
        self.near = [self.rules[number].near for number in self.owner]
        self.every = tuple(i for i in range(len(self.regexes)) if i not in set(self.at_start))
        self.anywhere: tuple[int, ...] = tuple(prefixed.pop("", ()))
        # a first word that starts few expressions keys them alone: fewer keys, quicker to load
        by_first: dict[str, list[str]] = {}
        for pair in paired:
            by_first.setdefault(pair.split(" ", 1)[0], []).append(pair)
        for first, keys in by_first.items():
            ids = {i for key in keys for i in paired[key]}
            if len(ids) <= FEW and first not in COMMON:
                exact[first] = sorted({*exact.get(first, ()), *ids})
                for pair in keys:
                    del paired[pair]
        self.exact = {w: tuple(sorted({*ids, *self.anywhere})) for w, ids in exact.items()}
        self.prefixed = tuple((p, tuple(ids)) for p, ids in sorted(prefixed.items()))
        self.prefix_starts = frozenset(p[0] for p, _ in self.prefixed)
        self.pairs = {p: tuple(ids) for p, ids in paired.items()}
        self._cache: dict[str, tuple[int, ...]] = {}
        self._near_cache: dict[tuple[int, ...], frozenset[str]] = {}
        # where a rule may start: a word of ``exact`` or one starting with a prefix
        self.starts: re.Pattern[str] | None = None
        if self.exact or self.prefixed or self.pairs:
            whole = trie_pattern({*self.exact, *self.pairs})
            begun = trie_pattern(p for p, _ in self.prefixed)
            masked = r"[^ *]*\*"  # a word with a masked letter ("f*ck") may start any rule
            either = "|".join(
                part for part in (f"(?:{whole})(?= |$)" if whole else "", begun, masked) if part
            )
            # zero-width: a key ("just go") must not hide the next word ("go die")
            self.starts = re.compile(f"(?<![^ ])(?=(?:{either}))")

    def _candidates(self, word: str) -> tuple[int, ...]:
        if "*" in word:
            return self.every
        found = self.exact.get(word)
        if word[0] not in self.prefix_starts:
            return found if found is not None else self.anywhere
        cached = self._cache.get(word)
        if cached is None:
            ids = set(found if found is not None else self.anywhere)
            for prefix, more in self.prefixed:
                if word.startswith(prefix):
                    ids.update(more)
            cached = tuple(sorted(ids))
            if len(self._cache) < 4096:
                self._cache[word] = cached
        return cached

    def _shared_near(self, ids: tuple[int, ...]) -> frozenset[str]:
        """The words every one of these expressions wants nearby (empty: some want none)."""
        shared = self._near_cache.get(ids)
        if shared is None:
            sets = {self.near[i] for i in ids}
            shared = next(iter(sets)) if len(sets) == 1 else frozenset()
            if len(self._near_cache) < 4096:
                self._near_cache[ids] = shared
        return shared

    def _places(self, text: str) -> Iterator[int]:
        """The start of every word where some rule may start, left to right."""
        if self.anywhere:
            at = 0
            for word in text.split(" "):
                yield at
                at += len(word) + 1
        elif self.starts is not None:
            for m in self.starts.finditer(text):
                yield m.start()

    def _scan(self, text: str, every: bool) -> list[tuple[Rule, int]]:
        found: list[tuple[Rule, int]] = []
        regexes = self.regexes
        after = 0  # matches do not overlap: a match's words are not tried again
        for index in self.at_start:
            m = regexes[index].match(text)
            if m is not None:
                found.append((self.rules[self.owner[index]], 0))
                if not every:
                    return found
                after = max(m.end(), 1)
                break
        for start in self._places(text):
            if start < after:
                continue
            end = text.find(" ", start)
            word = text[start:] if end < 0 else text[start:end]
            if not word:
                continue
            ids = self._candidates(word)
            if end > 0:
                following = text.find(" ", end + 1)
                more = self.pairs.get(text[start:] if following < 0 else text[start:following])
                if more:
                    ids = tuple(sorted({*ids, *more})) if ids else more
            shared = self._shared_near(ids)
            if shared and shared.isdisjoint(text[start : start + 160].split(" ", NEAR)[:NEAR]):
                continue  # every candidate here wants a word that does not come
            ahead: list[str] | None = None
            close: dict[frozenset[str], bool] = {}
            for index in ids:
                near = self.near[index]
                if near:
                    is_close = close.get(near)
                    if is_close is None:
                        if ahead is None:
                            ahead = text[start : start + 160].split(" ", NEAR)[:NEAR]
                        is_close = close[near] = not near.isdisjoint(ahead)
                    if not is_close:
                        continue
                m = regexes[index].match(text, start)
                if m is not None:
                    found.append((self.rules[self.owner[index]], start))
                    if not every:
                        return found
                    after = max(m.end(), start + 1)
                    break
        return found

    def matches(self, text: str) -> list[tuple[Rule, int]]:
        """Every (rule, start) that matches, left to right, without overlaps."""
        return self._scan(text, every=True)

    def first(self, text: str) -> Rule | None:
        found = self._scan(text, every=False)
        return found[0][0] if found else None


def cue_set(patterns: Iterable[str], macros: Mapping[str, str]) -> RuleSet:
    """The cue patterns as a rule set (``first`` says whether any is there)."""
    return RuleSet((Rule(f"cue.{i}", Category.none, p) for i, p in enumerate(patterns)), macros)
