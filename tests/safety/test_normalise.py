"""Normalisation: one spelling for the many ways a word gets typed."""

from __future__ import annotations

import pytest

from socialode.safety.normalise import fold, normalise

pytestmark = pytest.mark.once  # no database in here


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("l0s3r", "loser"),
        ("k1ll", "kil"),
        ("$hit", "shit"),
        ("@ss", "as"),
        ("h8", "hate"),
        ("no1", "no one"),
        ("5tup1d", "stupid"),
        ("ki11", "kil"),  # a pair of ones reads as "ll"
    ],
)
def test_leetspeak_is_undone_inside_words(typed: str, words: str) -> None:
    assert normalise(typed).words == words


def test_numbers_that_are_numbers_stay_numbers() -> None:
    assert normalise("call 912 345 678 at 12 Rua das Flores").words == (
        "cal 912 345 678 at 12 rua das flores"
    )


def test_punctuation_and_masks_inside_words() -> None:
    assert normalise("k.i.l.l").words == "kil"
    assert normalise("k-i-l-l yourself").words == "kil yourself"
    assert normalise("you're").words == "youre"
    assert normalise("vai-te").words == "vai te"
    assert normalise("f*ck").words == "f*ck"  # the rules read "*" as a masked vowel


def test_spaced_letters_are_joined_in_their_own_view() -> None:
    spaced = normalise("k i l l yourself")
    assert spaced.words == "k i l l yourself"
    assert spaced.joined == "kil yourself"
    assert normalise("see you at 8").joined == ""  # nothing to join


def test_repeated_letters_collapse_to_one() -> None:
    assert normalise("loooooser").words == normalise("loser").words == "loser"
    assert normalise("LOOSER").words == "loser"
    assert normalise("sooooo stuuupid").words == "so stupid"


def test_accents_case_and_invisible_characters() -> None:
    assert fold("Não És BEM-VINDO") == "nao es bem-vindo"
    assert fold("ninguém") == fold("ninguem") == "ninguem"
    assert fold("ki\u200bll y\u200dou\ufeff") == "kill you"
    assert fold("\uff2b\uff29\uff2c\uff2c") == "kill"  # full-width letters


def test_sentences_commas_and_quotes_become_words() -> None:
    assert normalise('he said "go away". ok, bye').words == 'he said " go away " . ok , bye'


def test_empty_and_symbol_only_texts() -> None:
    assert normalise("").words == ""
    assert normalise("   ").words == ""
    assert normalise("!!! ???").words == ""
