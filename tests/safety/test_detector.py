"""The phrase detector: each category in both languages, disclosures, banter and quotes, and
the detectors ``load_detector`` knows."""

from __future__ import annotations

import importlib.util
import re

import pytest

from socialode.safety.assessment import CLEAR, Category, Detector
from socialode.safety.detector import PhraseDetector, load_detector
from socialode.safety.evaluation import ordinary_text

pytestmark = pytest.mark.once  # no database in here

DETECTOR = PhraseDetector()
RULE_ID = re.compile(r"^(?:en|pt)\.[a-z_]+\.[a-z_]+$")

HURTFUL_EXAMPLES = [
    (Category.threat, "en", "i'm going to kill you"),
    (Category.threat, "en", "i know where u live"),
    (Category.threat, "en", "watch your back tomorrow"),
    (Category.threat, "pt", "vou-te partir a cara"),
    (Category.threat, "pt", "sei onde moras"),
    (Category.self_harm_taunt, "en", "go kill yourself"),
    (Category.self_harm_taunt, "en", "kys"),
    (Category.self_harm_taunt, "en", "nobody would miss you if you died"),
    (Category.self_harm_taunt, "en", "the world'd be a nicer place without you in it"),
    (Category.self_harm_taunt, "en", "when you finally off yourself I'm taking your desk"),
    (Category.self_harm_taunt, "pt", "vai-te matar"),
    (Category.self_harm_taunt, "pt", "ninguém ia sentir a tua falta"),
    (Category.harassment, "en", "you're such a loser"),
    (Category.harassment, "en", "your ugly face"),
    (Category.harassment, "en", "u r a l0s3r"),
    (Category.harassment, "en", "go back to fortnite u sped"),
    (Category.harassment, "pt", "és mesmo um idiota"),
    (Category.harassment, "pt", "tu és nojenta"),
    (Category.exclusion, "en", "nobody wants you here"),
    (Category.exclusion, "en", "you're not invited, loser"),
    (Category.exclusion, "pt", "ninguém te quer aqui"),
    (Category.exclusion, "pt", "não és bem-vinda"),
    (Category.doxxing, "en", "her address is 12 Rua das Flores, go tell her what you think"),
    (Category.doxxing, "en", "his number is 912 345 678, spam him"),
    (Category.doxxing, "pt", "a morada dela é Rua das Flores 12, vão lá dizer-lhe o que pensam"),
    (Category.doxxing, "pt", "o número dele é 912 345 678, liguem-lhe todos"),
    (Category.doxxing, "en", "i'll leak your photos"),
    (Category.doxxing, "en", "im gonna post ur nudes if you tell anyone"),
    (Category.doxxing, "en", "I will share your private messages with the whole class"),
    (Category.doxxing, "en", "i'll send your mum the screenshots unless you pay me back"),
    (Category.doxxing, "pt", "o zap dela é 11 98888 1234, manda mensagem a noite toda"),
    (Category.threat, "en", "i'll batter you after school and film it for the group chat"),
    (Category.threat, "en", "say that again and i'll throw you off the pier"),
    (Category.threat, "en", "shame, that van of yours would burn real easy"),
    (Category.threat, "pt", "abres a boca e atiro-te borda fora"),
    (Category.self_harm_taunt, "en", "they should have just let you drown"),
    (Category.self_harm_taunt, "en", "the river's at the end of the road, walk in and keep going"),
    (Category.harassment, "en", "you're such a slag"),
    (Category.harassment, "en", "he's thick as two short planks"),
    (Category.harassment, "en", "shut up you silly old cow"),
    (Category.harassment, "en", "look at him, autistic little freak"),
    (Category.harassment, "en", "trans or whatever you are this week"),
    (Category.harassment, "en", "he looks like he's about to blow up the train"),
    (Category.harassment, "en", "what a spineless weasel"),
    (Category.harassment, "pt", "mariquinhas, sempre a chorar"),
    (Category.exclusion, "en", "don't add her back, we're finally free of her"),
    (Category.exclusion, "en", "bbq at mine saturday, if sam asks it's cancelled"),
    (Category.exclusion, "en", "just tell her it got called off"),
    (Category.threat, "en", "keep talking and see if you still have teeth on monday"),
    (Category.threat, "en", "you think you're safe at home. you're not safe anywhere"),
    (Category.threat, "pt", "fala de novo que eu te pego na saída"),
    (Category.threat, "en", "one more word and I'll get my cousins to batter you"),
    (Category.threat, "en", "i'll feed you to the sharks and nobody will find the body"),
    (Category.threat, "en", "talk to my sister again and I'll put you in the canal"),
    (Category.threat, "en", "im putting you through that window if you say it again"),
    (Category.threat, "en", "saw you cycle home on your own last night. would be a shame"),
    (Category.threat, "pt", "fala de novo que eu arrebento a tua cara"),
    (Category.threat, "pt", "eu sei onde você mora"),
    (Category.threat, "pt", "abre a boca de novo e vc vai apanhar, tô avisando"),
    (Category.self_harm_taunt, "en", "if i looked as fat as u id kill myself"),
    (Category.harassment, "en", "shut up you fat fkn cow"),
    (Category.harassment, "en", "specky little freak"),
    (Category.exclusion, "en", "everyone unfollow him today"),
    (Category.exclusion, "en", "ok we're all muting her from now on"),
    (Category.exclusion, "en", "Tom will no longer be invited to the quiz nights"),
    (Category.exclusion, "en", "she's dead to us"),
    (Category.exclusion, "pt", "vc não tá convidada pro aniversário"),
    (Category.doxxing, "en", "I'll leak the video from the party to everyone"),
    (Category.doxxing, "en", "your texts are going on her story tonight"),
    (Category.doxxing, "en", "send it to me or you lose your place, your choice"),
    (Category.threat, "en", "if we weren't online I'd have decked you already"),
    (Category.self_harm_taunt, "en", "do us all a favour and drive into a wall"),
    (Category.threat, "en", "ill leave you at the bottom of the quarry and nobody would know"),
    (Category.threat, "pt", "toca no meu carro outra vez. não é ameaça, é promessa"),
]


@pytest.mark.parametrize(
    "text",
    [
        "ill post your photos from the trip",
        "I'll send your pics to mum tonight",
        "i'll share your message with the team",
        "i'm going to post your birthday card tomorrow",
    ],
)
def test_sharing_someones_everyday_things_is_not_a_leak(text: str) -> None:
    assert DETECTOR.score(text, "en").category is Category.none, text


@pytest.mark.parametrize(("category", "locale", "text"), HURTFUL_EXAMPLES)
def test_each_hurtful_category_in_both_languages(
    category: Category, locale: str, text: str
) -> None:
    found = DETECTOR.score(text, locale)
    assert found.category is category
    assert found.hurtful
    assert RULE_ID.match(found.rule), found.rule  # a rule id, never a piece of the text


@pytest.mark.parametrize(
    ("category", "text"),
    [
        (Category.self_harm_taunt, "k.i.l.l yourself"),
        (Category.self_harm_taunt, "k i l l yourself"),
        (Category.self_harm_taunt, "go k1ll y0urself"),
        (Category.harassment, "youre a looooser"),
        (Category.harassment, "ur so f*cking ugly"),
        (Category.threat, "ill k\u200bill you"),
    ],
)
def test_disguised_spellings(category: Category, text: str) -> None:
    assert DETECTOR.score(text, "en").category is category


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "they keep telling me nobody wants me"),
        ("en", "someone said they'd hurt me"),
        ("en", "they told me to kill myself"),
        ("en", "I'm being bullied"),
        ("en", 'he messaged me "i know where you live" and i\'m scared'),
        ("pt", "estão a gozar comigo"),
        ("pt", "disseram-me para me matar"),
        ("pt", "chamam-me gorda todos os dias"),
    ],
)
def test_disclosures_are_never_attacks(locale: str, text: str) -> None:
    found = DETECTOR.score(text, locale)
    assert found.category is Category.disclosure
    assert found.disclosure
    assert not found.hurtful


def test_a_disclosure_wins_over_the_words_it_reports() -> None:
    reported = 'they said "go kill yourself" and i don\'t know what to do'
    assert DETECTOR.score("go kill yourself", "en").category is Category.self_harm_taunt
    assert DETECTOR.score(reported, "en").category is Category.disclosure


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "holy shit that's amazing"),
        ("en", "fuck yeah, see you at 8"),
        ("en", "you absolute legend"),
        ("en", "you lucky bastard, enjoy the beach"),
        ("en", "you idiot haha I love you"),
        ("en", "i'm gonna kill you if you spoil the ending lol"),
        ("en", "don't kill yourself studying, take a break"),
        ("en", "you're not stupid for asking"),
        ("en", "take care of yourself"),
        ("en", "he sped past us on the motorway"),
        ("en", "you sped through that exam!"),
        ("en", "may the world be a better place without war"),
        ("en", "we slagged off the ref all the way home"),
        ("en", "i'll send your mum the photos from the party"),
        ("en", "found the old bat in the shed next to the stumps"),
        ("en", "gonna destroy you in the 1v1 later"),
        ("en", "i'll stab you with a fork if you take the last roast potato"),
        ("en", "at the beach cafe walk in and keep going to the back"),
        ("en", "he looks like he's about to blow a fuse"),
        ("en", "your car would sell easily, it's in great nick"),
        ("pt", "a casa da mariquinhas é o meu fado preferido"),
        ("pt", "o número do restaurante é 21 345 6789, liga a reservar"),
        ("en", "if he asks, say no, we can't lend the van this week"),
        ("en", "the roads are icy, you're not safe to drive tonight"),
        ("en", "see if you still have the receipt for the kettle"),
        ("pt", "te pego na escola às 5, beijo"),
        ("en", "my address is 12 Rua das Flores, come by around 7"),
        ("pt", "foda-se que golo!"),
        ("pt", "és mesmo parvo ahahah"),
        ("pt", "não és parvo por perguntar"),
        ("pt", "vou-te buscar às 6"),
        ("en", "I'll get my dad to sort you out with a lift home"),
        ("en", "my brother's a mechanic, I'll get him... I'll get my brother to sort you out"),
        ("en", "I'll have my son see to you, he knows the stock better"),
        ("en", "I'll have my brother pick you up at 6"),
        ("en", "I'll put you through to the manager now"),
        ("en", "the river's lovely, I'll put you in the photo"),
        ("en", "noticed you walk home alone, want company tomorrow?"),
        ("en", "if i were you i'd end it with him tbh"),
        ("en", "your messages go to the group chat, not just to me"),
        ("en", "they were all ignoring him at lunch and he came home in tears"),
        ("en", "everyone ignore the typo in the agenda"),
        ("en", "you're dead to me, you spoiled the ending"),
        ("en", "Pluto will no longer be included among the planets"),
        ("en", "i'll release the photos from the wedding on sunday"),
        ("pt", "domingo no racha tu vai apanhar... de 7 a 0"),
        ("pt", "não precisa quebrar a cabeça com isso"),
        ("pt", "vc não foi convidado ainda? vou falar com ela"),
        ("en", "I need a bloody fag after that meeting"),
        ("en", "dead man walking lol, he's got his exam at 9 and didn't sleep"),
    ],
)
def test_banter_and_everyday_texts_are_clear(locale: str, text: str) -> None:
    assert not DETECTOR.score(text, locale).hurtful


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", 'as the song goes, "nobody wants you when you\'re down and out"'),
        ("en", '"you\'re dead to me" is my favourite line from the movie'),
        ("en", "\u266a nobody likes you when you're twenty-three \u266a"),
        ("pt", 'como diz a canção, "ninguém te quer quando estás em baixo"'),
    ],
)
def test_quoted_songs_and_films_are_clear(locale: str, text: str) -> None:
    assert not DETECTOR.score(text, locale).hurtful


def test_the_same_words_unquoted_are_still_hurtful() -> None:
    assert DETECTOR.score("nobody wants you here", "en").hurtful
    assert DETECTOR.score('"nobody wants you here"', "en").hurtful  # quoted, but no song


def test_unknown_locales_use_every_language() -> None:
    assert DETECTOR.score("go kill yourself", "de").category is Category.self_harm_taunt
    assert DETECTOR.score("vai-te matar", "fr_FR").category is Category.self_harm_taunt
    assert DETECTOR.score("vai-te matar", "pt-BR").category is Category.self_harm_taunt
    assert DETECTOR.score("go kill yourself", "en_GB").category is Category.self_harm_taunt


def test_empty_and_long_texts() -> None:
    assert DETECTOR.score("", "en") == CLEAR
    assert DETECTOR.score("  \u200b ", "en") == CLEAR
    calm = "we walked along the river and talked about the garden for hours. " * 60
    assert DETECTOR.score(calm, "en") == CLEAR
    assert DETECTOR.score(calm + " go kill yourself", "en").category is Category.self_harm_taunt


def test_a_long_everyday_message_is_scored_by_what_it_says() -> None:
    # 4,000 characters: the rules are only tried where they can start, and still all of them
    calm = ordinary_text(4000)
    assert len(calm) == 4000
    assert DETECTOR.score(calm, "en") == CLEAR
    assert DETECTOR.score(calm, "pt") == CLEAR
    ending = ordinary_text(4000, "and if you tell anyone i will find you and hurt you.")
    assert DETECTOR.score(ending, "en").category is Category.threat
    told = ordinary_text(4000, "they keep telling me i should kill myself")
    assert DETECTOR.score(told, "en").category is Category.disclosure
    middle = ordinary_text(2000) + " you're a pathetic loser. " + ordinary_text(1970)
    assert DETECTOR.score(middle, "en").category is Category.harassment


def test_every_rule_begins_at_words_it_names() -> None:
    """A rule that may begin at any word ("[a-z]+ of yours") is tried at every word of every
    text: a 4,000-character message took half as long again with one such rule."""
    for code, language in DETECTOR.languages.items():
        for rules in (language.rules, language.disclosures):
            starts_anywhere = [rules.rules[rules.owner[i]].id for i in rules.anywhere]
            assert starts_anywhere == [], (code, starts_anywhere)


def test_the_phrase_detector_is_a_detector() -> None:
    detector: Detector = load_detector("phrases")
    assert isinstance(detector, PhraseDetector)
    assert load_detector().score("kys", "en").category is Category.self_harm_taunt


def test_an_unknown_detector_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no detector called 'magic'"):
        load_detector("magic")


@pytest.mark.skipif(
    importlib.util.find_spec("profanity_check") is not None,
    reason="alt-profanity-check is installed here",
)
def test_profanity_check_without_its_package_says_what_to_install() -> None:
    with pytest.raises(ValueError, match=r"socialode\[moderation\]"):
        load_detector("profanity-check")


def test_profanity_check_keeps_the_phrase_answer_and_asks_the_model_otherwise() -> None:
    from socialode.safety.detector import ProfanityCheckDetector

    asked: list[str] = []

    def predict_prob(texts: list[str]) -> list[float]:
        asked.extend(texts)
        return [0.99 if "meanie" in t or "fuck" in t else 0.01 for t in texts]

    detector = ProfanityCheckDetector(DETECTOR, predict_prob)
    assert detector.score("go kill yourself", "en").category is Category.self_harm_taunt
    assert detector.score("they told me to kill myself", "en").disclosure
    assert asked == []  # the phrases answered
    assert detector.score("you big meanie", "en").category is Category.harassment
    assert detector.score("you big meanie haha", "en") == CLEAR  # affectionate
    assert detector.score("what a meanie that cat is", "en") == CLEAR  # not addressed
    assert detector.score("és um meanie", "pt") == CLEAR  # the model reads English only
    assert detector.score("see you at 8", "en") == CLEAR
    assert detector.score("fuck yeah, see you at 8", "en") == CLEAR  # a cheerful swear
    assert detector.score("fuck your stupid rules, you meanie", "en").hurtful
