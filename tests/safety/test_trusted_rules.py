"""Rules that are both ``soft`` and ``firm``: threats, exclusion and exposure in words specific
enough that the model does not overrule them (it learned before they were written, and reads
them as ordinary sentences), yet said with a laugh or a heart they are cleared, like any soft
rule, and the model reads the text on its own."""

from __future__ import annotations

import pytest

from socialode.safety.assessment import Category, Detector
from socialode.safety.combined import load_combined
from socialode.safety.detector import FIRM_RULES, PhraseDetector

pytestmark = pytest.mark.once  # no database in here

PHRASES = PhraseDetector()

TRUSTED = [
    (Category.threat, "en", "i'll get my cousin to batter you, he's 19"),
    (Category.threat, "en", "come near my stall again and I shall have my sons deal with you"),
    (Category.threat, "en", "seen you jog home alone by the canal. bad idea"),
    (Category.threat, "pt", "se contar pro professor de novo tu vai apanhar, viu"),
    (Category.exclusion, "en", "so we're all blocking him on discord at 9, don't forget"),
    (Category.exclusion, "en", "Sue will no longer be included in the book club emails."),
    (Category.doxxing, "en", "i've got the pics from the party. send them or you pay, your choice"),
    (Category.doxxing, "en", "I'll leak the voice notes where you cried about him"),
    (Category.threat, "en", "grass me up again and ah'll wrap this spanner round yer heid"),
    (Category.threat, "en", "you'll be getting a bat across the kneecaps if that money's not back"),
    (Category.threat, "en", "I'm launching your phone off the pier with you still holding it"),
    (Category.threat, "pt", "se voltas a mexer no meu barco levas com o remo nos cornos"),
]

# The same words where nobody is hurt.
EVERYDAY = [
    ("en", "I'll wrap a scarf round your neck, it's freezing out"),
    ("en", "wrap the bat handle round with tape before the match"),
    ("en", "you'll get the hammer in the shed, second shelf"),
    ("en", "throwing the old sofa out the window with the removal men, send help"),
    ("pt", "levas com a cadeira na mala do carro para o piquenique?"),
]


@pytest.fixture(scope="module")
def combined() -> Detector:
    return load_combined()


@pytest.mark.parametrize(("category", "locale", "text"), TRUSTED)
def test_the_model_does_not_overrule_them(
    combined: Detector, category: Category, locale: str, text: str
) -> None:
    rules = PHRASES.score(text, locale)
    assert rules.category is category, text
    assert rules.rule in FIRM_RULES, (text, rules.rule)
    assert combined.score(text, locale) == rules


@pytest.mark.parametrize(("category", "locale", "text"), TRUSTED)
def test_a_laugh_clears_them(
    combined: Detector, category: Category, locale: str, text: str
) -> None:
    rule = PHRASES.score(text, locale).rule
    assert not PHRASES.score(text + " 😂😂", locale).hurtful, text
    # what is left is the model's own reading of the words (a laugh does not excuse blackmail)
    assert combined.score(text + " 😂😂", locale).rule != rule, text


@pytest.mark.parametrize(("locale", "text"), EVERYDAY)
def test_their_words_in_everyday_senses_pass(combined: Detector, locale: str, text: str) -> None:
    assert not PHRASES.score(text, locale).hurtful, text
    assert not combined.score(text, locale).hurtful, text
