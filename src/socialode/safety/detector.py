"""The phrase rules per language (the "phrases" detector, and the rules the default
"combined" one builds on: :mod:`socialode.safety.combined`), and the optional detector that
adds profanity-check's model.

``PhraseDetector`` compiles every language's rules once, when it is made. Scoring a text:

1. normalise it (:mod:`socialode.safety.normalise`);
2. a first-person account of being hurt ("they keep telling me nobody wants me") is a
   ``disclosure``, whatever hurtful words it reports;
3. otherwise every hurtful rule that matches is a candidate, except a match inside quote
   marks when the text speaks of a song, film or the like, anything in a text that opens
   with "as the song goes" or carries music notes, a soft rule when the text also carries
   an affectionate cue, and an insult or exclusion (or a soft rule) when it carries a strong
   cue of banter ("love you", "jk", "😂"), but never a slur (a ``firm`` rule);
4. the most serious remaining category wins (self-harm taunt, threat, doxxing, exclusion,
   harassment), named by the id of its first matching rule;
5. with no rule matching, a knife or gun emoji beside a warning ("cuidado", "see you
   outside") is a threat.

A locale's language picks its lists ("pt_PT" -> Portuguese); any other locale uses them all.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, cast

from socialode.safety import (
    phrases_en,
    phrases_en_context,
    phrases_en_general,
    phrases_en_slurs,
    phrases_en_threats,
    phrases_pt,
)
from socialode.safety.assessment import CLEAR, Assessment, Category, Detector
from socialode.safety.normalise import Normalised, normalise
from socialode.safety.rules import Rule, RuleSet, cue_set

SERIOUSNESS = (
    Category.self_harm_taunt,
    Category.threat,
    Category.doxxing,
    Category.exclusion,
    Category.harassment,
)
# what friends say to each other in jest, cleared by a strong cue of banter
TEASABLE = frozenset({Category.harassment, Category.exclusion})
RANK = {category: rank for rank, category in enumerate(SERIOUSNESS)}
# Each language's lists (MACROS), rules (RULES, DISCLOSURES) and cues (AFFECTION, MEDIA,
# LEADINS), gathered by name from its modules.
LANGUAGE_DATA: dict[str, tuple[ModuleType, ...]] = {
    "en": (
        phrases_en,
        phrases_en_threats,
        phrases_en_general,
        phrases_en_context,
        phrases_en_slurs,
    ),
    "pt": (phrases_pt,),
}
# Emoji and signs that say "said with a smile" or "this is a song", read from the plain view.
FOND_SIGNS_RE = re.compile(
    "[\U0001f602\U0001f923\U0001f606\U0001f605\U0001f618\U0001f60d"
    "\u2764\u2665\U0001f495\U0001f496\U0001f497\U0001f970\U0001f61c"
    "\U0001f61d\U0001f61b\U0001f92a\U0001f601\U0001f604\U0001f389"
    "\U0001f973\U0001f44f\U0001f60a\U0001f917\U0001f499\U0001f49a"
    "\U0001f49b\U0001f49c\U0001f9e1\U0001f5a4\U0001f60e\U0001f64c]"
)
# Laughing till crying and hearts: a joke between friends (they clear insults and exclusion).
BANTER_SIGNS_RE = re.compile(
    "[\U0001f602\U0001f923\u2764\u2665\U0001f495\U0001f496\U0001f497\U0001f970"
    "\U0001f618\U0001f60d\U0001f61c\U0001f61d\U0001f61b\U0001f92a]"
)
# Laughter typed out ("kkkk", "hahaha", "ahah"), read before runs of a letter are cut.
LAUGH_RE = re.compile(r"(?<![a-z])(?:k{3,}|(?:ha){2,}h?|a(?:ha)+h?|(?:he){2,}|(?:hi){2,})(?![a-z])")
# A knife, a gun or a bomb next to a warning to the reader is a threat in any language.
WEAPON_SIGNS_RE = re.compile("[\U0001f52a\U0001f5e1\U0001f52b\U0001f4a3\u2694\u26b0]")
WARNING_RE = re.compile(
    r"(?<![a-z])(?:cuidado|careful|watch (?:out|your back|ur back)|sleep tight|see (?:you|u|ya)"
    r" (?:soon|tomorrow|at school|outside|after school|later)|lock (?:your|ur) doors?|sozinh[oa]"
    r"|alone|outside|la fora|ate amanha|ate logo|a saida|after school|tonight|esta noite|"
    r"sei onde|i know where|we know where|(?:you|u|ur|youre|te|tu|vais) (?:next|dead|morto|"
    r"morta))(?![a-z])"
)
MUSIC_SIGNS_RE = re.compile("[\u266a\u266b\u266c\U0001f3b5\U0001f3b6\U0001f3a4\U0001f3ac]")
QUOTE_WORD = '"'


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    rules: RuleSet
    disclosures: RuleSet
    affection: RuleSet
    banter: RuleSet
    media: RuleSet
    leadins: RuleSet


def _data(code: str, name: str) -> tuple[Any, ...]:
    found: list[Any] = []
    for module in LANGUAGE_DATA[code]:
        found.extend(getattr(module, name, ()))
    if not found:
        raise ValueError(f"the {code} phrase lists have no {name}")
    return tuple(found)


# The rules whose answer stands whatever the model reads (slurs; see phrases_en_slurs).
FIRM_RULES = frozenset(
    r.id for code in LANGUAGE_DATA for r in cast(tuple[Rule, ...], _data(code, "RULES")) if r.firm
)


def _language(code: str) -> Language:
    macros: dict[str, str] = {}
    for module in LANGUAGE_DATA[code]:
        macros.update(getattr(module, "MACROS", {}))
    return Language(
        code=code,
        rules=RuleSet(cast(tuple[Rule, ...], _data(code, "RULES")), macros),
        disclosures=RuleSet(cast(tuple[Rule, ...], _data(code, "DISCLOSURES")), macros),
        affection=cue_set(cast(tuple[str, ...], _data(code, "AFFECTION")), macros),
        banter=cue_set(cast(tuple[str, ...], _data(code, "BANTER")), macros),
        media=cue_set(cast(tuple[str, ...], _data(code, "MEDIA")), macros),
        leadins=cue_set(cast(tuple[str, ...], _data(code, "LEADINS")), macros),
    )


def _quoted(view: str, start: int) -> bool:
    """Whether the word at ``start`` sits between an odd number of quote words."""
    return view.count(QUOTE_WORD, 0, start) % 2 == 1


class PhraseDetector:
    """Phrase and pattern rules for English and Portuguese; see the module docstring."""

    def __init__(self, languages: Sequence[str] = ("en", "pt")) -> None:
        self.languages = {code: _language(code) for code in languages}
        self._all = tuple(self.languages.values())

    def _for(self, locale: str) -> tuple[Language, ...]:
        code = locale.replace("-", "_").split("_", 1)[0].casefold()
        one = self.languages.get(code)
        return (one,) if one is not None else self._all

    def score(self, text: str, locale: str) -> Assessment:
        return self.assess(normalise(text), locale)

    def assess(self, n: Normalised, locale: str) -> Assessment:
        """``score`` for a text already normalised."""
        languages = self._for(locale)
        if not n.words:
            return CLEAR
        views = (n.words, n.joined) if n.joined else (n.words,)
        for view in views:
            for lang in languages:
                told = lang.disclosures.first(view)
                if told is not None:
                    return Assessment(Category.disclosure, told.id)
        for view in views:
            best = self._hurtful(view, n, languages)
            if best is not None:
                return Assessment(best.category, best.id)
        if WEAPON_SIGNS_RE.search(n.plain) and WARNING_RE.search(n.words):
            return Assessment(Category.threat, "signs.weapon_and_warning")
        return CLEAR

    def joking(self, n: Normalised, locale: str) -> bool:
        """Whether a normalised text carries a strong cue of banter ("jk", "😂", "kkkk")."""
        languages = self._for(locale)
        views = (n.words, n.joined) if n.joined else (n.words,)
        return bool(BANTER_SIGNS_RE.search(n.plain) or LAUGH_RE.search(n.plain)) or any(
            lang.banter.first(view) for lang in languages for view in views
        )

    def _hurtful(self, view: str, n: Normalised, languages: tuple[Language, ...]) -> Rule | None:
        found: list[tuple[Rule, int]] = []
        for lang in languages:
            found.extend(lang.rules.matches(view))
        if not found:
            return None
        if MUSIC_SIGNS_RE.search(n.plain) or any(lang.leadins.first(view) for lang in languages):
            return None
        media = QUOTE_WORD in view and any(lang.media.first(view) for lang in languages)
        fond: bool | None = None
        joking: bool | None = None
        best: Rule | None = None
        for r, start in found:
            if media and _quoted(view, start):
                continue
            if (r.soft or r.category in TEASABLE) and not r.firm:
                if joking is None:
                    joking = bool(BANTER_SIGNS_RE.search(n.plain) or LAUGH_RE.search(n.plain))
                    joking = joking or any(lang.banter.first(view) for lang in languages)
                if joking:
                    continue
            if r.soft:
                if fond is None:
                    fond = bool(FOND_SIGNS_RE.search(n.plain)) or any(
                        lang.affection.first(view) for lang in languages
                    )
                if fond:
                    continue
            if (
                best is None
                or RANK[r.category] < RANK[best.category]
                or (r.category is best.category and r.firm and not best.firm)
            ):
                best = r
        return best


class ProfanityCheckDetector:
    """The phrase rules first; when they find nothing in a text addressed to someone ("you",
    "your") that is neither affectionate nor a cheerful swear ("fuck yeah"), the
    ``alt-profanity-check`` model (English) decides whether it is an insult.

    The model reads swearing, not intent, so it only ever adds ``harassment``; it costs a few
    milliseconds a text and a few seconds to load (scikit-learn), which is why it is optional.
    """

    THRESHOLD = 0.85
    ADDRESSED_RE = re.compile(r"(?<![a-z])(?:you|u|ur|your|youre|ya|yours|yourself)(?![a-z])")
    # Words here went through normalise(): every doubled letter is single ("hel", "fucking").
    CHEERFUL_RE = re.compile(
        r"(?<![a-z])(?:(?:fuck|hel|heck|shit|damn|fuk) (?:yeah|yes|yea|ya|yep)|holy (?:shit|"
        r"fuck|crap|hel|cow)|(?:fucking|fuckin|bloody|damn) (?:amazing|briliant|great|god|"
        r"awesome|love|beautiful|hilarious|legend|genius|perfect|gorgeous)|what the (?:fuck|hel)"
        r"|shit (?:yeah|yes)|no fucking way)(?![a-z])"
    )

    def __init__(self, phrases: PhraseDetector, predict_prob: Callable[[list[str]], Any]) -> None:
        self.phrases = phrases
        self.predict_prob = predict_prob
        self.english = phrases.languages.get("en")

    def score(self, text: str, locale: str) -> Assessment:
        found = self.phrases.score(text, locale)
        if found.category is not Category.none:
            return found
        languages = self.phrases._for(locale)
        if self.english is None or self.english not in languages:
            return found
        n = normalise(text)
        if not self.ADDRESSED_RE.search(n.words) or FOND_SIGNS_RE.search(n.plain):
            return found
        if self.CHEERFUL_RE.search(n.words):
            return found
        if self.english.affection.first(n.words):
            return found
        if float(self.predict_prob([text])[0]) >= self.THRESHOLD:
            return Assessment(Category.harassment, "profanity_check.addressed")
        return found


DETECTORS = ("phrases", "combined", "profanity-check")


def load_detector(name: str = "combined") -> Detector:
    """The detector called ``name``: "combined" (the default: the phrase rules and the
    learned model, :mod:`socialode.safety.combined`), "phrases" (the rules alone) or
    "profanity-check"."""
    if name == "combined":
        from socialode.safety.combined import load_combined  # it builds on this module

        return load_combined()
    if name == "phrases":
        return PhraseDetector()
    if name == "profanity-check":
        try:
            model = importlib.import_module("profanity_check")
        except ImportError as exc:
            raise ValueError(
                "The profanity-check detector needs the alt-profanity-check package: install "
                "socialode[moderation] (pip install 'socialode[moderation]'), or use the "
                "default detector, combined."
            ) from exc
        predict = cast(Callable[[list[str]], Any], model.predict_prob)
        return ProfanityCheckDetector(PhraseDetector(), predict)
    raise ValueError(f"There is no detector called {name!r}: choose one of {', '.join(DETECTORS)}.")
