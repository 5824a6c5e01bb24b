"""The "combined" detector: the phrase rules and the learned model (:mod:`socialode.safety.model`)
together.

Scoring a text normalises it once, asks the phrase rules and (for a text of ``MIN_WORDS`` words
or more) the model, and :func:`decide` reads both:

1. a disclosure the rules recognise stays a disclosure;
2. when the model is sure the text is a disclosure (its probability at least the
   ``disclosure`` threshold), it is one, whatever hurtful words it reports;
3. a rule's insult or exclusion is cleared when the model is sure the text is not hurtful
   (``clear``), and a rule's insult becomes another hurtful class when the model is sure of
   that class; any other rule's answer stands;
4. with no rule matching, the model's hurtful class counts when its probability clears that
   class's threshold, unless it is an insult or exclusion and the text carries a strong cue
   of banter ("jk", "😂", "kkkk").

The thresholds are stored with the weights; the trainer chooses them by cross-validation on
the tuning data (see ``bench/train_abuse_model.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from socialode.safety.assessment import CLEAR, HURTFUL, Assessment, Category
from socialode.safety.detector import TEASABLE, PhraseDetector
from socialode.safety.model import LABELS, Model, features_of, load_model
from socialode.safety.normalise import Normalised, normalise

MIN_WORDS = 4
NONE_AT = LABELS.index(Category.none)
DISCLOSURE_AT = LABELS.index(Category.disclosure)


def decide(
    rules: Assessment,
    probs: Sequence[float] | None,
    joking: bool,
    thresholds: Mapping[str, float],
) -> Assessment:
    """The combined answer from the rules' answer, the model's probabilities (in ``LABELS``
    order; None when the text is too short to ask it) and whether the text carries a strong
    cue of banter; see the module docstring."""
    if rules.disclosure or probs is None:
        return rules
    best = max(range(len(LABELS)), key=probs.__getitem__)
    category, p = LABELS[best], probs[best]
    if best == DISCLOSURE_AT and p >= thresholds["disclosure"]:
        return Assessment(Category.disclosure, "model.disclosure")
    if rules.hurtful:
        if rules.category in TEASABLE and best == NONE_AT and p >= thresholds["clear"]:
            return Assessment(Category.none, "model.cleared")
        if (
            rules.category is Category.harassment
            and category in HURTFUL
            and category is not Category.harassment
            and p >= thresholds[category.value]
        ):
            return Assessment(category, "model." + category.value)
        return rules
    if category in HURTFUL and p >= thresholds[category.value]:
        if category in TEASABLE and joking:
            return CLEAR
        return Assessment(category, "model." + category.value)
    return rules


class CombinedDetector:
    """The phrase rules and the learned model; see the module docstring."""

    def __init__(self, phrases: PhraseDetector, model: Model) -> None:
        self.phrases = phrases
        self.model = model

    def score(self, text: str, locale: str) -> Assessment:
        n = normalise(text)
        if not n.words:
            return CLEAR
        rules = self.phrases.assess(n, locale)
        if rules.disclosure:
            return rules
        joking, _ = self.phrases.cues(n, locale)
        return decide(
            rules, model_probabilities(self.model, n, locale), joking, self.model.thresholds
        )


def model_probabilities(model: Model, n: Normalised, locale: str) -> list[float] | None:
    """The model's probabilities for a normalised text, or None for a text of fewer than
    ``MIN_WORDS`` words: a greeting or a one-word answer has too little in it for the model
    (trained on sentences), and only the rules read it."""
    if not long_enough(n):
        return None
    found = features_of(n, locale)
    return model.probabilities_of(found, len(found))


def long_enough(n: Normalised) -> bool:
    return sum(1 for w in n.words.split(" ") if w.isalnum()) >= MIN_WORDS


def load_combined() -> CombinedDetector:
    return CombinedDetector(PhraseDetector(), load_model())
