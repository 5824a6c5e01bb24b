"""The help directory file: the shipped one is valid and says only what it should, each
language finds its entries (or falls back, saying so), and a malformed file is refused with
a message that names the file, the line and what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialode.platform.help_directory import (
    SHIPPED,
    HelpDirectoryError,
    load_help_directory,
)

SUPPORT = """\
[support.en]
text = "Talking to someone can help."
emergency = "Call your local emergency number."
"""

GOOD_ENTRY = """\
[[resource]]
locale = "en"
kind = "crisis"
name = "Samaritans"
offers = "Someone to talk to."
region = "United Kingdom and Ireland"
phone = "116 123"
web = "https://www.samaritans.org"
hours = "24/7"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "help.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(HelpDirectoryError) as caught:
        load_help_directory(path)
    message = caught.value.message
    assert str(path) in message, message
    return message


def test_the_shipped_directory_is_valid_and_lists_the_known_lines() -> None:
    directory = load_help_directory(None)
    assert load_help_directory(SHIPPED) == directory
    english = directory.for_locale("en")
    assert english.locale == "en" and english.fallback is False
    lifeline = next(r for r in english.crisis if r.name == "988 Suicide & Crisis Lifeline")
    assert (lifeline.phone, lifeline.text, lifeline.web, lifeline.hours) == (
        "988",
        "988",
        "https://988lifeline.org",
        "24/7",
    )
    assert (lifeline.phone_link, lifeline.text_link) == ("tel:988", "sms:988")
    samaritans = next(r for r in english.crisis if r.name == "Samaritans")
    assert samaritans.phone == "116 123" and samaritans.phone_link == "tel:116123"
    assert {r.name for r in english.professional} >= {"FindTreatment.gov", "NHS 111"}
    assert english.self_help and "emergency number" in english.emergency_text
    portuguese = directory.for_locale("pt_PT")
    assert portuguese.locale == "pt_PT" and portuguese.fallback is False
    numbers = {r.phone for r in portuguese.crisis}
    assert numbers == {"112", "808 24 24 24"}
    assert "112" in portuguese.emergency_text and "Pedir ajuda" in portuguese.support_text
    every = [*english.crisis, *english.professional, *english.self_help]
    every += [*portuguese.crisis, *portuguese.professional, *portuguese.self_help]
    assert all(r.web is None or r.web.startswith("https://") for r in every)


def test_a_language_without_entries_falls_back_and_says_so() -> None:
    directory = load_help_directory(None)
    brazil = directory.for_locale("pt_BR")  # another Portuguese: the Portuguese entries
    assert brazil.locale == "pt_PT" and brazil.fallback is False
    assert brazil.crisis == directory.for_locale("pt_PT").crisis
    french = directory.for_locale("fr")
    assert french.locale == "en" and french.fallback is True
    assert french.crisis == directory.for_locale("en").crisis
    assert french.support_text == directory.for_locale("en").support_text


def test_support_sentences_fall_back_on_their_own(tmp_path: Path) -> None:
    only_english = load_help_directory(write(tmp_path, SUPPORT + GOOD_ENTRY))
    found = only_english.for_locale("pt_PT")
    assert found.fallback is True and found.support_text == "Talking to someone can help."
    assert found.help_text == "Call your local emergency number. Talking to someone can help."


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (SUPPORT + GOOD_ENTRY + 'phone "116"\n', 13, "not valid TOML"),
        (SUPPORT + GOOD_ENTRY.replace('phone = "116 123"', 'phone = "1"\nphone = "2"'), 11, "TOML"),
        (SUPPORT + GOOD_ENTRY.replace('"crisis"', '"hotline"'), 6, "kind"),
        (SUPPORT + GOOD_ENTRY.replace('name = "Samaritans"\n', ""), 4, "has no 'name'"),
        (
            SUPPORT
            + GOOD_ENTRY.replace('phone = "116 123"\n', "").replace(
                'web = "https://www.samaritans.org"\n', ""
            ),
            4,
            "no way to reach it",
        ),
        (SUPPORT + GOOD_ENTRY.replace("https://www", "http://www"), 11, "https://"),
        (SUPPORT + GOOD_ENTRY.replace("https://www.samaritans.org", "javascript:x"), 11, "web"),
        (SUPPORT + GOOD_ENTRY.replace('locale = "en"', 'locale = "xx"'), 5, "locale"),
        (SUPPORT + GOOD_ENTRY.replace("116 123", "call us"), 10, "dial"),
        (SUPPORT + GOOD_ENTRY.replace('hours = "24/7"', 'fax = "1"'), 12, "unknown field 'fax'"),
        (SUPPORT + GOOD_ENTRY.replace('name = "Samaritans"', 'name = ""'), 7, "not empty"),
        (SUPPORT + GOOD_ENTRY.replace('name = "Samaritans"', "name = 5"), 7, "text"),
        (GOOD_ENTRY, None, "[support.en]"),
        (SUPPORT.replace("[support.en]", "[support.xx]") + GOOD_ENTRY, 1, "[support.xx]"),
        (SUPPORT.replace('emergency = "Call your local emergency number."\n', ""), 1, "emergency"),
        ('[extra]\nthing = "x"\n' + SUPPORT, 1, "'extra'"),
    ],
)
def test_a_malformed_directory_is_refused_naming_its_line(
    tmp_path: Path, text: str, line: int | None, words: str
) -> None:
    message = refusal(tmp_path, text)
    assert words in message, message
    if line is not None:
        assert f", line {line}:" in message, message
    else:
        assert ", line" not in message, message


def test_the_second_bad_entry_is_found_at_its_own_line(tmp_path: Path) -> None:
    second = GOOD_ENTRY.replace('name = "Samaritans"', 'name = "Other"').replace(
        '"crisis"', '"rescue"'
    )
    message = refusal(tmp_path, SUPPORT + GOOD_ENTRY + "\n" + second)
    assert ", line 16:" in message and 'the entry "Other"' in message, message


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(HelpDirectoryError) as caught:
        load_help_directory(missing)
    assert str(missing) in caught.value.message
    assert "SOCIALODE_HELP_RESOURCES" in caught.value.message
