"""A mood check-in: a level 1-5 and up to five feeling words (not a published instrument)."""

from __future__ import annotations

import pytest

from socialode.platform.errors import Invalid
from socialode.wellbeing.instruments import mood

pytestmark = pytest.mark.once


def test_levels_and_feelings() -> None:
    assert [(o.value, o.label) for o in mood.MOOD_LEVELS] == [
        (1, "Very low"),
        (2, "Low"),
        (3, "Okay"),
        (4, "Good"),
        (5, "Very good"),
    ]
    assert len(mood.FEELINGS) == 16
    assert set(mood.FEELINGS) == set(mood.FEELING_LABELS)
    assert {"calm", "tired", "lonely"} <= set(mood.FEELINGS)
    assert mood.MAX_FEELINGS == 5


@pytest.mark.parametrize(("raw", "level"), [(1, 1), ("5", 5), (" 3 ", 3)])
def test_a_level_from_a_form_or_json(raw: object, level: int) -> None:
    assert mood.check_mood(raw, []) == (level, ())


@pytest.mark.parametrize("raw", [None, ""])
def test_a_missing_level(raw: object) -> None:
    with pytest.raises(Invalid) as refused:
        mood.check_mood(raw, ["calm"])
    assert refused.value.message == "Choose how you feel, from very low to very good."
    assert refused.value.field == "level"


@pytest.mark.parametrize("raw", [0, 6, -1, "6", "good", True, 2.5])
def test_a_level_out_of_range(raw: object) -> None:
    with pytest.raises(Invalid) as refused:
        mood.check_mood(raw, [])
    assert refused.value.field == "level"


def test_feelings_kept_once_in_order_blanks_skipped() -> None:
    assert mood.check_mood(4, ["tired", "calm", "tired", ""]) == (4, ("tired", "calm"))
    assert mood.check_mood(2, "lonely") == (2, ("lonely",))


@pytest.mark.parametrize("feelings", [["calm", "ecstatic"], [3], ["Calm"], [None]])
def test_an_unknown_feeling(feelings: list[object]) -> None:
    with pytest.raises(Invalid) as refused:
        mood.check_mood(3, feelings)
    assert refused.value.message == "That feeling is not one of the choices: choose from the list."
    assert refused.value.field == "feelings"


def test_at_most_five_feelings() -> None:
    five = list(mood.FEELINGS[:5])
    assert mood.check_mood(3, five)[1] == tuple(five)
    with pytest.raises(Invalid) as refused:
        mood.check_mood(3, list(mood.FEELINGS[:6]))
    assert refused.value.message == "Choose at most 5 feelings."
    assert refused.value.field == "feelings"


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_mood_as_a_result(level: int) -> None:
    result = mood.mood_result(level)
    assert (result.total, result.shown, result.scale_max) == (level, level, 5)
    assert result.band_label == mood.MOOD_LEVELS[level - 1].label
    assert result.meaning and not result.crisis and result.next_steps == ()


@pytest.mark.parametrize("level", [0, 6, True])
def test_no_result_for_a_level_that_is_not_one(level: int) -> None:
    with pytest.raises(Invalid):
        mood.mood_result(level)
