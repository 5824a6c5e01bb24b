"""The learned model: its weights ship in the package, it loads once, scores the same text the
same way every time, reads clear texts of each class, and the combined detector built on it
keeps the rules' disclosures and banter cues and leaves short texts to the rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import socialode.safety
from socialode.safety.assessment import HURTFUL, Assessment, Category, Detector
from socialode.safety.combined import (
    CombinedDetector,
    decide,
    long_enough,
    model_probabilities,
    rule_feature_names,
)
from socialode.safety.detector import load_detector
from socialode.safety.evaluation import CALIBRATION_FILES, TUNING_FILES, ordinary_text
from socialode.safety.model import (
    LABELS,
    WEIGHTS_FILE,
    Model,
    features,
    from_json,
    load_model,
    read_model,
    to_json,
)
from socialode.safety.normalise import normalise

pytestmark = pytest.mark.once  # no database in here


@cache
def combined() -> Detector:
    return load_detector("combined")


CLEAR_TEXTS = [
    (Category.threat, "en", "i'm going to find you after school and beat you up"),
    (Category.threat, "pt", "vou-te partir a cara toda amanhã"),
    (Category.self_harm_taunt, "en", "go kill yourself, nobody would miss you"),
    (Category.self_harm_taunt, "pt", "vai-te matar"),
    (Category.harassment, "en", "you're a pathetic ugly loser"),
    (Category.harassment, "pt", "és mesmo um idiota nojento"),
    (Category.exclusion, "en", "nobody wants you here, you're not invited"),
    (Category.exclusion, "pt", "ninguém te quer aqui"),
    (Category.doxxing, "en", "her address is 12 Rose Street, go tell her what you think"),
    (Category.doxxing, "pt", "o número dele é 912 345 678, liguem-lhe todos"),
    (Category.disclosure, "en", "they keep telling me i should kill myself and i'm scared"),
    (Category.none, "en", "see you at the station at ten, bring a coat"),
]


def test_the_weights_file_is_package_data() -> None:
    package = Path(socialode.safety.__file__).resolve().parent
    assert package / "model_weights.json.gz" == WEIGHTS_FILE
    assert WEIGHTS_FILE.is_file()
    assert WEIGHTS_FILE.stat().st_size < 5_000_000
    model = load_model()
    assert model.info["trained_on"] == list(TUNING_FILES)  # never the blind set
    # thresholds chosen on earlier blind sets the model never trained on
    assert model.info["calibrated_on"] == list(CALIBRATION_FILES)
    assert set(model.thresholds) == {c.value for c in HURTFUL} | {"disclosure", "banter"}


def test_the_model_loads_once_and_round_trips() -> None:
    assert load_model() is load_model()
    model = load_model()
    again = from_json(to_json(model))
    assert again.bias == model.bias
    assert again.weights == model.weights
    assert read_model().thresholds == model.thresholds


def test_scoring_is_deterministic() -> None:
    model = load_model()
    text = "u r such a l0s3r, nobody likes you"
    first = model.probabilities(text, "en")
    assert all(model.probabilities(text, "en") == first for _ in range(3))
    assert features(text, "en") == features(text, "en")
    assert abs(sum(first.values()) - 1.0) < 1e-9
    assert list(first) == list(LABELS)


@pytest.mark.parametrize(("category", "locale", "text"), CLEAR_TEXTS)
def test_the_model_reads_clear_texts_of_each_class(
    category: Category, locale: str, text: str
) -> None:
    assert load_model().predict(text, locale)[0] is category


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Priya invited you to her birthday drinks on Friday"),
        ("en", "Tom invited you to join Book Club"),
        ("en", "Sam invited you to the group"),
        ("en", "Maya Lind invited you."),
        ("en", "Ben joined with your invite"),
        ("en", "you're invited! housewarming on the 12th, bring nothing but yourself"),
        ("pt", "a Rita convidou-te para o jantar de sábado"),
    ],
)
def test_an_invitation_is_not_read_as_exclusion(locale: str, text: str) -> None:
    # "invited you" once came almost only in exclusion ("nobody invited you"), and ordinary
    # invitations, what this product sends most, were paused
    assert not combined().score(text, locale).hurtful


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "hang in there, you're doing so much better than you think"),
        ("en", "please don't give up, I'm here any time you need to talk"),
        ("en", "you're not a burden. call me tonight if it gets bad"),
        ("en", "do you ever feel like everyone else has their life sorted except you?"),
        ("en", "I look so tired in every photo lately haha"),
        ("pt", "aguenta firme, isto passa. estou aqui para ti"),
    ],
)
def test_support_and_self_doubt_are_not_read_as_attacks(locale: str, text: str) -> None:
    # "it gets better I promise. hang in there" was once paused as a self-harm taunt: a
    # supportive message held back is the costliest mistake the pause can make
    assert not combined().score(text, locale).hurtful


def test_leetspeak_and_spacing_are_undone_before_the_features() -> None:
    assert features("you are a loser", "en") == features("Y0U AR3 A L0S3R", "en")
    assert load_model().predict("k i l l yourself", "en")[0] is Category.self_harm_taunt


def test_the_combined_detector_builds_on_the_rules_and_leaves_short_texts_to_them() -> None:
    detector: Detector = load_detector("combined")
    assert isinstance(detector, CombinedDetector)
    assert detector.score("", "en").category is Category.none
    assert detector.score("kys", "en").category is Category.self_harm_taunt
    assert detector.score("they told me to kill myself", "en").disclosure
    for everyday in ("Thinking of you", "Sleep well", "welcome back", "one more", "why would I"):
        assert detector.score(everyday, "en").category is Category.none, everyday


def test_decide_keeps_disclosures_and_lets_banter_cues_clear() -> None:
    t = {c.value: 0.5 for c in HURTFUL} | {"disclosure": 0.5}
    sure = [0.0] * len(LABELS)
    sure[LABELS.index(Category.harassment)] = 1.0
    told = Assessment(Category.disclosure, "en.disclosure.x")
    assert decide(told, sure, False, t) is told
    found = decide(Assessment(), sure, False, t)
    assert found.category is Category.harassment
    assert found.rule == "model.harassment"
    assert decide(Assessment(), sure, True, t).category is Category.none
    unsure = [0.6 if c is Category.none else 0.4 / 6 for c in LABELS]
    assert decide(Assessment(), unsure, False, t).category is Category.none
    rule = Assessment(Category.harassment, "en.insult.x")
    assert decide(rule, sure, False, t) is rule  # the rule that found it names it
    assert decide(rule, None, False, t) is rule  # a short text: the model is not asked


def test_a_laugh_does_not_clear_mockery_the_model_is_sure_of() -> None:
    """ "she thinks she's a model 😂😂 with THAT nose": the laugh is at someone. A banter cue
    clears an insult or exclusion only while the model is less sure than the ``banter``
    threshold; a threat is never cleared by one."""
    t = {c.value: 0.5 for c in HURTFUL} | {"disclosure": 0.5, "banter": 0.8}

    def reading(category: Category, p: float) -> list[float]:
        return [p if c is category else (1 - p if c is Category.none else 0.0) for c in LABELS]

    for category in (Category.harassment, Category.exclusion):
        assert decide(Assessment(), reading(category, 0.7), True, t).category is Category.none
        assert decide(Assessment(), reading(category, 0.7), False, t).category is category
        assert decide(Assessment(), reading(category, 0.8), True, t).category is category
        assert decide(Assessment(), reading(category, 0.95), True, t).category is category
    assert decide(Assessment(), reading(Category.threat, 0.6), True, t).category is (
        Category.threat
    )


def test_the_model_has_the_last_word_over_any_rule() -> None:
    t = {c.value: 0.5 for c in HURTFUL} | {"disclosure": 0.5}
    nothing = [1.0 if c is Category.none else 0.0 for c in LABELS]
    for category in sorted(HURTFUL):
        rule = Assessment(category, f"en.{category.value}.x")
        assert decide(rule, nothing, False, t).category is Category.none
    threat = [1.0 if c is Category.threat else 0.0 for c in LABELS]
    insult = Assessment(Category.harassment, "en.insult.x")
    assert decide(insult, threat, False, t).category is Category.threat
    # past the length of the chat messages it learned from, a rule's match stands
    rule = Assessment(Category.threat, "en.threat.x")
    assert decide(rule, nothing, False, t, long=True) is rule
    assert decide(Assessment(), threat, False, t, long=True).category is Category.threat


def test_a_rule_stands_in_a_few_words_when_the_model_leans_that_way() -> None:
    """In at most ``BRIEF_WORDS`` words the model has too little to be sure of anything: what
    the rules find stands when the model's hurtful classes together outweigh "none" and
    "disclosure", unless a laugh or a heart says it is a joke."""
    t = {c.value: 0.9 for c in HURTFUL} | {"disclosure": 0.5}

    def reading(category: Category, p: float) -> list[float]:
        return [p if c is category else (1 - p if c is Category.none else 0.0) for c in LABELS]

    for category in sorted(HURTFUL):
        rule = Assessment(category, f"en.{category.value}.x")
        assert decide(rule, reading(category, 0.6), False, t, brief=True) is rule
        assert decide(rule, reading(category, 0.6), False, t).category is Category.none
        assert decide(rule, reading(category, 0.6), True, t, brief=True).category is (Category.none)
        assert decide(rule, reading(category, 0.4), False, t, brief=True).category is (
            Category.none
        )
    nothing = [1.0 if c is Category.none else 0.0 for c in LABELS]
    assert decide(Assessment(), nothing, False, t, brief=True).category is Category.none


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you",
        "I will kill you tomorrow",
        "i am going to kill you",
        "i'm coming for you",
        "i know where you live",
        "you make me sick",
        "we all hate you",
        "I will send your nudes to everyone",
        "shut up fatty",
        "go away fatty",
    ],
)
def test_bare_hurtful_words_pause(text: str) -> None:
    assert combined().score(text, "en").hurtful, text


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you 😂",
        "im gonna kill you lol",
        "ill kill you lmao",
        "I will kill you for spoiling it",
        "i'll kill you if you're late again lol",
        "you are going to smash your driving test",
        "ill post your photos from the trip",
        "I'll send your pics to mum",
        "Kill it tonight Hannah!! 🔪✨",
        "fatty foods are bad for you",
        "the fatty bits of the steak",
        "this salmon is a bit fatty",
    ],
)
def test_the_same_words_said_in_jest_do_not(text: str) -> None:
    assert combined().score(text, "en").category is Category.none, text


def test_hurt_split_between_classes_counts_together_under_the_likeliest() -> None:
    """ "Nobody wants you here, loser" reads as exclusion and as an insult at once: split
    between them neither is sure, together they are; the likeliest names it."""
    t = {c.value: 0.75 for c in HURTFUL} | {"disclosure": 0.5}
    split = {Category.none: 0.1, Category.exclusion: 0.55, Category.harassment: 0.3}
    probs = [split.get(c, 0.05 / 4) for c in LABELS]
    found = decide(Assessment(), probs, False, t)
    assert found.category is Category.exclusion and found.rule == "model.exclusion"
    assert decide(Assessment(), probs, False, t | {"exclusion": 0.9}).category is Category.none
    # however much the hurtful classes hold together, a text whose likeliest reading is
    # "not hurtful" is not paused
    spread = [0.2 if c is Category.none else 0.8 / 6 for c in LABELS]
    assert sum(spread[LABELS.index(c)] for c in HURTFUL) > 0.6
    assert decide(Assessment(), spread, False, t | {c.value: 0.6 for c in HURTFUL}).category is (
        Category.none
    )


def test_the_model_reads_which_rule_matched() -> None:
    rule = Assessment(Category.threat, "en.threat.watch_back")
    assert rule_feature_names(rule, False) == {"r:threat", "q:en.threat.watch_back"}
    assert rule_feature_names(Assessment(), True) == {"j:joking"}
    assert rule_feature_names(Assessment(), False) == set()


def test_a_model_without_weights_scores_by_its_biases() -> None:
    bias = tuple(1.0 if c is Category.none else 0.0 for c in LABELS)
    empty = Model({}, bias, {}, {})
    assert empty.predict("anything at all", "en")[0] is Category.none


def test_a_threat_at_the_end_of_a_long_text_is_found() -> None:
    # How long scoring takes is measured by bench/abuse_eval.py, never asserted here
    detector = load_detector("combined")
    long = ordinary_text(4000, "and if you tell anyone i will find you and hurt you.")
    assert detector.score(long, "en").category is Category.threat


def test_a_text_of_emoji_alone_is_read_by_the_model() -> None:
    # "🔪🔪" or "🪢 for u" says what it says in its emoji; such texts were once left to the
    # rules, which read words only, and were never paused
    detector = combined()
    assert isinstance(detector, CombinedDetector)
    for text in ("🔪🔪", "@Stacey 🐷🐷🐷", "🚪👋"):
        n = normalise(text)
        assert long_enough(n), text
        assert model_probabilities(detector.model, n, "en", Assessment(), False) is not None
    assert features("🚪👋", "en") != features("👋🚪", "en")  # which sign follows which
    assert not long_enough(normalise("one more"))


@pytest.mark.parametrize(
    "text", ["👍", "❤️❤️", "😂😂😂", "🎉🎉🎉", "🙏", "gotta go 👋", "on my way 🚗", "🔪🧅 chopping"]
)
def test_everyday_emoji_are_not_read_as_attacks(text: str) -> None:
    assert not combined().score(text, "en").hurtful


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Maya wrote to you"),
        ("en", "A long walk by the river"),
        ("en", "a professional can help you make sense of it"),
        ("en", "you left your scarf at ours last night"),
        ("en", "nothing new in the group today"),
        ("en", "not one bus came this morning"),
        ("pt", "a reunião de pais passou para quinta às seis"),
    ],
)
def test_short_ordinary_sentences_are_not_read_as_attacks(locale: str, text: str) -> None:
    # a heavier weight for short texts (model.FEW_FEATURES 16) found more hurt in
    # cross-validation and paused the first three of these
    assert not combined().score(text, locale).hurtful
