"""Text normalisation for matching: one canonical spelling for the many ways a word is typed.

``normalise(text)`` gives a :class:`Normalised` with three views:

- ``plain``: case-folded, accents stripped ("não" -> "nao"), invisible characters removed,
  whitespace collapsed; digits, emoji and punctuation kept (addresses, phone numbers, cues).
- ``words``: the words only, space-separated: leetspeak and symbol swaps undone inside words
  ("l0s3r" -> "loser", "$hit" -> "shit"), punctuation inside a word removed or spelled out
  ("k.i.l.l" -> "kil", "you're" -> "youre", "vai-te" -> "vai te"), and every run of one letter
  cut to a single letter ("loooser" and "looser" -> "loser", "kill" -> "kil"; the rules are
  compiled the same way, see :mod:`socialode.safety.rules`). Sentence ends become a "."
  word, a comma a "," word and quote marks a '"' word, so rules do not match across
  sentences and can tell what is quoted. A "*" inside a word is kept: the rules read it as a
  masked vowel ("f*ck").
- ``joined``: ``words`` with runs of three or more single letters joined ("k i l l" ->
  "kill"), or "" when there are none; rules try it when ``words`` matches nothing, because
  joining would also turn a real "u r a" into one word.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass

INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
        "\u3164\ufe0e\ufe0f\ufeff",
    ),
    None,
)
# Characters typed in place of letters. Only used inside a word that has a letter in it, so
# "12" in an address and "912 345 678" stay numbers.
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "€": "e",
        "£": "l",
        "¢": "c",
        "+": "t",
    }
)
INVISIBLE_RE = re.compile("[" + "".join(map(chr, INVISIBLE)) + "]")
# combining marks (accents) left apart by NFKD
COMBINING_RE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0903"
    "\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f]"
)
MASKS = str.maketrans(dict.fromkeys("#%·•", "*"))
QUOTES = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f')
SINGLE_QUOTES = frozenset("'\u2018\u2019\u201a\u201b`\u00b4")
SENTENCE_ENDS = frozenset(".!?;:…")
LETTER_RE = re.compile(r"[a-z]")
RUN_RE = re.compile(r"([a-z])\1+")
FIRST = operator.itemgetter(1)  # a run's letter, once (quicker than the template r"\1")
SEPARATED_RE = re.compile(r"[a-z0-9*]+(?:[.\-_/]+[a-z0-9*]+)+")
SINGLES_RE = re.compile(r"(?<![a-z0-9*])[a-z](?: [a-z]){2,}(?![a-z0-9*])")
NON_WORD_RE = re.compile(r"[^a-z0-9*]")
SPACES_RE = re.compile(r"\s+")
# Leetspeak tokens that are words of their own.
WHOLE_WORDS = {
    "h8": "hate",
    "h8r": "hater",
    "gr8": "great",
    "l8r": "later",
    "no1": "no one",
    "any1": "anyone",
    "some1": "someone",
    "every1": "everyone",
}
MAX_CHARS = 5000


@dataclass(frozen=True, slots=True)
class Normalised:
    plain: str
    words: str
    joined: str


def fold(text: str) -> str:
    """Case-fold, strip accents and invisible characters, collapse whitespace."""
    if text.isascii():  # most texts: no accents, no invisible characters
        return SPACES_RE.sub(" ", text.lower()).strip()
    text = INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    if not text.isascii():
        text = COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    return SPACES_RE.sub(" ", text).strip()


def _word(token: str) -> list[str]:
    """The canonical words of one whitespace-separated token (a '"' or "." word included)."""
    out: list[str] = []
    start = 0
    end = len(token)
    lead: list[str] = []
    while start < end and not _keeps_leading(token[start], token, start):
        c = token[start]
        if c in QUOTES or c in SINGLE_QUOTES:
            lead.append('"')
        start += 1
    trail: list[str] = []
    while end > start and not _keeps_trailing(token[end - 1]):
        c = token[end - 1]
        if c in QUOTES or c in SINGLE_QUOTES:
            trail.append('"')
        elif c in SENTENCE_ENDS and "." not in trail:
            trail.append(".")
        elif c == "," and not trail:
            trail.append(",")
        end -= 1
    out.extend(lead)
    core = token[start:end]
    if core:
        out.extend(_core(core))
    out.extend(reversed(trail))
    return out


def _keeps_leading(c: str, token: str, at: int) -> bool:
    if c.isalnum() or c == "*":
        return True
    # "$hit", "@ss": a symbol standing for a letter at the start of a word
    return c in "$@|" and at + 1 < len(token) and token[at + 1].isalpha()


def _keeps_trailing(c: str) -> bool:
    return c.isalnum() or c in "*$@"


def _core(core: str) -> list[str]:
    if core in WHOLE_WORDS:
        return [WHOLE_WORDS[core]]
    core = core.translate(MASKS)
    if LETTER_RE.search(core):
        core = core.replace("11", "ll").translate(LEET)  # "ki11": a pair of ones is "ll"
    for q in SINGLE_QUOTES:  # apostrophes inside words: "you're" -> "youre"
        core = core.replace(q, "")
    pieces: list[str] = []
    last = 0
    for m in SEPARATED_RE.finditer(core):
        pieces.append(NON_WORD_RE.sub(" ", core[last : m.start()]))
        parts = re.split(r"[.\-_/]+", m.group())
        # "k.i.l.l" -> "kill"; "vai-te" and "well.done" -> two words
        pieces.append("".join(parts) if all(len(p) == 1 for p in parts) else " ".join(parts))
        last = m.end()
    pieces.append(NON_WORD_RE.sub(" ", core[last:]))
    return "".join(pieces).split()


def normalise(text: str) -> Normalised:
    plain = fold(text[:MAX_CHARS])
    words: list[str] = []
    for token in plain.split(" "):
        if token.isalpha() and token.isascii():  # most words: nothing to undo
            words.append(token)
        elif token[:-1].isalpha() and token.isascii() and token[-1] in ",.!?;:":
            words.append(token[:-1])  # a word ending a clause or a sentence
            words.append("," if token[-1] == "," else ".")
        else:
            words.extend(_word(token))
    joined_words = " ".join(words)
    collapsed = RUN_RE.sub(FIRST, joined_words)
    joined = ""
    if SINGLES_RE.search(collapsed):
        joined = RUN_RE.sub(FIRST, SINGLES_RE.sub(lambda m: m.group().replace(" ", ""), collapsed))
    return Normalised(plain=plain, words=collapsed, joined=joined)
