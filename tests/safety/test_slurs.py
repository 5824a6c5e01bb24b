"""Slurs against people for who they are, and jibes at who they are (a bomb joke at someone's
faith, a diagnosis thrown as an insult, who they are mocked as a whim): the rules find them,
no laugh clears them, the model does not overrule them, and the same words in their everyday
meanings pass."""

from __future__ import annotations

import pytest

from socialode.safety.assessment import Category, Detector
from socialode.safety.combined import load_combined
from socialode.safety.detector import FIRM_RULES, PhraseDetector

pytestmark = pytest.mark.once  # no database in here

PHRASES = PhraseDetector()

SLURS = [
    ("en", "keep that poof away from my little brother"),
    ("en", "why is that tranny in our changing room again"),
    ("en", "dyke alert, she's back at the bar"),
    ("en", "he's such a poof, can't even carry his own bag"),
    ("en", "shut up you f4ggot"),
    ("en", "you absolute faggot 😂😂"),
    ("en", "you faggot and peasant, get off my land"),
    ("en", "lol such a spaz, dropped it again"),
    ("en", "no pakis on our five-a-side team thanks"),
    ("en", "the new lad's a batty boy, everyone knows"),
    ("en", "who let the tranny in, I thought this was a church group"),
    ("en", "and then the dyke walked in like she owned the place"),
    ("en", "chinese virus boy showing up late again"),
    ("en", "keep your kung flu away from me"),
    ("pt", "sai daqui seu viado kkkkk"),
    ("pt", "tu és um paneleiro, toda a gente sabe"),
    ("pt", "aquele traveco do ginásio outra vez"),
    ("pt", "és uma sapatona nojenta"),
    ("en", "Ask Tom, poof that he is"),
    ("pt", "sai do campo seu macaco"),
    ("pt", "volta pra jaula, macaca de merda"),
    ("pt", "mariquinhas, sempre a chorar por tudo kkk"),
    ("en", "haha he looks like he's about to blow up the bus with that beard"),
    ("en", "lol autistic little freak, go sit in the corner"),
    ("en", "she's gay or whatever she calls herself now 😂"),
    ("en", "shut it fag"),
    ("en", "useless bloody spastic, dropped the tray again"),
]

EVERYDAY = [
    ("en", "poof, that was quick, all gone"),
    ("en", "the dyke that they are building by the river"),
    ("pt", "esse macaco é tão fofo"),
    ("pt", "o macaco do carro está no porta-malas"),
    ("pt", "vimos um macaco no zoo hoje"),
    ("en", "nipping out for a fag, back in five"),
    ("en", "that fag was my last one, buying more tomorrow"),
    ("en", "we walked a stretch of Offa's Dyke path on Sunday"),
    ("en", "the sea came right up to the dyke last winter"),
    ("en", "and poof, my whole weekend disappeared"),
    ("en", "the tranny on the van is going again, garage on Monday"),
    ("en", "a chink of light under the door woke me at 5"),
    ("en", "the chink in his armour is his temper"),
    ("en", "faggots and peas for tea, don't be late"),
    ("en", "some bugger's ate me last faggots an peas, i'll kill whoever it was"),
    ("en", "off to the dyke march with the whole crew 🏳️‍🌈"),
    ("en", "I'm queer and I'm so proud of this group"),
    ("en", "back from a week on Lesbos, so sunburnt"),
    ("en", "let the tranny cool down before you top up the fluid"),
    ("en", "the chinese virus research lab story was on the news again"),
    ("en", "we let the dyke path flood and the sheep got out"),
    ("pt", "estou na bicha do supermercado há meia hora"),
    ("pt", "essa bicha não anda, vou a outro multibanco"),
    ("pt", "vimos um veado no parque hoje de manhã"),
    ("pt", "o convite foi enviado ao grupo todo"),
    ("pt", "a casa da mariquinhas é o fado que a avó mais canta"),
    ("en", "he looks like he's about to blow a fuse, leave him be"),
    ("en", "my autistic little brother aced his maths test 🎉"),
    ("en", "the kettle looks like it's about to blow up the socket again"),
    ("en", "they keep saying i look like a terrorist because of my scarf"),
]

TOLD = [
    ("en", "someone called me a faggot in the changing rooms and I can't stop shaking"),
    ("en", "they keep calling me a tranny at school and I don't want to go back"),
    ("pt", "chamaram-me paneleiro no autocarro e ninguém disse nada"),
    ("en", "kids at school keep telling me I look like a terrorist and I hate going in"),
]


@pytest.fixture(scope="module")
def combined() -> Detector:
    return load_combined()


@pytest.mark.parametrize(("locale", "text"), SLURS)
def test_a_slur_is_an_insult_whatever_laugh_comes_with_it(
    combined: Detector, locale: str, text: str
) -> None:
    rules = PHRASES.score(text, locale)
    assert rules.category is Category.harassment, text
    assert rules.rule in FIRM_RULES, (text, rules.rule)
    # the shipped detector: the model reads the text too, and does not overrule the slur
    assert combined.score(text, locale) == rules


@pytest.mark.parametrize(("locale", "text"), EVERYDAY)
def test_the_same_words_in_their_everyday_meanings_pass(
    combined: Detector, locale: str, text: str
) -> None:
    assert PHRASES.score(text, locale).rule not in FIRM_RULES, text
    assert not combined.score(text, locale).hurtful, text


@pytest.mark.parametrize(("locale", "text"), TOLD)
def test_someone_telling_of_a_slur_said_to_them_is_a_disclosure(
    combined: Detector, locale: str, text: str
) -> None:
    assert PHRASES.score(text, locale).category is Category.disclosure, text
    assert combined.score(text, locale).category is Category.disclosure, text


def test_a_slur_in_a_quoted_film_line_is_not_an_attack() -> None:
    text = 'in that old film he keeps shouting "you poof" at him, it has aged so badly'
    assert PHRASES.score(text, "en").rule not in FIRM_RULES
