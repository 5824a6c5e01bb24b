"""The "combined" detector: the phrase rules and the learned model (:mod:`socialode.safety.model`)
together, the model having the last word.

Scoring a text normalises it once and asks the phrase rules first. Their answer becomes part
of what the model reads (:func:`rule_features`: the category and the name of the rule that
matched, and whether the text carries a strong cue of banter), so the model weighs each rule
by how often it was right on texts it was not written against: the trainer
(``bench/train_abuse_model.py``) hides the rules' answers on the texts they were written
against, and the model learns from the rest how far each rule is to be trusted. Then
:func:`decide`:

1. a disclosure the rules recognise stays a disclosure, a slur the rules find stays an insult
   (``detector.FIRM_RULES``: no laugh and no weighing excuses it), and a text of fewer than
   ``MIN_WORDS`` words and no emoji (a greeting, a one-word answer) keeps the rules' answer;
   the model reads a text with emoji however short ("🔪🔪", "@Sam 🐷🐷"), since the emoji
   carry its meaning;
   in a text of at most ``BRIEF_WORDS`` words, no emoji and no strong cue of banter, what
   the rules find stands when the model leans that way too (its hurtful classes together
   outweigh both "none" and "disclosure", however unsure): so few words give the model too
   little to be sure of anything, and "i will kill you", "i know where you live" or "we all
   hate you" said bare must not go through for lack of words around them (the model learned
   "kill you" mostly from jokes between friends, which give a reason or a laugh);
2. when the model is sure the text is a disclosure (its probability at least the
   ``disclosure`` threshold), it is one;
3. the model's most likely class counts when it is hurtful and the hurtful classes'
   probabilities together clear that class's threshold (:func:`hurtful_reading`), unless it
   is an insult or exclusion, the text carries a strong cue of banter ("jk", "😂", "kkkk")
   and the model is not sure enough to look past it (the ``banter`` threshold: "she thinks
   she's a model 😂😂 with THAT nose" mocks someone whatever the laugh says);
4. anything else is not hurtful, whatever a rule matched: the model read the rule's answer
   and weighed it against the rest of the text.

The model learned from chat messages, all but a few under ``LONG`` characters; in a longer
text one hurtful sentence is drowned by the rest of its words, and the model has not learned
how far to trust a rule there. So in a text longer than ``LONG`` characters a rule's hurtful
match stands, and the model only adds what no rule found.

The thresholds are stored with the weights; the trainer chooses them on the calibration sets
(``evaluation.CALIBRATION_FILES``: earlier blind sets the model is never trained on), so they
are set on texts as new to the model as the messages people will send.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from socialode.safety.assessment import CLEAR, HURTFUL, Assessment, Category
from socialode.safety.detector import FIRM_RULES, TEASABLE, PhraseDetector
from socialode.safety.model import LABELS, Model, bucket, features_of, has_signs, load_model
from socialode.safety.normalise import Normalised, normalise

MIN_WORDS = 4
BRIEF_WORDS = 6
LONG = 160
DISCLOSURE_AT = LABELS.index(Category.disclosure)
HURTFUL_AT = tuple(i for i, c in enumerate(LABELS) if c in HURTFUL)


def rule_feature_names(rules: Assessment, joking: bool) -> set[str]:
    """What the model reads of the rules' answer (see the module docstring)."""
    names = {"j:joking"} if joking else set()
    if rules.hurtful or rules.disclosure:
        names |= {"r:" + rules.category.value, "q:" + rules.rule}
    return names


def rule_features(rules: Assessment, joking: bool) -> set[int]:
    return {bucket(name) for name in rule_feature_names(rules, joking)}


def decide(
    rules: Assessment,
    probs: Sequence[float] | None,
    joking: bool,
    thresholds: Mapping[str, float],
    *,
    long: bool = False,
    brief: bool = False,
) -> Assessment:
    """The combined answer from the rules' answer, the model's probabilities (in ``LABELS``
    order, read with the rules' answer; None when the text is too short to ask it), whether
    the text carries a strong cue of banter, whether it is longer than ``LONG`` characters
    and whether it has at most ``BRIEF_WORDS`` words; see the module docstring."""
    if rules.disclosure or probs is None or (long and rules.hurtful) or rules.rule in FIRM_RULES:
        return rules
    best = max(range(len(LABELS)), key=probs.__getitem__)
    if brief and not joking and rules.hurtful:
        hurt = sum(probs[i] for i in HURTFUL_AT)
        if hurt > probs[LABELS.index(Category.none)] and hurt > probs[DISCLOSURE_AT]:
            return rules
    if best == DISCLOSURE_AT and probs[best] >= thresholds["disclosure"]:
        return Assessment(Category.disclosure, "model.disclosure")
    at, hurt = hurtful_reading(probs)
    category = LABELS[at]
    if best == at and hurt >= thresholds[category.value]:
        if category in TEASABLE and joking and hurt < thresholds.get("banter", 1.01):
            return CLEAR
        if rules.category is category:
            return rules  # the rule that found it names it for moderators
        return Assessment(category, "model." + category.value)
    return CLEAR


def hurtful_reading(probs: Sequence[float]) -> tuple[int, float]:
    """The model's most likely hurtful class (its index in ``LABELS``) and how likely it is
    that the text hurts at all: the hurtful classes' probabilities together. A text can read
    as an insult and as exclusion at once ("nobody wants you here, loser"); split between
    them, neither alone may be sure, but together they are."""
    at = max(HURTFUL_AT, key=probs.__getitem__)
    return at, sum(probs[i] for i in HURTFUL_AT)


class CombinedDetector:
    """The phrase rules and the learned model; see the module docstring."""

    def __init__(self, phrases: PhraseDetector, model: Model) -> None:
        self.phrases = phrases
        self.model = model

    def score(self, text: str, locale: str) -> Assessment:
        n = normalise(text)
        if not n.words and not has_signs(n):
            return CLEAR
        rules = self.phrases.assess(n, locale)
        if rules.disclosure:
            return rules
        joking = self.phrases.joking(n, locale)
        probs = model_probabilities(self.model, n, locale, rules, joking)
        return decide(
            rules,
            probs,
            joking,
            self.model.thresholds,
            long=len(text) > LONG,
            brief=rules.hurtful and brief(n),  # only read for a rule's finding
        )


def model_probabilities(
    model: Model, n: Normalised, locale: str, rules: Assessment, joking: bool
) -> list[float] | None:
    """The model's probabilities for a normalised text and the rules' answer on it, or None
    for a text of fewer than ``MIN_WORDS`` words and no emoji: a greeting or a one-word answer
    has too little in it for the model (trained on sentences), and only the rules read it."""
    if not long_enough(n):
        return None
    found = features_of(n, locale) | rule_features(rules, joking)
    return model.probabilities_of(found, len(found))


def long_enough(n: Normalised) -> bool:
    """Whether the model reads this text: ``MIN_WORDS`` words, or any emoji."""
    words = (w for w in n.words.split(" ") if w.isalnum())
    return next(itertools.islice(words, MIN_WORDS - 1, None), None) is not None or has_signs(n)


def brief(n: Normalised) -> bool:
    """Whether a normalised text is at most ``BRIEF_WORDS`` words and no emoji (emoji carry
    meaning the model reads: "Kill it tonight Hannah!! 🔪✨" is a cheer)."""
    words = (w for w in n.words.split(" ") if w.isalnum())
    return next(itertools.islice(words, BRIEF_WORDS, None), None) is None and not has_signs(n)


def load_combined() -> CombinedDetector:
    return CombinedDetector(PhraseDetector(), load_model())
